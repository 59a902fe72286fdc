"""Datasets: the map-style and iterable protocols, TensorDataset, StackDataset, ConcatDataset,
ChainDataset, Subset and random_split."""
import bisect
import collections.abc
import itertools
import math
import warnings

import numpy as np

from ..._tensor import Tensor

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "StackDataset", "ConcatDataset",
           "ChainDataset", "Subset", "random_split"]


class Dataset:
    r"""An abstract class representing a map-style dataset: subclasses implement
    ``__getitem__`` (sample for a key) and usually ``__len__``; they may add ``__getitems__``
    to load a whole batch of keys at once."""

    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other):
        return ConcatDataset([self, other])


class IterableDataset(Dataset, collections.abc.Iterable):
    r"""An iterable dataset: subclasses implement ``__iter__`` (an abstract method, so one
    without it cannot be instantiated). With ``num_workers > 0`` each worker iterates its own
    copy; use :func:`get_worker_info` in ``__iter__`` to split the work between them."""

    def __add__(self, other):
        return ChainDataset([self, other])


def _row(tensor, index):
    """``tensor[index]``; a plain view of the array when autograd has nothing to record."""
    if tensor._requires_grad:
        return tensor[index]
    try:
        return Tensor._make(tensor._data[index])
    except IndexError:
        return tensor[index]        # raises PyTorch's message, not NumPy's


def _batch_getter(dataset):
    """``dataset._get_batch`` (a whole default-collated batch in one go), or ``None`` where it
    would not give what collating the samples gives: when a subclass changes how samples are
    loaded (overrides ``__getitem__`` or ``__getitems__``)."""
    get_batch = getattr(dataset, "_get_batch", None)
    if get_batch is None:
        return None
    cls = type(dataset)
    owner = next(c for c in cls.__mro__ if "_get_batch" in vars(c))
    if (cls.__getitem__ is owner.__getitem__
            and getattr(cls, "__getitems__", None) is getattr(owner, "__getitems__", None)):
        return get_batch
    return None


