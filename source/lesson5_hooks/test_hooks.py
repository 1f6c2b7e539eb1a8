"""Visible tests for lesson 5: run `make test-lesson5` (or `SUBMISSION=<folder>`).

Small fixed inputs with their answers worked out by hand; the hidden graders add random
shapes, values and settings, every leak/sub/maxv combination, and more edge cases.
"""

import gc
import itertools
import math
import types

import pytest
import torch
from torch import nn

from courselib.checks import Expect
from courselib.lesson5_hooks import HIST_BINS
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


def _note(hook, module, inp, out):
    hook.seen = getattr(hook, "seen", []) + [out.detach().clone()]


def _hook_like(*hists):
    """A stand-in for a Hook after append_stats, holding the given histograms."""
    return types.SimpleNamespace(stats=([0.0] * len(hists), [1.0] * len(hists), list(hists)))


def test_hook_calls_func_with_itself_in_train_and_eval_mode():
    expect, model, x = Expect("Hook"), _mlp(), torch.randn(2, 4)
    h = Hook(model[0], _note)
    model(x)
    model.eval()
    model(x)  # func runs in eval mode too: append_stats decides what to record
    h.remove()
    expect.that(hasattr(h, "seen"), "func(hook, module, inp, out) should receive the Hook")
    expect.equal(len(h.seen), 2, what="calls of func for two forwards")
    expect.close(h.seen[0], model[0](x), what="the output func saw", against="layer(x)")


def test_hook_remove_with_and_drop_leave_no_hook():
    expect, model = Expect("Hook"), _mlp()
    h = Hook(model[0], _note)
    h.remove()
    h.remove()  # twice is fine
    expect.equal(len(model[0]._forward_hooks), 0, what="forward hooks after remove()")
    with Hook(model[0], _note) as h2:
        expect.that(isinstance(h2, Hook), "`with Hook(...) as h` should give the Hook")
    expect.equal(len(model[0]._forward_hooks), 0, what="forward hooks after the with block")
    h = Hook(model[0], _note)
    del h
    gc.collect()
    expect.equal(len(model[0]._forward_hooks), 0, what="forward hooks after the Hook is dropped")


def test_list_container_indexing():
    expect, lc = Expect("ListContainer"), ListContainer(list("abcde"))
    expect.equal(lc[1], "b", what="lc[1]")
    expect.equal(lc[-1], "e", what="lc[-1]")
    expect.equal(list(lc[1:3]), ["b", "c"], what="lc[1:3]")
    expect.equal(list(lc[[0, 3]]), ["a", "d"], what="lc[[0, 3]]")
    expect.equal(list(lc[[True, False, False, True, True]]), ["a", "d", "e"], what="lc[mask]")
    expect.equal(list(lc[torch.tensor([4, 0])]), ["e", "a"], what="lc[tensor([4, 0])]")
    expect.raises(lambda: lc[[True, False]], ValueError, "for a mask of the wrong length")
    expect.equal(len(lc), 5, what="len(lc)")


def test_list_container_construction_and_repr():
    expect = Expect("ListContainer")
    for arg, items in [
        (None, []),
        ("abc", ["abc"]),
        (7, [7]),
        ((1, 2), [1, 2]),
        (range(3), [0, 1, 2]),
    ]:
        expect.equal(list(ListContainer(arg)), items, what=f"ListContainer({arg!r})")
    text = repr(ListContainer(list(range(100))))
    expect.that(text.startswith("ListContainer (100 items)"), "repr should start with the count")
    expect.that(len(text) < 80 and "..." in text, "repr should show at most 10 items", text)


def test_hooks_remove_all_and_del_item():
    expect, model = Expect("Hooks"), _mlp()
    with Hooks([model[0], model[2]], _note) as hs:
        model(torch.randn(2, 4))
        expect.equal(len(hs), 2, what="len(Hooks) for two modules")
        expect.that(all(hasattr(h, "seen") for h in hs), "each module should get its own Hook")
    expect.equal(len(model[0]._forward_hooks) + len(model[2]._forward_hooks), 0, what="hooks left")
    hs = Hooks([model[0], model[2]], _note)
    del hs[0]
    expect.equal(len(model[0]._forward_hooks), 0, what="hooks on module 0 after del hooks[0]")
    expect.equal(len(model[2]._forward_hooks), 1, what="hooks on module 2 after del hooks[0]")
    hs.remove()


def test_append_stats_records_training_batches():
    expect, layer = Expect("append_stats"), nn.Identity()
    out = torch.tensor([1.0, 3.0])
    with Hook(layer, append_stats) as h:
        layer(out)
        layer.eval()
        layer(out * 10)  # eval mode: not recorded
    means, stds, hists = h.stats
    expect.equal(len(means), 1, what="entries after one training and one eval batch")
    expect.that(isinstance(means[0], float), "means should hold Python floats", category="type")
    expect.close(torch.tensor(means[0]), torch.tensor(2.0), what="the mean of [1, 3]")
    expect.close(torch.tensor(stds[0]), torch.tensor(math.sqrt(2)), what="the std of [1, 3]")
    counts = torch.zeros(HIST_BINS)
    counts[22] = counts[28] = 1  # bins are 0.35 wide from -7: 1.0 is in bin 22, 3.0 in bin 28
    expect.close(hists[0], counts, what="the histogram of [1, 3]")


