"""The course's Hook with the smallest fix: partial(func, weakref.proxy(self)). func gets a
proxy that writes through to the Hook (hook.stats lands on it), and nothing on the module keeps
the Hook alive, so __del__ runs when it is dropped."""

KEEPS = ["Hook", "Hooks"]

from functools import partial


class Hook:
    def __init__(self, m, f):
        self.hook = m.register_forward_hook(partial(f, weakref.proxy(self)))

    def remove(self):
        self.hook.remove()

    def __enter__(self, *args):
        return self

    def __exit__(self, *args):
        self.remove()

    def __del__(self):
        self.remove()
