"""Hook registers its own bound method: the module holds the method, the method holds the
Hook, so (as with the course's partial) a dropped Hook is never collected and stays on."""

CATCHES = ["Hook"]


class Hook(Hook):
    def __init__(self, module, func):
        self.module, self.func = module, func
        self.handle = module.register_forward_hook(self.hook_fn)

    def hook_fn(self, module, inp, out):
        self.func(self, module, inp, out)
