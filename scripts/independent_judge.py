#!/usr/bin/env python3
"""An MNIST judge of another design and another code base than wgan's, to check wgan's metrics.

wgan's judge (docs/quality.md) is a CNN trained by wgan's own engine. This one is a multilayer
perceptron, 784 -> 512 -> 256 -> 10 with ReLUs, written here in numpy alone and trained by plain
SGD with momentum: no convolution, no code or weights in common. Its 256 penultimate units are
the feature space of its Frechet distance (Heusel et al. 2017, eq. 6 of arXiv:1706.08500:
|mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2))), computed from the eigenvalues of S1^(1/2) S2 S1^(1/2).

    python3 scripts/independent_judge.py RUN_FOLDER [--class 7] [--count 1000]

scores every checkpoint of a wgan run folder (samples by `java -jar target/wgan.jar generate`),
prints its distance beside wgan's own from the run's metrics.csv, and Spearman's rank correlation
of the two. Needs numpy only; the MNIST files come from datasets/mnist/ of this repository.
"""
import argparse
import csv
import gzip
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def idx(name):
    with gzip.open(os.path.join(ROOT, "datasets", "mnist", name)) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def images(name):
    """Flattened and scaled to [-1, 1], as wgan's samples are."""
    x = idx(name).reshape(-1, 784).astype(np.float32)
    return x / 127.5 - 1


class Mlp:
    """784 -> 512 -> 256 -> 10, He-initialised; features() is the 256-unit ReLU layer."""

    def __init__(self, rng):
        sizes = [784, 512, 256, 10]
        self.w = [rng.normal(0, np.sqrt(2 / a), (a, b)).astype(np.float32) for a, b in zip(sizes, sizes[1:])]
        self.b = [np.zeros(b, np.float32) for b in sizes[1:]]

    def forward(self, x):
        acts = [x]
        for i, (w, b) in enumerate(zip(self.w, self.b)):
            x = x @ w + b
            if i < len(self.w) - 1:
                x = np.maximum(x, 0)
            acts.append(x)
        return acts

    def features(self, x):
        return np.concatenate([self.forward(x[i:i + 1000])[-2] for i in range(0, len(x), 1000)])

    def logits(self, x):
        return np.concatenate([self.forward(x[i:i + 1000])[-1] for i in range(0, len(x), 1000)])

    def train(self, x, y, rng, epochs=4, batch=128, lr=0.05, momentum=0.9):
        velocity = [np.zeros_like(p) for p in self.w + self.b]
        for epoch in range(epochs):
            order = rng.permutation(len(x))
            step = lr if epoch < epochs - 1 else lr / 10
            for start in range(0, len(x), batch):
                rows = order[start:start + batch]
                acts = self.forward(x[rows])
                # Softmax cross-entropy: d loss / d logits = softmax - one-hot, over the batch.
                z = acts[-1] - acts[-1].max(axis=1, keepdims=True)
                p = np.exp(z)
                p /= p.sum(axis=1, keepdims=True)
                p[np.arange(len(rows)), y[rows]] -= 1
                grad = p / len(rows)
                grads_w, grads_b = [], []
                for i in reversed(range(len(self.w))):
                    grads_w.insert(0, acts[i].T @ grad)
                    grads_b.insert(0, grad.sum(axis=0))
                    if i > 0:
                        grad = (grad @ self.w[i].T) * (acts[i] > 0)
                for k, (param, g) in enumerate(zip(self.w + self.b, grads_w + grads_b)):
                    velocity[k] = momentum * velocity[k] + g
                    param -= step * velocity[k]


def frechet(a, b):
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    values, vectors = np.linalg.eigh(s1)
    root1 = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    middle = np.linalg.eigvalsh(root1 @ s2 @ root1)
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.sqrt(np.clip(middle, 0, None)).sum())


def spearman(a, b):
    ranks = lambda v: np.argsort(np.argsort(v))
    return float(np.corrcoef(ranks(np.asarray(a)), ranks(np.asarray(b)))[0, 1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", help="a wgan run folder")
    parser.add_argument("--class", dest="digit", type=int, default=7)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jar", default=os.path.join(ROOT, "target", "wgan.jar"))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    rng = np.random.default_rng(2026)
    judge = Mlp(rng)
    judge.train(images("train-images-idx3-ubyte.gz"), idx("train-labels-idx1-ubyte.gz").astype(np.int64), rng)
    test, labels = images("t10k-images-idx3-ubyte.gz"), idx("t10k-labels-idx1-ubyte.gz")
    accuracy = (judge.logits(test).argmax(1) == labels).mean()
    print(f"independent judge (MLP 784-512-256-10, numpy): test accuracy {accuracy:.4f}")
    real = judge.features(test[labels == args.digit])
    print(f"real against real (test {args.digit}s split alternately): fd {frechet(real[0::2], real[1::2]):.2f}")

    ours = {}
    with open(os.path.join(args.run, "metrics.csv")) as f:
        for row in csv.DictReader(f):
            ours[int(row["iteration"])] = float(row["fd"])
    checkpoints = sorted(d for d in os.listdir(os.path.join(args.run, "checkpoints")) if d.startswith("iter-"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in checkpoints:
            iteration = int(name[len("iter-"):])
            if iteration not in ours:
                continue
            out = os.path.join(tmp, name + ".npy")
            subprocess.run(["java", "-jar", args.jar, "generate", "--checkpoint", os.path.join(args.run, "checkpoints", name),
                            "--count", str(args.count), "--seed", "99", "--threads", str(args.threads), "--out", out],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            samples = np.load(out).reshape(-1, 784)
            fd = frechet(judge.features(samples), real)
            rate = (judge.logits(samples).argmax(1) == args.digit).mean()
            rows.append((iteration, ours[iteration], fd, rate))
            print(f"iteration {iteration:6d}  wgan fd {ours[iteration]:9.2f}  independent fd {fd:9.2f}  class rate {rate:.3f}",
                  flush=True)
    if len(rows) > 1:
        rho = spearman([r[1] for r in rows], [r[2] for r in rows])
        best_ours = min(rows, key=lambda r: r[1])
        best_theirs = min(rows, key=lambda r: r[2])
        print(f"spearman {rho:.3f}; wgan's best (iteration {best_ours[0]}) scores {best_ours[2]:.2f} on the independent judge, "
              f"whose best is {best_theirs[2]:.2f} (iteration {best_theirs[0]}): {best_ours[2] / best_theirs[2] - 1:+.1%}")


if __name__ == "__main__":
    sys.exit(main())
