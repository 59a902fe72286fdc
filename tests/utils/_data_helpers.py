"""Datasets used by the DataLoader worker tests (importable, so workers can unpickle errors)."""
from chainrule.utils.data import Dataset, IterableDataset, get_worker_info


class WorkerFailure(Exception):
    """Raised inside a worker to check that it reaches the main process."""


class Squares(Dataset):
    """Sample i is i * i; index ``fail_at`` raises."""

    def __init__(self, n, fail_at=None):
        self.n, self.fail_at = n, fail_at

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i == self.fail_at:
            raise WorkerFailure(f"cannot load sample {i}")
        return i * i


class WorkerIds(Dataset):
    """Sample i is (i, id of the worker process that loaded it)."""

    def __len__(self):
        return 8

    def __getitem__(self, i):
        info = get_worker_info()
        return i, -1 if info is None else info.id


class Range(IterableDataset):
    """0..n-1, split between workers by striding."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __iter__(self):
        info = get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, self.n, step))
