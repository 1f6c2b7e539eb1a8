"""Speed graded as a ratio to the reference, measured by the judge from outside both processes.

    speed.expect_faster(expect, student, reference, "matmul_broadcast",
                        draw=lambda rng: (randn(5, 784, generator=rng), randn(784, 10, ...)),
                        check=lambda got, a, b: expect.close(got, a @ b, rtol=1e-4, atol=1e-4),
                        rng=rng, max_ratio=4.0)

One timed batch, in each sandbox: the judge draws R fresh input sets (no two repetitions see the
same tensors or the same values, so memoising on inputs gains nothing), reads the box's CPU time
from the kernel (box.py: the control group's counter, or the box's threads in /proc), sends the
inputs (the child unpacks them: staging is counted), has the target run once per set, reads the
CPU time again, then asks for the outputs of repetitions it picks at random only now (the child
cannot know which will be checked) and checks them here with `check`. A module that returns
garbage when it thinks it is timed, or spins up helpers to look idle, gains nothing: every
process of the box is counted, and any repetition may be the one checked.

Fair and stable on a shared 2-core machine:
- CPU time, not wall time: other load on the machine does not inflate either side;
- both sides run one thread, get the same inputs, and alternate batches for `rounds` (3) rounds;
- R is calibrated on the reference so a batch costs >= `min_seconds` of CPU, within an input
  budget of INPUT_BYTES; the estimate is min(student batch) / min(reference batch);
- a ratio just over the limit (within 2x of it) is measured again (`retries` times) before
  failing: a real slowdown (a second loop, an outer product) is many times the limit.
"""

from __future__ import annotations

import random

import torch

from autograder.sandbox import Remote, SandboxTimeout, _probe_name

INPUT_BYTES = 32 << 20  # inputs of one timed batch, per sandbox
MAX_REPEAT = 4096
SAMPLE = 6  # timed outputs checked per batch
_pick = random.SystemRandom()  # which outputs are checked: not derivable from the grading seed


def _nbytes(args) -> int:
    return sum(a.numel() * a.element_size() for a in args if isinstance(a, torch.Tensor))


def _columns(sets: list[tuple]) -> list:
    """One column per argument: tensors of one shape are stacked (one message, cheap to
    unpack), anything else is sent as a list."""
    columns = []
    for position in zip(*sets):
        first = position[0]
        same = all(
            isinstance(v, torch.Tensor)
            and v.shape == first.shape
            and v.dtype == first.dtype
            and v.device == first.device
            for v in position
        )
        columns.append(("stacked", torch.stack(position)) if same else ("list", list(position)))
    return columns


def _batch(remote: Remote, target, probe: bool, sets: list[tuple], timeout: float):
    """(CPU seconds of the box for staging and running the batch, the box's remote)."""
    box = remote._box
    before = box.cpu_ns()
    box.request({"op": "stage", "columns": _columns(sets), "count": len(sets)}, timeout, "staging")
    box.request({"op": "batch", "name": target, "probe": probe}, timeout, "running the timed calls")
    return (box.cpu_ns() - before) / 1e9


def _sampled(remote: Remote, sets: list[tuple], check) -> None:
    """Check the outputs of a few repetitions, picked now, in the judge."""
    indices = sorted(_pick.sample(range(len(sets)), min(SAMPLE, len(sets))))
    reply = remote._box.request({"op": "sample", "indices": indices}, None, "returning results")
    for i, got in zip(indices, reply["value"]):
        check(got, *sets[i])


def measure(
    student: Remote,
    reference: Remote,
    target,
    draw,
    check,
    rng: torch.Generator,
    *,
    rounds: int = 3,
    min_seconds: float = 0.05,
    max_ratio: float = 4.0,
) -> float:
    """Student CPU seconds / reference CPU seconds for `target`, one interleaved measurement."""
    probe = not isinstance(target, str)
    name = _probe_name(target)
    student._box.ensure_started()  # a missing, broken or refused module fails here, not later
    one = draw(rng)
    cap = max(1, min(MAX_REPEAT, INPUT_BYTES // max(1, _nbytes(one))))
    repeat = min(cap, 8)
    while True:  # calibrate on the reference: a batch of >= min_seconds of CPU
        took = _batch(reference, name, probe, [draw(rng) for _ in range(repeat)], 60)
        if took >= min_seconds or repeat >= cap:
            break
        per_call = max(took / repeat, 1e-7)
        repeat = min(cap, max(2 * repeat, int(1.2 * min_seconds / per_call) + 1))
    ref_best, student_best = took, float("inf")
    # a wall-clock bound on each of the student's requests, only so a stuck or hopelessly slow
    # module cannot hold the grading: CPU time is the measurement, and wall time on a loaded
    # machine can be several times the CPU time, so it decides nothing below this
    limit = max(15.0, 20 * max_ratio * took + 5.0)
    for _ in range(rounds):
        sets = [draw(rng) for _ in range(repeat)]
        try:
            seconds = _batch(student, name, probe, sets, limit)
        except SandboxTimeout:
            return float("inf")
        _sampled(student, sets, check)
        student_best = min(student_best, seconds)
        ref_best = min(ref_best, _batch(reference, name, probe, sets, 60))
    return student_best / max(ref_best, 1e-9)


def expect_faster(
    expect,
    student: Remote,
    reference: Remote,
    target,
    *,
    draw,
    check,
    rng: torch.Generator,
    max_ratio: float,
    retries: int = 2,
    **kw,
) -> float:
    """Fail with category "speed" unless student CPU time <= max_ratio x the reference's on
    the same inputs, and with the check's own category if a timed output is wrong."""
    best = float("inf")
    for _ in range(1 + retries):
        best = min(
            best,
            measure(student, reference, target, draw, check, rng, max_ratio=max_ratio, **kw),
        )
        if best <= max_ratio:
            return best
        if best > 2 * max_ratio:  # far outside the noise band: measuring again cannot pass it
            break
    slower = "over the time limit" if best == float("inf") else f"{best:.1f}x the reference's time"
    expect.fail("speed", f"too slow: {slower} (limit {max_ratio:g}x)")
