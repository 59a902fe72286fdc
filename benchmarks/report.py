"""Turning worker results into the markdown tables printed and saved in ``RESULTS.md``."""
import os
import platform
import statistics

NAMES = {"chainrule": "chainrule", "torch": "PyTorch", "numpy": "NumPy"}

# 1-thread targets: chainrule's median over PyTorch's and over NumPy's (None: no target)
TARGETS = {"W1": (0.75, 1.10), "W2": (0.60, 1.15), "W3": (0.95, None), "W4": (0.80, None),
           "W5": (1.50, None), "W6": (None, 1.03)}
MEMORY_TARGET = 0.60      # W7: chainrule's peak over PyTorch's
FLAT_KB = 2048            # W7 leak check: growth allowed between the two readings
# correctness: figures of two implementations agree within this relative difference. Long float32
# runs drift apart by rounding alone: W1's loss falls from 3e7 to 2e-5, so its last digits are
# rounding noise (MKL vs OpenBLAS differ by ~1%); W3 is 938 Adam steps on a non-convex loss.
# One-step agreement to 1e-4 is checked by tests/test_benchmarks.py.
RTOL = {"W1": 5e-2, "W3": 2e-2}
RTOL_DEFAULT = 1e-3



def describe(workload, s):
    """A short description of a workload at the sizes ``s``."""
    return {
        "W1": f"seed 2-layer net, {s.w1_steps} manual SGD steps",
        "W2": f"softmax regression, SGD, {s.n_samples} samples x {s.w2_epochs} epochs",
        "W3": f"MLP 784-256-256-10, Adam, {s.n_samples} samples x {s.w3_epochs} epochs",
        "W4": f"{s.w4_ops} scalar ops fwd+bwd x {s.w4_reps}",
        "W5": f"small CNN, {s.w5_steps} SGD steps",
        "W6": f"{s.w6_n}^2 matmul .sum().backward() x {s.w6_reps}",
    }[workload]


def unit_scale(workload, sizes):
    """(factor, unit): W4 is reported per op in microseconds, the others in milliseconds."""
    if workload == "W4":
        return 1e6 / (sizes.w4_ops * sizes.w4_reps), "us/op"
    return 1e3, "ms"


def _fmt(value):
    if value is None:
        return "-"
    return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"


def _ratio(num, den, target):
    if num is None or den is None:
        return "-"
    r = num / den
    if target is None:
        return f"{r:.2f}"
    return f"{r:.2f} {'ok' if r <= target else 'MISS'} (<={target})"


def max_rel_diff(figures):
    """The largest relative difference between any two implementations' figures (None if fewer
    than two implementations ran)."""
    runs = [f for f in figures.values() if f]
    if len(runs) < 2:
        return None
    worst = 0.0
    for i, a in enumerate(runs):
        for b in runs[i + 1:]:
            for x, y in zip(a, b):
                scale = max(abs(x), abs(y), 1e-12)
                worst = max(worst, abs(x - y) / scale)
    return worst


def timing_table(result, sizes, impls):
    """Markdown table of one thread configuration's timings, ratios and final losses."""
    cols = [NAMES[i] for i in impls]
    lines = ["| workload | " + " | ".join(cols) + " | chainrule/PyTorch | chainrule/NumPy "
             "| final loss: " + " / ".join(cols) + " | max rel diff |",
             "|---" * (len(cols) + 5) + "|"]
    errors = []
    for w, per_impl in result["results"].items():
        scale, unit = unit_scale(w, sizes)
        med = {}
        for i in impls:
            entry = per_impl.get(i)
            if entry and entry["times"] and not entry["error"]:
                med[i] = statistics.median(entry["times"]) * scale
            elif entry and entry["error"]:
                errors.append(f"{w} {NAMES[i]}: {entry['error']}")
        pt, np_ = TARGETS.get(w, (None, None))
        cr = med.get("chainrule")
        figures = {i: (per_impl[i]["figures"] if i in per_impl and not per_impl[i]["error"]
                       else None) for i in impls}
        losses = " / ".join(_fmt(f[0]) if f else "n/a" for f in figures.values())
        diff = max_rel_diff(figures)
        tol = RTOL.get(w, RTOL_DEFAULT)
        agree = "-" if diff is None else f"{diff:.1e} {'ok' if diff <= tol else 'DIFFERS'}"
        cells = [_fmt(med.get(i)) if i in med else "n/a" for i in impls]
        lines.append(f"| {w} {describe(w, sizes)} [{unit}] | " + " | ".join(cells) +
                     f" | {_ratio(cr, med.get('torch'), pt)} | {_ratio(cr, med.get('numpy'), np_)}"
                     f" | {losses} | {agree} |")
    return "\n".join(lines), errors


