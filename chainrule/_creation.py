"""Tensor creation: tensor, zeros, ones, full, arange, linspace, eye, random tensors, *_like."""
import builtins
import math

import numpy as np

from . import _dtype
from ._dtype import dtype as _dtype_cls
from ._random import rng_of
from ._tensor import Tensor, _shape_arg

__all__ = ["tensor", "as_tensor", "from_numpy", "asarray", "zeros", "ones", "full", "empty",
           "zeros_like", "ones_like", "full_like", "empty_like", "arange", "range", "linspace",
           "logspace", "eye", "rand", "randn", "randint", "randperm", "normal", "rand_like",
           "randn_like", "randint_like", "bernoulli", "multinomial", "scalar_tensor",
           "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
           "CharTensor", "ByteTensor", "BoolTensor"]


def _np_dtype(dtype, default=None):
    if dtype is None:
        return default
    return _dtype.to_dtype(dtype).np


def _finish(array, requires_grad):
    t = Tensor._make(array)
    if requires_grad:
        t.requires_grad = True
    return t


def _infer_array(data):
    """NumPy array for ``data`` with PyTorch's dtype inference (floats -> default dtype)."""
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, np.ndarray):
        _dtype.from_numpy_dtype(data.dtype)  # rejects types PyTorch lacks
        return data
    if isinstance(data, (list, tuple)):
        data = [_scalarize(x) for x in data] if any(isinstance(x, Tensor) for x in data) else data
    try:
        arr = np.array(data)
    except ValueError:
        raise ValueError(_ragged_message(data)) from None
    kind = arr.dtype.kind
    if kind == "f":
        return arr.astype(_dtype.get_default_dtype().np)
    if kind in "iu":
        return arr.astype(np.int64)
    if kind == "b":
        return arr
    if kind == "c":
        return arr.astype(np.complex64)
    if arr.size == 0 and kind != "O":
        return arr.astype(_dtype.get_default_dtype().np)
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def _scalarize(x):
    if isinstance(x, Tensor):
        if x._data.ndim:
            return x._data
        return x._data.item()
    return x


def _ragged_message(data, dim=0):
    def walk(seq, d):
        if not isinstance(seq, (list, tuple)) or not seq:
            return None
        first = len(seq[0]) if isinstance(seq[0], (list, tuple)) else None
        for item in seq:
            n = len(item) if isinstance(item, (list, tuple)) else None
            if n != first:
                return f"expected sequence of length {first} at dim {d + 1} (got {n})"
        for item in seq:
            msg = walk(item, d + 1)
            if msg:
                return msg
        return None
    return walk(data, dim) or "could not create a tensor from the given data"


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """Construct a tensor by copying ``data`` (a number, nested sequence or ndarray).

    Python floats become the default dtype (float32), ints int64, bools bool.
    """
    if isinstance(data, Tensor):
        import warnings
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                      "requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
    _check_device(device)
    arr = _infer_array(data)
    arr = np.array(arr, dtype=_np_dtype(dtype), copy=True)
    return _finish(arr, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Convert ``data`` to a tensor, sharing memory with an ndarray or tensor when possible."""
    if isinstance(data, Tensor):
        return data if dtype is None or dtype is data.dtype else data.to(dtype)
    arr = _infer_array(data)
    if dtype is not None:
        arr = arr.astype(_np_dtype(dtype), copy=False)
    return Tensor._make(arr)


asarray = as_tensor


def from_numpy(ndarray):
    """A tensor that shares memory with ``ndarray``."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy_dtype(ndarray.dtype)
    return Tensor._make(ndarray)


def _check_device(device):
    if device is not None and str(device).split(":")[0] != "cpu":
        from ._backend import require_device
        require_device(device)


def _sizes(size):
    shape = _shape_arg(size)
    for s in shape:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"zeros(): argument 'size' must be tuple of ints, but found element "
                            f"of type {type(s).__name__}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"[{', '.join(map(str, shape))}]")
    return tuple(builtins.int(s) for s in shape)


def _default(dtype):
    return _np_dtype(dtype, _dtype.get_default_dtype().np)


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A tensor of zeros of the given shape."""
    _check_device(device)
    return _finish(np.zeros(_sizes(size), _default(dtype)), requires_grad)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A tensor of ones of the given shape."""
    _check_device(device)
    return _finish(np.ones(_sizes(size), _default(dtype)), requires_grad)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          memory_format=None, pin_memory=False):
    """An uninitialised tensor of the given shape."""
    _check_device(device)
    return _finish(np.empty(_sizes(size), _default(dtype)), requires_grad)


