"""sys.exit(0) at import: a clean exit status must not read as success."""

EXPECT = 0

import sys

sys.exit(0)
