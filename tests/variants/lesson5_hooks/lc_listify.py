"""ListContainer in the course's style: items from a listify helper (a list is kept as it is,
not copied) and indexing that tries the list first and falls back on TypeError; tensors are
turned into lists first, a mask of the wrong length raises ValueError."""

KEEPS = ["ListContainer"]

from collections.abc import Iterable


def listify(o):
    if o is None:
        return []
    if isinstance(o, list):
        return o
    if isinstance(o, str):
        return [o]
    if isinstance(o, Iterable):
        return list(o)
    return [o]


class ListContainer(ListContainer):
    def __init__(self, items=None):
        self.items = listify(items)

    def __getitem__(self, idx):
        if isinstance(idx, torch.Tensor):
            idx = idx.tolist()
        try:
            return self.items[idx]
        except TypeError:
            if isinstance(idx[0], bool):
                if len(idx) != len(self):
                    raise ValueError("the bool mask needs one entry per item")
                return [o for m, o in zip(idx, self.items) if m]
            return [self.items[i] for i in idx]
