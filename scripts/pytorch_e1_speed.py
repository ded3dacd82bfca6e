"""E1's training loop in PyTorch, timed: the reference figure of the README's speed table.

    python3 scripts/pytorch_e1_speed.py [--threads 2] [--iterations 20] [--warmup 3]

The same work per iteration as `wgan bench --preset e1` (docs/experiments.md, E1): five critic rounds, each
one RMSprop step on 32 real images and one on 32 fakes made by the generator in inference mode,
the critic's conv kernels clipped to [-0.01, 0.01] after every step; then one generator step on
64 latent points through the critic. The models are the ones docs/pytorch.md gives. The real
images are random values in [-1, 1]: the time does not depend on them, and this script needs
no dataset. Prints the median seconds per iteration; the last line is
`pytorch-e1 threads=T s/iter=<median>`.
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn


def critic():
    return nn.Sequential(
        nn.Conv2d(1, 64, 4, stride=2, padding=1), nn.BatchNorm2d(64, eps=0.001, momentum=0.01), nn.LeakyReLU(0.2),
        nn.Conv2d(64, 64, 4, stride=2, padding=1), nn.BatchNorm2d(64, eps=0.001, momentum=0.01), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(3136, 1))


def generator(latent):
    return nn.Sequential(
        nn.Linear(latent, 6272), nn.LeakyReLU(0.2), nn.Unflatten(1, (128, 7, 7)),
        nn.ConvTranspose2d(128, 128, 4, stride=2, padding=1), nn.BatchNorm2d(128, eps=0.001, momentum=0.01), nn.LeakyReLU(0.2),
        nn.ConvTranspose2d(128, 128, 4, stride=2, padding=1), nn.BatchNorm2d(128, eps=0.001, momentum=0.01), nn.LeakyReLU(0.2),
        nn.Conv2d(128, 1, 7, stride=1, padding=3), nn.Tanh())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    latent, half = 50, 32
    d, g = critic(), generator(latent)
    # Keras's RMSprop: rho 0.9, epsilon 1e-7.
    opt_d = torch.optim.RMSprop(d.parameters(), lr=5e-5, alpha=0.9, eps=1e-7)
    opt_g = torch.optim.RMSprop(g.parameters(), lr=5e-5, alpha=0.9, eps=1e-7)
    conv_kernels = [m.weight for m in d if isinstance(m, nn.Conv2d)]
    real_pool = torch.rand(6265, 1, 28, 28) * 2 - 1

    def critic_step(x, y):
        opt_d.zero_grad()
        loss = (y * d(x)).mean()  # Wasserstein loss, y = -1 real, +1 fake
        loss.backward()
        opt_d.step()
        with torch.no_grad():
            for w in conv_kernels:
                w.clamp_(-0.01, 0.01)

    def iteration():
        for _ in range(5):
            d.train()
            critic_step(real_pool[torch.randint(0, len(real_pool), (half,))], -1.0)
            g.eval()
            with torch.no_grad():
                fake = g(torch.randn(half, latent))
            critic_step(fake, 1.0)
        g.train()
        opt_g.zero_grad()
        loss = (-1.0 * d(g(torch.randn(2 * half, latent)))).mean()
        loss.backward()
        opt_g.step()  # the critic's gradients from this pass are never applied

    times = []
    for i in range(args.warmup + args.iterations):
        t = time.perf_counter()
        iteration()
        if i >= args.warmup:
            times.append(time.perf_counter() - t)
    print(f"torch {torch.__version__}, {args.threads} threads, {args.iterations} iterations: "
          f"min {min(times):.3f} s, median {statistics.median(times):.3f} s, max {max(times):.3f} s")
    print(f"pytorch-e1 threads={args.threads} s/iter={statistics.median(times):.3f}")


if __name__ == "__main__":
    main()
