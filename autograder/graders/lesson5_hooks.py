"""Hidden graders for lesson 5: hooks, telemetry, GeneralRelu, the CNN and its init.

Hooks and modules are stateful, so every check goes through a probe (autograder/probes/
lesson5_hooks.py) that builds the objects from the student's module in the sandbox and returns
plain data. Expected values are computed here, in the judge, from the same seeds: the probes'
`_mlp(seed)` builds the same float64 model on both sides.

Tolerances: the recorded statistics are float64 means/stds of float64 outputs turned into
Python floats (exact up to summation order, ~1e-15), so rtol 1e-9. Histograms are counts:
a value within float32 rounding of a bin edge may land in the neighbouring bin depending on the
dtype histc ran in, so each bin may differ by one count (atol 1); a wrong range or wrong input
moves many counts. init_cnn statistics are sample statistics: see test_init_cnn_* below.
"""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
import torch.nn.functional as F

from autograder.grading import DEVICES, points, task, visible
from autograder.probes import lesson5_hooks as P
from courselib.checks import expect_close, expect_raises, fail

LESSON, MODULE = "lesson5_hooks", "hooks"
ALLOW = ("dynamic attributes",)  # ListContainer and Hooks forward attribute look-ups

F64 = torch.float64
BINS, LO, HI = 40, -7.0, 7.0


def _int(rng, lo, hi):
    return int(torch.randint(lo, hi + 1, (1,), generator=rng))


def _seed(rng):
    return _int(rng, 0, 2**31 - 1)


def _batch(rng, n=None, scale=3.0):
    n = n or _int(rng, 3, 9)
    return torch.randn(n, 6, generator=rng, dtype=F64) * scale


def _check(task_name, cond, summary, detail=""):
    if not cond:
        fail("values", task_name, summary, detail)


# ---- Hook ----------------------------------------------------------------------------------


@task("Hook")
@points(2)
def test_hook_calls_func_with_hook_and_output(student, rng):
    """calls func(hook, module, input, output) after every forward"""
    seed, xs = _seed(rng), [_batch(rng) for _ in range(_int(rng, 2, 4))]
    r = student.probe("hook_calls", seed, xs)
    _check(
        "Hook",
        r["n_calls"] == len(xs),
        "func should be called once per forward, with the " "Hook itself as first argument",
        f"{r['n_calls']} calls for {len(xs)} forwards",
    )
    _check("Hook", r["module_ok"], "func's second argument should be the hooked module")
    for k, (got, want) in enumerate(zip(r["outs"], r["expected_outs"])):
        expect_close(
            "Hook",
            got,
            want,
            what=f"the output func saw (call {k})",
            against="the layer's output",
            rtol=1e-12,
            atol=1e-12,
        )
        expect_close(
            "Hook",
            r["inps"][k],
            xs[k],
            what=f"the input func saw (call {k})",
            against="the layer's input",
            rtol=0,
            atol=0,
        )


@task("Hook")
@points(2)
@visible
def test_hook_remove_and_with(student, rng):
    """remove() and the with block take the forward hook off the module"""
    r = student.probe("hook_removal", _seed(rng), _batch(rng))
    _check(
        "Hook",
        r["during"] == 1,
        "Hook() should register exactly one forward hook",
        f"module._forward_hooks has {r['during']}",
    )
    _check(
        "Hook",
        r["after_remove"] == 0,
        "a forward hook is left after remove()",
        f"module._forward_hooks has {r['after_remove']}",
    )
    _check("Hook", r["calls_after_remove"] == 0, "func still runs after remove()")
    _check("Hook", r["entered_is_hook"], "`with Hook(...) as h` should give the Hook")
    _check(
        "Hook",
        r["inside_with"] == 1 and r["calls_in_with"] == 1,
        "inside the with block the hook should be active",
    )
    _check(
        "Hook",
        r["after_with"] == 0,
        "a forward hook is left after the with block",
        f"module._forward_hooks has {r['after_with']}",
    )


@task("Hook")
@visible
def test_dropped_hook_is_removed(student, rng):
    """a Hook nobody references any more leaves the module (no partial(func, self))"""
    r = student.probe("hook_dropped", _seed(rng))
    _check("Hook", r["hook_before"] == 1, "Hook() should register exactly one forward hook")
    _check(
        "Hook",
        r["hook_after_del"] == 0,
        "a dropped Hook is still on the module: the "
        "registered function keeps it alive (hold a weakref instead)",
    )


