"""Hidden graders for lesson 1: matrix multiplication, five ways (the spec, task by task).

    test_values.py     every version equals a @ b; frobenius_norm equals sqrt(sum(m ** 2))
    test_contract.py   ValueError for shapes that cannot be multiplied; inputs left unchanged
    test_rules.py      the game rule (no matmul in the loop versions), loops per version, einsum
    test_speed.py      each version within a limit of the reference's CPU time

Every expected value is `a @ b` (or torch's own reductions) computed here, in the judge, on
shapes and values drawn from the grading seed (`_draw.py`). The lesson needs no probe: every
check is a plain call into the student's module.
"""

LESSON, MODULE = "lesson1_matmul", "matmul"
