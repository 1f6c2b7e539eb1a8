"""Grade a whole class: `python -m autograder class CLASS_DIR --out grading [--jobs N]`.

    CLASS_DIR/submitted/<student>/<lesson>/...   one folder per student, laid out like assignments/
    CLASS_DIR/class.toml                         optional: [materialise] student = "solutions" ...

Steps (state travels in one `ClassRun`):
1. stage      copy every submission to OUT/submitted/<student>/ (nbgrader's layout; regular files
              and folders only, symlinks kept as links, which the sandbox never follows), and
              materialise the students class.toml names from the generated trees (the reference
              from solutions/, the stubs from assignments/), so they always match source/;
2. grade      one unit per (student, lesson) in a process pool (`--jobs`, default: all cores),
              each through the engine (`judge.grade_submission`: sandboxed student code, the
              judge in the worker); a worker's output goes to OUT/logs/, not the terminal;
3. record     as each unit finishes: OUT/results/<student>/<lesson>.json, and its scores into
              nbgrader's gradebook OUT/gradebook.db (one grade cell per hidden test, written
              questions left for manual grading) - a unit that fails keeps its previous grades;
4. report     OUT/results/<student>.json (Gradescope format, all lessons), OUT/grades.csv
              (nbgrader's CSV exporter), OUT/tests.csv (one row per student and test),
              OUT/feedback/<student>/feedback.{md,html}, and a score table on stdout.
Re-running replaces results and auto scores in place; manual scores in the gradebook stay.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import shutil
import stat
import sys
import time
import tomllib
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from autograder import feedback, gradebook, results
from autograder.lessons import ROOT, Lesson, all_lessons

CONFIG = "class.toml"
MAX_FILE = 64 << 20  # bytes: a submitted file larger than this is not staged


@dataclass(frozen=True)
class Unit:
    """One lesson of one student's submission: what a pool worker grades."""

    student: str
    lesson: Lesson
    submission: Path
    seed: int
    tasks: frozenset[str] | None
    budget_s: float
    log: Path


@dataclass
class ClassRun:
    class_dir: Path
    out: Path
    lessons: list[Lesson]
    seed: int
    tasks: frozenset[str] | None = None
    jobs: int = 1
    budget_s: float = 300.0
    students: list[str] = field(default_factory=list)
    results: dict[str, dict[str, dict]] = field(default_factory=dict)  # student -> lesson -> r
    errors: list[str] = field(default_factory=list)
    notes: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    seconds: float = 0.0


# ---- 1. stage --------------------------------------------------------------------------------


def read_config(class_dir: Path) -> dict:
    path = class_dir / CONFIG
    return tomllib.loads(path.read_text()) if path.is_file() else {}


def _copy_tree(src: Path, dst: Path) -> None:
    """Folders and regular files up to MAX_FILE (and symlinks, as links); FIFOs, sockets,
    devices and larger files are skipped (the sandbox would not copy them either)."""
    dst.mkdir(parents=True, exist_ok=True)
    for entry in sorted(src.iterdir()):
        mode = entry.lstat().st_mode
        if stat.S_ISLNK(mode):
            os.symlink(os.readlink(entry), dst / entry.name)
        elif stat.S_ISDIR(mode):
            _copy_tree(entry, dst / entry.name)
        elif stat.S_ISREG(mode) and entry.lstat().st_size <= MAX_FILE:
            shutil.copyfile(entry, dst / entry.name)


def materialised(class_dir: Path) -> dict[str, Path]:
    """{student: generated tree} from class.toml's [materialise] table."""
    table = read_config(class_dir).get("materialise", {})
    return {student: ROOT / tree for student, tree in table.items()}


def stage(run: ClassRun) -> list[str]:
    """OUT/submitted/<student>/, fresh each run; returns the students, sorted."""
    staged = run.out / "submitted"
    if staged.exists():
        shutil.rmtree(staged)
    staged.mkdir(parents=True)
    source = run.class_dir / "submitted"
    students = []
    if source.is_dir():
        for folder in sorted(source.iterdir()):
            if folder.is_dir() and not folder.is_symlink() and not folder.name.startswith("."):
                _copy_tree(folder, staged / folder.name)
                students.append(folder.name)
    for student, tree in materialised(run.class_dir).items():
        target = staged / student
        if target.exists():
            shutil.rmtree(target)
        target.mkdir()
        for lesson in run.lessons:
            if (tree / lesson.id).is_dir():
                _copy_tree(tree / lesson.id, target / lesson.id)
        students.append(student)
    return sorted(set(students))