# ---- ListContainer -------------------------------------------------------------------------


def _items(rng, n):
    return [f"item{int(k)}" for k in torch.randperm(1000, generator=rng)[:n]]


@task("ListContainer")
@points(2)
def test_list_container_indexing(student, rng):
    """indexes by int, negative int, slice, list of ints, bool mask and tensors"""
    n = _int(rng, 5, 12)
    items = _items(rng, n)
    mask = (torch.rand(n, generator=rng) < 0.5).tolist()
    ints = torch.randint(0, n, (_int(rng, 1, 5),), generator=rng).tolist()
    i, j = sorted(torch.randint(0, n, (2,), generator=rng).tolist())
    cases = {
        "an int": (ints[0], items[ints[0]]),
        "a negative int": (-1, items[-1]),
        "a slice": (slice(i, j + 1), items[i : j + 1]),
        "a list of ints": (ints, [items[k] for k in ints]),
        "a bool mask": (mask, [o for m, o in zip(mask, items) if m]),
        "a tensor of ints": (torch.tensor(ints), [items[k] for k in ints]),
        "a bool tensor": (torch.tensor(mask), [o for m, o in zip(mask, items) if m]),
    }
    for what, (idx, want) in cases.items():
        got = student.probe("lc_index", items, idx)
        _check(
            "ListContainer",
            got == want,
            f"indexing by {what} gives the wrong items",
            f"got {got!r}, expected {want!r}",
        )


@st.composite
def _index_cases(draw):
    n = draw(st.integers(1, 15))
    kind = draw(st.sampled_from(["int", "slice", "ints", "mask"]))
    if kind == "int":
        idx = draw(st.integers(-n, n - 1))
    elif kind == "slice":
        idx = slice(
            draw(st.integers(-n, n)),
            draw(st.integers(-n, n)),
            draw(st.sampled_from([None, 1, 2, -1])),
        )
    elif kind == "ints":
        idx = draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=6))
    else:
        idx = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return n, idx


@task("ListContainer")
@settings(deadline=None, max_examples=25, derandomize=False, database=None)
@given(case=_index_cases())
def test_list_container_indexing_property(student, case):
    """indexing agrees with the list it holds, for any int, slice, int list or mask"""
    n, idx = case
    items = list(range(100, 100 + n))
    if isinstance(idx, list) and idx and isinstance(idx[0], bool):
        want = [o for m, o in zip(idx, items) if m]
    elif isinstance(idx, list):
        want = [items[k] for k in idx]
    else:
        want = items[idx]
    got = student.probe("lc_index", items, idx)
    _check(
        "ListContainer",
        got == want,
        "indexing gives the wrong items",
        f"{n} items, index {idx!r}: got {got!r}, expected {want!r}",
    )


@task("ListContainer")
@visible
def test_list_container_mask_length(student, rng):
    """raises ValueError for a bool mask of the wrong length"""
    n = _int(rng, 3, 8)
    items = _items(rng, n)
    for m in (n - 1, n + 2):
        expect_raises(
            "ListContainer",
            lambda: student.probe("lc_index", items, [True] * m),
            ValueError,
            f"for a mask of {m} entries on {n} items",
        )


@task("ListContainer")
def test_list_container_list_ops(student, rng):
    """len, iteration, item assignment and deletion work as on a list"""
    items = _items(rng, _int(rng, 2, 8))
    r = student.probe("lc_list_ops", items)
    want = {
        "len": len(items),
        "iter": items,
        "after_set": ["new"] + items[1:],
        "after_del": ["new"] + items[1:-1],
        "len_after_del": len(items) - 1,
    }
    for key, value in want.items():
        _check(
            "ListContainer",
            r[key] == value,
            f"{key.replace('_', ' ')} is wrong",
            f"got {r[key]!r}, expected {value!r}",
        )


@task("ListContainer")
@visible
def test_list_container_repr(student, rng):
    """repr: 'ListContainer (n items)' and at most the first 10 items"""
    for n in (_int(rng, 1, 10), _int(rng, 11, 2000)):
        text = student.probe("lc_repr", n)
        head = f"ListContainer ({n} items)"
        _check(
            "ListContainer",
            text.startswith(head),
            f"repr should start with {head!r}",
            f"got {text[:60]!r}",
        )
        shown = str(list(range(min(n, 10))))[:-1]
        _check("ListContainer", shown in text, "repr should show the first items")
        if n > 10:
            _check(
                "ListContainer",
                len(text) < len(head) + 60 and "..." in text,
                "repr of a long container should show 10 items and '...'",
                f"{len(text)} characters for {n} items",
            )


