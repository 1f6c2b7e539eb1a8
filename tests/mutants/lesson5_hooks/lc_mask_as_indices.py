"""ListContainer treats a bool mask like a list of ints (True -> item 1, False -> item 0)."""

CATCHES = ["ListContainer"]


class ListContainer(ListContainer):
    def __getitem__(self, idx):
        if isinstance(idx, torch.Tensor):
            idx = idx.tolist()
        if isinstance(idx, (int, slice)):
            return self.items[idx]
        return [self.items[int(i)] for i in idx]
