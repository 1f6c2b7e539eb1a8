"""mse_grad and Mse with a plain squeeze() (the course's spelling): at batch size 1 the
squeezed input is 0-dim, but subtracting targ (1,) brings the batch dimension back, so the
result is right."""

KEEPS = ["mse_grad", "Mse"]


def mse_grad(inp, targ):
    inp.g = (inp.squeeze() - targ).unsqueeze(-1) * (2.0 / len(targ))


def _forward_plain_squeeze(self, inp, targ):
    return ((inp.squeeze() - targ) ** 2).mean()


def _bwd_plain_squeeze(self, out, inp, targ):
    mse_grad(inp, targ)


Mse.forward, Mse.bwd = _forward_plain_squeeze, _bwd_plain_squeeze
