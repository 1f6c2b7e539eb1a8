"""Walks from an exception's traceback to the executor's frames and globals."""

EXPECT = 0
MESSAGE = "uses .__traceback__"


def _executor_globals():
    try:
        raise ValueError
    except ValueError as e:
        return e.__traceback__.tb_frame.f_back.f_globals
