"""forward_and_backward lets autograd do the work and copies .grad into .g."""

CATCHES = ["forward_and_backward"]


def forward_and_backward(inp, targ, w1, b1, w2, b2):
    ts = [t.detach().clone().requires_grad_() for t in (inp, w1, b1, w2, b2)]
    loss = mse(lin(relu(lin(ts[0], ts[1], ts[2])), ts[3], ts[4]), targ)
    loss.backward()
    for t, r in zip((inp, w1, b1, w2, b2), ts):
        t.g = r.grad
    return loss.detach()
