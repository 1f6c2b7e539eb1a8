"""Fails to import with a 2,000-character message holding newlines, control characters and a
path of the box: every test reports one short line, the same for all, with no box path."""

EXPECT = 0
MESSAGE = "import: matmul.py failed to import: RuntimeError"

raise RuntimeError(
    "\x1b[31m" + "A" * 1000 + "\n/tmp/autograder-sandboxes/box-abc/x.py\n" + "B" * 1000
)
