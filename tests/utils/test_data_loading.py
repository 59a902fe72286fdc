"""Datasets, samplers, collation and the DataLoader (main process and worker processes)."""
import collections
import os

import numpy as np
import pytest

import chainrule as torch
from chainrule.utils.data import (BatchSampler, ConcatDataset, DataLoader, Dataset,
                                  RandomSampler, SequentialSampler, StackDataset, Subset,
                                  SubsetRandomSampler, TensorDataset, WeightedRandomSampler,
                                  default_collate, get_worker_info, random_split)

from _data_helpers import Range, Squares, WorkerFailure, WorkerIds


def xy(n=10):
    x = torch.tensor(np.arange(2 * n, dtype=np.float32).reshape(n, 2))
    y = torch.tensor(np.arange(n))
    return x, y


# ---------------------------------------------------------------------- datasets
def test_tensor_dataset():
    x, y = xy()
    ds = TensorDataset(x, y)
    assert len(ds) == 10
    sx, sy = ds[3]
    assert sx.tolist() == [6.0, 7.0] and sy.item() == 3 and sy.dtype is torch.int64
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(x, torch.zeros(3))


def test_concat_and_subset():
    a, b = Squares(3), Squares(4)
    cat = a + b
    assert isinstance(cat, ConcatDataset) and len(cat) == 7 and cat.cumulative_sizes == [3, 7]
    assert [cat[i] for i in range(7)] == [0, 1, 4, 0, 1, 4, 9] and cat[-1] == 9
    with pytest.raises(ValueError, match="absolute value of index should not exceed dataset "
                                         "length"):
        cat[-8]
    with pytest.raises(AssertionError, match="datasets should not be an empty iterable"):
        ConcatDataset([])
    sub = Subset(Squares(10), [9, 2])
    assert len(sub) == 2 and sub[0] == 81 and sub.__getitems__([1, 0]) == [4, 81]
    with pytest.raises(NotImplementedError, match="Subclasses of Dataset should implement "
                                                  "__getitem__."):
        Dataset()[0]


def test_stack_dataset():
    x, y = xy(3)
    pairs = StackDataset(TensorDataset(x), Squares(3))
    assert len(pairs) == 3 and pairs[2][1] == 4 and pairs[2][0][0].tolist() == [4.0, 5.0]
    batch = next(iter(DataLoader(StackDataset(x=x, sq=Squares(3)), batch_size=3)))
    assert batch["x"].tolist() == x.tolist() and batch["sq"].tolist() == [0, 1, 4]
    with pytest.raises(ValueError, match="Size mismatch between datasets"):
        StackDataset(x, Squares(2))


def test_random_split_sizes_and_determinism():
    ds = Squares(10)
    parts = random_split(ds, [3, 7], generator=torch.Generator().manual_seed(1))
    assert [len(p) for p in parts] == [3, 7]
    assert sorted(parts[0].indices + parts[1].indices) == list(range(10))
    again = random_split(ds, [3, 7], generator=torch.Generator().manual_seed(1))
    assert [p.indices for p in again] == [p.indices for p in parts]
    other = random_split(ds, [3, 7], generator=torch.Generator().manual_seed(2))
    assert [p.indices for p in other] != [p.indices for p in parts]
    assert [len(p) for p in random_split(Squares(30), [0.3, 0.3, 0.4])] == [9, 9, 12]
    assert [len(p) for p in random_split(Squares(11), [0.5, 0.5])] == [6, 5]
    torch.manual_seed(7)
    first = random_split(ds, [0.5, 0.5])[0].indices
    torch.manual_seed(7)
    assert random_split(ds, [0.5, 0.5])[0].indices == first
    with pytest.raises(ValueError, match="Sum of input lengths does not equal the length of the "
                                         "input dataset!"):
        random_split(ds, [3, 8])
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        random_split(Squares(2), [1.0, 0.0])


