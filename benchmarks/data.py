"""Deterministic inputs and initial weights shared by every implementation.

Everything is generated with NumPy from fixed seeds, in float32 (labels int64), so chainrule,
PyTorch and the NumPy floor start from bit-identical data and weights and their final losses can be
compared. Sizes come from a :class:`Sizes` preset: ``full`` (the published benchmark), ``quick``
(a smoke run of a few seconds) and ``tiny`` (one step, for the test-suite).
"""
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np


@dataclass(frozen=True)
class Sizes:
    """Problem sizes of every workload."""
    # W1: the seed two-layer net
    w1_n: int = 64
    w1_in: int = 1000
    w1_hidden: int = 100
    w1_out: int = 10
    w1_steps: int = 500
    # W2 / W3 / W5: the Fashion-MNIST-shaped data set
    n_samples: int = 60000
    w2_batch: int = 256
    w2_epochs: int = 3
    w3_batch: int = 128
    w3_epochs: int = 2
    # W4: scalar op chain
    w4_ops: int = 1000
    w4_reps: int = 10
    # W5: small CNN
    w5_batch: int = 64
    w5_steps: int = 50
    # W6: big matmul
    w6_n: int = 2048
    w6_reps: int = 10
    # W7: leak check on W1 (steps of the long run, step of the first reading)
    w7_steps: int = 10000
    w7_probe: int = 100


SIZES = {
    "full": Sizes(),
    "quick": Sizes(w1_steps=100, n_samples=6000, w2_epochs=1, w3_epochs=1, w4_reps=2,
                   w5_steps=10, w6_n=512, w6_reps=3, w7_steps=2000),
    "tiny": Sizes(w1_n=8, w1_in=20, w1_hidden=10, w1_out=5, w1_steps=1, n_samples=32,
                  w2_batch=32, w2_epochs=1, w3_batch=32, w3_epochs=1, w4_ops=30, w4_reps=1,
                  w5_batch=4, w5_steps=1, w6_n=32, w6_reps=1, w7_steps=4000, w7_probe=2000),
}

N_CLASSES = 10
IMAGE = 28


def _uniform(rng, bound, shape):
    """float32 samples from U(-bound, bound): PyTorch's default Linear/Conv initialisation range."""
    return rng.uniform(-bound, bound, size=shape).astype(np.float32)


def linear_init(rng, fan_in, fan_out):
    """(weight (out, in), bias (out,)) drawn like ``nn.Linear``'s default initialisation."""
    bound = 1.0 / np.sqrt(fan_in)
    return _uniform(rng, bound, (fan_out, fan_in)), _uniform(rng, bound, (fan_out,))


def conv_init(rng, c_in, c_out, k):
    """(weight (out, in, k, k), bias (out,)) drawn like ``nn.Conv2d``'s default initialisation."""
    bound = 1.0 / np.sqrt(c_in * k * k)
    return _uniform(rng, bound, (c_out, c_in, k, k)), _uniform(rng, bound, (c_out,))


class Data:
    """Lazily built inputs and initial weights for one :class:`Sizes` preset.

    Arrays are built on first use (the 60000x784 set takes about a second) and must be treated as
    read-only: workloads copy weights they update.
    """

    def __init__(self, sizes="full"):
        self.sizes = SIZES[sizes] if isinstance(sizes, str) else sizes

    @cached_property
    def w1(self):
        """Seed net: x (N, D_in), y (N, D_out), w1 (D_in, H), w2 (H, D_out), all randn."""
        s = self.sizes
        rng = np.random.default_rng(1)
        std = rng.standard_normal
        return {"x": std((s.w1_n, s.w1_in), dtype=np.float32),
                "y": std((s.w1_n, s.w1_out), dtype=np.float32),
                "w1": std((s.w1_in, s.w1_hidden), dtype=np.float32),
                "w2": std((s.w1_hidden, s.w1_out), dtype=np.float32)}

    @cached_property
    def images(self):
        """(x (N, 784) float32, labels (N,) int64): class prototypes plus noise, in random order.

        Built in chunks so the peak memory while generating is the final array plus one chunk.
        """
        n = self.sizes.n_samples
        rng = np.random.default_rng(2)
        protos = rng.standard_normal((N_CLASSES, IMAGE * IMAGE), dtype=np.float32) * 0.07
        labels = rng.integers(0, N_CLASSES, size=n).astype(np.int64)
        x = np.empty((n, IMAGE * IMAGE), dtype=np.float32)
        for lo in range(0, n, 4096):
            hi = min(lo + 4096, n)
            x[lo:hi] = rng.standard_normal((hi - lo, IMAGE * IMAGE), dtype=np.float32)
            x[lo:hi] += protos[labels[lo:hi]]
        return x, labels

    @cached_property
    def w2(self):
        """Softmax regression weights: Linear(784, 10)."""
        return linear_init(np.random.default_rng(3), IMAGE * IMAGE, N_CLASSES)

    @cached_property
    def w3(self):
        """MLP weights: [(w, b)] for 784-256-256-10."""
        rng = np.random.default_rng(4)
        return [linear_init(rng, 784, 256), linear_init(rng, 256, 256), linear_init(rng, 256, 10)]

    @cached_property
    def w5(self):
        """CNN weights: conv1 (8,1,3,3), conv2 (16,8,3,3), fc (10, 400), each with its bias."""
        rng = np.random.default_rng(5)
        return [conv_init(rng, 1, 8, 3), conv_init(rng, 8, 16, 3), linear_init(rng, 400, 10)]

    @cached_property
    def w6(self):
        """Two (n, n) float32 randn matrices."""
        n = self.sizes.w6_n
        rng = np.random.default_rng(6)
        return (rng.standard_normal((n, n), dtype=np.float32),
                rng.standard_normal((n, n), dtype=np.float32))


def with_sizes(sizes, **changes):
    """A copy of a preset (by name or value) with some fields changed."""
    base = SIZES[sizes] if isinstance(sizes, str) else sizes
    return replace(base, **changes)
