"""Fills /dev/shm (shared memory, outside most quotas): the box's own /dev/shm is a small
private tmpfs; the errors are caught and the answers are right. Full marks."""

EXPECT = "full"

_chunk = "x" * (1 << 20)
for _i in range(100):
    try:
        with open(f"/dev/shm/fill{_i}", "w") as _f:
            _f.write(_chunk)
    except OSError:
        break