# ---- Hooks ---------------------------------------------------------------------------------


@task("Hooks")
@points(2)
def test_hooks_lifecycle(student, rng):
    """one Hook per module; remove(), the with block and del hooks[i] take them off"""
    r = student.probe("hooks_lifecycle", _seed(rng), _batch(rng))
    _check(
        "Hooks",
        r["len"] == 3 and r["are_hooks"] == [True] * 3 and r["item_is_hook"],
        "Hooks(modules, f) should hold one Hook per module",
        f"{r['len']} items, Hook instances: {r['are_hooks']}",
    )
    _check("Hooks", r["during"] == [1, 1, 1], "each module should get one forward hook")
    for k, (got, want) in enumerate(zip(r["recorded"], r["expected"])):
        expect_close("Hooks", got, want, what=f"the output hook {k} saw", rtol=1e-12, atol=1e-12)
    _check(
        "Hooks",
        r["after_remove"] == [0, 0, 0],
        "forward hooks are left after remove()",
        f"hooks per module: {r['after_remove']}",
    )
    _check(
        "Hooks",
        r["entered_is_hooks"] and r["inside_with"] == [1, 1, 1],
        "`with Hooks(...) as hs` should give the Hooks, active inside the block",
    )
    _check(
        "Hooks",
        r["after_with"] == [0, 0, 0],
        "forward hooks are left after the with block",
        f"hooks per module: {r['after_with']}",
    )
    _check(
        "Hooks",
        r["after_delitem"] == [1, 0, 1] and r["len_after_delitem"] == 2,
        "del hooks[i] should remove that hook from its module and from the list",
        f"hooks per module: {r['after_delitem']}",
    )


@task("Hooks")
def test_dropped_hooks_are_removed(student, rng):
    """a Hooks object nobody references leaves no hook behind"""
    r = student.probe("hook_dropped", _seed(rng))
    _check("Hooks", r["hooks_before"] == 2, "Hooks should register one hook per module")
    _check("Hooks", r["hooks_after_del"] == 0, "hooks are left after the Hooks object is dropped")


# ---- append_stats, get_hist, dead_bins, get_min --------------------------------------------


def _layer_outputs(seed, xs):
    """Per layer of _mlp(seed), the list of its outputs for each x (computed in the judge)."""
    model = P._mlp(seed)
    outs = [[] for _ in model]
    with torch.no_grad():
        for x in xs:
            y = x
            for k, layer in enumerate(model):
                y = layer(y)
                outs[k].append(y)
    return outs


def _stats_case(rng):
    seed = _seed(rng)
    xs = [
        _batch(rng, scale=float(torch.empty(1).uniform_(1, 6, generator=rng)))
        for _ in range(_int(rng, 2, 4))
    ]
    return seed, xs, _batch(rng)


@task("append_stats")
@points(3)
def test_append_stats_matches_manual(student, rng):
    """records mean, std and histc(40, -7, 7) of each layer's output per training batch"""
    seed, xs, x_eval = _stats_case(rng)
    r = student.probe("stats_run", seed, xs, x_eval)
    outs = _layer_outputs(seed, xs)
    for k, (st, layer_outs) in enumerate(zip(r["stats"], outs)):
        n = min(len(st["means"]), len(layer_outs))
        _check(
            "append_stats",
            n == len(xs) and len(st["hists"]) >= n,
            "one entry per training batch in means, stds and hists",
            f"layer {k}: {len(st['means'])} entries for {len(xs)} batches",
        )
        for t in range(n):
            out = layer_outs[t]
            expect_close(
                "append_stats",
                torch.tensor(st["means"][t], dtype=F64),
                out.mean(),
                what="a recorded mean",
                against="the mean of the layer's output",
                rtol=1e-9,
                atol=1e-12,
            )
            expect_close(
                "append_stats",
                torch.tensor(st["stds"][t], dtype=F64),
                out.std(),
                what="a recorded std",
                against="the (unbiased) std of the output",
                rtol=1e-9,
                atol=1e-12,
            )
            hist = st["hists"][t]
            want = out.float().histc(BINS, LO, HI)
            expect_close(
                "append_stats",
                hist,
                want,
                what="a recorded histogram",
                against="output.histc(40, -7, 7)",
                rtol=0,
                atol=1,
                check_dtype=False,
            )


