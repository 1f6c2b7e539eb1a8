"""`del hooks[i]` drops the Hook from the list but leaves it registered on its module
(the Hook is still referenced by the module through a partial)."""

CATCHES = ["Hooks"]

from functools import partial


class _StickyHook(Hook):
    def __init__(self, module, func):
        self.module = module
        self.handle = module.register_forward_hook(partial(func, self))


class Hooks(Hooks):
    def __init__(self, modules, func):
        ListContainer.__init__(self, [_StickyHook(m, func) for m in modules])

    def __delitem__(self, i):
        ListContainer.__delitem__(self, i)
