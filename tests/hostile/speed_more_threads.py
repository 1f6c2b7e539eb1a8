"""Asks torch for more threads: legitimate, and no advantage, since speed is CPU time of the
whole box (every thread counted) and each box has one CPU. Full marks."""

EXPECT = "full"

import torch

torch.set_num_threads(4)
