"""Lesson 3: the backward pass of a small MLP, derived by hand (no autograd).

The model and its loss, for inputs x (n, m), targets y (n,), hidden size nh:

    l1 = lin(x, w1, b1)      (n, nh)     w1: (m, nh)   b1: (nh,)
    l2 = relu(l1)            (n, nh)
    out = lin(l2, w2, b2)    (n, 1)      w2: (nh, 1)   b2: (1,)
    loss = mse(out, y)       ()

The chain rule runs it backwards: each step receives dL/d(its output) in `out.g` and stores
dL/d(its input) in `inp.g` (and dL/dw, dL/db in `w.g`, `b.g`). Weights are stored (in, out) as
in the course, so lin is x @ w + b.

Every backward step *sets* the .g it computes: a second backward replaces the first's
gradients, it never adds to them (nothing in this model uses a tensor twice). It only reads
out.g and the inputs: it changes no tensor in place. Gradients keep the inputs' dtype and
device. The notebook and the graders check every .g against torch.autograd
(`courselib.lesson3_backward.autograd_grads`, on copies; GRADS names the five of the model).

The game rule: torch for tensor creation, indexing, elementwise ops and `@` (lesson 1 built it).
This module must never call `.backward(` on a tensor, use `torch.autograd` or set
`requires_grad`: the gradients are yours, the graders compare them with autograd's.
Bad arguments (wrong rank, mismatched shapes) raise ValueError naming what was wrong.
"""

import torch


