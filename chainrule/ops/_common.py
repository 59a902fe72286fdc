"""Shared machinery of the ops: argument helpers, dtype of binary results, in-place updates."""
import builtins

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd import engine as _engine, function as _function, grad_mode
from ..autograd.function import _INPUT, _OUTPUT, Function
from . import tensor_xp

_state = grad_mode._state
_function._make = _engine._make = Tensor._make  # the autograd modules load before Tensor exists

# Legacy scalar-type names PyTorch uses in messages ("result type Float can't be cast ...").
SCALAR_TYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half",
                     "int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
                     "uint8": "Byte", "bool": "Bool", "complex64": "ComplexFloat"}


class Op(Function):
    """Base of the built-in ops: forward/backward work on raw arrays (see autograd.function)."""
    _raw = True
    _n_inputs = 1


# A backward runs on raw arrays with NumPy for a plain ``backward()`` and on Tensors with
# ``tensor_xp`` under ``create_graph=True`` (see autograd.function); these helpers let one rule
# serve both.
def _raw(ctx):
    """True for a plain ``backward()`` (raw arrays), False under ``create_graph=True``."""
    return ctx.xp is not tensor_xp


def _const(ctx, array):
    """A constant array in the representation backward is computing with."""
    return array if ctx.xp is not tensor_xp else Tensor._make(array)


def _pair(ctx, op, *args):
    """``op`` applied in a backward: its raw ``kernel`` for a plain ``backward()``, the op itself
    (recorded, so differentiable again) under ``create_graph=True``. Kernels that are not NumPy
    expressions come as adjoint pairs of ops whose backwards call each other this way."""
    return op.kernel(*args) if _raw(ctx) else op.apply(*args)


def is_tensor(x):
    return isinstance(x, Tensor)


def wrap_dim(dim, ndim):
    """Normalise a possibly negative dimension, with PyTorch's IndexError."""
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not isinstance(dim, (int, np.integer)):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    if not lo <= dim <= hi:
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but "
                         f"got {dim})")
    return int(dim) % ndim if ndim else 0


def wrap_dims(dim, ndim):
    """``dim`` as a sorted tuple of non-negative axes (None means all)."""
    if dim is None:
        return tuple(builtins.range(ndim))
    if isinstance(dim, (list, tuple)):
        dims = tuple(wrap_dim(d, ndim) for d in dim)
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"dim {dims[0]} appears multiple times in the list of dims")
        return dims
    return (wrap_dim(dim, ndim),)


def binary_dtype(a, b):
    """NumPy dtype for ``a op b`` when NumPy's own choice would differ from PyTorch's, else None.

    The common cases (same dtype; a float tensor with a Python number) cost two type checks.
    """
    ta, tb = type(a), type(b)
    if ta is Tensor and tb is Tensor or isinstance(a, Tensor) and isinstance(b, Tensor):
        if a._data.dtype is b._data.dtype or a._data.dtype == b._data.dtype:
            return None
    elif isinstance(a, Tensor) and (tb is float or tb is int):
        if a._data.dtype.kind == "f" or tb is int and a._data.dtype.kind in "iu":
            return None
    elif isinstance(b, Tensor) and (ta is float or ta is int):
        if b._data.dtype.kind == "f" or ta is int and b._data.dtype.kind in "iu":
            return None
    return _dtype.result_type(a, b).np


_INT_RANGES = {np.dtype(t): (int(np.iinfo(t).min), int(np.iinfo(t).max))
               for t in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                         np.uint64)}


def int_operand(tensor, value):
    """A Python int meeting an integer tensor in a binary op, as PyTorch converts it: to the
    tensor's dtype with wraparound (``uint8 tensor * -1`` multiplies by 255); NumPy would raise
    for an int out of the dtype's range. Anything else is returned as is."""
    if type(value) is not int or not isinstance(tensor, Tensor):
        return value
    bounds = _INT_RANGES.get(tensor._data.dtype)
    if bounds is None or bounds[0] <= value <= bounds[1]:
        return value
    if value >= 1 << 64:
        raise OverflowError("int too big to convert")
    if value < -(1 << 63):
        raise OverflowError("can't convert negative int to unsigned")
    bits = tensor._data.dtype.itemsize * 8
    value &= (1 << bits) - 1
    if bounds[0] and value > bounds[1]:  # signed: the upper half is negative
        value -= 1 << bits
    return value


def as_tensor_arg(x, name="other"):
    """Accept Tensors and Python numbers; ndarrays become (constant) tensors."""
    if isinstance(x, (Tensor, int, float, bool, complex)):
        return x
    if isinstance(x, np.ndarray):
        return Tensor._make(x)
    if isinstance(x, np.generic):
        return x.item()
    raise TypeError(f"unsupported operand type: expected Tensor or Number for '{name}', but got "
                    f"{type(x).__name__}")


def _shape_str(shape):
    return "[" + ", ".join(str(d) for d in shape) + "]"


def check_inplace(self):
    """PyTorch's refusals for in-place ops on tensors autograd must protect."""
    if not _state.enabled:
        return
    base = self._base
    if base is not None and base._requires_grad and self.__dict__.get("_unrecorded_view"):
        raise RuntimeError(_NO_GRAD_VIEW)   # a view of it made while grad mode was off
    if self.grad_fn is None and self._requires_grad:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    if base is not None and base._requires_grad:
        if base.grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")


