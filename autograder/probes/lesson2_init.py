"""Probes for lesson 2 (run inside the sandbox; `mod` is the student's module).

The init functions draw from torch's global RNG, so each probe seeds it from its arguments:
the same call gives the same tensor, whatever the grader's process did before.
"""

import sys

import torch


def fill(mod, fn, shape, seed, kwargs=None, dtype=torch.float32, device="cpu"):
    """Call mod.<fn>(w, **kwargs) on a NaN-filled w: the filled w, and whether it was in place."""
    torch.manual_seed(seed)
    w = torch.full(tuple(shape), float("nan"), dtype=dtype, device=device)
    ptr = w.data_ptr()
    out = getattr(mod, fn)(w, **(kwargs or {}))
    return {
        "returned_w": out is w,
        "returned": type(out).__name__,
        "same_storage": w.data_ptr() == ptr,
        "w": w,
    }


def fill_parameter(mod, fn, shape, seed):
    """mod.<fn> on an nn.Parameter (as when initialising nn.Linear's weight): works in place,
    without autograd complaining about an in-place op on a leaf that requires grad."""
    torch.manual_seed(seed)
    w = torch.nn.Parameter(torch.full(tuple(shape), float("nan")))
    out = getattr(mod, fn)(w)
    return {"returned_w": out is w, "requires_grad": w.requires_grad, "w": w.detach()}


def init_module_frames(mod, fn, shape, kwargs=None):
    """Names of the functions from torch/nn/init.py that ran during mod.<fn>(w): the run-time
    side of the rule (an alias or getattr spelling cannot hide a frame's file)."""
    seen = set()

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_filename.replace("\\", "/").endswith(
            "torch/nn/init.py"
        ):
            seen.add(frame.f_code.co_name)

    w = torch.empty(tuple(shape))
    old = sys.getprofile()
    sys.setprofile(profile)
    try:
        getattr(mod, fn)(w, **(kwargs or {}))
    finally:
        sys.setprofile(old)
    return sorted(seen)


def deep_stack(mod, seed, a=0.0, relu=True, batch=512, width=512, depth=100):
    """x (batch, width) ~ N(0, 1) through `depth` layers x = x @ w.T, w from mod.kaiming_normal_
    (a, fan_in), with a relu after each layer when `relu`: the std of each layer's output."""
    torch.manual_seed(seed)
    x = torch.randn(batch, width)
    stds = []
    for _ in range(depth):
        w = torch.empty(width, width)
        mod.kaiming_normal_(w, a=a)
        x = x @ w.t()
        stds.append(x.std().item())
        if relu:
            x = x.clamp_min(0.0)
    return stds


def normalize_and_input(mod, x, mean, std):
    """(normalize(x, mean, std), x as it is after the call)."""
    return mod.normalize(x, mean, std), x