# ---------------------------------------------------------------------- samplers
def test_samplers():
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    rs = RandomSampler(range(10), generator=torch.Generator().manual_seed(0))
    assert sorted(rs) == list(range(10)) and len(rs) == 10
    rs = RandomSampler(range(5), replacement=True, num_samples=12)
    drawn = list(rs)
    assert len(drawn) == 12 == len(rs) and all(0 <= i < 5 for i in drawn)
    assert sorted(RandomSampler(range(4), num_samples=10)) == sorted(list(range(4)) * 2 + [0, 1]) \
        or len(list(RandomSampler(range(4), num_samples=10))) == 10
    with pytest.raises(TypeError, match="replacement should be a boolean value, but got "
                                        "replacement=1"):
        RandomSampler(range(3), replacement=1)
    with pytest.raises(ValueError, match="num_samples should be a positive integer value, but "
                                         "got num_samples=0"):
        RandomSampler(range(3), num_samples=0)
    assert sorted(SubsetRandomSampler([5, 7, 9])) == [5, 7, 9]
    w = list(WeightedRandomSampler([0.0, 1.0, 0.0], 6))
    assert w == [1] * 6
    assert sorted(WeightedRandomSampler([1, 1, 1], 3, replacement=False)) == [0, 1, 2]
    with pytest.raises(ValueError, match=r"weights should be a 1d sequence but given weights "
                                         r"have shape \(1, 2\)"):
        WeightedRandomSampler([[1.0, 2.0]], 2)
    assert list(BatchSampler(range(10), 3, False)) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert list(BatchSampler(range(10), 3, True)) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert len(BatchSampler(range(10), 3, False)) == 4
    assert len(BatchSampler(range(10), 3, True)) == 3
    with pytest.raises(ValueError, match="batch_size should be a positive integer value, but "
                                         "got batch_size=0"):
        BatchSampler(range(3), 0, False)
    for sampler in (RandomSampler(range(3), generator=42), SubsetRandomSampler([1], 42)):
        with pytest.raises(TypeError, match="generator"):      # not a Generator
            list(sampler)


# ---------------------------------------------------------------------- collation
def test_default_collate():
    b = default_collate([torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])])
    assert b.tolist() == [[1.0, 2.0], [3.0, 4.0]] and b.dtype is torch.float32
    assert default_collate([1, 2]).dtype is torch.int64
    assert default_collate([1.5, 2.0]).dtype is torch.float64
    assert default_collate([True, False]).dtype is torch.bool
    assert default_collate([1, 2.0]).dtype is torch.float32          # as torch.tensor([1, 2.0])
    mixed = default_collate([torch.tensor([1.0]), torch.tensor([2])])
    assert mixed.dtype is torch.float32 and mixed.tolist() == [[1.0], [2.0]]
    grad = default_collate([torch.zeros(2, requires_grad=True), torch.ones(2)])
    assert grad.requires_grad and grad.grad_fn is not None
    arr = default_collate([np.zeros(3, np.int32), np.ones(3, np.int32)])
    assert arr.shape == (2, 3) and arr.dtype is torch.int32
    assert default_collate([np.float32(1), np.float32(2)]).dtype is torch.float32
    assert default_collate(["a", "b"]) == ["a", "b"]
    out = default_collate([{"x": 1, "s": "a"}, {"x": 2, "s": "b"}])
    assert out["x"].tolist() == [1, 2] and out["s"] == ["a", "b"]
    pair = default_collate([(1, 2.0), (3, 4.0)])
    assert isinstance(pair, list) and pair[0].tolist() == [1, 3]
    Point = collections.namedtuple("Point", "x y")
    pt = default_collate([Point(1, 2), Point(3, 4)])
    assert isinstance(pt, Point) and pt.y.tolist() == [2, 4]
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal "
                                           "size"):
        default_collate([[1, 2], [3]])
    with pytest.raises(RuntimeError, match=r"stack expects each tensor to be equal size, but "
                                           r"got \[2\] at entry 0 and \[3\] at entry 1"):
        default_collate([torch.zeros(2), torch.zeros(3)])
    with pytest.raises(TypeError, match="default_collate: batch must contain tensors, numpy "
                                        "arrays, numbers, dicts or lists; found <class 'object'>"):
        default_collate([object()])


