"""mse_grad forgets the 1/n of the mean: 2 (inp - targ), the gradient of the *sum* of squares."""

CATCHES = ["mse_grad"]


def mse_grad(inp, targ):
    inp.g = 2.0 * (inp.squeeze(-1) - targ).unsqueeze(-1)