_NO_GRAD_VIEW = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
    "code by moving both the view and the inplace either both inside the no_grad block (if you "
    "don't want the inplace to be tracked) or both outside (if you want the inplace to be "
    "tracked).")


def _cast_error(result_dtype, self):
    return RuntimeError(f"result type {SCALAR_TYPE_NAMES[np.dtype(result_dtype).name]} can't be "
                        f"cast to the desired output type "
                        f"{SCALAR_TYPE_NAMES[self._data.dtype.name]}")


def write_inplace(self, array):
    """Copy ``array`` into ``self``'s storage (views see it) with PyTorch's checks."""
    if array.shape != self._data.shape:
        if np.broadcast_shapes(array.shape, self._data.shape) != self._data.shape:
            raise RuntimeError(f"output with shape {_shape_str(self._data.shape)} doesn't match "
                               f"the broadcast shape "
                               f"{_shape_str(np.broadcast_shapes(array.shape, self._data.shape))}")
    if not np.can_cast(array.dtype, self._data.dtype, "same_kind"):
        raise _cast_error(array.dtype, self)
    np.copyto(self._data, array, casting="unsafe")
    self._version_counter[0] += 1


def apply_inplace(fn, self, *args, ufunc=None):
    """``self.op_(*args)``: compute ``fn(self, *args)`` and write the result into ``self``.

    Without a graph to record, a ufunc writes straight into ``self``'s memory (one pass, no
    temporary). With one, ``self`` is rebased onto the new node, as PyTorch does.
    """
    needs_graph = False
    if _state.enabled:
        check_inplace(self)
        needs_graph = self._requires_grad or builtins.any(
            isinstance(a, Tensor) and a._requires_grad for a in args)
    if not needs_graph:
        if ufunc is not None:
            if len(args) == 1:  # the common case, unrolled
                a = args[0]
                raw = (a._data if isinstance(a, Tensor) else a,)
            else:
                raw = [a._data if isinstance(a, Tensor) else a for a in args]
            try:
                ufunc(self._data, *raw, out=self._data, casting="same_kind")
            except (TypeError, ValueError, OverflowError):
                # the result type does not fit, shapes do not broadcast, the op refuses its
                # input, or a Python int is out of an integer dtype's range: the out-of-place
                # function raises PyTorch's error (or computes the value, which write_inplace
                # checks and stores)
                write_inplace(self, fn(self, *args)._data)
                return self
            self._version_counter[0] += 1
        else:
            write_inplace(self, fn(self, *args)._data)
        return self
    if self._base is not None:
        return _inplace_on_view(fn, self, args)
    out = fn(self, *args)
    node = out.grad_fn
    if node is not None and node._saved:
        node._saved = _snapshot_self(node._saved, self)
    write_inplace(self, out._data)
    if node is not None:
        self.grad_fn = node
        self._requires_grad = True
        self._output_nr = out._output_nr
        if node._saved:
            node._saved = tuple(
                (self._data, _OUTPUT, nr, self._version_counter, self._version_counter[0])
                if kind == _OUTPUT else (value, kind, nr, counter, version)
                for value, kind, nr, counter, version in node._saved)
        if self.__dict__.get("_views"):  # views of self made in the graph read the new self
            from .indexing import refresh_views
            refresh_views(self)
    return self


def _snapshot_self(saved, self):
    """The new node saved ``self`` as an input; keep its pre-update value, since ``self`` is
    about to be overwritten."""
    out = []
    for entry in saved:
        value, kind, tensor, counter, version = entry
        if kind == _INPUT and tensor is self:
            old = Tensor._make(value.copy())
            old.grad_fn, old._output_nr = self.grad_fn, self._output_nr
            old._requires_grad = self._requires_grad
            entry = (old._data, _INPUT, old, old._version_counter, 0)
        out.append(entry)
    return tuple(out)


def _inplace_on_view(fn, self, args):
    """``self.op_(*args)`` recorded on a view: the op runs out of place on the view, the result
    is written into the shared memory, and the base is rebased onto ``CopySlices`` (see
    ``indexing.rebase_view``); the view reads the new base."""
    from .indexing import rebase_view, view_positions
    multi = self.__dict__.get("_multi_view")
    if multi is not None:
        raise RuntimeError(f"Output {multi[1]} of {multi[0]} is a view and is being modified "
                           "inplace. This view is the output of a function that returns multiple "
                           "views. Such functions do not allow the output views to be modified "
                           "inplace. You should replace the inplace operation by an out-of-place "
                           "one.")
    spec = view_positions(self._base._data, self._data)
    out = fn(self, *args)
    node = out.grad_fn
    if node is not None and node._saved:
        node._saved = _snapshot_self(node._saved, self)
    write_inplace(self, out._data)
    if node is not None:
        rebase_view(self, out, spec)
        if node._saved:  # a saved result is the view's value now: check it is not modified
            counter = self._version_counter
            node._saved = tuple(
                (value, _OUTPUT, nr, counter, counter[0]) if kind == _OUTPUT else
                (value, kind, nr, c, version) for value, kind, nr, c, version in node._saved)
    return self
