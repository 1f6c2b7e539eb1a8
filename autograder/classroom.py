"""Grade a whole class: `python -m autograder class CLASS_DIR --out grading [--jobs N]`.

    CLASS_DIR/submitted/<student>/...   one folder per student, in any layout intake.py accepts:
                                        lesson folders, a student repository (GitHub Classroom:
                                        assignments/<lesson>/), a lesson folder, a bare module
    CLASS_DIR/class.toml                optional: [materialise] student = "solutions" ...

Steps (state travels in one `ClassRun`):
1. check      OUT is neither CLASS_DIR nor inside it (nor the reverse), nor the repository's own;
2. stage      each submission through `intake` (layout found, links refused, sizes bounded) into
              OUT/submitted/<student>/<lesson>/ (nbgrader's layout, with a timestamp.txt), and
              the students class.toml names from the generated trees (the reference from
              solutions/, the stubs from assignments/), so they always match source/;
3. grade      one unit per (student, lesson) in a process pool (`--jobs`, default: all cores),
              each through the engine (`judge.grade_submission`: sandboxed student code, the
              judge in the worker); a worker's output goes to OUT/logs/, not the terminal;
4. record     as each unit finishes: OUT/results/<student>/<lesson>.json, its scores into
              nbgrader's gradebook OUT/gradebook.db (one grade cell per hidden test, keyed on
              the test's stable id; the notebook's written questions left for manual grading)
              and the notebook into OUT/autograded/ for formgrader - a unit that fails keeps
              its previous grades;
5. report     `classreport.write`: OUT/results/<student>.json, grades.csv (nbgrader's exporter),
              tests.csv, feedback/<student>/feedback.{md,html}, and the score table on stdout,
              all with the same totals (auto and manual points together).
Re-running replaces results and auto scores in place; manual scores in the gradebook stay.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import time
import tomllib
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from autograder import classreport, gradebook, intake, results
from autograder.lessons import ROOT, Lesson, all_lessons

CONFIG = "class.toml"
TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f UTC"  # nbgrader's timestamp.txt, parsed by nbgrader.utils


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
    intakes: dict[str, intake.Intake] = field(default_factory=dict)
    results: dict[str, dict[str, dict]] = field(default_factory=dict)  # student -> lesson -> r
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    merged: dict[str, dict] = field(default_factory=dict)  # student -> results, all points
    when: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


class FolderError(ValueError):
    """CLASS_DIR and --out that would destroy or grade what they must not."""


# ---- 1. check --------------------------------------------------------------------------------


def read_config(class_dir: Path) -> dict:
    path = class_dir / CONFIG
    return tomllib.loads(path.read_text()) if path.is_file() else {}


def materialised(class_dir: Path) -> dict[str, Path]:
    """{student: generated tree} from class.toml's [materialise] table."""
    table = read_config(class_dir).get("materialise", {})
    return {student: ROOT / tree for student, tree in table.items()}


def _within(a: Path, b: Path) -> bool:
    return a == b or b in a.parents


def check_folders(class_dir: Path, out: Path) -> None:
    """Refuse an output folder that is the class folder, inside it or around it (grading
    replaces OUT/submitted/: `class X --out X` would delete the submissions), or one of the
    repository's own folders; and a class whose submitted/ is a link."""
    klass, dest = class_dir.resolve(), out.resolve()
    if _within(dest, klass):
        where = "the class folder" if dest == klass else "inside the class folder"
        raise FolderError(
            f"the output folder {out} is {where} {class_dir}: grading rewrites it; "
            f"choose an --out outside the class"
        )
    if _within(klass, dest):
        raise FolderError(
            f"the class folder {class_dir} is inside the output folder {out}: grading "
            f"rewrites it; choose an --out outside the class"
        )
    why = intake.course_folder(out)
    if why:
        raise FolderError(f"the output folder {out} is not allowed: {why}")
    if (class_dir / "submitted").is_symlink():
        raise FolderError(f"{class_dir}/submitted is a link: links are never graded")


# ---- 2. stage --------------------------------------------------------------------------------


