"""The bridge between NumPy arrays and chainrule tensors used by datasets and transforms."""
import numpy as np


def tensor_type():
    """chainrule's Tensor class, or ``None`` while the core cannot be imported."""
    try:
        from chainrule import Tensor
    except ImportError:
        return None
    return Tensor


def is_tensor(x):
    """Whether ``x`` is a chainrule tensor."""
    t = tensor_type()
    return t is not None and isinstance(x, t)


def to_tensor(arr):
    """Wrap ``arr`` as a chainrule tensor sharing its memory (``chainrule.from_numpy``)."""
    from chainrule import from_numpy
    return from_numpy(np.ascontiguousarray(arr))


def to_numpy(x):
    """The data of a tensor (detached) or array-like as an ndarray, without copying if possible."""
    if is_tensor(x):
        if x.requires_grad:
            x = x.detach()
        return x.numpy()
    return np.asarray(x)


class ArrayCache:
    """Remembers the ndarray behind one object, so that ``dataset.data[i]`` costs an array index
    rather than a tensor index, while still following a user who rebinds ``dataset.data``."""

    __slots__ = ("obj", "arr")

    def __init__(self):
        self.obj = self.arr = None

    def get(self, obj):
        """The ndarray of ``obj``, converted again only when ``obj`` is a different object."""
        if obj is not self.obj:
            self.arr = to_numpy(obj)
            self.obj = obj
        return self.arr
