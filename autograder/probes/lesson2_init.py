"""Probes for lesson 2 (run inside the sandbox; `mod` is the student's module). They observe
and return records (courselib/lesson2_init.py); the judge decides what is right.

The initialisers draw from torch's global RNG, so each probe seeds it from a seed the judge
drew: the same call gives the same tensor, whatever ran before in this process.
"""

import sys

import torch

from courselib.lesson2_init import DeepStack, Filled, InitCalls, deep_stack


def fill(mod, fn, shape, seed, kwargs=None, dtype=torch.float32, device="cpu", parameter=False):
    """mod.<fn>(w, **kwargs) on a NaN-filled w (an nn.Parameter when `parameter`, as when
    initialising nn.Linear's weight): what became of w and what came back."""
    torch.manual_seed(seed)
    w = torch.full(tuple(shape), float("nan"), dtype=dtype, device=device)
    if parameter:
        w = torch.nn.Parameter(w)
    pointer = w.data_ptr()
    out = getattr(mod, fn)(w, **(kwargs or {}))
    return Filled(
        w=w.detach(),
        returned_w=out is w,
        returned=type(out).__name__,
        same_storage=w.data_ptr() == pointer,
        requires_grad=w.requires_grad,
    )


def init_calls(mod, fn, shape):
    """The functions of torch/nn/init.py that ran during mod.<fn>(w): the run-time side of the
    rule (an alias or a getattr spelling cannot hide the file a frame's code comes from)."""
    names = set()

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_filename.replace("\\", "/").endswith(
            "torch/nn/init.py"
        ):
            names.add(frame.f_code.co_name)

    w = torch.empty(tuple(shape))
    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        getattr(mod, fn)(w)
    finally:
        sys.setprofile(previous)
    return InitCalls(names=sorted(names))


def stack(mod, seed, a, relu):
    """The deep stack (courselib.lesson2_init.deep_stack, 100 layers of 512 x 512) with every
    weight filled by mod.kaiming_normal_(w, a=a) (mode fan_in)."""
    torch.manual_seed(seed)
    return DeepStack(stds=deep_stack(lambda w: mod.kaiming_normal_(w, a=a), relu=relu))
