"""kaiming_normal_ reaches torch.nn.init through getattr, so no source check can see it: the
run-time trace of torch/nn/init.py frames must."""

import torch as _t

CATCHES = ["kaiming_normal_"]

_init = getattr(_t.nn, "i" + "nit")


def kaiming_normal_(w, a=0.0, mode="fan_in"):
    return getattr(_init, "kaiming_" + "normal_")(w, a=a, mode=mode, nonlinearity="leaky_relu")