def _fill_dtype(value):
    if isinstance(value, builtins.bool):
        return np.bool_
    if isinstance(value, (builtins.int, np.integer)):
        return np.int64
    if isinstance(value, complex):
        return np.complex64
    return _dtype.get_default_dtype().np


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False):
    """A tensor of ``size`` filled with ``fill_value`` (dtype inferred from the value)."""
    _check_device(device)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    return _finish(np.full(_sizes((size,)), fill_value, _np_dtype(dtype, _fill_dtype(fill_value))),
                   requires_grad)


def scalar_tensor(s, dtype=None, device=None, requires_grad=False):
    return _finish(np.array(s, _default(dtype)), requires_grad)


def _like(fn, input, dtype, requires_grad, *args):
    dtype = dtype or input.dtype
    return fn(input._data.shape, *args, dtype=dtype, requires_grad=requires_grad)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """Zeros with the shape (and dtype) of ``input``."""
    return _like(zeros, input, dtype, requires_grad)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """Ones with the shape (and dtype) of ``input``."""
    return _like(ones, input, dtype, requires_grad)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    return _like(empty, input, dtype, requires_grad)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    return full(input._data.shape, fill_value, dtype=dtype or input.dtype,
                requires_grad=requires_grad)


def _number(x):
    return x.item() if isinstance(x, Tensor) else x


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    """Values from ``start`` to ``end`` (exclusive) in steps of ``step``; int64 if all are ints."""
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    all_int = all(isinstance(v, (builtins.int, np.integer)) for v in (start, end, step))
    np_dt = _np_dtype(dtype, np.int64 if all_int else _dtype.get_default_dtype().np)
    n = builtins.max(0, math.ceil((end - start) / step))
    arr = (start + np.arange(n, dtype=np.float64) * step).astype(np_dt) if not all_int else \
        np.arange(start, end, step, dtype=np.int64).astype(np_dt)
    return _finish(arr, requires_grad)


