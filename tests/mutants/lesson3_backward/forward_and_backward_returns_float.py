"""forward_and_backward returns loss.item(), a Python float, where the contract says the loss
tensor (0-dim)."""

CATCHES = ["forward_and_backward"]

_tensor_version = forward_and_backward


def forward_and_backward(inp, targ, w1, b1, w2, b2):
    return _tensor_version(inp, targ, w1, b1, w2, b2).item()