def _student_folders(class_dir: Path) -> list[Path]:
    source = class_dir / "submitted"
    listing = intake._listing(source) if source.is_dir() else []
    if listing is None:
        raise FolderError(f"{source} holds more than {intake.MAX_ENTRIES} entries")
    return [Path(e.path) for e in listing if not e.name.startswith(".") and not e.is_file()]


def stage(run: ClassRun) -> list[str]:
    """OUT/submitted/<student>/, fresh each run; returns the students, sorted."""
    staged = run.out / "submitted"
    if staged.exists():
        shutil.rmtree(staged)
    staged.mkdir(parents=True)
    for folder in _student_folders(run.class_dir):
        found = intake.find(folder, run.lessons, course_ok=False)
        intake.stage(found, staged / folder.name)
        run.intakes[folder.name] = found
    for student, tree in materialised(run.class_dir).items():
        target = staged / student
        if target.exists():
            shutil.rmtree(target)
        run.intakes[student] = intake.stage_tree(tree, target, run.lessons)
    for student in run.intakes:
        for lesson in run.lessons:  # nbgrader's submitted/<student>/<lesson>/timestamp.txt
            folder = staged / student / lesson.id
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "timestamp.txt").write_text(run.when.strftime(TIMESTAMP))
    return sorted(run.intakes)


def _log_intakes(run: ClassRun) -> None:
    log = run.out / "logs" / "intake.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for student, found in sorted(run.intakes.items()):
        lines.append(f"{student}: {found.summary()}")
        lines += [f"{student}: {note}" for note in found.notes]
        lines += [f"{student}: {i}: {n}" for i, f in found.lessons.items() for n in f.notes]
    log.write_text("\n".join(lines) + "\n")


# ---- 3. grade --------------------------------------------------------------------------------


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


# ---- 4. record -------------------------------------------------------------------------------


def written_questions(lesson: Lesson) -> dict[str, float]:
    """{grade_id: points} of the lesson notebook's manually graded written questions."""
    return gradebook.written_questions(lesson.id)


def check_notebook(folder: Path, wanted: dict[str, float]):
    """(written grade_ids missing from the submitted notebook, notes for the feedback,
    the notebook formgrader shows or None)."""
    import nbformat

    if not wanted:
        return set(), [], None
    notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if not notebooks:
        return set(wanted), ["no notebook submitted: the written questions score 0"], None
    ids: list[str] = []
    notes, shown = [], None
    for path in notebooks:
        try:
            cells = nbformat.read(path, as_version=4).cells
        except Exception as e:  # noqa: BLE001 - a hand-edited notebook may not even be JSON
            notes.append(f"{path.name} could not be read ({type(e).__name__}); fix and resubmit")
            continue
        mine = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in cells]
        mine = [i for i in mine if i in wanted]
        if mine and (shown is None or path.stem == folder.name):
            shown = path
        ids += mine
    missing = set(wanted) - set(ids)
    for grade_id in sorted(missing):
        notes.append(f"written answer '{grade_id}' is missing from the notebook: it scores 0")
    for grade_id in sorted({i for i in ids if ids.count(i) > 1}):
        notes.append(f"written answer '{grade_id}' appears more than once: the first is graded")
    return missing, notes, shown


def _for_formgrader(run: ClassRun, student: str, lesson_id: str, notebook: Path | None) -> None:
    """OUT/autograded/<student>/<lesson>/<lesson>.ipynb: what formgrader shows a grader (it
    lists a submission as autograded when this folder exists and the submission's timestamp
    in the gradebook equals submitted/.../timestamp.txt)."""
    folder = run.out / "autograded" / student / lesson_id
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if notebook is not None:
        shutil.copyfile(notebook, folder / f"{lesson_id}.ipynb")


def _record(run: ClassRun, gb, student: str, lesson_id: str, result: dict) -> None:
    found = run.intakes[student]
    result = intake.explain(result, found)
    written = gradebook.written_questions(lesson_id)
    missing, notes, notebook = check_notebook(run.out / "submitted" / student / lesson_id, written)
    this = found.lessons[lesson_id]
    extra = result.setdefault("extra_data", {})
    extra["layout"] = f"{this.layout} ({this.where})" if this.source else this.layout
    extra["notes"] = ([this.refused] if this.refused else []) + this.notes + notes
    results.write(result, run.out / "results" / student / f"{lesson_id}.json")
    if result["tests"]:
        gradebook.define_lesson(gb, lesson_id, result["tests"], prune=run.tasks is None)
        when = _nbgrader_time(run.when)
        gradebook.record(gb, student, lesson_id, result["tests"], missing, when)
        _for_formgrader(run, student, lesson_id, notebook)


