"""The whole lesson folder is a symbolic link to the reference solution's folder (or another
student's): links are never followed, so the lesson is missing."""

EXPECT = 0
MESSAGE = "missing:"
LAYOUT = "symlink_lesson"
