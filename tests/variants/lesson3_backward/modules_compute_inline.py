"""The layer classes written as the course's "Module.forward()" section has them: each computes
its own forward and bwd inline (no call of lin, relu, mse or their grads), the float mask and
plain squeeze() included, and Module.forward raising until a subclass defines it."""

KEEPS = ["Module", "Relu", "Lin", "Mse", "Model"]


def _module_forward(self, *args):
    raise NotImplementedError("a Module subclass defines forward")


def _relu_forward(self, inp):
    return inp.clamp_min(0.0) - self.sub


def _relu_bwd(self, out, inp):
    inp.g = out.g * (inp > 0).float()


def _lin_forward(self, inp):
    return inp @ self.w + self.b


def _lin_bwd(self, out, inp):
    inp.g = out.g @ self.w.t()
    self.w.g = inp.t() @ out.g
    self.b.g = out.g.sum(0)


def _mse_forward(self, inp, targ):
    return (inp.squeeze() - targ).pow(2).mean()


def _mse_bwd(self, out, inp, targ):
    inp.g = (inp.squeeze() - targ).unsqueeze(-1) * 2 / targ.shape[0]


Module.forward = _module_forward
Relu.forward, Relu.bwd = _relu_forward, _relu_bwd
Lin.forward, Lin.bwd = _lin_forward, _lin_bwd
Mse.forward, Mse.bwd = _mse_forward, _mse_bwd
