"""ListContainer keeps a list as it is and wraps anything else as one item: None becomes
[None], a tuple, a range or a generator one item instead of its elements."""

CATCHES = ["ListContainer"]


class ListContainer(ListContainer):
    def __init__(self, items=None):
        self.items = list(items) if isinstance(items, list) else [items]
