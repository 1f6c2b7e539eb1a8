"""Hidden graders for lesson 6: BatchNorm, LayerNorm, InstanceNorm, GroupNorm, RunningBatchNorm.

One file per task (two for BatchNorm and RunningBatchNorm), each opening with the inputs it
draws, the behaviour it expects and its tolerances. The shape every test shares: the judge
draws a few steps (batches, output gradients, train or eval) with `rng` (_draw.py); the probe
`norm_steps` builds a fresh layer of the student's module inside the sandbox and runs it
through them (autograder/probes/lesson6_batchnorm.py); the judge runs torch's own layer
(nn.BatchNorm2d, F.layer_norm, F.instance_norm, nn.GroupNorm) or, for RunningBatchNorm, the
recurrence of its docstring through the same steps (_expected.py) and compares record by record.
"""

LESSON, MODULE = "lesson6_batchnorm", "batchnorm"
