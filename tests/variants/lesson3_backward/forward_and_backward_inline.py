"""forward_and_backward with the linear layers written inline (x @ w + b instead of lin), as
the course's notebook 02 does, and the backward calls in reverse order."""

KEEPS = ["forward_and_backward"]


def forward_and_backward(inp, targ, w1, b1, w2, b2):
    hidden = inp @ w1 + b1
    act = relu(hidden)
    pred = act @ w2 + b2
    loss = mse(pred, targ)
    mse_grad(pred, targ)
    lin_grad(act, pred, w2, b2)
    relu_grad(hidden, act)
    lin_grad(inp, hidden, w1, b1)
    return loss
