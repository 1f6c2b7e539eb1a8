"""Visible tests for lesson 5: run `make test-lesson5` (or `SUBMISSION=<folder>`).

They check the same things the hidden graders check, on small fixed inputs; the graders add
random shapes and values, every leak/sub/maxv combination, and more edge cases.
"""

import gc
import itertools
import math

import pytest
import torch
from torch import nn

from courselib.checks import expect_close, expect_raises, fail
from hooks import (
    GeneralRelu,
    Hook,
    Hooks,
    ListContainer,
    append_stats,
    conv_layer,
    dead_bins,
    get_cnn_layers,
    get_cnn_model,
    get_hist,
    get_min,
    init_cnn,
)


def _mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 3))


def _record(hook, module, inp, out):
    hook.seen = getattr(hook, "seen", []) + [out.detach().clone()]


def test_hook_calls_func_with_itself_and_the_output():
    model = _mlp()
    x = torch.randn(2, 4)
    h = Hook(model[0], _record)
    model(x)
    h.remove()
    if not hasattr(h, "seen"):
        fail("values", "Hook", "func(hook, module, inp, out) should receive the Hook object")
    expect_close("Hook", h.seen[0], model[0](x), what="the output func saw", against="layer(x)")


def test_hook_remove_and_with_leave_no_hook():
    model = _mlp()
    h = Hook(model[0], _record)
    h.remove()
    h.remove()  # twice is fine
    if model[0]._forward_hooks:
        fail("values", "Hook", "a forward hook is left on the module after remove()")
    with Hook(model[0], _record) as h2:
        if not isinstance(h2, Hook):
            fail("type", "Hook", "`with Hook(...) as h` should give the Hook")
    if model[0]._forward_hooks:
        fail("values", "Hook", "a forward hook is left on the module after the with block")


def test_dropped_hook_is_removed():
    model = _mlp()
    h = Hook(model[0], _record)
    del h
    gc.collect()
    if model[0]._forward_hooks:
        fail("values", "Hook", "a Hook nobody references is still on the module (use a weakref)")


def test_list_container_indexing():
    lc = ListContainer(list("abcde"))
    checks = {
        "lc[1]": (lc[1], "b"),
        "lc[-1]": (lc[-1], "e"),
        "lc[1:3]": (list(lc[1:3]), ["b", "c"]),
        "lc[[0, 3]]": (list(lc[[0, 3]]), ["a", "d"]),
        "lc[mask]": (list(lc[[True, False, False, True, True]]), ["a", "d", "e"]),
    }
    for what, (got, want) in checks.items():
        if got != want:
            fail("values", "ListContainer", f"{what} should be {want!r}", f"got {got!r}")
    expect_raises(
        "ListContainer", lambda: lc[[True, False]], ValueError, "for a mask of the wrong length"
    )
    if len(lc) != 5 or list(lc) != list("abcde"):
        fail("values", "ListContainer", "len() and iteration should follow the items")


def test_list_container_repr_is_short():
    text = repr(ListContainer(list(range(100))))
    if not text.startswith("ListContainer (100 items)") or len(text) > 80 or "..." not in text:
        fail("values", "ListContainer", "repr should show the count and at most 10 items", text)


def test_hooks_remove_all():
    model = _mlp()
    with Hooks([model[0], model[2]], _record) as hs:
        model(torch.randn(2, 4))
        if len(hs) != 2 or not all(hasattr(h, "seen") for h in hs):
            fail("values", "Hooks", "each module should get its own recording Hook")
    if model[0]._forward_hooks or model[2]._forward_hooks:
        fail("values", "Hooks", "forward hooks are left after the with block")


def test_append_stats_records_the_output():
    model = _mlp()
    x = torch.randn(8, 4) * 3
    with Hook(model[0], append_stats) as h:
        model(x)
        model.eval()
        model(x)  # evaluation: not recorded
        model.train()
    out = model[0](x).detach()
    means, stds, hists = h.stats
    if len(means) != 1 or len(stds) != 1 or len(hists) != 1:
        fail("values", "append_stats", "one training batch should give one entry per list")
    expect_close("append_stats", torch.tensor(means[0]), out.mean(), what="mean", rtol=1e-5)
    expect_close("append_stats", torch.tensor(stds[0]), out.std(), what="std", rtol=1e-5)
    expect_close("append_stats", hists[0], out.histc(40, -7, 7), what="histogram")


def test_get_hist_and_get_min():
    layer = nn.Identity()
    out = torch.full((100,), -0.4)
    out[:25] = 3.0
    with Hook(layer, append_stats) as h:
        layer(out)
    expect_close("get_hist", get_hist(h), out.histc(40, -7, 7)[:, None].log1p(), what="get_hist")
    if dead_bins(0.0) != (19, 22) or dead_bins(0.4) != (17, 20):
        fail("values", "dead_bins", "bins 19:22 for sub=0, 17:20 for sub=0.4", f"{dead_bins(0.4)}")
    expect_close("get_min", get_min(h, 0.4), torch.tensor([0.75]), what="get_min(h, 0.4)")


@pytest.mark.parametrize(
    "leak,sub,maxv", list(itertools.product([None, 0.1], [None, 0.4], [None, 0.5]))
)
def test_general_relu_formula_and_gradcheck(leak, sub, maxv):
    x = torch.linspace(-3, 3, 13, dtype=torch.float64) + 0.01
    want = torch.where(x >= 0, x, x * (leak or 0.0)) - (sub or 0.0)
    if maxv is not None:
        want = want.clamp_max(maxv)
    expect_close("GeneralRelu", GeneralRelu(leak, sub, maxv)(x.clone()), want, against="formula")
    xx = x.clone().requires_grad_()
    try:
        ok = torch.autograd.gradcheck(GeneralRelu(leak, sub, maxv), (xx,))
    except RuntimeError as e:
        fail("gradient", "GeneralRelu", "backward fails (an in-place op?)", str(e)[:100])
    if not ok:
        fail("gradient", "GeneralRelu", "gradcheck failed")


def test_cnn_layers_and_init():
    layers = get_cnn_layers([8, 16], 10)
    convs = [m for layer in layers for m in layer.modules() if isinstance(m, nn.Conv2d)]
    if [c.kernel_size for c in convs] != [(5, 5), (3, 3)] or any(c.stride != (2, 2) for c in convs):
        fail("values", "get_cnn_layers", "first conv 5x5, then 3x3, all stride 2")
    model = get_cnn_model([32, 16], 10, leak=0.1)
    if model(torch.randn(2, 1, 28, 28)).shape != (2, 10):
        fail("shape", "get_cnn_model", "the model should map (N, 1, 28, 28) to (N, 10)")
    init_cnn(model)
    conv = model[0][0]
    want = math.sqrt(2 / 1.01) / math.sqrt(25)
    expect_close("init_cnn", conv.weight.std(), torch.tensor(want), what="weight std", rtol=0.15)
    if conv.bias.abs().max() > 0:
        fail("values", "init_cnn", "conv biases should be zero")
    layer = conv_layer(1, 4, 3, 2, leak=0.1)
    if not isinstance(layer[0], nn.Conv2d) or layer[0].padding != (1, 1):
        fail("values", "conv_layer", "Conv2d(ni, nf, ks, padding=ks // 2, stride) first")
