"""BatchNorm hands the work to torch's F.batch_norm (right numbers, but the lesson is to compute
the statistics yourself)."""

import torch.nn.functional as F  # the reference module does not import it

CATCHES = ["BatchNorm"]


class BatchNorm(BatchNorm):
    def forward(self, x):
        check_images(x, self.nf, "BatchNorm")
        return F.batch_norm(
            x,
            self.means.view(-1),
            self.vars.view(-1),
            self.mults.view(-1),
            self.adds.view(-1),
            self.training,
            self.mom,
            self.eps,
        )
