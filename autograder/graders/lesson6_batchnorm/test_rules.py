"""The lesson rule: every layer computes its own statistics, with no torch normalisation
function, checked in the source of its methods (AST) and in what torch actually ran (the
run-time trace; nn.LayerNorm and nn.GroupNorm are not listed for the AST because they share the
student's class names, but they run F.layer_norm / F.group_norm, which the trace sees).

What is traced (probe `norm_train_then_eval`, a probe of its own so that another bug of the
layer cannot fail this rule): a fresh layer (C in 2..3) does one training forward and backward,
then one eval forward without autograd, as validation runs.
"""

import pytest
import torch

from autograder import rules
from autograder.graders.lesson6_batchnorm import _draw as draw
from autograder.grading import task_from
from autograder.probes import lesson6_batchnorm as probes
from courselib.lesson6_batchnorm import LayerSpec

TORCH_NORMS = frozenset(
    "batch_norm layer_norm instance_norm group_norm native_batch_norm native_layer_norm "
    "native_group_norm batch_norm_elemt batch_norm_stats _batch_norm_impl_index "
    "BatchNorm1d BatchNorm2d BatchNorm3d InstanceNorm1d InstanceNorm2d InstanceNorm3d".split()
)
SPECS = {
    "BatchNorm": lambda c: LayerSpec("BatchNorm", (c,)),
    "LayerNorm": lambda c: LayerSpec("LayerNorm"),
    "InstanceNorm": lambda c: LayerSpec("InstanceNorm", (c,)),
    "GroupNorm": lambda c: LayerSpec("GroupNorm", (1, c)),
    "RunningBatchNorm": lambda c: LayerSpec("RunningBatchNorm", (c,)),
}


@task_from("cls")
@pytest.mark.parametrize("cls", list(SPECS))
def test_no_torch_normalisation(student, rng, cls):
    """computes its own statistics: no torch normalisation function (source and run time)"""
    c = draw.channels(rng, 3)
    x, x_eval = draw.images(rng, 4, c, 3, 3), draw.images(rng, 2, c, 3, 3)
    g = torch.randn(x.shape, generator=rng, dtype=x.dtype)
    _, used = student.traced_probe(probes.norm_train_then_eval, SPECS[cls](c), x, g, x_eval)
    for method in ("__init__", "forward", "update_stats"):
        if rules.function_node(student.source, f"{cls}.{method}") is not None:
            rules.forbid(cls, student.source, f"{cls}.{method}", TORCH_NORMS)
    rules.forbid_traced(cls, used, TORCH_NORMS)
