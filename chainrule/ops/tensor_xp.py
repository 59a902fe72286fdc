"""NumPy-named functions over Tensors.

Backward rules are written once, with ``ctx.xp``: NumPy for a plain ``backward()`` and this
module under ``create_graph=True``, where every call records a differentiable op. Functions whose
NumPy signature differs from PyTorch's are adapted here; any other name falls through to the
chainrule function of the same name (``exp``, ``log``, ``where``, ``matmul`` ...).
"""
import numpy as np

from .. import _dtype
from .._tensor import Tensor


def _t(x):
    return x if isinstance(x, Tensor) else Tensor._make(np.asarray(x))


def sum(x, axis=None, keepdims=False, dtype=None):
    from .reduction import sum as _sum
    return _sum(_t(x), dim=axis, keepdim=keepdims)


def mean(x, axis=None, keepdims=False):
    from .reduction import mean as _mean
    return _mean(_t(x), dim=axis, keepdim=keepdims)


def reshape(x, shape):
    from .shape import reshape as _reshape
    return _reshape(_t(x), shape)


def broadcast_to(x, shape):
    from .shape import expand
    return expand(_t(x), shape)


def swapaxes(x, a, b):
    from .shape import transpose
    return transpose(_t(x), a, b)


def transpose(x, axes):
    from .shape import permute
    return permute(_t(x), axes)


def expand_dims(x, axis):
    from .shape import unsqueeze
    return unsqueeze(_t(x), axis)


def astype(x, dtype):
    return _t(x).to(_dtype.from_numpy_dtype(np.dtype(dtype)))


def sign(x):
    """A constant: the derivative of sign is 0 wherever it exists."""
    return Tensor._make(np.sign(_t(x)._data))


def flip(x, axis):
    from .shape import flip as _flip
    return _flip(_t(x), (axis,) if isinstance(axis, int) else tuple(axis))


def split(x, indices, axis=0):
    """NumPy's split at ``indices`` (a list) as PyTorch's split into sizes."""
    from .shape import split as _split
    x = _t(x)
    bounds = [0, *indices, x.shape[axis]]
    return _split(x, [hi - lo for lo, hi in zip(bounds, bounds[1:])], axis)


def pad(x, pad_width):
    """NumPy's constant (zero) pad, ``pad_width`` a (before, after) pair per dimension."""
    from .shape import pad_zeros
    return pad_zeros(_t(x), pad_width)


def take_along_axis(x, indices, axis):
    from .indexing import take_along_dim
    return take_along_dim(_t(x), _t(indices), axis)


def floor_divide(x, y):
    # chainrule.floor_divide records PyTorch's non-differentiable node; a backward that needs a
    # floored quotient (remainder's) wants the zero-gradient rounded division instead
    from .elementwise import div
    return div(_t(x), y, rounding_mode="floor")


def __getattr__(name):
    import chainrule
    try:
        return getattr(chainrule, name)
    except AttributeError:
        raise AttributeError(f"no differentiable counterpart of numpy.{name} in chainrule: add "
                             f"one to chainrule.ops.tensor_xp") from None
