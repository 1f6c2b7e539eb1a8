"""`make bench`: figures too slow for `make test`, each module in autograder/benches/ in turn.

    python -m autograder.bench [NAME ...]      # all benches, or only these (file stems)

Each bench module has `ABOUT` (its rough duration) and `run()`, a generator of lines: every
line is printed as soon as it is measured, with the elapsed time, so a long bench shows its
progress. A figure that has a goal carries `goal(ok, text)`'s mark, `[ok: ...]` or
`[MISSED: ...]`; the missed goals are listed again at the end. Record the figures in the
README's "Measured" section when they change.
"""

from __future__ import annotations

import importlib
import platform
import sys
import time

import torch

from autograder.lessons import HERE

MISSED = "[MISSED: "


def goal(ok: bool, text: str) -> str:
    """The mark of a figure against its goal, e.g. goal(acc >= 0.985, "goal >= 0.985")."""
    return f"[ok: {text}]" if ok else f"{MISSED}{text}]"


def main(argv: list[str] | None = None) -> int:
    only = set(argv if argv is not None else sys.argv[1:])
    print(
        f"# bench: torch {torch.__version__}, {platform.processor() or platform.machine()}, "
        f"{torch.get_num_threads()} threads, cuda={torch.cuda.is_available()}",
        flush=True,
    )
    names = [
        p.stem
        for p in sorted((HERE / "benches").glob("*.py"))
        if not p.stem.startswith("_") and (not only or p.stem in only)
    ]
    missed, start_all = [], time.perf_counter()
    for i, name in enumerate(names, 1):
        module = importlib.import_module(f"autograder.benches.{name}")
        print(f"\n## {name} ({i}/{len(names)}, about {module.ABOUT})", flush=True)
        start = time.perf_counter()
        for line in module.run():
            print(f"[{time.perf_counter() - start:6.1f} s] {line}", flush=True)
            if MISSED in line:
                missed.append(f"{name}: {line.strip()}")
        print(f"({time.perf_counter() - start:.1f} s)", flush=True)
    print(f"\n# {len(names)} benches in {time.perf_counter() - start_all:.0f} s", flush=True)
    if missed:
        print(f"# GOALS MISSED ({len(missed)}):")
        print("\n".join(f"  {m}" for m in missed))
    else:
        print("# every goal met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
