"""A Hook without __enter__ / __exit__ (as the course's): right in every other way, but
`with Hook(...) as h:` raises TypeError."""

CATCHES = ["Hook"]


class Hook:
    def __init__(self, module, func):
        me = weakref.ref(self)
        self.handle = module.register_forward_hook(
            lambda m, i, o: func(me(), m, i, o) if me() is not None else None
        )

    def remove(self):
        self.handle.remove()

    def __del__(self):
        self.remove()