def range(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """Deprecated inclusive range (``torch.range``): float values from start to end."""
    if end is None:
        start, end = 0, start
    n = builtins.int(math.floor((end - start) / step)) + 1
    arr = (start + np.arange(n, dtype=np.float64) * step).astype(_default(dtype))
    return _finish(arr, requires_grad)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    start, end = _number(start), _number(end)
    arr = np.linspace(start, end, steps, dtype=np.float64).astype(_default(dtype))
    return _finish(arr, requires_grad)


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False):
    arr = np.logspace(start, end, steps, base=base, dtype=np.float64).astype(_default(dtype))
    return _finish(arr, requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A 2-d tensor with ones on the diagonal."""
    return _finish(np.eye(n, n if m is None else m, dtype=_default(dtype)), requires_grad)


def _random_float(sample, size, generator, dtype, requires_grad):
    np_dt = _default(dtype)
    if np_dt.kind != "f":
        raise RuntimeError(f"\"check_uniform_bounds\" not implemented for "
                           f"'{_dtype.from_numpy_dtype(np_dt).name}'")
    arr = sample(rng_of(generator), _sizes(size)).astype(np_dt, copy=False)
    return _finish(arr, requires_grad)


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False):
    """Uniform samples in [0, 1)."""
    return _random_float(lambda rng, s: rng.random(s, dtype=np.float64), size, generator, dtype,
                         requires_grad)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False):
    """Standard normal samples."""
    return _random_float(lambda rng, s: rng.standard_normal(s), size, generator, dtype,
                         requires_grad)


def rand_like(input, *, dtype=None, requires_grad=False, **kwargs):
    return rand(input._data.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn_like(input, *, dtype=None, requires_grad=False, **kwargs):
    return randn(input._data.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randint(low=0, high=None, size=None, *, generator=None, out=None, dtype=None, layout=None,
            device=None, requires_grad=False):
    """Uniform integers in [low, high); ``randint(high, size)`` also works. int64 by default."""
    if size is None:
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    arr = rng_of(generator).integers(low, high, _sizes((size,)), dtype=np.int64)
    return _finish(arr.astype(_np_dtype(dtype, np.int64)), requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, **kwargs):
    return randint(low, high, input._data.shape, dtype=dtype or input.dtype)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    """A random permutation of 0..n-1 (int64)."""
    return _finish(rng_of(generator).permutation(n).astype(_np_dtype(dtype, np.int64)),
                   requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None,
           device=None, requires_grad=False):
    """Normal samples with the given mean and std (numbers or tensors, broadcast together)."""
    m = mean._data if isinstance(mean, Tensor) else mean
    s = std._data if isinstance(std, Tensor) else std
    if isinstance(s, (builtins.int, builtins.float)) and s < 0 or \
            isinstance(s, np.ndarray) and (s < 0).any():
        raise RuntimeError(f"normal expects std >= 0.0, but found std {s}")
    shape = _sizes((size,)) if size is not None else np.broadcast_shapes(np.shape(m), np.shape(s))
    ref = mean if isinstance(mean, Tensor) else std if isinstance(std, Tensor) else None
    np_dt = _np_dtype(dtype, ref._data.dtype if ref is not None else _dtype.get_default_dtype().np)
    arr = (m + s * rng_of(generator).standard_normal(shape)).astype(np_dt)
    return _finish(np.asarray(arr), requires_grad)


def bernoulli(input, p=None, *, generator=None, out=None):
    """Draw 0/1 samples with probabilities ``input`` (or the scalar ``p``)."""
    probs = input._data if p is None else np.full(input._data.shape, p)
    arr = (rng_of(generator).random(probs.shape) < probs).astype(input._data.dtype)
    return Tensor._make(arr)


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Sample category indices from (unnormalised) row probabilities."""
    probs = np.atleast_2d(input._data).astype(np.float64)
    rng = rng_of(generator)
    rows = []
    for row in probs:
        rows.append(rng.choice(row.size, num_samples, replace=replacement, p=row / row.sum()))
    arr = np.array(rows, dtype=np.int64)
    return Tensor._make(arr if input._data.ndim == 2 else arr[0])


def legacy_new(cls, default_dtype, args, kwargs):
    """PyTorch's legacy constructors: ``Tensor([1, 2])`` copies data, ``Tensor(2, 3)`` is an
    uninitialised 2x3 tensor, ``Tensor()`` is empty."""
    np_dt = default_dtype.np
    if kwargs.get("dtype") is not None:
        np_dt = _dtype.to_dtype(kwargs["dtype"]).np
    if not args:
        arr = np.empty((0,), np_dt)
    elif builtins.all(isinstance(a, (builtins.int, np.integer)) and not isinstance(a, builtins.bool)
                      for a in args):
        arr = np.zeros(args, np_dt)
    elif len(args) == 1 and isinstance(args[0], (Tensor,)):
        arr = args[0]._data
    elif len(args) == 1:
        arr = np.array(_infer_array(args[0]), dtype=np_dt)
    else:
        raise TypeError("new(): invalid data type")
    t = object.__new__(cls)
    t._set_from(arr)
    return t


def _legacy_type(name, dt):
    """``FloatTensor`` and friends: callables building tensors of a fixed dtype."""
    def constructor(*args, **kwargs):
        return legacy_new(Tensor, dt, args, kwargs)
    constructor.__name__ = constructor.__qualname__ = name
    constructor.__doc__ = f"Legacy constructor for {dt!r} tensors (``torch.{name}``)."
    return constructor


FloatTensor = _legacy_type("FloatTensor", _dtype.float32)
DoubleTensor = _legacy_type("DoubleTensor", _dtype.float64)
HalfTensor = _legacy_type("HalfTensor", _dtype.float16)
LongTensor = _legacy_type("LongTensor", _dtype.int64)
IntTensor = _legacy_type("IntTensor", _dtype.int32)
ShortTensor = _legacy_type("ShortTensor", _dtype.int16)
CharTensor = _legacy_type("CharTensor", _dtype.int8)
ByteTensor = _legacy_type("ByteTensor", _dtype.uint8)
BoolTensor = _legacy_type("BoolTensor", _dtype.bool)
