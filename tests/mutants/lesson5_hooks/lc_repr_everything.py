"""ListContainer's repr prints every item (unreadable for 1000 hooks)."""

CATCHES = ["ListContainer"]


class ListContainer(ListContainer):
    def __repr__(self):
        return f"{self.__class__.__name__} ({len(self)} items)\n{self.items}"
