"""Raises exceptions whose message is a megabyte of text and whose __str__ raises: the report
keeps one short, printable line."""

EXPECT = 0


class Nasty(Exception):
    def __str__(self):
        raise RuntimeError("no")


def frobenius_norm(m):
    raise Nasty()


class Loud(Exception):
    pass


def matmul_torch(a, b):
    raise Loud("\x00\x1b[2J" + "Z\n" * (1 << 19))
