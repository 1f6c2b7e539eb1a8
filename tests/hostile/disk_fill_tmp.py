"""Fills the box's /tmp with many files under the per-file cap (and tries its own folder and
the current one): the private /tmp is size-capped, the rest is read-only, the errors are caught
and the answers are right. Full marks, and nothing outside the box is touched."""

EXPECT = "full"

_chunk = "x" * (1 << 20)
for _where in ["/tmp", "."]:
    for _i in range(200):
        try:
            with open(f"{_where}/fill{_i}.bin", "w") as _f:
                _f.write(_chunk)
        except OSError:
            break
