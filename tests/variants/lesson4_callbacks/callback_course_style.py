"""Callback written in the course's style: __call__ looks the method up on the instance with
getattr(self, event, None) (so, once a runner is set, through the delegating __getattr__ for
an event the callback lacks) and answers True / False; __getattr__ guards only `run`."""

KEEPS = ["Callback"]


class Callback(Callback):  # noqa: F821
    def __getattr__(self, k):
        if k == "run" or k.startswith("__"):
            raise AttributeError(k)
        return getattr(self.run, k)

    def __call__(self, cb_name):
        f = getattr(self, cb_name, None)
        if f and f():
            return True
        return False
