"""The hidden graders, one file or package per lesson (see autograder/lessons.py)."""
