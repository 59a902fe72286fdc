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


DATASETS = """
base = D.TensorDataset(torch.arange(4), torch.arange(4) * 10)
class Shifted(D.TensorDataset):
    def __getitem__(self, i):
        x, y = super().__getitem__(i)
        return x + 100, y
class Picked(D.Subset):
    def __getitem__(self, i): return self.dataset[self.indices[i]][0] + 100
    def __getitems__(self, idx): return [self[i] for i in idx]
class Stream(D.IterableDataset):
    def __iter__(self): return iter([1, 2])
"""


@pytest.mark.parametrize("code", [
    # subclasses that change how samples load are batched through their own methods
    "out = list(D.DataLoader(Shifted(torch.arange(4), torch.arange(4)), batch_size=2))",
    "out = list(D.DataLoader(Picked(base, [1, 2]), batch_size=2))",
    "class Bad(D.Subset):\n    def __getitem__(self, i): return 0\nout = Bad(base, [0])",
    "out = list(D.DataLoader(base, sampler=[0, 7], batch_size=2))",    # out of range
    "out = base[4]",
    "x = torch.zeros(2, 3, 4).permute(1, 2, 0)\n"                    # batches are contiguous
    "out = next(iter(D.DataLoader(D.TensorDataset(x), batch_size=2)))[0].stride()",
    "out = list(D.DataLoader(D.Subset(base, [0, 1]), batch_size=2))",
    "out = D.IterableDataset()",                                       # abstract __iter__
    "class NoIter(D.IterableDataset):\n    pass\nout = NoIter()",
    "out = (list(Stream() + Stream()), len(D.ConcatDataset([[1], [2, 3]]).cummulative_sizes))",
    "class S(D.Sampler):\n    def __init__(self, ds):\n        super().__init__(ds)\nout = S([1])",
])
def test_datasets(code):
    check(DATASETS + code)


@pytest.mark.parametrize("code", [
    "s = D.StackDataset([1, 2, 3], base[:3][0])\n"
    "out = (len(s), s[0], s[-1], s.__getitems__([0, 2]), list(D.DataLoader(s, batch_size=2)))",
    "s = D.StackDataset(a=[1, 2, 3], b=D.Subset(base, [3, 2, 1]))\n"
    "out = (s[0], s.__getitems__([0, 2]), list(D.DataLoader(s, batch_size=2)))",
    "out = D.StackDataset([1, 2, 3], [4, 5])",
    "out = D.StackDataset([1], b=[4])",
    "out = D.StackDataset()",
    "class Short(D.Dataset):\n    def __len__(self): return 3\n"
    "    def __getitems__(self, idx): return [0]\n"
    "out = D.StackDataset(Short()).__getitems__([0, 1])",
])
def test_stack_dataset(code):
    check(DATASETS + code)


@pytest.mark.parametrize("code", [
    "out = list(D.RandomSampler([], num_samples=3, replacement=True))",
    "s = D.RandomSampler(range(5), num_samples=40, replacement=True)\n"
    "out = (len(list(s)), sorted(set(s)) == list(range(5)))",
    "import collections\n"                      # two whole permutations, then part of one
    "out = sorted(collections.Counter(D.RandomSampler(range(5), num_samples=12)).values())",
    "out = sorted(D.SubsetRandomSampler([3, 7, 9], generator=torch.Generator()))",
])
def test_samplers(code):
    check(code)
