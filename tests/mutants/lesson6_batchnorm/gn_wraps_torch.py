"""GroupNorm calls F.group_norm instead of computing the group statistics."""

import torch.nn.functional as F  # the reference module does not import it

CATCHES = ["GroupNorm"]

_gn = F.group_norm


class GroupNorm(GroupNorm):
    def forward(self, x):
        check_images(x, self.nf, "GroupNorm")
        return _gn(x, self.num_groups, self.mults.view(-1), self.adds.view(-1), self.eps)
