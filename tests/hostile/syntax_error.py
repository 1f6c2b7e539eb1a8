"""A module that does not parse (kept in a string so this bank still parses)."""

EXPECT = 0
MODE = "source"
SOURCE = "import torch\n\ndef frobenius_norm(m)\n    return m\n"
