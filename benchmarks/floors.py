"""Floors: the least any faithful implementation of W1 and W2 must spend, measured with NumPy.

    python -m benchmarks.floors [--rounds 7]

BLAS is limited to one thread (the targets are judged on 1-thread runs). Two floors, each run
interleaved with the NumPy floor of ``benchmarks.numpy_impl``, chainrule and (when installed)
PyTorch, on the full-size data:

- **W1 with ``.grad`` buffers**: the hand-written NumPy step plus what the workload's PyTorch code
  asks of any implementation: each gradient is added into a persistent ``.grad``, the update
  reads it, and ``zero_()`` clears it (two more passes over the weights per step).
- **W2's two products**: only ``x @ w.T`` and the weight gradient ``g.T @ x`` over the same
  batches of the same data set, the arithmetic no implementation can skip. The batches stream
  from a 188 MB array, so the forward product is bound by memory traffic.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"   # before NumPy (or PyTorch) is imported

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from . import numpy_impl  # noqa: E402
from .data import Data, N_CLASSES  # noqa: E402
from .worker import load_impl  # noqa: E402


def w2_products(data):
    """W2's forward product and weight-gradient product alone, batch by batch."""
    xs, _ = data.images
    s = data.sizes
    w = data.w2[0]
    g = np.full((s.w2_batch, N_CLASSES), 1e-3, np.float32)
    n = xs.shape[0]

    def train():
        for _ in range(s.w2_epochs):
            for i in range(0, n, s.w2_batch):
                xb = xs[i:i + s.w2_batch]
                xb @ w.T
                g[:len(xb)].T @ xb
    return train


def _candidates(data):
    """{workload: {label: make_train}} for the implementations installed here."""
    found = {"W1": {"NumPy": lambda: numpy_impl.w1(data),
                    "NumPy + .grad buffers (floor)": lambda: numpy_impl.w1(data,
                                                                           grad_buffers=True)},
             "W2": {"NumPy": lambda: numpy_impl.w2(data),
                    "the two products alone (floor)": lambda: w2_products(data)}}
    for name, label in (("chainrule", "chainrule"), ("torch", "PyTorch")):
        try:
            make = load_impl(name, threads=1)
        except ImportError:
            continue
        for w in found:
            found[w][label] = lambda w=w, make=make: make(w, data)
    return found


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.floors")
    p.add_argument("--rounds", type=int, default=7)
    a = p.parse_args(argv)
    data = Data("full")
    for w, makers in _candidates(data).items():
        times = {label: [] for label in makers}
        for r in range(a.rounds):
            labels = list(makers)
            for label in labels[r % len(labels):] + labels[:r % len(labels)]:
                train = makers[label]()
                start = time.perf_counter()
                train()
                times[label].append(time.perf_counter() - start)
        med = {label: statistics.median(t) for label, t in times.items()}
        torch_ms = med.get("PyTorch")
        print(f"\n{w} (median of {a.rounds} interleaved rounds, 1 thread)")
        print("| implementation | ms | / NumPy | / PyTorch |\n|---|---|---|---|")
        for label, t in med.items():
            vs_torch = f"{t / torch_ms:.2f}" if torch_ms else "-"
            print(f"| {label} | {t * 1e3:.1f} | {t / med['NumPy']:.2f} | {vs_torch} |")


if __name__ == "__main__":
    main()
