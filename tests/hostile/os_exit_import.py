"""os._exit(0) at import: refused by the source rules (os is not importable) before it runs."""

EXPECT = 0
MESSAGE = "imports os"

import os

os._exit(0)
