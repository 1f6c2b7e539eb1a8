"""nbgrader's configuration for this course (read by every `nbgrader` command run here).

Our layout in nbgrader's terms: `source/` = its source folder, `assignments/` = its release
folder, `solutions/` = its solution folder; a class being graded lives in `grading/` (what
`make autograde` writes): grading/submitted/<student>/<lesson>/, grading/gradebook.db,
grading/feedback/. Each lesson is one nbgrader assignment named after its folder.

Two nbgrader defaults would leak or overwrite solutions, so the lessons' student modules
(`<module>.py`, solution regions inside) are kept out of everything nbgrader copies:
- `generate_assignment` copies .py files verbatim (nbgrader#1237): the full solution would ship;
- `autograde` copies source files over the submission (nbgrader#940): the student's module would
  be replaced by the solution before grading.
Our own generator (`python -m autograder.generate`) writes the stub modules; `make release`
runs nbgrader's generate_assignment into build/ and adds them (autograder/release.py).
nbgrader's own autograde (autograder/nbautograde.py: a graded cell calls the engine by name)
lifts the module entries of `ignore` for that step only, so the student's module reaches
autograded/, and relies on `Autograde.exclude_overwriting` to keep source/'s copy out of it.
The class command (`make autograde`) grades outside nbgrader's kernels and writes the same
gradebook through nbgrader's API.
"""

import ast
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _lesson_modules():
    """{lesson id: module file name}, from the hidden graders' LESSON/MODULE constants (a
    grader file lessonN_x.py, or a grader package lessonN_x/ whose __init__.py declares them)."""
    found = {}
    for path in sorted((HERE / "autograder" / "graders").glob("lesson*")):
        declares = path / "__init__.py" if path.is_dir() else path
        if path.suffix not in (".py", "") or not declares.is_file():
            continue
        consts = {}
        for node in ast.parse(declares.read_text()).body:
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
                names = [getattr(t, "id", None) for t in node.targets[0].elts]
                values = [getattr(v, "value", None) for v in getattr(node.value, "elts", [])]
                consts.update(zip(names, values))
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                consts[getattr(node.targets[0], "id", None)] = node.value.value
        if consts.get("MODULE"):
            found[path.stem] = f"{consts['MODULE']}.py"
    return found


MODULES = _lesson_modules()

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.root = str(HERE)
c.CourseDirectory.course_id = "foundations"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.solution_directory = "solutions"
c.CourseDirectory.submitted_directory = "grading/submitted"
c.CourseDirectory.autograded_directory = "grading/autograded"
c.CourseDirectory.feedback_directory = "grading/feedback"
c.CourseDirectory.db_url = f"sqlite:///{HERE / 'grading' / 'gradebook.db'}"

# never copy a lesson's module (solution inside) in either direction
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "*.png",
] + sorted(set(MODULES.values()))
c.Autograde.exclude_overwriting = {lesson: [module] for lesson, module in MODULES.items()}

# hidden tests never reach feedback (nbgrader#917, #1363): graded cells call our engine by name
c.ClearHiddenTests.enforce_metadata = True
c.Execute.timeout = 120
