"""`make bench`: figures too slow for `make test`, each module in autograder/benches/ in turn.

Each bench module has `run() -> list[str]`; its lines are printed under its name. Record the
figures in the README's "Measured" section when they change.
"""

from __future__ import annotations

import importlib
import platform
import sys
import time

import torch

from autograder.lessons import HERE


def main(argv: list[str] | None = None) -> int:
    only = set(argv if argv is not None else sys.argv[1:])
    print(
        f"# bench: torch {torch.__version__}, {platform.processor() or platform.machine()}, "
        f"{torch.get_num_threads()} threads, cuda={torch.cuda.is_available()}"
    )
    for path in sorted((HERE / "benches").glob("*.py")):
        if path.stem.startswith("_") or (only and path.stem not in only):
            continue
        start = time.perf_counter()
        module = importlib.import_module(f"autograder.benches.{path.stem}")
        print(f"\n## {path.stem}")
        for line in module.run():
            print(line, flush=True)
        print(f"({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
