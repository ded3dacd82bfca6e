#!/usr/bin/env python3
"""Checks that the PyTorch models of docs/pytorch.md reproduce wgan's E1 models.

Usage: check_pytorch.py DIR, where DIR is what PyTorchFixturesTest writes (target/pytorch-fixtures):
for each of critic/ and generator/, before/*.npy (a state dict), input.npy, output_eval.npy,
output_train.npy and after/*.npy (the state dict after the training-mode pass). wgan's tensors
are NHWC; PyTorch's NCHW. Needs torch and numpy; exits 1 on any mismatch beyond 1e-4.
"""
import pathlib
import sys

import numpy as np
import torch
import torch.nn as nn

TOL = 1e-4

# The E1 critic and generator exactly as docs/pytorch.md gives them.
def e1_critic():
    return nn.Sequential(
        nn.Conv2d(1, 64, 4, stride=2, padding=1),  # 0
        nn.BatchNorm2d(64, eps=0.001, momentum=0.01),  # 1
        nn.LeakyReLU(0.2),  # 2
        nn.Conv2d(64, 64, 4, stride=2, padding=1),  # 3
        nn.BatchNorm2d(64, eps=0.001, momentum=0.01),  # 4
        nn.LeakyReLU(0.2),  # 5
        nn.Flatten(),  # 6
        nn.Linear(3136, 1),  # 7
    )


def e1_generator():
    return nn.Sequential(
        nn.Linear(50, 6272),  # 0
        nn.LeakyReLU(0.2),  # 1
        nn.Unflatten(1, (128, 7, 7)),  # 2
        nn.ConvTranspose2d(128, 128, 4, stride=2, padding=1),  # 3
        nn.BatchNorm2d(128, eps=0.001, momentum=0.01),  # 4
        nn.LeakyReLU(0.2),  # 5
        nn.ConvTranspose2d(128, 128, 4, stride=2, padding=1),  # 6
        nn.BatchNorm2d(128, eps=0.001, momentum=0.01),  # 7
        nn.LeakyReLU(0.2),  # 8
        nn.Conv2d(128, 1, 7, stride=1, padding=3),  # 9
        nn.Tanh(),  # 10
    )


def load_dir(d):
    return {p.stem: torch.from_numpy(np.load(p)) for p in sorted(d.glob("*.npy"))}


def nchw(a):
    t = torch.from_numpy(a)
    return t.permute(0, 3, 1, 2).contiguous() if t.dim() == 4 else t


def compare(what, ours, theirs):
    diff = (ours.float() - theirs.float()).abs().max().item()
    ok = diff <= TOL
    print(f"  {what}: max |diff| {diff:.3g} {'ok' if ok else 'MISMATCH'}")
    return ok


def check(name, model, root):
    d = root / name
    print(name)
    model.load_state_dict(load_dir(d / "before"), strict=True)
    x = nchw(np.load(d / "input.npy"))
    ok = True
    with torch.no_grad():
        model.eval()
        ok &= compare("output, inference mode", nchw(np.load(d / "output_eval.npy")), model(x))
        model.train()
        ok &= compare("output, training mode", nchw(np.load(d / "output_train.npy")), model(x))
    after = load_dir(d / "after")
    for key, value in model.state_dict().items():
        if "running" in key or "num_batches" in key:
            ok &= compare("after training pass: " + key, after[key], value)
    return ok


def main():
    root = pathlib.Path(sys.argv[1])
    torch.manual_seed(0)
    ok = check("critic", e1_critic(), root)
    ok &= check("generator", e1_generator(), root)
    print("all match" if ok else "MISMATCH")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