def test_get_hist_dead_bins_and_get_min():
    counts = torch.zeros(HIST_BINS)
    counts[18], counts[30] = 3.0, 1.0  # 3 values at -0.4 (bin 18), one at 3.5 (bin 30)
    h = _hook_like(counts, torch.zeros(HIST_BINS))
    want = torch.zeros(HIST_BINS, 2)
    want[18, 0], want[30, 0] = math.log(4), math.log(2)
    Expect("get_hist").close(get_hist(h), want, what="get_hist", against="log1p of the counts")
    Expect("dead_bins").equal(dead_bins(0.0), (19, 22), what="dead_bins(0)")
    Expect("dead_bins").equal(dead_bins(0.4), (17, 20), what="dead_bins(0.4)")
    # the batch with no counts gives 0; with sub = 0 the band 19:22 misses the values at -0.4
    Expect("get_min").close(get_min(h, 0.4), torch.tensor([0.75, 0.0]), what="get_min(h, 0.4)")
    Expect("get_min").close(get_min(h, 0.0), torch.tensor([0.0, 0.0]), what="get_min(h, 0)")


X = torch.tensor([-2.0, -0.5, 0.5, 1.0, 3.0], dtype=torch.float64)


@pytest.mark.parametrize(
    "kw, y",
    [
        ({}, [0.0, 0.0, 0.5, 1.0, 3.0]),
        ({"sub": 0.4}, [-0.4, -0.4, 0.1, 0.6, 2.6]),
        ({"maxv": 0.5}, [0.0, 0.0, 0.5, 0.5, 0.5]),
        ({"leak": 0.1, "sub": 0.4, "maxv": 1.0}, [-0.6, -0.45, 0.1, 0.6, 1.0]),
    ],
)
def test_general_relu_values(kw, y):
    expect, x = Expect("GeneralRelu"), X.clone()
    got = GeneralRelu(**kw)(x)
    expect.close(got, torch.tensor(y, dtype=torch.float64), what=f"GeneralRelu(**{kw})(x)")
    expect.close(x, X, what="x after the call", category="mutation", rtol=0, atol=0)


@pytest.mark.parametrize(
    "leak, sub, maxv", itertools.product([None, 0.1], [None, 0.4], [None, 2.5])
)
def test_general_relu_gradcheck(leak, sub, maxv):
    x = (X + 0.01).requires_grad_()  # away from the kinks at 0 and maxv + sub
    try:
        ok = torch.autograd.gradcheck(GeneralRelu(leak, sub, maxv), (x,))
    except RuntimeError as e:
        Expect("GeneralRelu").fail("gradient", "backward fails (an in-place op?)", str(e)[:100])
    Expect("GeneralRelu").that(ok, "gradcheck failed", category="gradient")


def test_cnn_layers_model_and_init():
    layers = get_cnn_layers([8, 16], 10, leak=0.1, sub=0.4)
    convs = [m for layer in layers for m in layer.modules() if isinstance(m, nn.Conv2d)]
    Expect("get_cnn_layers").equal(
        [(c.kernel_size, c.stride) for c in convs],
        [((5, 5), (2, 2)), ((3, 3), (2, 2))],
        what="convs",
    )
    Expect("get_cnn_layers").raises(lambda: get_cnn_layers([], 10), ValueError, "for empty nfs")
    relus = [m for layer in layers for m in layer.modules() if isinstance(m, GeneralRelu)]
    Expect("get_cnn_layers").that(
        len(relus) == 2 and all((r.leak, r.sub) == (0.1, 0.4) for r in relus),
        "every block's GeneralRelu should get the keyword arguments",
    )
    model = get_cnn_model([32, 16], 10, leak=0.1)
    Expect("get_cnn_model").equal(
        tuple(model(torch.randn(2, 1, 28, 28)).shape), (2, 10), what="shape"
    )
    Expect("init_cnn").that(init_cnn(model) is model, "init_cnn should return the model")
    conv = model[0][0]
    want = math.sqrt(2 / 1.01) / math.sqrt(25)  # gain for leak 0.1 over sqrt(fan_in)
    Expect("init_cnn").close(conv.weight.std(), torch.tensor(want), what="weight std", rtol=0.15)
    Expect("init_cnn").that(conv.bias.abs().max() == 0, "conv biases should be zero")
    layer = conv_layer(1, 4, 3, 2, leak=0.1)
    Expect("conv_layer").that(
        isinstance(layer[0], nn.Conv2d) and layer[0].padding == (1, 1),
        "a Conv2d with padding ks // 2 first",
    )
