"""Reads every visible process's command line and environment, looking for the judge's
(--seed, pytest, the repository's paths) and refuses to work if it finds any: full marks prove
that the box's pid namespace shows no process of the judge (only the box's own init)."""

EXPECT = "full"

_seen = []
for _pid in range(1, 4096):
    for _what in ("cmdline", "environ"):
        try:
            with open(f"/proc/{_pid}/{_what}", "rb") as _f:
                _text = _f.read()
        except OSError:
            continue
        if any(w in _text for w in (b"--seed", b"pytest", b"graders", b"solutions")):
            _seen.append(_pid)
if _seen:
    raise RuntimeError(f"saw the judge: {_seen}")
