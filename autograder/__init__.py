"""The grading engine: `python -m autograder grade DIR --json OUT [--lesson ID]`.

Judge outside, execute inside: the hidden graders (autograder/graders/) run in this process and
never import student code; the student's module runs in a sandboxed child (sandbox.py).
"""
