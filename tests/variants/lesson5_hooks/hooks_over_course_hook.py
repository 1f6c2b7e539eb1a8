"""Hooks in the course's style over a Hook that registers partial(func, self) (wrong for the
Hook task: a dropped Hook stays). Hooks itself is right: dropping the Hooks object runs its
__del__, which removes every hook. The old grader counted a Hook left by an earlier step of the
same probe against "dropped Hooks removed": a false failure found with the course's code."""

KEEPS = ["Hooks"]

from functools import partial


class Hook:
    def __init__(self, m, f):
        self.hook = m.register_forward_hook(partial(f, self))

    def remove(self):
        self.hook.remove()

    def __del__(self):
        self.remove()


class Hooks(ListContainer):
    def __init__(self, ms, f):
        super().__init__([Hook(m, f) for m in ms])

    def __enter__(self, *args):
        return self

    def __exit__(self, *args):
        self.remove()

    def __del__(self):
        self.remove()

    def __delitem__(self, i):
        self[i].remove()
        super().__delitem__(i)

    def remove(self):
        for h in self:
            h.remove()