# ---- 2. grade --------------------------------------------------------------------------------


def grade_unit(unit: Unit) -> tuple[str, str, dict | None, str]:
    """Runs in a pool worker: (student, lesson id, results or None, error message)."""
    from autograder.judge import grade_submission

    unit.log.parent.mkdir(parents=True, exist_ok=True)
    saved = os.dup(1), os.dup(2)
    with open(unit.log, "ab") as log:  # the worker's and pytest's chatter, not the terminal's
        sys.stdout.flush(), sys.stderr.flush()
        os.dup2(log.fileno(), 1), os.dup2(log.fileno(), 2)
        try:
            tasks = set(unit.tasks) if unit.tasks is not None else None
            result = grade_submission(
                unit.submission, [unit.lesson], unit.seed, tasks, unit.budget_s
            )
            return unit.student, unit.lesson.id, result, ""
        except BaseException as e:  # noqa: BLE001 - a failed unit is reported, the batch goes on
            return unit.student, unit.lesson.id, None, f"{type(e).__name__}: {e}"[:500]
        finally:
            sys.stdout.flush(), sys.stderr.flush()
            os.dup2(saved[0], 1), os.dup2(saved[1], 2)
            os.close(saved[0]), os.close(saved[1])


def _units(run: ClassRun) -> list[Unit]:
    units = []
    for student in run.students:
        for lesson in run.lessons:
            units.append(
                Unit(
                    student,
                    lesson,
                    run.out / "submitted" / student,
                    run.seed,
                    run.tasks,
                    run.budget_s,
                    run.out / "logs" / f"{student}.{lesson.id}.log",
                )
            )
    return units


def _progress(total: int, quiet: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="grading", unit="lesson", disable=quiet, file=sys.stderr)


# ---- 3. record -------------------------------------------------------------------------------


def written_questions(lesson: Lesson) -> dict[str, float]:
    """{grade_id: points} of the manually graded cells of the lesson's source notebook(s)."""
    import nbformat

    found = {}
    for path in sorted((ROOT / "source" / lesson.id).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and cell.cell_type == "markdown":
                found[meta["grade_id"]] = float(meta.get("points", 0))
    return found


def check_notebook(folder: Path, lesson: Lesson, wanted: dict[str, float]):
    """(written grade_ids missing from the submitted notebook, notes for the feedback)."""
    import nbformat

    if not wanted:
        return set(), []
    notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if not notebooks:
        return set(wanted), [f"no notebook submitted: the written questions score 0"]
    ids: list[str] = []
    notes = []
    for path in notebooks:
        try:
            cells = nbformat.read(path, as_version=4).cells
        except Exception as e:  # noqa: BLE001 - a hand-edited notebook may not even be JSON
            notes.append(f"{path.name} could not be read ({type(e).__name__}); fix and resubmit")
            continue
        for cell in cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade_id") in wanted:
                ids.append(meta["grade_id"])
    missing = set(wanted) - set(ids)
    for grade_id in sorted(missing):
        notes.append(f"written answer '{grade_id}' is missing from the notebook: it scores 0")
    for grade_id in sorted({i for i in ids if ids.count(i) > 1}):
        notes.append(f"written answer '{grade_id}' appears more than once: the first is graded")
    return missing, notes


def _record(run: ClassRun, gb, student: str, lesson_id: str, result: dict, written) -> None:
    folder = run.out / "results" / student
    results.write(result, folder / f"{lesson_id}.json")
    lesson = next(lesson for lesson in run.lessons if lesson.id == lesson_id)
    missing, notes = check_notebook(
        run.out / "submitted" / student / lesson_id, lesson, written[lesson_id]
    )
    run.notes.setdefault(student, {})[lesson_id] = notes
    if result["tests"]:
        gradebook.define_lesson(
            gb, lesson_id, result["tests"], written[lesson_id], prune=run.tasks is None
        )
        gradebook.record(gb, student, lesson_id, result["tests"], missing)


# ---- 4. report -------------------------------------------------------------------------------


def merge(per_lesson: dict[str, dict], lessons: list[Lesson], seed: int) -> dict:
    """One Gradescope results dict from a student's per-lesson results (in lesson order)."""
    tests, summary, seconds = [], {}, 0.0
    for lesson in lessons:
        r = per_lesson.get(lesson.id)
        if r is None:
            continue
        tests += r["tests"]
        summary.update(r["extra_data"]["lessons"])
        seconds += r["execution_time"]
    score = round(sum(t["score"] for t in tests), 4)
    max_score = round(sum(t["max_score"] for t in tests), 4)
    text = ", ".join(f"{k} {v['score']:g}/{v['max_score']:g}" for k, v in summary.items())
    return {
        "score": score,
        "max_score": max_score,
        "execution_time": round(seconds, 2),
        "output": f"Graded {len(summary)} lesson(s): {text}.",
        "tests": tests,
        "extra_data": {"seed": seed, "lessons": summary},
    }


def write_tests_csv(path: Path, merged: dict[str, dict]) -> None:
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["student", "lesson", "test", "score", "max_score", "status", "output"])
        for student, r in sorted(merged.items()):
            for t in r["tests"]:
                lesson = t["name"].split(":", 1)[0]
                row = [student, lesson, t["name"], t["score"], t["max_score"]]
                out.writerow(row + [t.get("status", ""), t["output"]])