# ---------------------------------------------------------------------- DataLoader
def test_batching_len_and_drop_last():
    x, y = xy(10)
    dl = DataLoader(TensorDataset(x, y), batch_size=4)
    batches = list(dl)
    assert len(dl) == 3 and len(batches) == 3
    assert isinstance(batches[0], list)
    assert batches[0][0].tolist() == x.tolist()[:4] and batches[2][1].tolist() == [8, 9]
    dl = DataLoader(TensorDataset(x, y), batch_size=4, drop_last=True)
    assert len(dl) == 2 and [b[1].tolist() for b in dl] == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert [b.tolist() for b in DataLoader(Squares(5), batch_size=2)] == [[0, 1], [4, 9], [16]]
    unbatched = list(DataLoader(Squares(3), batch_size=None))
    assert unbatched == [0, 1, 4]


def test_fast_tensor_batches_equal_per_sample_collation():
    x, y = xy(13)
    ds = TensorDataset(x, y)
    g1, g2 = torch.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    fast = list(DataLoader(ds, batch_size=5, shuffle=True, generator=g1))
    slow = list(DataLoader(ds, batch_size=5, shuffle=True, generator=g2,
                           collate_fn=lambda batch: default_collate(batch)))
    for (fx, fy), (sx, sy) in zip(fast, slow):
        assert fx.dtype is sx.dtype and fy.dtype is sy.dtype
        assert fx.tolist() == sx.tolist() and fy.tolist() == sy.tolist()
    sub = random_split(ds, [6, 7], generator=torch.Generator().manual_seed(0))[1]
    batch = next(iter(DataLoader(sub, batch_size=7)))
    assert batch[1].tolist() == sub.indices


def test_subclass_that_changes_samples_is_batched_through_them():
    class Shifted(TensorDataset):
        def __getitem__(self, i):
            x, y = super().__getitem__(i)
            return x + 100, y

    x, y = xy(4)
    batches = list(DataLoader(Shifted(x, y), batch_size=2))
    assert batches[0][0].tolist() == [[100.0, 101.0], [102.0, 103.0]]
    batches = list(DataLoader(Subset(Shifted(x, y), [3]), batch_size=2))
    assert batches[0][0].tolist() == [[106.0, 107.0]]
    hwc = torch.zeros(2, 3, 4).permute(1, 2, 0)
    assert next(iter(DataLoader(TensorDataset(hwc), batch_size=2)))[0].is_contiguous()
    with pytest.raises(IndexError, match="index 7 is out of bounds for dimension 0 with size 4"):
        list(DataLoader(TensorDataset(x, y), sampler=[0, 7], batch_size=2))
    with pytest.raises(NotImplementedError, match="Bad overrides __getitem__ but not "
                                                  "__getitems__"):
        type("Bad", (Subset,), {"__getitem__": lambda self, i: 0})(Squares(2), [0])


def test_shuffle_is_a_permutation_and_repeatable():
    x, y = xy(20)
    ds = TensorDataset(x, y)
    torch.manual_seed(0)
    first = [int(i) for b in DataLoader(ds, batch_size=6, shuffle=True) for i in b[1].tolist()]
    assert sorted(first) == list(range(20)) and first != list(range(20))
    torch.manual_seed(0)
    again = [int(i) for b in DataLoader(ds, batch_size=6, shuffle=True) for i in b[1].tolist()]
    assert again == first
    dl = DataLoader(ds, batch_size=20, shuffle=True, generator=torch.Generator().manual_seed(1))
    e1, e2 = next(iter(dl))[1].tolist(), next(iter(dl))[1].tolist()
    assert e1 != e2                                   # reshuffled every epoch


def test_sampler_batch_sampler_and_collate_fn():
    dl = DataLoader(Squares(6), sampler=[5, 0, 2], batch_size=2)
    assert [b.tolist() for b in dl] == [[25, 0], [4]]
    dl = DataLoader(Squares(6), batch_sampler=[[1, 2], [3]])
    assert [b.tolist() for b in dl] == [[1, 4], [9]] and len(dl) == 2
    dl = DataLoader(Squares(4), batch_size=2, collate_fn=lambda b: sum(b))
    assert list(dl) == [1, 13]


