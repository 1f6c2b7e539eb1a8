"""relu_grad and Relu.bwd with a float32 mask, as the course writes it: float32 times a float64
out.g is float64 again (type promotion), and the mask is 0 at the kink."""

KEEPS = ["relu_grad", "Relu", "forward_and_backward", "Model"]


def relu_grad(inp, out):
    inp.g = out.g * (inp > 0).float()


def _bwd_float_mask(self, out, inp):
    relu_grad(inp, out)


Relu.bwd = _bwd_float_mask
