#!/usr/bin/env python3
"""Checks that the PyTorch models of docs/pytorch.md reproduce wgan's E1 models.

The models are the python code blocks of docs/pytorch.md, run as they are.

Usage: check_pytorch.py DIR, where DIR is what PyTorchFixturesTest writes (target/pytorch-fixtures):
for each of critic/, generator/ and mixed/ (whose model is in mixed/model.py), before/*.npy (a state dict), input.npy, output_eval.npy,
output_train.npy and after/*.npy (the state dict after the training-mode pass). wgan's tensors
are NHWC; PyTorch's NCHW. Needs torch and numpy; exits 1 on any mismatch beyond 1e-4.
"""
import pathlib
import re
import sys

import numpy as np
import torch

TOL = 1e-4

DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "pytorch.md"


def documented_models():
    """Runs the python code blocks of docs/pytorch.md, which define e1_critic and e1_generator."""
    text = DOC.read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    namespace = {}
    exec("\n".join(blocks), namespace)
    return namespace["e1_critic"], namespace["e1_generator"]


def generated_model(d):
    """A model of no document: the Sequential that wgan printed (Sequential.torchSource()) to d/model.py."""
    namespace = {"nn": torch.nn}
    exec((d / "model.py").read_text(), namespace)
    return namespace["model"]


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
    critic, generator = documented_models()
    ok = check("critic", critic, root)
    ok &= check("generator", generator, root)
    ok &= check("mixed", generated_model(root / "mixed"), root)
    print("all match" if ok else "MISMATCH")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
