"""torch.utils.data parity: the same code run with PyTorch and with chainrule gives the same
values (by repr), the same warnings and the same exceptions."""
import collections
import warnings

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")

Point = collections.namedtuple("Point", "x y")


def outcome(module, code):
    """Run ``code`` with ``torch`` bound to ``module``; the repr of the ``out`` it leaves (or
    the exception it raises) and the warning messages it gives."""
    scope = {"torch": module, "np": np, "Point": Point,
             "D": module.utils.data, "dc": module.utils.data.default_collate}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(code, scope)
            result = repr(scope.get("out"))
        except Exception as exc:
            result = f"{type(exc).__name__}: {exc}"
    return result, [f"{w.category.__name__}: {w.message}" for w in caught]


def check(code):
    assert outcome(chainrule, code) == outcome(torch, code)


@pytest.mark.parametrize("code", [
    "out = dc([1, 2.0])",                                           # ints promote like tensor()
    "out = dc([True, 2])",
    "out = dc([1, None])",
    "out = dc([1.5, 'x'])",
    "out = dc([np.float32(1), np.int64(2)])",
    "out = dc([np.float32(1), 2.0])",
    "out = dc([np.array([1., 2.], dtype=np.float32), np.array([1, 2])])",
    "out = dc([torch.tensor([1., 2.]), torch.tensor([1, 2])])",    # stack promotes
    "out = dc([torch.tensor(True), torch.tensor(2)])",
    "out = dc([torch.zeros(2, requires_grad=True), torch.ones(2)])",
    "out = dc([torch.zeros(2, 3), torch.zeros(2, 3), torch.zeros(3, 2)])",
    "out = dc([np.zeros((2, 3)), np.zeros((3, 2))])",
    "out = dc(torch.tensor([1, 2, 3]))",
    "out = dc([np.array([1]), torch.tensor([1])])",
    "out = dc([np.array([1], dtype='>i4')] * 2)",
    "out = dc([np.array(['a']), np.array(['b'])])",
    "out = dc([{'a': [1, (2, 's')]}, {'a': [3, (4, 't')]}])",
    "out = dc([Point(1, 2.0), Point(3, 4.0)])",
    "out = D.default_convert(np.array([1], dtype='>i4'))",
    "out = D.default_convert([np.array([1, 2]), (np.float32(1), 'a')])",
])
def test_default_collate(code):
    check(code)


LOADER = """
class Sq(D.Dataset):
    def __len__(self): return 10
    def __getitem__(self, i): return i * i
ds = Sq()
"""


@pytest.mark.parametrize("code", [
    "dl = D.DataLoader(ds, num_workers=len(os.sched_getaffinity(0)) + 1)",  # too many workers
    "dl = D.DataLoader(ds, batch_size=5, pin_memory=True, pin_memory_device='cuda')\n"
    "out = [b.tolist() for b in dl]",
])
def test_dataloader(code):
    check("import os\n" + LOADER + code)
