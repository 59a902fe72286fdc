"""One benchmark process: timing rounds, a memory reading, a leak check or a profile.

The driver (``python -m benchmarks``) starts this module in a fresh subprocess per configuration,
with the BLAS thread variables already in its environment, and reads one JSON object from the
last line of its stdout. Progress goes to stderr.

    python -m benchmarks.worker time    --sizes full --rounds 5 --only W1,W2 --threads 1
    python -m benchmarks.worker memory  --workload W2 --impl chainrule
    python -m benchmarks.worker leak    --impl torch
    python -m benchmarks.worker profile --workload W1
"""
import argparse
import gc
import json
import os
import resource
import sys
import time
import traceback

IMPLS = ("chainrule", "torch", "numpy")


def load_impl(name, threads=None):
    """``make(workload, data, **options) -> train`` for an implementation, or raise ImportError.

    ``threads`` (an int) also caps PyTorch's intra-op pool, which ignores the BLAS variables.
    """
    if name == "numpy":
        from . import numpy_impl
        return lambda workload, data, **kw: numpy_impl.WORKLOADS[workload](data, **kw)
    module = __import__(name)
    if name == "torch" and threads is not None:
        module.set_num_threads(threads)
    from . import workloads
    return lambda workload, data, **kw: workloads.WORKLOADS[workload](module, data, **kw)


def _figures(result):
    """A workload's return value as a list of floats."""
    return [float(v) for v in (result if isinstance(result, tuple) else (result,))]


def _error(exc):
    """A one-line description of why an implementation could not run a workload."""
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    where = f"{os.path.relpath(frame.filename)}:{frame.lineno}"
    return f"{type(exc).__name__}: {exc} ({where})"


def time_rounds(impls, workloads, rounds, sizes, threads):
    """Interleaved timing: for each workload, ``rounds`` rounds running every implementation once,
    the order rotated each round. Setup (model, weights, tensor views) is rebuilt untimed before
    every run, so every run starts from the same state and returns the same figures."""
    from .data import Data
    data = Data(sizes)
    makers, results = {}, {}
    for name in impls:
        try:
            makers[name] = load_impl(name, threads)
        except ImportError as exc:
            print(f"  {name}: not installed ({exc})", file=sys.stderr)
    for w in workloads:
        results[w] = {name: {"times": [], "figures": None, "error": None} for name in makers}
        live = list(makers)
        for r in range(rounds):
            order = live[r % len(live):] + live[:r % len(live)] if live else []
            for name in order:
                entry = results[w][name]
                try:
                    train = makers[name](w, data)
                    gc.collect()
                    start = time.perf_counter()
                    out = train()
                    entry["times"].append(time.perf_counter() - start)
                    entry["figures"] = _figures(out)
                except Exception as exc:  # a missing library piece: report, don't stop
                    entry["error"] = _error(exc)
                    live.remove(name)
            done = {n: f"{results[w][n]['times'][-1]:.3f}s" for n in live}
            print(f"  {w} round {r + 1}/{rounds}: {done}", file=sys.stderr, flush=True)
    return {"threads": threads, "results": results}


def _rss_kb():
    """Current resident set size in KiB (Linux /proc)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _maxrss_kb():
    """Peak resident set size of this process so far, in KiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def memory(impl, workload, sizes):
    """Peak RSS of one training run with the peak RSS after the imports (interpreter, NumPy, the
    implementation) and after the setup (data, model). Run alone in a fresh process so earlier
    work does not hide the peak."""
    from .data import Data
    make = load_impl(impl, 1)
    imports = _maxrss_kb()
    data = Data(sizes)
    train = make(workload, data)
    gc.collect()
    before = _maxrss_kb()
    figures = _figures(train())
    return {"import_kb": imports, "baseline_kb": before, "peak_kb": _maxrss_kb(),
            "figures": figures}


def leak(impl, sizes):
    """W1 for ``w7_steps`` steps, reading the current RSS after ``w7_probe`` steps and at the end:
    a flat line means the graph and its saved arrays are freed every step."""
    from .data import Data
    data = Data(sizes)
    s = data.sizes
    readings = {}

    def probe(step):
        if step in (s.w7_probe, s.w7_steps):
            readings[step] = _rss_kb()

    train = load_impl(impl, 1)("W1", data, steps=s.w7_steps, probe=probe)
    start = time.perf_counter()
    train()
    return {"early_step": s.w7_probe, "late_step": s.w7_steps,
            "early_kb": readings[s.w7_probe], "late_kb": readings[s.w7_steps],
            "seconds": time.perf_counter() - start}


def profile(workload, sizes, limit=25):
    """Print chainrule's cProfile of one training run, sorted by own time."""
    import cProfile
    import pstats
    from .data import Data
    data = Data(sizes)
    train = load_impl("chainrule", 1)(workload, data)
    prof = cProfile.Profile()
    prof.enable()
    train()
    prof.disable()
    pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(limit)
    return {}


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    p.add_argument("mode", choices=("time", "memory", "leak", "profile"))
    p.add_argument("--sizes", default="full")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--only", default="W1,W2,W3,W4,W5,W6")
    p.add_argument("--impls", default=",".join(IMPLS))
    p.add_argument("--impl", default="chainrule")
    p.add_argument("--workload", default="W1")
    p.add_argument("--threads", type=int, default=None, help="cap for torch's pool (None: default)")
    a = p.parse_args(argv)
    try:
        if a.mode == "time":
            out = time_rounds(a.impls.split(","), a.only.split(","), a.rounds, a.sizes, a.threads)
        elif a.mode == "memory":
            out = memory(a.impl, a.workload, a.sizes)
        elif a.mode == "leak":
            out = leak(a.impl, a.sizes)
        else:
            out = profile(a.workload, a.sizes)
    except Exception as exc:  # a missing library piece: the driver reports it
        out = {"error": _error(exc)}
    sys.stdout.write("\n" + json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