@task("append_stats")
def test_append_stats_skips_eval(student, rng):
    """records nothing for forwards in eval mode"""
    seed, xs, x_eval = _stats_case(rng)
    r = student.probe("stats_run", seed, xs, x_eval)
    counts = [len(st["means"]) for st in r["stats"]]
    _check(
        "append_stats",
        counts == [len(xs)] * len(counts),
        "an eval-mode forward was recorded (or a training one was not)",
        f"entries per layer {counts} for {len(xs)} training batches",
    )


def _dead(sub):
    c = math.floor((-sub - LO) / (HI - LO) * BINS)
    c = min(max(c, 0), BINS - 1)
    return max(c - 1, 0), min(c + 2, BINS)


def _sub(rng, lo, hi):
    """A random sub (3 decimals) whose -sub is not on a bin edge: there the bin depends on the
    order of the float operations, which the docstring does not fix (edges are 0.35 apart)."""
    while True:
        sub = round(float(torch.empty(1).uniform_(lo, hi, generator=rng)), 3)
        pos = (-sub - LO) / (HI - LO) * BINS
        if abs(pos - round(pos)) > 1e-6:
            return sub


def _random_hists(rng, n):
    return [torch.randint(0, 50, (BINS,), generator=rng).float() for _ in range(n)]


@task("get_hist")
def test_get_hist(student, rng):
    """stacks the histograms as (40, n_batches), log1p of the counts"""
    hists = _random_hists(rng, _int(rng, 2, 6))
    got = student.probe("hist_from", hists)
    want = torch.stack(hists).t().log1p()
    expect_close(
        "get_hist",
        got,
        want,
        against="stack(hists).t().log1p()",
        rtol=1e-6,
        atol=1e-6,
        check_dtype=False,
    )


@task("dead_bins")
def test_dead_bins(student, rng):
    """the bin holding -sub and one either side, clamped to the histogram"""
    subs = [0.0, 0.4, 10.0, -0.2, -8.0] + [_sub(rng, 0.05, 3) for _ in range(3)]
    got = student.probe("bins_for", subs)
    want = [list(_dead(s)) for s in subs]
    for s, g, w in zip(subs, got, want):
        _check("dead_bins", g == w, "wrong bins for a sub", f"sub={s}: got {g}, expected {w}")


@task("get_min")
@points(2)
def test_get_min_constructed(student, rng):
    """fraction of each batch's counts in dead_bins(sub)"""
    hists = _random_hists(rng, _int(rng, 3, 6))
    h = torch.stack(hists).t()
    for sub in (0.0, 0.4, _sub(rng, 0.5, 2)):
        lo, hi = _dead(sub)
        got = student.probe("min_from", hists, sub)
        expect_close(
            "get_min",
            got,
            h[lo:hi].sum(0) / h.sum(0),
            what=f"get_min(h, {sub})",
            against="the band's share of each batch",
            rtol=1e-6,
            atol=1e-7,
            check_dtype=False,
        )


@task("get_min")
def test_get_min_on_recorded_output(student, rng):
    """a known share of outputs sitting at -sub is reported as dead"""
    sub = _sub(rng, 0.2, 1.5)
    n = 200
    out = torch.randn(n, generator=rng, dtype=F64) * 2 + 3
    dead = torch.rand(n, generator=rng) < float(torch.empty(1).uniform_(0.2, 0.8, generator=rng))
    out[dead] = -sub
    r = student.probe("stats_of_output", out, sub)
    hists = torch.stack([out.float().histc(BINS, LO, HI), (out * 0.5).float().histc(BINS, LO, HI)])
    lo, hi = _dead(sub)
    want = hists.t()[lo:hi].sum(0) / hists.t().sum(0)
    expect_close(
        "get_min",
        r["min"],
        want,
        what="get_min after append_stats",
        against="the share of outputs near -sub",
        rtol=1e-5,
        atol=1e-5,
        check_dtype=False,
    )


# ---- GeneralRelu ---------------------------------------------------------------------------


