"""Speed graded as a ratio to the reference, timed in the same run by the judge's own clock.

    speed.expect_faster("matmul_broadcast", student, reference, "matmul_broadcast", (a, b),
                        max_ratio=4.0)

How it stays fair and stable on a shared 2-core machine:
- the student's call runs in the student's sandbox, the reference's in a clean one; both use one
  thread; the inputs are staged in each child first, so sending them is not timed;
- a batch repeats the call until the reference's batch lasts `min_seconds` (the round trip to
  the child is then < 1 % of it); student and reference batches alternate, `rounds` times;
- the estimate is min(student batch) / min(reference batch): the minimum is the run least
  disturbed by other load, and load slows both sides alike;
- a ratio just over the limit (within 2x of it) is measured again (`retries` times) before
  failing: a real slowdown (a second loop, an outer product) is many times the limit.
"""

from __future__ import annotations

from autograder.sandbox import Remote, SandboxTimeout
from courselib.checks import fail


def _batch(remote: Remote, op: str, name: str, key: str, repeat: int, timeout: float) -> float:
    message = {"op": op, "name": name, "staged": key, "repeat": repeat, "trace": False}
    seconds, _ = remote._box.timed(message, timeout)
    return seconds


def measure(
    student: Remote,
    reference: Remote,
    name: str,
    args: tuple = (),
    *,
    probe: bool = False,
    rounds: int = 5,
    min_seconds: float = 0.05,
    max_ratio: float = 4.0,
) -> float:
    """Student seconds / reference seconds for `name(*args)`, one interleaved measurement."""
    op = "probe" if probe else "call"
    s_key, r_key = student._box.stage(args), reference._box.stage(args)
    repeat = 1
    while True:  # calibrate on the reference
        took = _batch(reference, op, name, r_key, repeat, 60)
        if took >= min_seconds or repeat >= 1 << 16:
            break
        repeat = min(1 << 16, repeat * max(2, int(min_seconds / max(took, 1e-6)) + 1))
    ref_best, student_best = took, float("inf")
    limit = max(1.0, 10 * max_ratio * took)  # a student batch this slow has failed anyway
    for _ in range(rounds):
        try:
            student_best = min(student_best, _batch(student, op, name, s_key, repeat, limit))
        except SandboxTimeout:
            return float("inf")
        ref_best = min(ref_best, _batch(reference, op, name, r_key, repeat, 60))
    return student_best / ref_best


def expect_faster(
    task: str,
    student: Remote,
    reference: Remote,
    name: str,
    args: tuple = (),
    *,
    max_ratio: float,
    probe: bool = False,
    retries: int = 2,
    **kw,
) -> float:
    """Fail with category "speed" unless student time <= max_ratio x reference time."""
    best = float("inf")
    for _ in range(1 + retries):
        best = min(
            best, measure(student, reference, name, args, probe=probe, max_ratio=max_ratio, **kw)
        )
        if best <= max_ratio:
            return best
        if best > 2 * max_ratio:  # far outside the noise band: measuring again cannot pass it
            break
    slower = "over the time limit" if best == float("inf") else f"{best:.1f}x the reference's time"
    fail("speed", task, f"{name} is too slow: {slower} (limit {max_ratio:g}x)")
