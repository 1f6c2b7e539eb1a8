"""ListContainer indexes with a tensor element by element, as the course did: a bool tensor's
elements become indices 0 and 1 instead of a mask."""

CATCHES = ["ListContainer"]


class ListContainer(ListContainer):
    def __getitem__(self, idx):
        if isinstance(idx, torch.Tensor) and idx.dim() == 1:
            return [self.items[int(i)] for i in idx]
        return super().__getitem__(idx)