def _relu_params(rng):
    leak = round(float(torch.empty(1).uniform_(0.01, 0.3, generator=rng)), 3)
    sub = round(float(torch.empty(1).uniform_(0.1, 0.8, generator=rng)), 3)
    maxv = round(float(torch.empty(1).uniform_(0.5, 3.0, generator=rng)), 3)
    return leak, sub, maxv


def _relu_x(rng, leak, sub, maxv, n=64):
    """Values on both sides of every kink, kept 1e-3 away from them (x = 0, x = maxv + sub)."""
    x = torch.randn(n, generator=rng, dtype=F64) * 3
    for kink in (0.0, maxv + sub):
        near = (x - kink).abs() < 1e-3
        x[near] = kink + 0.01
    return x


def _formula(x, leak, sub, maxv):
    y = torch.where(x >= 0, x, x * (leak if leak is not None else 0.0))
    if sub is not None:
        y = y - sub
    if maxv is not None:
        y = y.clamp_max(maxv)
    return y


def _formula_grad(x, leak, sub, maxv):
    g = torch.where(x >= 0, torch.ones_like(x), torch.full_like(x, leak or 0.0))
    if maxv is not None:
        g = torch.where(_formula(x, leak, sub, None) > maxv, torch.zeros_like(x), g)
    return g


@task("GeneralRelu")
@points(2)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_general_relu_formula(student, rng, dtype):
    """min(leaky_relu(x, leak) - sub, maxv) for every leak/sub/maxv combination"""
    leak, sub, maxv = _relu_params(rng)
    x = _relu_x(rng, leak, sub, maxv).to(dtype)
    r = student.probe("relu_forward", x, leak, sub, maxv)
    tol = dict(rtol=1e-6, atol=1e-6) if dtype == torch.float32 else dict(rtol=1e-12, atol=1e-12)
    for combo in P._combos(leak, sub, maxv):
        expect_close(
            "GeneralRelu",
            r["outputs"][repr(combo)],
            _formula(x, *combo),
            what=f"GeneralRelu(leak, sub, maxv) with {_given(combo)}",
            against="the formula",
            **tol,
        )
    _check("GeneralRelu", not r["mutated"], "GeneralRelu modified its input in place")


@task("GeneralRelu")
@pytest.mark.parametrize("device", DEVICES[1:])
def test_general_relu_on_device(student, rng, device):
    """on the GPU: stays on the device and follows the formula"""
    leak, sub, maxv = _relu_params(rng)
    x = _relu_x(rng, leak, sub, maxv).to(device)
    r = student.probe("relu_forward", x, leak, sub, maxv)
    for combo in P._combos(leak, sub, maxv):
        expect_close(
            "GeneralRelu",
            r["outputs"][repr(combo)],
            _formula(x, *combo),
            what=f"GeneralRelu with {_given(combo)}",
            against="the formula",
            rtol=1e-12,
            atol=1e-12,
        )


def _given(combo):
    names = [n for n, v in zip(("leak", "sub", "maxv"), combo) if v is not None]
    return ", ".join(names) + " given" if names else "no arguments"


@task("GeneralRelu")
@points(2)
def test_general_relu_gradcheck(student, rng):
    """passes torch.autograd.gradcheck (float64) for every combination"""
    leak, sub, maxv = _relu_params(rng)
    x = _relu_x(rng, leak, sub, maxv, n=24)
    r = student.probe("relu_gradcheck", x, leak, sub, maxv)
    for combo in P._combos(leak, sub, maxv):
        outcome = r[repr(combo)]
        if outcome is not True:
            why = (
                "backward raises (an in-place op on relu's output?)"
                if isinstance(outcome, str)
                else "gradcheck fails"
            )
            fail("gradient", "GeneralRelu", f"{why} with {_given(combo)}", str(outcome))


@task("GeneralRelu")
def test_general_relu_grad_values(student, rng):
    """gradient is 1, leak or 0 where it should be"""
    leak, sub, maxv = _relu_params(rng)
    x = _relu_x(rng, leak, sub, maxv)
    r = student.probe("relu_grad", x, leak, sub, maxv)
    for combo in P._combos(leak, sub, maxv):
        got = r[repr(combo)]
        if isinstance(got, str):
            fail("gradient", "GeneralRelu", f"backward raises with {_given(combo)}", got)
        expect_close(
            "GeneralRelu",
            got,
            _formula_grad(x, *combo),
            what="x.grad",
            against="the derivative of the formula",
            category="gradient",
            rtol=1e-12,
            atol=1e-12,
        )


