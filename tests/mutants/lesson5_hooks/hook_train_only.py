"""Hook calls func only while the module is training, so a hook attached for validation (or a
func that wants eval batches) never runs in eval mode."""

CATCHES = ["Hook"]


class Hook(Hook):
    def __init__(self, module, func):
        def train_only(hook, mod, inp, out):
            if mod.training:
                func(hook, mod, inp, out)

        super().__init__(module, train_only)