def memory_table(memory, impls):
    """Markdown table of W7's peak RSS per implementation, three ways: the process's peak as it
    is (the issue's "peak resident memory": interpreter, libraries, data, model, training), over
    the RSS right after the imports (data, model and training count) and over the RSS right
    before training (what training adds)."""
    cols = [NAMES[i] for i in impls]
    lines = ["| workload | measure | " + " | ".join(f"{c} MiB" for c in cols) +
             " | chainrule/PyTorch |", "|---" * (len(cols) + 3) + "|"]
    measures = (("peak RSS of the process", None), ("peak - imports", "import_kb"),
                ("peak - setup (training only)", "baseline_kb"))
    for w, per_impl in memory.items():
        for label, key in measures:
            mib = {i: (r["peak_kb"] - (r[key] if key else 0)) / 1024
                   for i, r in per_impl.items() if "error" not in r}
            cells = [f"{mib[i]:.1f}" if i in mib else "n/a" for i in impls]
            lines.append(f"| {w} | {label} | " + " | ".join(cells) +
                         f" | {_ratio(mib.get('chainrule'), mib.get('torch'), MEMORY_TARGET)} |")
        imports = [f"{per_impl[i]['import_kb'] / 1024:.0f}" if "error" not in per_impl[i]
                   else "n/a" for i in impls]
        lines.append(f"| {w} | (imports baseline) | " + " | ".join(imports) + " | - |")
    return "\n".join(lines)


def leak_table(leaks, impls):
    """Markdown table of the W1 leak check: RSS early and late in a long run."""
    lines = ["| implementation | RSS at early step MiB | RSS at late step MiB | growth MiB | flat? "
             "| run s |", "|---|---|---|---|---|---|"]
    for i in impls:
        r = leaks.get(i)
        if r is None:
            continue
        if "error" in r:
            lines.append(f"| {NAMES[i]} | n/a | n/a | n/a | {r['error']} | - |")
            continue
        growth = r["late_kb"] - r["early_kb"]
        lines.append(f"| {NAMES[i]} (steps {r['early_step']} -> {r['late_step']}) "
                     f"| {r['early_kb'] / 1024:.1f} | {r['late_kb'] / 1024:.1f} "
                     f"| {growth / 1024:+.1f} | {'yes' if growth <= FLAT_KB else 'NO'} "
                     f"| {r['seconds']:.1f} |")
    return "\n".join(lines)


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _numpy_blas():
    import numpy as np
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')} ({blas.get('openblas configuration', '')})"
    except Exception:  # older NumPy: no dict mode
        return "see np.show_config()"


def _torch_blas():
    try:
        import torch
    except ImportError:
        return "PyTorch not installed"
    lines = torch.__config__.show().splitlines()
    mkl = [ln.strip(" -") for ln in lines if "Math Kernel" in ln or "OpenBLAS" in ln]
    blas = [part.strip() for ln in lines for part in ln.split(",") if "BLAS_INFO" in part]
    return f"torch {torch.__version__}: " + "; ".join(blas + mkl)


def machine():
    """A few lines on the machine, the BLAS libraries and the load, for RESULTS.md."""
    import numpy as np
    load = os.getloadavg()
    return "\n".join([
        f"- CPU: {_cpu_model()}, {os.cpu_count()} logical cores",
        f"- Python {platform.python_version()}, NumPy {np.__version__}: BLAS {_numpy_blas()}",
        f"- PyTorch BLAS: {_torch_blas()}",
        f"- load average at the end of the run (1/5/15 min): {load[0]:.2f} / {load[1]:.2f} / "
        f"{load[2]:.2f}",
    ])