def test_dataloader_argument_errors():
    ds = Squares(4)
    with pytest.raises(ValueError, match="sampler option is mutually exclusive with shuffle"):
        DataLoader(ds, sampler=[0], shuffle=True)
    with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive with "
                                         "batch_size, shuffle, sampler, and drop_last"):
        DataLoader(ds, batch_sampler=[[0]], batch_size=2)
    with pytest.raises(ValueError, match="num_workers option should be non-negative"):
        DataLoader(ds, num_workers=-1)
    with pytest.raises(ValueError, match="persistent_workers option needs num_workers > 0"):
        DataLoader(ds, persistent_workers=True)
    with pytest.raises(ValueError, match="batch_size=None option disables auto-batching and "
                                         "is mutually exclusive with drop_last"):
        DataLoader(ds, batch_size=None, drop_last=True)
    with pytest.raises(ValueError, match="DataLoader with IterableDataset: expected unspecified "
                                         "shuffle option, but got shuffle=True"):
        DataLoader(Range(3), shuffle=True)
    dl = DataLoader(ds)
    with pytest.raises(ValueError, match="batch_size attribute should not be set after "
                                         "DataLoader is initialized"):
        dl.batch_size = 3
    with pytest.warns(UserWarning, match="'pin_memory' argument is set as true but no "
                                         "accelerator is found"):
        assert [b.tolist() for b in DataLoader(ds, batch_size=4, pin_memory=True)] == \
            [[0, 1, 4, 9]]
    with pytest.warns(UserWarning, match="This DataLoader will create 999 worker processes in "
                                         "total. Our suggested max number of worker"):
        DataLoader(ds, num_workers=999)


def test_iterable_dataset_main_process():
    dl = DataLoader(Range(7), batch_size=3)
    assert [b.tolist() for b in dl] == [[0, 1, 2], [3, 4, 5], [6]] and len(dl) == 3
    dl = DataLoader(Range(7), batch_size=3, drop_last=True)
    assert [b.tolist() for b in dl] == [[0, 1, 2], [3, 4, 5]] and len(dl) == 2
    assert get_worker_info() is None


# ---------------------------------------------------------------------- worker processes
def test_workers_keep_order_and_run_init_fn():
    dl = DataLoader(WorkerIds(), batch_size=2, num_workers=2,
                    worker_init_fn=lambda wid: os.environ.__setitem__("CR_WID", str(wid)))
    batches = list(dl)
    assert [b[0].tolist() for b in batches] == [[0, 1], [2, 3], [4, 5], [6, 7]]
    assert [b[1].tolist() for b in batches] == [[0, 0], [1, 1], [0, 0], [1, 1]]
    x, y = xy(10)
    shuffled = DataLoader(TensorDataset(x, y), batch_size=3, shuffle=True, num_workers=2)
    assert sorted(i for b in shuffled for i in b[1].tolist()) == list(range(10))


def test_worker_exception_reaches_main_process():
    dl = DataLoader(Squares(6, fail_at=3), batch_size=2, num_workers=2)
    with pytest.raises(WorkerFailure) as info:
        list(dl)
    message = str(info.value)
    assert message.startswith("Caught WorkerFailure in DataLoader worker process 1.\n"
                              "Original Traceback (most recent call last):")
    assert "cannot load sample 3" in message


def test_persistent_workers_and_iterable_dataset():
    dl = DataLoader(Squares(7), batch_size=2, num_workers=2, persistent_workers=True)
    first = [b.tolist() for b in dl]
    it = dl._iterator
    workers = list(it._workers)
    second = [b.tolist() for b in dl]
    assert first == second == [[0, 1], [4, 9], [16, 25], [36]]
    assert dl._iterator is it and it._workers == workers
    assert all(w.is_alive() for w in workers)
    it._shutdown_workers()
    assert not any(w.is_alive() for w in workers)
    dl = DataLoader(Range(10), batch_size=3, num_workers=2)
    got = [b.tolist() for b in dl]
    assert sorted(i for b in got for i in b) == list(range(10))
