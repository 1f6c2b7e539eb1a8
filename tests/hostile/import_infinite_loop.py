"""An infinite loop at import: the import times out, every test scores 0."""

EXPECT = 0

while True:
    pass
