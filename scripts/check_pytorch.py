#!/usr/bin/env python3
"""Checks that the PyTorch models of docs/pytorch.md reproduce wgan's E1 models.

The models are the python code blocks of docs/pytorch.md, run as they are.

Usage: check_pytorch.py DIR, where DIR is what PyTorchFixturesTest writes (target/pytorch-fixtures):
for each of critic/, generator/ and mixed/ (whose model is in mixed/model.py), before/*.npy (a state dict), input.npy, output_eval.npy,
output_train.npy and after/*.npy (the state dict after the training-mode pass). wgan's tensors
are NHWC; PyTorch's NCHW. critic/penalty and mixed/penalty hold interpolates, the gradient
penalty there and its gradients with respect to the parameters. Needs torch and numpy; exits 1
on any mismatch beyond 1e-4 (relative to the penalty, or to the largest gradient).
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


def compare(what, ours, theirs, scale=1.0):
    """Max |difference| / scale <= 1e-4."""
    diff = (ours.float() - theirs.float()).abs().max().item() / abs(scale)
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


def check_penalty(name, model, root):
    """The gradient penalty (Gulrajani et al. 2017) and its parameter gradients by double backprop."""
    d = root / name / "penalty"
    print(name + ", gradient penalty")
    model.load_state_dict(load_dir(root / name / "after"), strict=True)
    model.train()
    x = nchw(np.load(d / "xhat.npy")).requires_grad_(True)
    (g,) = torch.autograd.grad(model(x).sum(), x, create_graph=True)
    norm = torch.sqrt(g.pow(2).flatten(1).sum(1) + 1e-12)
    penalty = 10 * ((norm - 1) ** 2).mean()
    model.zero_grad()
    penalty.backward()
    ok = compare("penalty", torch.from_numpy(np.load(d / "value.npy")), penalty.detach(), scale=penalty.item())
    # A parameter the penalty does not reach (the output bias) has no grad; biases before a
    # BatchNorm have a zero one. So every difference is taken relative to the largest gradient.
    theirs = {k: p.grad if p.grad is not None else torch.zeros_like(p) for k, p in model.named_parameters()}
    scale = max(t.abs().max().item() for t in theirs.values())
    ours = load_dir(d / "grads")
    for key, t in theirs.items():
        ok &= compare("d penalty / d " + key, ours[key], t, scale=scale)
    return ok


def main():
    root = pathlib.Path(sys.argv[1])
    torch.manual_seed(0)
    critic, generator = documented_models()
    ok = check("critic", critic, root)
    ok &= check("generator", generator, root)
    ok &= check_penalty("critic", critic, root)
    mixed = generated_model(root / "mixed")
    ok &= check("mixed", mixed, root)
    ok &= check_penalty("mixed", mixed, root)
    print("all match" if ok else "MISMATCH")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