class TensorDataset(Dataset):
    r"""Dataset wrapping tensors: sample ``i`` is ``tuple(t[i] for t in tensors)``.

    Args:
        *tensors (Tensor): tensors that have the same size of the first dimension.

    With the default ``collate_fn``, the DataLoader fetches a whole batch by indexing each
    tensor once with the batch's indices (``_get_batch``) instead of indexing per sample and
    stacking; the batch is identical, only faster.
    """

    def __init__(self, *tensors):
        if any(tensors[0].size(0) != tensor.size(0) for tensor in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(_row(tensor, index) for tensor in self.tensors)

    def __len__(self):
        return self.tensors[0].size(0)

    def _get_batch(self, indices):
        """``default_collate([self[i] for i in indices])`` with one indexing per tensor."""
        idx = np.asarray(indices)
        if idx.dtype.kind in "iu" and not any(t._requires_grad for t in self.tensors):
            try:
                # contiguous, as stacked samples are
                return [Tensor._make(np.ascontiguousarray(t._data[idx])) for t in self.tensors]
            except IndexError:
                pass
        # keys that are not in-range integers (or samples that record grad): index sample by
        # sample, so the errors and results are PyTorch's
        from ._utils.collate import default_collate
        return default_collate([self[i] for i in indices])


class StackDataset(Dataset):
    r"""Dataset as a stacking of multiple datasets of the same length: sample ``i`` is the tuple
    (or, with keyword arguments, the dict) of every dataset's sample ``i``.

    Args:
        *args (Dataset): datasets for a tuple-like output
        **kwargs (Dataset): datasets for a dict-like output
    """

    def __init__(self, *args, **kwargs):
        if args and kwargs:
            raise ValueError("Supported either ``tuple``- (via ``args``) or``dict``- (via "
                             "``kwargs``) like input/output, but both types are given.")
        if not args and not kwargs:
            raise ValueError("At least one dataset should be passed")
        self.datasets = args or kwargs
        datasets = args or list(kwargs.values())
        self._length = len(datasets[0])
        if any(self._length != len(dataset) for dataset in datasets):
            raise ValueError("Size mismatch between datasets")

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {k: dataset[index] for k, dataset in self.datasets.items()}
        return tuple(dataset[index] for dataset in self.datasets)

    def __getitems__(self, indices):
        """The samples at ``indices``, each dataset loading its share in one call where it
        has ``__getitems__``."""
        named = isinstance(self.datasets, dict)
        columns = {}
        for k, dataset in (self.datasets.items() if named else enumerate(self.datasets)):
            if callable(getattr(dataset, "__getitems__", None)):
                items = dataset.__getitems__(indices)
                if len(items) != len(indices):
                    raise ValueError(f"Nested dataset's output size mismatch. Expected "
                                     f"{len(indices)}, got {len(items)}")
                columns[k] = items
            else:
                columns[k] = [dataset[idx] for idx in indices]
        rows = zip(*columns.values())
        return [dict(zip(columns, row)) if named else tuple(row) for row in rows]

    def __len__(self):
        return self._length


class ConcatDataset(Dataset):
    r"""Dataset as a concatenation of multiple datasets.

    Args:
        datasets (sequence): list of datasets to be concatenated
    """

    @staticmethod
    def cumsum(sequence):
        r, s = [], 0
        for e in sequence:
            s += len(e)
            r.append(s)
        return r

    def __init__(self, datasets):
        super().__init__()
        self.datasets = list(datasets)
        if len(self.datasets) == 0:
            raise AssertionError("datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        dataset_idx = bisect.bisect_right(self.cumulative_sizes, idx)
        sample_idx = idx if dataset_idx == 0 else idx - self.cumulative_sizes[dataset_idx - 1]
        return self.datasets[dataset_idx][sample_idx]

    @property
    def cummulative_sizes(self):
        warnings.warn("`cummulative_sizes` attribute is renamed to `cumulative_sizes`",
                      FutureWarning, stacklevel=2)
        return self.cumulative_sizes


class ChainDataset(IterableDataset):
    r"""Dataset for chaining multiple :class:`IterableDataset` s (lazily, one after another)."""

    def __init__(self, datasets):
        super().__init__()
        self.datasets = datasets

    def __iter__(self):
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            yield from d

    def __len__(self):
        total = 0
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            total += len(d)
        return total


class Subset(Dataset):
    r"""Subset of a dataset at specified indices.

    Args:
        dataset (Dataset): the whole Dataset
        indices (sequence): indices in the whole set selected for subset
    """

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices
        # the DataLoader fetches batches through __getitems__, which would bypass an
        # overridden __getitem__
        if (type(self).__getitem__ is not Subset.__getitem__
                and type(self).__getitems__ is Subset.__getitems__):
            raise NotImplementedError(
                f"{type(self).__name__} overrides __getitem__ but not __getitems__. When "
                "subclassing Subset and overriding __getitem__, you must also override "
                "__getitems__ to ensure DataLoader works correctly with your custom logic. A "
                "simple implementation:\n\ndef __getitems__(self, indices):\n"
                "    return [self.__getitem__(idx) for idx in indices]")

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices):
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__([self.indices[idx] for idx in indices])
        return [self.dataset[self.indices[idx]] for idx in indices]

    def __len__(self):
        return len(self.indices)

    def _get_batch(self, indices):
        """The collated batch, through the wrapped dataset's batch fetch when it has one."""
        inner = _batch_getter(self.dataset)
        if inner is None:
            from ._utils.collate import default_collate
            return default_collate(self.__getitems__(indices))
        return inner([self.indices[i] for i in indices])


def random_split(dataset, lengths, generator=None):
    r"""Randomly split a dataset into non-overlapping new datasets of given lengths.

    If a list of fractions that sum up to 1 is given, the lengths are computed as
    ``floor(frac * len(dataset))`` for each fraction, and any remainder is distributed one by
    one to the splits in round-robin order.

    Args:
        dataset (Dataset): dataset to be split
        lengths (sequence): lengths or fractions of splits to be produced
        generator (Generator): generator used for the random permutation (default: the global
            one, so ``manual_seed`` makes the split repeatable).
    """
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        subset_lengths = []
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
            subset_lengths.append(math.floor(len(dataset) * frac))
        remainder = len(dataset) - sum(subset_lengths)
        for i in range(remainder):
            subset_lengths[i % len(subset_lengths)] += 1
        lengths = subset_lengths
        for i, length in enumerate(lengths):
            if length == 0:
                warnings.warn(f"Length of split at index {i} is 0. This might result in an "
                              f"empty dataset.", stacklevel=2)
    if sum(lengths) != len(dataset):
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    from ..._creation import randperm
    indices = randperm(sum(lengths), generator=generator).tolist()
    return [Subset(dataset, indices[offset - length:offset])
            for offset, length in zip(itertools.accumulate(lengths), lengths)]
