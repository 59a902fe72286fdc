"""The benchmark workloads run (one step, tiny sizes) with every implementation and agree.

Not timed: this guards that ``python -m benchmarks`` measures the same computation everywhere, and
that a long chainrule training loop does not grow memory.
"""
import importlib.util
import tracemalloc

import pytest

import chainrule
from benchmarks import numpy_impl, report, workloads
from benchmarks.data import Data, with_sizes

HAVE_TORCH = importlib.util.find_spec("torch") is not None


@pytest.fixture(scope="module")
def tiny():
    return Data("tiny")


def _figures(out):
    return [float(v) for v in (out if isinstance(out, tuple) else (out,))]


@pytest.mark.parametrize("name", sorted(workloads.WORKLOADS))
def test_workload_agrees_with_numpy_floor(name, tiny):
    """chainrule (and PyTorch when installed) give the NumPy floor's figures after one step."""
    expected = _figures(numpy_impl.WORKLOADS[name](tiny)())
    modules = [chainrule] + ([pytest.importorskip("torch")] if HAVE_TORCH else [])
    for module in modules:
        got = _figures(workloads.WORKLOADS[name](module, tiny)())
        assert got == pytest.approx(expected, rel=1e-4, abs=1e-6), module.__name__


def test_runs_are_repeatable(tiny):
    """Each call of a workload rebuilds its state: two runs give identical figures."""
    assert workloads.w1(chainrule, tiny)() == workloads.w1(chainrule, tiny)()


def _traced_growth(make_train, early, late):
    """Traced memory (bytes) at step ``late`` minus at step ``early`` of one W1 run."""
    readings = {}

    def probe(step):
        if step in (early, late):
            readings[step] = tracemalloc.get_traced_memory()[0]

    train = make_train(probe)
    tracemalloc.start()
    try:
        train()
    finally:
        tracemalloc.stop()
    return readings[late] - readings[early]


def test_w7_chainrule_memory_flat_over_long_w1():
    """W7: 4000 W1 steps (small sizes) hold no more traced memory than 2000 steps did.

    The first thousand or so steps fill bounded caches (30-80 KiB of 56-byte blocks, traced to
    the root gradient of ``backward()``); a leak of even one small object per step would add over
    100 KiB between the two readings."""
    data = Data(with_sizes("tiny", w1_n=16, w1_in=64, w1_hidden=32, w1_out=8))
    s = data.sizes
    growth = _traced_growth(
        lambda probe: workloads.w1(chainrule, data, steps=s.w7_steps, probe=probe),
        s.w7_probe, s.w7_steps)
    assert growth < 8 * 1024, f"chainrule W1 grew {growth} bytes between steps"


def test_table_flags_disagreeing_losses():
    """A fast wrong answer is visible: differing final losses are marked in the table."""
    sizes = Data("tiny").sizes
    result = {"results": {"W1": {
        "chainrule": {"times": [1.0], "figures": [1.5], "error": None},
        "numpy": {"times": [2.0], "figures": [1.0], "error": None}}}}
    table, errors = report.timing_table(result, sizes, ["chainrule", "numpy"])
    assert "DIFFERS" in table and "0.50" in table and not errors


def test_table_lists_missing_pieces():
    """A workload chainrule cannot run yet is reported, not dropped."""
    sizes = Data("tiny").sizes
    result = {"results": {"W2": {
        "chainrule": {"times": [], "figures": None, "error": "AttributeError: nn.Linear"},
        "numpy": {"times": [2.0], "figures": [1.0], "error": None}}}}
    table, errors = report.timing_table(result, sizes, ["chainrule", "numpy"])
    assert "n/a" in table and errors == ["W2 chainrule: AttributeError: nn.Linear"]


def test_memory_table_reports_the_peak_three_ways():
    kb = 1024
    memory = {"W2": {"chainrule": {"import_kb": 40 * kb, "baseline_kb": 230 * kb,
                                   "peak_kb": 240 * kb},
                     "torch": {"import_kb": 200 * kb, "baseline_kb": 390 * kb,
                               "peak_kb": 400 * kb}}}
    rows = report.memory_table(memory, ["chainrule", "torch"]).splitlines()
    assert rows[2] == "| W2 | peak RSS of the process | 240.0 | 400.0 | 0.60 ok (<=0.6) |"
    assert rows[3] == "| W2 | peak - imports | 200.0 | 200.0 | 1.00 MISS (<=0.6) |"
    assert rows[4] == "| W2 | peak - setup (training only) | 10.0 | 10.0 | 1.00 MISS (<=0.6) |"


def test_w1_floor_with_grad_buffers_computes_the_same_steps(tiny):
    """The W1 floor with PyTorch's .grad buffers does the same arithmetic as the NumPy floor."""
    from benchmarks import floors
    data = Data(with_sizes("tiny", w1_steps=3))
    assert numpy_impl.w1(data, grad_buffers=True)() == numpy_impl.w1(data)()
    assert floors.w2_products(tiny)() is None   # runs every batch
