#!/usr/bin/env python3
"""Checks that a wgan checkpoint loads into the PyTorch models of docs/pytorch.md and computes
the same images.

Usage: check_checkpoint.py CHECKPOINT_DIR Z.npy SAMPLES.npy
  CHECKPOINT_DIR  a wgan checkpoint folder (generator.safetensors, critic.safetensors)
  Z.npy           latent points (N, 50)
  SAMPLES.npy     what `wgan generate --checkpoint CHECKPOINT_DIR --latent Z.npy --out SAMPLES.npy` wrote

Both networks are loaded with load_state_dict(strict=True) from the safetensors files as wgan
wrote them; the generator in eval mode must reproduce SAMPLES.npy to 1e-4. The safetensors files
are parsed here with the standard library (8-byte header length, JSON header, little-endian
data), so the check needs only torch and numpy. Exits 1 on a mismatch.
"""
import json
import pathlib
import struct
import sys

import numpy as np
import torch

from check_pytorch import documented_models

DTYPES = {"F32": np.float32, "I64": np.int64}


def load_safetensors(path):
    data = pathlib.Path(path).read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[base + begin:base + end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


def main(checkpoint, z_file, samples_file):
    critic, generator = documented_models()
    checkpoint = pathlib.Path(checkpoint)
    critic.load_state_dict(load_safetensors(checkpoint / "critic.safetensors"), strict=True)
    generator.load_state_dict(load_safetensors(checkpoint / "generator.safetensors"), strict=True)
    generator.eval()
    with torch.no_grad():
        ours = generator(torch.from_numpy(np.load(z_file)))
    theirs = torch.from_numpy(np.load(samples_file))
    diff = (ours - theirs).abs().max().item()
    print(f"critic and generator loaded with strict=True; generator images {tuple(ours.shape)}, "
          f"max |torch - wgan| = {diff:.3g}")
    return 0 if diff <= 1e-4 else 1


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
