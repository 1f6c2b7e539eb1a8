"""Lesson 6: one epoch of full MNIST (50,000 images, validated on 10,000) on CPU with the
reference BatchNorm and RunningBatchNorm in the course's CNN (conv 5x5 then 3x3, stride 2,
channels 8-16-32-64-64, ReLU then the norm), SGD momentum 0.9 with a one-cycle learning rate,
batch size 64, one thread; then batch size 2 on the first 10,000 images, where BatchNorm breaks.
Course figures: 0.97-0.983 one epoch; at batch size 2, nn.BatchNorm2d 0.26, RunningBatchNorm
0.973 (full epoch)."""

from __future__ import annotations


import torch

from autograder.lessons import load_reference


def _one_epoch(bn, norm, lr, bs, n_train=None):
    torch.manual_seed(0)
    xt, yt, xv, yv = bn.mnist_images(n_train)
    result = bn.fit(bn.get_cnn_model(norm=norm), xt, yt, xv, yv, epochs=1, lr=lr, bs=bs)
    return result["valid_acc"][-1], result["seconds"]


def run() -> list[str]:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        bn = load_reference("lesson6_batchnorm")
        lines = ["one epoch of MNIST, batch size 64, reference layers, 1 thread:"]
        best = 0.0
        for name, norm, lr in [
            ("BatchNorm", bn.BatchNorm, 0.6),
            ("RunningBatchNorm", bn.RunningBatchNorm, 0.6),
        ]:
            acc, secs = _one_epoch(bn, norm, lr, 64)
            best = max(best, acc)
            lines.append(f"  {name:<17} valid accuracy {acc:.4f}   {secs:6.1f} s")
        lines.append(f"  best one-epoch validation accuracy: {best:.4f} (goal >= 0.985)")
        lines.append("batch size 2, first 10,000 training images, lr 0.01:")
        for name, norm in [("BatchNorm", bn.BatchNorm), ("RunningBatchNorm", bn.RunningBatchNorm)]:
            acc, secs = _one_epoch(bn, norm, 0.01, 2, 10000)
            lines.append(f"  {name:<17} valid accuracy {acc:.4f}   {secs:6.1f} s")
        return lines
    finally:
        torch.set_num_threads(threads)
