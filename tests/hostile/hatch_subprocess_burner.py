"""Starts a setsid'ed process that burns CPU while the reference is timed: subprocess is not importable (and the box would kill it, and count its CPU time)."""

EXPECT = 0
MESSAGE = "imports subprocess"

import subprocess

subprocess.Popen(["python3", "-c", "while True: pass"], start_new_session=True)