def _check_lin(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> None:
    """Shapes of a linear layer (a helper given to you): x (n, m), w (m, k), b (k,)."""
    if x.dim() != 2 or w.dim() != 2 or b.dim() != 1:
        raise ValueError(
            f"lin needs x (n, m), w (m, k), b (k,); got x {tuple(x.shape)}, "
            f"w {tuple(w.shape)}, b {tuple(b.shape)}"
        )
    if x.shape[1] != w.shape[0] or w.shape[1] != b.shape[0]:
        raise ValueError(
            f"lin: shapes do not chain: x {tuple(x.shape)} @ w {tuple(w.shape)} + b {tuple(b.shape)}"
        )


def _check_mse(out: torch.Tensor, targ: torch.Tensor) -> None:
    """out (n, 1) and targ (n,) (a helper given to you)."""
    if out.dim() != 2 or out.shape[1] != 1 or targ.shape != out.shape[:1]:
        raise ValueError(
            f"mse needs out (n, 1) and targ (n,); got out {tuple(out.shape)}, "
            f"targ {tuple(targ.shape)}"
        )


# ## Task 3.1: the forward pieces
def lin(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """x @ w + b: x (n, m), w (m, k), b (k,) -> (n, k)."""
    _check_lin(x, w, b)
    return x @ w + b


def relu(x: torch.Tensor, sub: float = 0.0) -> torch.Tensor:
    """max(x, 0) - sub, elementwise (the course also tries the shifted relu, sub = 0.5)."""
    return x.clamp_min(0.0) - sub


def mse(out: torch.Tensor, targ: torch.Tensor) -> torch.Tensor:
    """mean((out.squeeze(-1) - targ)^2): out (n, 1), targ (n,) -> 0-dim tensor.

    squeeze(-1), not squeeze(): the latter also drops the batch dimension when n = 1. And
    without any squeeze, (n, 1) - (n,) broadcasts to (n, n): a silently wrong loss.
    """
    _check_mse(out, targ)
    return (out.squeeze(-1) - targ).pow(2).mean()


# ## Task 3.2: the gradients
def mse_grad(inp: torch.Tensor, targ: torch.Tensor) -> None:
    """inp.g = dL/d inp for L = mse(inp, targ): inp (n, 1), targ (n,) -> inp.g (n, 1).

    The loss is the last step, so dL/dL = 1 and nothing flows in from above. Differentiate
    mean_b (inp[b, 0] - targ[b])^2 with respect to each inp[b, 0]: the mean is a sum / n.
    Batch size 1 included: keep the (n, 1) shape whatever n is.
    """
    _check_mse(inp, targ)
    inp.g = 2.0 * (inp.squeeze(-1) - targ).unsqueeze(-1) / targ.shape[0]


def relu_grad(inp: torch.Tensor, out: torch.Tensor) -> None:
    """inp.g = dL/d inp for out = relu(inp, sub) (any sub), given dL/d out in out.g.

    The derivative of max(x, 0) - sub is 1 where x > 0 and 0 where x < 0, whatever sub is:
    decide with the input, never with the output's sign (for the shifted relu, out > 0 only
    where inp > sub). At x = 0 exactly max(x, 0) has no derivative; this course takes 0 there
    (as torch.relu's autograd does; clamp_min's autograd would take 1), so inp.g is 0 wherever
    inp == 0. out.g is only read, never changed.
    """
    inp.g = (inp > 0).to(out.g.dtype) * out.g


def lin_grad(inp: torch.Tensor, out: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> None:
    """For out = inp @ w + b, inp (n, m), w (m, k), b (k,), with dL/d out in out.g (n, k):

    inp.g = dL/d inp    (n, m)   out[b, j] depends on inp[b, i] through w[i, j]
    w.g   = dL/dw       (m, k)   a sum over the batch of one outer product per sample;
                                 do not build those n outer products (an (n, m, k) tensor):
                                 the sum is one product of two matrices (graded for speed)
    b.g   = dL/db       (k,)     the bias is added to every row: every sample contributes
    """
    _check_lin(inp, w, b)
    inp.g = out.g @ w.t()
    w.g = inp.t() @ out.g
    b.g = out.g.sum(0)


# ## Task 3.3: forward and backward, by hand
def forward_and_backward(inp, targ, w1, b1, w2, b2) -> torch.Tensor:
    """The model at the top of this file, forward then backward; return the loss (0-dim tensor).

    Afterwards inp.g, w1.g, b1.g, w2.g and b2.g hold dL/d of each. The backward calls go in the
    reverse order of the forward ones: each needs the .g that the step after it stored. Called
    again (another batch, the same weights), every .g is the new batch's.
    """
    l1 = lin(inp, w1, b1)
    l2 = relu(l1)
    out = lin(l2, w2, b2)
    loss = mse(out, targ)
    mse_grad(out, targ)
    lin_grad(l2, out, w2, b2)
    relu_grad(l1, l2)
    lin_grad(inp, l1, w1, b1)
    return loss


# ## Task 3.4: the same as modules
class Module:
    """A layer that remembers what it was called with, so it can run its own backward.

    Calling the layer runs forward on the arguments and returns its output; it keeps the
    arguments in self.args (a tuple) and that very output object in self.out (the next layer
    sets .g on the object it received). backward() hands the kept output and arguments to
    bwd(out, *args). Each call replaces what the previous call kept: backward() always works
    on the latest call. Subclasses define forward(*args), which returns the output, and
    bwd(out, *args), which stores the .g of the inputs (and of the layer's parameters).
    """

    def __call__(self, *args):
        self.args = args
        self.out = self.forward(*args)
        return self.out

    def backward(self):
        self.bwd(self.out, *self.args)


class Relu(Module):
    """relu(inp, sub) as a module; bwd stores inp.g."""

    def __init__(self, sub: float = 0.0):
        self.sub = sub

    def forward(self, inp):
        return relu(inp, self.sub)

    def bwd(self, out, inp):
        relu_grad(inp, out)


class Lin(Module):
    """inp @ w + b as a module; bwd stores inp.g, w.g and b.g."""

    def __init__(self, w: torch.Tensor, b: torch.Tensor):
        self.w, self.b = w, b

    def forward(self, inp):
        return lin(inp, self.w, self.b)

    def bwd(self, out, inp):
        lin_grad(inp, out, self.w, self.b)


class Mse(Module):
    """mse(inp, targ) as a module; bwd stores inp.g."""

    def forward(self, inp, targ):
        return mse(inp, targ)

    def bwd(self, out, inp, targ):
        mse_grad(inp, targ)


class Model:
    """Lin(w1, b1), Relu(), Lin(w2, b2) and an Mse loss.

    model(x, targ) runs the layers in order and returns the loss; model.backward() runs the
    loss's backward, then each layer's in reverse order, leaving .g on x and every parameter.
    """

    def __init__(self, w1, b1, w2, b2):
        self.layers = [Lin(w1, b1), Relu(), Lin(w2, b2)]
        self.loss = Mse()

    def __call__(self, x, targ):
        for layer in self.layers:
            x = layer(x)
        return self.loss(x, targ)

    def backward(self):
        self.loss.backward()
        for layer in reversed(self.layers):
            layer.backward()


# ## Task 3.5: classification: log_softmax, nll and cross entropy
def log_softmax(x: torch.Tensor) -> torch.Tensor:
    """log(softmax(x)) along the last dimension: x - logsumexp(x), same shape and dtype as x.

        logsumexp(x) = m + log(sum_j exp(x_j - m)),   m = max_j x_j

    Subtracting the max first keeps exp from overflowing: logits of 1000 must give finite
    results (exp(1000) is inf even in float64; in float32 exp overflows past 88). Do not use
    torch's logsumexp, softmax or log_softmax; a logsumexp helper of your own (any name) is
    welcome.
    """
    m = x.max(-1, keepdim=True).values
    return x - (m + (x - m).exp().sum(-1, keepdim=True).log())


def nll(logp: torch.Tensor, targ: torch.Tensor) -> torch.Tensor:
    """Negative log likelihood: -mean_i logp[i, targ[i]]; logp (n, c), targ (n,) int64 in [0, c)."""
    if logp.dim() != 2 or targ.shape != logp.shape[:1]:
        raise ValueError(
            f"nll needs logp (n, c) and targ (n,); got {tuple(logp.shape)}, {tuple(targ.shape)}"
        )
    if targ.dtype.is_floating_point or targ.min() < 0 or targ.max() >= logp.shape[1]:
        raise ValueError(f"nll: targ must hold class indices in [0, {logp.shape[1]})")
    return -logp[torch.arange(logp.shape[0], device=logp.device), targ].mean()


class CrossEntropy(Module):
    """nll(log_softmax(inp), targ) as a module: inp (n, c) logits, targ (n,) class indices.

    bwd stores inp.g = dL/d inp for the mean loss L: (softmax(inp) - onehot(targ)) / n, (n, c).
    """

    def forward(self, inp, targ):
        return nll(log_softmax(inp), targ)

    def bwd(self, out, inp, targ):
        g = log_softmax(inp).exp()
        g[torch.arange(inp.shape[0], device=inp.device), targ] -= 1
        inp.g = g / inp.shape[0]