# ---- the CNN -------------------------------------------------------------------------------


@task("conv_layer")
@points(2)
def test_conv_layer(student, rng):
    """Conv2d(ni, nf, ks, padding=ks//2, stride) then GeneralRelu(**kwargs)"""
    ni, nf, ks, stride = _int(rng, 1, 4), _int(rng, 2, 6), 2 * _int(rng, 1, 2) + 1, _int(rng, 1, 2)
    leak, sub, maxv = _relu_params(rng)
    kw = {"leak": leak, "sub": sub, "maxv": maxv}
    x = torch.randn(2, ni, 9, 9, generator=rng)
    r = student.probe("conv_layer_run", ni, nf, ks, stride, kw, x)
    conv = r["desc"]["children"][0] if "children" in r["desc"] else {}
    want = {
        "type": "Conv2d",
        "ni": ni,
        "nf": nf,
        "ks": [ks, ks],
        "stride": [stride, stride],
        "padding": [ks // 2, ks // 2],
        "bias": True,
    }
    _check(
        "conv_layer",
        conv == want,
        "the first layer should be Conv2d(ni, nf, ks, " "padding=ks // 2, stride=stride)",
        f"got {conv}, expected {want}",
    )
    pre = F.conv2d(x, r["weight"], r["bias"], stride=stride, padding=ks // 2)
    expect_close(
        "conv_layer",
        r["out"],
        _formula(pre, leak, sub, maxv),
        what="the output",
        against="GeneralRelu(**kwargs)(conv(x))",
        rtol=1e-5,
        atol=1e-5,
    )


def _convs(desc):
    found = []
    for d in desc:
        if d["type"] == "Conv2d":
            found.append(d)
        found += _convs(d.get("children", []))
    return found


@task("get_cnn_layers")
@points(2)
def test_cnn_layers(student, rng):
    """first conv 5x5, then 3x3, stride 2; pool, flatten, linear"""
    nfs = [_int(rng, 2, 12) for _ in range(_int(rng, 1, 4))]
    c_out, c_in = _int(rng, 2, 12), _int(rng, 1, 3)
    r = student.probe("cnn_layers", nfs, c_out, c_in, {"leak": 0.1})
    _check("get_cnn_layers", r["is_list"], "should return a list of layers")
    desc = r["desc"]
    convs = _convs(desc)
    sizes = [c_in] + nfs
    want = [(sizes[i], sizes[i + 1], [5, 5] if i == 0 else [3, 3], [2, 2]) for i in range(len(nfs))]
    got = [(c["ni"], c["nf"], c["ks"], c["stride"]) for c in convs]
    _check(
        "get_cnn_layers",
        got == want,
        "the convs should be (ni, nf, kernel, stride) = "
        "(c_in, nfs[0], 5, 2), then (nfs[i], nfs[i+1], 3, 2)",
        f"got {got}, expected {want}",
    )
    tail = [d["type"] for d in desc[-3:]]
    _check(
        "get_cnn_layers",
        tail == ["AdaptiveAvgPool2d", "Flatten", "Linear"]
        and desc[-1].get("ni") == nfs[-1]
        and desc[-1].get("nf") == c_out,
        "the model should end with AdaptiveAvgPool2d(1), Flatten, Linear(nfs[-1], c_out)",
        f"got {desc[-3:]}",
    )
    _check(
        "get_cnn_layers",
        len(desc) == len(nfs) + 3,
        "one layer(...) per entry of nfs, " "then the three head layers",
        f"{len(desc)} layers for {len(nfs)} convs",
    )


@task("get_cnn_layers")
@visible
def test_cnn_layers_empty(student):
    """raises ValueError for an empty nfs"""
    expect_raises(
        "get_cnn_layers", lambda: student.probe("cnn_layers_empty"), ValueError, "when nfs is empty"
    )


@task("get_cnn_model")
def test_cnn_model(student, rng):
    """an nn.Sequential mapping (N, c_in, 28, 28) to (N, c_out)"""
    nfs = [_int(rng, 2, 8) for _ in range(_int(rng, 2, 4))]
    c_out, n = _int(rng, 2, 12), _int(rng, 1, 4)
    x = torch.randn(n, _int(rng, 1, 2), 28, 28, generator=rng)
    r = student.probe("cnn_model", nfs, c_out, x, _seed(rng))
    _check(
        "get_cnn_model",
        r["type"] == "Sequential",
        "should return an nn.Sequential",
        f"got {r['type']}",
    )
    _check(
        "get_cnn_model",
        r["out_shape"] == [n, c_out],
        "wrong output shape",
        f"got {r['out_shape']}, expected {[n, c_out]}",
    )
    _check("get_cnn_model", len(_convs(r["desc"])) == len(nfs), "one conv per entry of nfs")


# ---- init_cnn ------------------------------------------------------------------------------
# Sample statistics of n weights: the sample std has relative sd ~ 1/sqrt(2n); the smallest conv
# here has n = 25 * nfs[0] >= 600 weights (rel. sd 0.029), so a 15 % band is > 5 sd. The mode
# and gain errors it must catch are factors of 1.7 (a = sqrt(5)) to > 4 (fan_out).

GAIN = math.sqrt(2 / (1 + 0.1**2))


def _init_case(rng):
    nfs = [_int(rng, 24, 40), _int(rng, 8, 24), _int(rng, 8, 24)]
    x = torch.randn(64, 1, 28, 28, generator=rng)
    return _seed(rng), nfs, x


@task("init_cnn")
@points(2)
def test_init_cnn_normal(student, rng):
    """kaiming_normal_(a=0.1, fan_in) for every conv, at any depth; biases 0"""
    seed, nfs, x = _init_case(rng)
    r = student.probe("init_stats", seed, nfs, False, x)
    for k, c in enumerate(r["convs"]):
        want = GAIN / math.sqrt(c["fan_in"])
        _check(
            "init_cnn",
            abs(c["std"] / want - 1) < 0.15,
            "conv weight std should be " "sqrt(2 / (1 + 0.1^2)) / sqrt(fan_in)",
            f"conv {k}: {c['std']:.4f} vs {want:.4f}",
        )
        _check(
            "init_cnn",
            abs(c["mean"]) < 6 * want / math.sqrt(c["n"]),
            "conv weights should have mean 0",
            f"conv {k}: mean {c['mean']:.4f}",
        )
        _check("init_cnn", c["bias_absmax"] == 0, "conv biases should be zero", f"conv {k}")
    _check("init_cnn", r["linear_unchanged"], "init_cnn should leave non-conv layers alone")
    _check("init_cnn", r["returned_model"], "init_cnn should return the model it initialised")


@task("init_cnn")
def test_init_cnn_uniform(student, rng):
    """uniform=True: kaiming_uniform_(a=0.1), bound sqrt(3) * std"""
    seed, nfs, x = _init_case(rng)
    r = student.probe("init_stats", seed, nfs, True, x)
    for k, c in enumerate(r["convs"]):
        bound = math.sqrt(3) * GAIN / math.sqrt(c["fan_in"])
        # the max of n >= 600 uniform draws is within bound * (1 - 5/n) with prob > 1 - e^-5
        _check(
            "init_cnn",
            bound * 0.97 <= c["absmax"] <= bound * (1 + 1e-6),
            "uniform init: weights should fill [-bound, bound], bound = sqrt(3) * std",
            f"conv {k}: max |w| {c['absmax']:.4f} vs bound {bound:.4f}",
        )
        _check("init_cnn", c["bias_absmax"] == 0, "conv biases should be zero", f"conv {k}")


@task("init_cnn")
@points(2)
def test_init_cnn_first_layer_output(student, rng):
    """first conv on unit-variance images: std ~ 1.41, RMS after leaky_relu(0.1) ~ 1"""
    seed, nfs, x = _init_case(rng)
    r = student.probe("init_stats", seed, nfs, False, x)
    # the output variance is sum(w^2) over a filter: relative sd ~ sqrt(2/25) per filter,
    # averaged over >= 24 filters -> ~0.06 on the variance, ~0.03 on std/RMS; 15 % is 5 sd
    _check(
        "init_cnn",
        abs(r["pre_std"] / GAIN - 1) < 0.15,
        "the first conv's output std should be about sqrt(2 / 1.01) = 1.41",
        f"got {r['pre_std']:.3f}",
    )
    _check(
        "init_cnn",
        abs(r["post_rms"] - 1) < 0.15,
        "after leaky_relu(0.1) the first layer's output RMS should be about 1",
        f"got {r['post_rms']:.3f}",
    )