def table(merged: dict[str, dict], lessons: list[Lesson]) -> str:
    ids = [lesson.id for lesson in lessons]
    width = max([len(s) for s in merged] + [7])
    head = f"{'student':<{width}}  " + "  ".join(f"{i.split('_')[0]:>9}" for i in ids)
    rows = [head + f"  {'total':>11}"]
    for student, r in sorted(merged.items()):
        cells = []
        for i in ids:
            s = r["extra_data"]["lessons"].get(i)
            cells.append(f"{s['score']:>4g}/{s['max_score']:<4g}" if s else f"{'-':>9}")
        rows.append(
            f"{student:<{width}}  " + "  ".join(cells) + f"  {r['score']:>5g}/{r['max_score']:<5g}"
        )
    return "\n".join(rows)


def report_lessons(run: ClassRun) -> list[Lesson]:
    """The lessons graded now, and those graded by an earlier run into the same folder."""
    stored = {p.stem for p in (run.out / "results").glob("*/*.json")}
    graded = {lesson.id for lesson in run.lessons}
    return [lesson for lesson in all_lessons() if lesson.id in graded | stored]


def report(run: ClassRun) -> dict[str, dict]:
    merged = {}
    lessons = report_lessons(run)
    written = gradebook.written_grades(run.out / "gradebook.db")
    for student in run.students:
        per_lesson = dict(run.results.get(student, {}))
        for lesson in lessons:  # not graded this time (another lesson, a failed unit): keep
            old = run.out / "results" / student / f"{lesson.id}.json"
            if lesson.id not in per_lesson and old.is_file():
                per_lesson[lesson.id] = json.loads(old.read_text())
        merged[student] = merge(per_lesson, lessons, run.seed)
        results.write(merged[student], run.out / "results" / f"{student}.json")
        notes = {}
        for lesson in lessons:
            notes[lesson.id] = run.notes.get(student, {}).get(lesson.id, [])
            notes[lesson.id] += written.get(student, {}).get(lesson.id, [])
        feedback.write(run.out / "feedback" / student, student, merged[student], notes)
    gradebook.export_csv(run.out / "gradebook.db", run.out / "grades.csv")
    write_tests_csv(run.out / "tests.csv", merged)
    return merged


# ---- the whole run ---------------------------------------------------------------------------


def grade_class(
    class_dir: Path,
    out: Path,
    lessons: list[Lesson] | None = None,
    *,
    jobs: int | None = None,
    seed: int | None = None,
    tasks: set[str] | None = None,
    budget_s: float = 300.0,
    quiet: bool = False,
) -> ClassRun:
    from autograder.judge import new_seed
    from autograder.sandbox import protect_secrets

    start = time.monotonic()
    run = ClassRun(
        Path(class_dir),
        Path(out),
        lessons if lessons is not None else all_lessons(),
        new_seed() if seed is None else seed,
        frozenset(tasks) if tasks else None,
        jobs or os.cpu_count() or 1,
        budget_s,
    )
    run.out.mkdir(parents=True, exist_ok=True)
    # as root the sandboxed child runs unprivileged: keep it out of the class and the gradebook
    protect_secrets((run.out.resolve(), run.class_dir.resolve()))
    run.students = stage(run)
    written = {lesson.id: written_questions(lesson) for lesson in run.lessons}
    units = _units(run)
    pending, tries = list(units), {unit: 0 for unit in units}
    with (
        gradebook.open_gradebook(run.out / "gradebook.db") as gb,
        _progress(len(units), quiet) as bar,
    ):
        while pending:  # a pool whose worker was killed from outside is replaced, once per unit
            pending = _grade_in_pool(run, pending, tries, gb, written, bar)
    run.seconds = time.monotonic() - start
    return run


