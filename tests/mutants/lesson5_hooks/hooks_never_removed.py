"""Hooks.remove() forgets the call parentheses (`h.remove`): nothing is taken off, so the
hooks outlive the `with` block."""

CATCHES = ["Hooks"]


class Hooks(Hooks):
    def remove(self):
        for h in self:
            h.remove
