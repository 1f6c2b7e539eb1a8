"""forward_and_backward runs autograd through getattr/setattr spellings no source check sees:
the run-time trace (Tensor.backward) must catch it."""

CATCHES = ["forward_and_backward"]


def forward_and_backward(inp, targ, w1, b1, w2, b2):
    leaves = [t.detach().clone() for t in (inp, w1, b1, w2, b2)]
    for t in leaves:
        setattr(t, "requires" + "_grad", True)
    loss = mse(lin(relu(lin(leaves[0], leaves[1], leaves[2])), leaves[3], leaves[4]), targ)
    getattr(loss, "back" + "ward")()
    for t, leaf in zip((inp, w1, b1, w2, b2), leaves):
        t.g = getattr(leaf, "gr" + "ad")
    return loss.detach()