def _grade_in_pool(run: ClassRun, units: list[Unit], tries: dict, gb, written, bar) -> list:
    """Grade `units` in one process pool; returns the units to retry in a fresh pool."""
    context = multiprocessing.get_context("spawn")  # no fork of a process torch has threaded
    retry = []
    with ProcessPoolExecutor(max(1, min(run.jobs, len(units))), mp_context=context) as pool:
        futures = {pool.submit(grade_unit, unit): unit for unit in units}
        for future in as_completed(futures):
            unit = futures[future]
            try:
                student, lesson_id, result, error = future.result()
            except BrokenProcessPool as e:  # a worker killed from outside (OOM killer, kill)
                tries[unit] += 1
                if tries[unit] < 2:
                    retry.append(unit)
                    continue
                student, lesson_id, result = unit.student, unit.lesson.id, None
                error = f"the grading worker died ({e})"
            if result is None:
                run.errors.append(f"{student}/{lesson_id}: not graded ({error}); kept old grades")
            else:
                run.results.setdefault(student, {})[lesson_id] = result
                _record(run, gb, student, lesson_id, result, written)
            bar.update()
    return retry


def summary(run: ClassRun, merged: dict[str, dict]) -> str:
    lines = [table(merged, report_lessons(run)), ""]
    lines.append(
        f"{len(run.students)} students x {len(run.lessons)} lessons graded in "
        f"{run.seconds:.1f} s with {run.jobs} jobs (seed {run.seed})."
    )
    lines.append(
        f"Gradebook {run.out / 'gradebook.db'}, CSV {run.out / 'grades.csv'} and "
        f"{run.out / 'tests.csv'}, feedback in {run.out / 'feedback'}/."
    )
    lines += [f"warning: {e}" for e in run.errors]
    return "\n".join(lines)


def cli(args) -> int:
    class_dir = Path(args.class_dir)
    if not (class_dir / "submitted").is_dir() and not materialised(class_dir):
        print(f"error: {class_dir}/submitted/ does not exist", file=sys.stderr)
        return 2
    from autograder import lessons

    run = grade_class(
        class_dir,
        Path(args.out),
        lessons.select(args.lesson),
        jobs=args.jobs,
        seed=args.seed,
        tasks=set(args.task) if args.task else None,
        budget_s=args.budget,
        quiet=args.quiet,
    )
    merged = report(run)
    print(summary(run, merged))
    return 0


def add_parser(sub) -> None:
    c = sub.add_parser("class", help="grade a class: gradebook, CSV, feedback")
    c.add_argument("class_dir", nargs="?", default=str(ROOT / "examples" / "class"))
    c.add_argument("--out", default="grading", help="output folder (default grading/)")
    c.add_argument("--jobs", type=int, default=None, help="parallel workers (default: cores)")
    c.add_argument("--lesson", action="append", help="grade only this lesson id (repeatable)")
    c.add_argument("--task", action="append", help="grade only the tests of this task")
    c.add_argument("--seed", type=int, help="seed for the hidden inputs (default: random)")
    c.add_argument("--budget", type=float, default=300.0, help="seconds per lesson (default 300)")
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    c.set_defaults(handler=cli)


def rewrite_feedback(out: Path) -> int:
    """Feedback again from OUT/results/<student>.json and the gradebook's written-answer grades
    (after manual grading in formgrader, say). Returns the number of students."""
    written = gradebook.written_grades(out / "gradebook.db")
    count = 0
    for path in sorted((out / "results").glob("*.json")):
        student = path.stem
        result = json.loads(path.read_text())
        feedback.write(out / "feedback" / student, student, result, written.get(student, {}))
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m autograder.classroom")
    sub = parser.add_subparsers(dest="what", required=True)
    f = sub.add_parser("feedback", help="rewrite OUT/feedback/ from results and the gradebook")
    f.add_argument("--out", default="grading")
    args = parser.parse_args(argv)
    n = rewrite_feedback(Path(args.out))
    print(f"feedback for {n} students in {Path(args.out) / 'feedback'}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
