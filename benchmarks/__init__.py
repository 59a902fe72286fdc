"""Side-by-side benchmarks: chainrule against PyTorch and hand-written NumPy.

``python -m benchmarks`` runs every workload interleaved in fresh subprocesses, once with BLAS
limited to one thread and once at the default, and prints medians, ratios, peak memory and the
final losses of every implementation. See ``benchmarks/README.md``.
"""