def _nbgrader_time(when: datetime) -> datetime:
    """The time as nbgrader reads it back from timestamp.txt (they must compare equal)."""
    from nbgrader.utils import parse_utc

    return parse_utc(when.strftime(TIMESTAMP))


# ---- 5. report -------------------------------------------------------------------------------


def report(run: ClassRun) -> dict[str, dict]:
    """Write every report of the class (`classreport.write`: auto and manual points together)
    and return, per student of this run, what the engine measured: the auto-graded tests of
    every lesson graded so far, without the written answers (`classreport.auto_only`)."""
    run.merged = classreport.write(run.out, run.students, run.seed)
    return {s: classreport.auto_only(r) for s, r in run.merged.items()}


def summary(run: ClassRun) -> str:
    lines = [classreport.table(run.merged), ""]
    layouts: dict[str, int] = {}
    for found in run.intakes.values():
        layouts[found.layout] = layouts.get(found.layout, 0) + 1
    lines.append("layouts found: " + ", ".join(f"{k} {v}" for k, v in sorted(layouts.items())))
    lines.append(
        f"{len(run.students)} students x {len(run.lessons)} lessons graded in "
        f"{run.seconds:.1f} s with {run.jobs} jobs (seed {run.seed})."
    )
    lines.append(
        f"Gradebook {run.out / 'gradebook.db'}, CSV {run.out / 'grades.csv'} and "
        f"{run.out / 'tests.csv'}, feedback in {run.out / 'feedback'}/, "
        f"layouts in {run.out / 'logs' / 'intake.log'}."
    )
    lines += [f"warning: {e}" for e in run.errors]
    return "\n".join(lines)


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
    check_folders(run.class_dir, run.out)
    run.out.mkdir(parents=True, exist_ok=True)
    # as root the sandboxed child runs unprivileged: keep it out of the class, the gradebook
    # and build/ (the Gradescope zips hold solutions and graders)
    protect_secrets((run.out.resolve(), run.class_dir.resolve(), ROOT / "build"))
    run.students = stage(run)
    _log_intakes(run)
    units = _units(run)
    pending, tries = list(units), {unit: 0 for unit in units}
    with (
        gradebook.open_gradebook(run.out / "gradebook.db") as gb,
        _progress(len(units), quiet) as bar,
    ):
        while pending:  # a pool whose worker was killed from outside is replaced, once per unit
            pending = _grade_in_pool(run, pending, tries, gb, bar)
    run.seconds = time.monotonic() - start
    return run


def _grade_in_pool(run: ClassRun, units: list[Unit], tries: dict, gb, bar) -> list:
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
                _record(run, gb, student, lesson_id, result)
            bar.update()
    return retry


def cli(args) -> int:
    class_dir = Path(args.class_dir)
    if not (class_dir / "submitted").is_dir() and not materialised(class_dir):
        print(f"error: {class_dir}/submitted/ does not exist", file=sys.stderr)
        return 2
    from autograder import lessons

    try:
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
    except FolderError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    report(run)
    print(summary(run))
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


def main(argv: list[str] | None = None) -> int:
    """`python -m autograder.classroom report --out grading` (what `make feedback` runs):
    every report again from the stored results and the gradebook, after manual grading."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m autograder.classroom")
    sub = parser.add_subparsers(dest="what", required=True)
    for name in ("report", "feedback"):  # `feedback`: the old name
        r = sub.add_parser(name, help="rewrite feedback, CSVs and the table from OUT")
        r.add_argument("--out", default="grading")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if not (out / "results").is_dir():
        print(f"error: {out}/results/ does not exist: grade the class first", file=sys.stderr)
        return 2
    merged = classreport.write(out)
    print(classreport.table(merged))
    print(
        f"\nfeedback for {len(merged)} students in {out / 'feedback'}/, "
        f"{out / 'grades.csv'} and {out / 'tests.csv'} rewritten"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
