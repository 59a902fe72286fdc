"""``python -m benchmarks``: run every workload with chainrule, PyTorch and NumPy and print tables.

Each thread configuration runs in its own subprocess whose environment sets the BLAS thread
variables before NumPy (or PyTorch) is imported; W7's memory readings each get a fresh process.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from . import report
from .data import SIZES

ROOT = Path(__file__).resolve().parent.parent
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")
ALL = ("W1", "W2", "W3", "W4", "W5", "W6", "W7")


def _torch_installed():
    """Whether ``import torch`` would work, without importing it here."""
    import importlib.util
    return importlib.util.find_spec("torch") is not None


def run_worker(args, threads):
    """Run ``benchmarks.worker`` with ``args`` under a thread configuration (1 or None for the
    default) and return its JSON result; its progress streams through stderr."""
    env = dict(os.environ)
    for var in THREAD_VARS:
        env.pop(var, None)
        if threads is not None:
            env[var] = str(threads)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "benchmarks.worker", *args]
    if threads is not None:
        cmd += ["--threads", str(threads)]
    proc = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        return {"error": f"worker exited with {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _parse(argv):
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    p.add_argument("--only", default=",".join(ALL), help="comma list, e.g. W1,W2,W7")
    p.add_argument("--quick", action="store_true", help="small sizes and 2 rounds: a smoke run")
    p.add_argument("--threads", default="1,default",
                   help="thread configurations to run: '1', 'default' or both (default)")
    p.add_argument("--impls", default="chainrule,torch,numpy")
    p.add_argument("--profile", action="store_true",
                   help="instead of timing, print chainrule's cProfile of each selected workload")
    p.add_argument("--save", action="store_true", help="also write benchmarks/RESULTS.md")
    return p.parse_args(argv)


def main(argv=None):
    a = _parse(argv)
    sizes_name = "quick" if a.quick else "full"
    rounds = 2 if a.quick and a.rounds == 5 else a.rounds
    only = [w.strip().upper() for w in a.only.split(",") if w.strip()]
    impls = [i for i in a.impls.split(",") if i != "torch" or _torch_installed()]
    timed = [w for w in only if w != "W7"]
    sizes = SIZES[sizes_name]

    if a.profile:
        for w in timed:
            print(f"\n## chainrule profile: {w} ({sizes_name} sizes, 1 thread)", flush=True)
            run_worker(["profile", "--workload", w, "--sizes", sizes_name], 1)
        return

    started = time.strftime("%Y-%m-%d %H:%M")
    load_start = os.getloadavg()
    sections, errors = [], []
    for conf in a.threads.split(","):
        threads = 1 if conf.strip() == "1" else None
        label = "1 thread (BLAS and torch limited to 1)" if threads else "default threads"
        if not timed:
            break
        print(f"\n# timing, {label}", file=sys.stderr, flush=True)
        res = run_worker(["time", "--sizes", sizes_name, "--rounds", str(rounds),
                          "--only", ",".join(timed), "--impls", ",".join(impls)], threads)
        if "error" in res:
            sections.append(f"## {label}\n\n{res['error']}")
            continue
        table, errs = report.timing_table(res, sizes, impls)
        errors += [f"[{label}] {e}" for e in errs]
        sections.append(f"## Median time, {label}, {rounds} interleaved rounds\n\n{table}")

    if "W7" in only:
        print("\n# W7 memory (fresh process each, 1 thread)", file=sys.stderr, flush=True)
        memory = {}
        for w in ("W2", "W3"):
            memory[w] = {i: run_worker(["memory", "--workload", w, "--impl", i,
                                        "--sizes", sizes_name], 1) for i in impls}
        leaks = {i: run_worker(["leak", "--impl", i, "--sizes", sizes_name], 1) for i in impls}
        sections.append(
            "## W7 peak memory (ru_maxrss, each figure from its own fresh process, 1 thread)\n\n"
            "`peak RSS of the process` is the whole process's high-water mark (the target's "
            "measure); `peak - imports` subtracts the interpreter + NumPy + library baseline, so "
            "the shared "
            "data set (from_numpy, no copy), the model and training count; `peak - setup` counts "
            "only what training adds (activations, gradients, optimizer state, temporaries).\n\n"
            + report.memory_table(memory, impls))
        sections.append(
            "## W7 leak check: W1 run long, current RSS early and late (flat = growth <= "
            f"{report.FLAT_KB // 1024} MiB)\n\n" + report.leak_table(leaks, impls))
        errors += [f"W7 {w} {i}: {r['error']}" for w, per in memory.items()
                   for i, r in per.items() if "error" in r]

    if errors:
        sections.append("## Could not run\n\n" + "\n".join(f"- {e}" for e in errors))
    body = "\n\n".join(sections)
    print("\n" + body)

    if a.save:
        load_end = os.getloadavg()
        header = (f"# Benchmark results\n\nRun {started} with `python -m benchmarks "
                  f"{' '.join(argv if argv is not None else sys.argv[1:])}` ({sizes_name} sizes). "
                  f"Load average (1 min) {load_start[0]:.2f} at the start, {load_end[0]:.2f} at "
                  "the end: the machine is shared, so read ratios rather than absolute times.\n\n"
                  + report.machine() + "\n\n")
        results = ROOT / "benchmarks" / "RESULTS.md"
        results.write_text(header + body + "\n" + _kept_sections(results))
        print(f"\nwrote {ROOT / 'benchmarks' / 'RESULTS.md'}")


# RESULTS.md sections from this heading on are written by hand and survive ``--save``.
KEPT_FROM = "## What each engine change bought"


def _kept_sections(results):
    """The hand-written tail of an existing RESULTS.md (the engine-work log), or ''."""
    text = results.read_text() if results.exists() else ""
    start = text.find(KEPT_FROM)
    return "" if start < 0 else "\n" + text[start:]


if __name__ == "__main__":
    main()
