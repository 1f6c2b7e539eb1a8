"""Hidden graders for lesson 5: hooks, telemetry, GeneralRelu, the CNN and its init.

One file per task or task group, each opening with the inputs it draws, the behaviour it
expects and its tolerances. Hooks and modules are stateful, so the student's objects are built
and driven by probes (autograder/probes/lesson5_hooks.py) that return records
(courselib/lesson5_hooks.py); every expected value is computed here, in the judge, from the
inputs drawn with `rng` (the probes' model `mlp(seed)` is rebuilt here from the same seed).
Each probe builds a fresh model, so a hook one step leaves behind never reaches another check.
"""

LESSON, MODULE = "lesson5_hooks", "hooks"
ALLOW = ("dynamic attributes",)  # ListContainer and Hooks may forward attribute look-ups
