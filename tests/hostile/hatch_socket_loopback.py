"""Talks to a service on loopback to fetch answers: socket is not importable (and the box has no network)."""

EXPECT = 0
MESSAGE = "imports socket"

import socket

_s = socket.create_connection(("127.0.0.1", 8888), timeout=1)
