"""The course's Hook: registers partial(func, self), so the module keeps the Hook alive and
__del__ never runs; a Hook that is simply dropped stays on the model."""

CATCHES = ["Hook"]

from functools import partial


class Hook(Hook):
    def __init__(self, module, func):
        self.module = module
        self.handle = module.register_forward_hook(partial(func, self))
