"""ListContainer builds its items with list(items): a string becomes its characters and a
single number raises TypeError."""

CATCHES = ["ListContainer"]


class ListContainer(ListContainer):
    def __init__(self, items=None):
        self.items = [] if items is None else list(items)
