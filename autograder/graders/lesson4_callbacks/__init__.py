"""Hidden graders for lesson 4: the Runner, its callbacks, the schedules and the LR finder.

One file per task or task group, each opening with the inputs it draws, the behaviour it
expects and its tolerances. Everything stateful is built and run inside the sandbox by the
probes (autograder/probes/lesson4_callbacks.py), which return records
(courselib/lesson4_callbacks.py); every expected value is computed here, in the judge: event
traces and TrainEvalCallback's bookkeeping from the Runner's documented rules (`_rules.py`),
numbers with torch from the inputs drawn with `rng`, schedule values from the reference's
schedules (trusted) -- the probes hand the student's combine_scheds and ParamScheduler simple
lines a + b·pos instead, so those are graded without any schedule formula.
"""

LESSON, MODULE = "lesson4_callbacks", "callbacks"
ALLOW = (
    "dynamic attributes",
)  # Runner/Callback delegation: getattr(cb, event), setattr(self, ...)
