"""Hook.remove() deletes its handle attribute, so a second remove() raises AttributeError."""

CATCHES = ["Hook"]


class Hook(Hook):
    def remove(self):
        self.handle.remove()
        del self.handle
