"""forward_and_backward calls relu_grad(l2, l1): the relu's output and input swapped."""

CATCHES = ["forward_and_backward"]


def forward_and_backward(inp, targ, w1, b1, w2, b2):
    l1 = lin(inp, w1, b1)
    l2 = relu(l1)
    out = lin(l2, w2, b2)
    loss = mse(out, targ)
    mse_grad(out, targ)
    lin_grad(l2, out, w2, b2)
    relu_grad(l2, l1)
    lin_grad(inp, l1, w1, b1)
    return loss
