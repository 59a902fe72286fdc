"""Tensor creation: tensor, zeros, ones, full, arange, linspace, eye, random tensors, *_like."""
import builtins
import math
from collections.abc import Sequence

import numpy as np

from . import _dtype
from ._dtype import dtype as _dtype_cls
from ._random import rng_of
from ._tensor import Size as _Size, Tensor, _require_cpu

__all__ = ["tensor", "as_tensor", "from_numpy", "asarray", "zeros", "ones", "full", "empty",
           "zeros_like", "ones_like", "full_like", "empty_like", "arange", "range", "linspace",
           "logspace", "eye", "rand", "randn", "randint", "randperm", "normal", "rand_like",
           "randn_like", "randint_like", "bernoulli", "multinomial", "scalar_tensor",
           "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
           "CharTensor", "ByteTensor", "BoolTensor"]


_PY_DTYPES = {builtins.float: _dtype.float64, builtins.int: _dtype.int64,
              builtins.bool: _dtype.bool, builtins.complex: _dtype.complex128}


def _dtype_arg(dtype, fname):
    """The ``dtype=`` argument of a creation function: a torch dtype, or a Python type (``float``
    means float64 there, as in PyTorch)."""
    if dtype is None or type(dtype) is _dtype_cls:
        return dtype
    if dtype in _PY_DTYPES:
        return _PY_DTYPES[dtype]
    raise TypeError(f"{fname}(): argument 'dtype' must be torch.dtype, not {_typename(dtype)}")


def _typename(x):
    """The type name PyTorch prints in argument errors (``float``, ``Tensor``, ``numpy.ndarray``)."""
    t = type(x)
    if t is _dtype_cls:
        return "torch.dtype"
    if t.__module__ == "builtins" or isinstance(x, Tensor):
        return t.__name__
    return f"{t.__module__}.{t.__qualname__}"


def _finish(array, requires_grad):
    t = Tensor._make(array)
    if requires_grad:
        if array.dtype.kind not in "fc":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        t.requires_grad = True
    return t


def _invalid_args(fname, args, kwargs, signatures):
    """PyTorch's message for arguments that fit none of a function's signatures."""
    got = [_typename(a) for a in args] + [f"{k}={_typename(v)}" for k, v in kwargs.items()]
    lines = "".join(f" * ({sig})\n" for sig in signatures)
    return TypeError(f"{fname}() received an invalid combination of arguments - got "
                     f"({', '.join(got)}), but expected one of:\n{lines}")


_FACTORY_KWARGS = ("Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
                   "torch.device device = None, bool pin_memory = False, "
                   "bool requires_grad = False")


_MAX_DIMS = 64
_NUMBER_TYPES = (builtins.bool, builtins.int, builtins.float, builtins.complex)


def _is_sequence(x):
    """What PyTorch walks into when reading nested data (not tensors, not mappings)."""
    if isinstance(x, (list, tuple, builtins.range, np.ndarray, str, bytes, bytearray)):
        return True
    return isinstance(x, Sequence) and not isinstance(x, Tensor)


def _compute_sizes(data):
    """The shape of nested ``data``, read from first elements as PyTorch does."""
    sizes = []
    seq = data
    while _is_sequence(seq):
        if isinstance(seq, np.ndarray) and seq.ndim == 0:
            raise TypeError("len() of unsized object")
        n = len(seq)
        sizes.append(n)
        if len(sizes) > _MAX_DIMS:
            raise ValueError(f"too many dimensions '{type(seq).__name__}'")
        if n == 0:
            break
        seq = seq[0]
    return sizes


def _scalar_dtype(x):
    """dtype PyTorch infers for one leaf of the data."""
    t = type(x)
    if t is builtins.float:
        return _dtype.get_default_dtype()
    if t is builtins.int:
        return _dtype.int64
    if t is builtins.bool:
        return _dtype.bool
    if t is builtins.complex:
        return _dtype.get_default_dtype().to_complex()
    if isinstance(x, Tensor):
        return x.dtype
    if isinstance(x, (np.ndarray, np.generic)):
        return _dtype.from_numpy_dtype(x.dtype)
    if isinstance(x, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{t.__name__}'")
    if isinstance(x, builtins.float):
        return _dtype.get_default_dtype()
    if isinstance(x, builtins.int):
        return _dtype.int64
    raise RuntimeError(f"Could not infer dtype of {t.__name__}")


def _infer_dtype(data):
    """PyTorch's ``infer_scalar_type``: promote the types of all leaves (empty -> default)."""
    if not _is_sequence(data) or isinstance(data, (np.ndarray, str, bytes)):
        return _scalar_dtype(data)
    if len(data) == 0:
        return _dtype.get_default_dtype()
    result = None
    for t in set(map(type, data)):
        if t in _NUMBER_TYPES:
            d = _scalar_dtype(t())
        else:
            d = None
            for item in data:
                if type(item) is t:
                    item_dtype = _infer_dtype(item)
                    d = item_dtype if d is None else _dtype.promote_types(d, item_dtype)
        result = d if result is None else _dtype.promote_types(result, d)
    return result


def _store_error(item, target):
    """PyTorch's message for a leaf that cannot be stored as ``target``."""
    name = type(item).__name__
    if target._kind == 1 or target is _dtype.bool:
        return TypeError(f"'{name}' object cannot be interpreted as an integer")
    return TypeError(f"must be real number, not {name}")


def _check_structure(seq, sizes, dim, target, leaves):
    """Walk ``seq`` depth first as PyTorch stores it: raise its errors for ragged or misplaced
    data and collect the types of the leaves (as scalars) into ``leaves``."""
    if not _is_sequence(seq) or isinstance(seq, np.ndarray) and seq.ndim == 0:
        raise TypeError("not a sequence")
    n = len(seq)
    if n != sizes[dim]:
        raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {n})")
    if isinstance(seq, np.ndarray) and seq.shape == tuple(sizes[dim:]):
        leaves.add(seq.dtype.type)
        return
    if dim + 1 < len(sizes):
        for item in seq:
            _check_structure(item, sizes, dim + 1, target, leaves)
        return
    types = set(map(type, seq))
    leaves.update(types)
    for t in types:
        if not _is_leaf_type(t):
            raise _store_error(next(x for x in seq if type(x) is t), target)


def _is_leaf_type(t):
    return t in _NUMBER_TYPES or issubclass(t, (np.generic, Tensor, builtins.int, builtins.float))


def _items(seq):
    """``seq`` with tensors replaced by their Python numbers (PyTorch reads them with item())."""
    if isinstance(seq, Tensor):
        if seq._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return seq._data.reshape(()).item()
    if isinstance(seq, (list, tuple)):
        return [_items(x) for x in seq]
    return seq


def _check_native(array):
    if not array.dtype.isnative:
        raise ValueError("given numpy array has byte order different from the native byte order. "
                         "Conversion between byte orders is currently not supported.")


def _to_target(values, target):
    """Convert leaf values to ``target`` with PyTorch's overflow checks."""
    np_dt = target.np
    if target._kind >= 2 or target is _dtype.bool:
        try:
            return np.array(values, dtype=np_dt)
        except OverflowError:
            return np.array(values, dtype=object).astype(np_dt)
    try:
        arr = np.array(values)
    except OverflowError:
        raise ValueError("Overflow when unpacking long long") from None
    if arr.dtype == object or arr.dtype.kind == "u" and arr.dtype.itemsize == 8 and \
            arr.size and arr.max() > np.iinfo(np.int64).max:
        raise ValueError("Overflow when unpacking long long")
    if arr.dtype.kind == "c":
        raise TypeError("'complex' object cannot be interpreted as an integer")
    if arr.dtype == np_dt:
        return arr
    if arr.size:
        info = np.iinfo(np_dt)
        if arr.dtype.kind == "f":
            bad = ~np.isfinite(arr).all() or arr.min() < info.min or arr.max() > info.max
        elif arr.dtype.kind in "iu":
            low = -builtins.int(info.max) if info.min == 0 else info.min
            bad = builtins.int(arr.min()) < low or builtins.int(arr.max()) > info.max
        else:
            bad = False
        if bad:
            raise RuntimeError(f"value cannot be converted to type {target.name} without "
                               "overflow")
    return arr.astype(np_dt)


def _data_to_array(data, dtype=None):
    """A new NumPy array for nested ``data`` (numbers, sequences, ndarrays, tensors) following
    PyTorch's ``torch.tensor``: shape from first elements, dtype inferred from every leaf
    (Python floats -> default dtype, ints -> int64, bools -> bool; NumPy values and tensors keep
    theirs) unless ``dtype`` is given, and PyTorch's errors for ragged or invalid data."""
    if isinstance(data, np.ndarray):
        _check_native(data)
        target = _dtype.from_numpy_dtype(data.dtype) if dtype is None else dtype
        return np.array(data, dtype=target.np, copy=True)
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    sizes = _compute_sizes(data)
    if sizes and sizes[0] and isinstance(data, (list, tuple)) and \
            isinstance(data[0], np.ndarray):
        import warnings
        warnings.warn("Creating a tensor from a list of numpy.ndarrays is extremely slow. Please "
                      "consider converting the list to a single numpy.ndarray with numpy.array() "
                      "before converting to a tensor.", UserWarning, stacklevel=3)
    target = _infer_dtype(data) if dtype is None else dtype
    if not sizes:
        if not _is_leaf_type(type(data)):
            raise _store_error(data, target)
        if target._kind < 2 and target is not _dtype.bool and isinstance(data, builtins.complex):
            raise _store_error(data, target)
        return _to_target(_items(data), target)
    if math.prod(sizes) == 0:
        return np.zeros(sizes, target.np)
    leaves = set()
    _check_structure(data, sizes, 0, target, leaves)
    if any(issubclass(t, Tensor) for t in leaves):
        data = _items(data)
    if target._kind < 3 and target is not _dtype.bool and builtins.complex in leaves:
        raise _store_error(1j, target)
    return _to_target(data, target)


def _infer_array(data):
    """NumPy array for ``data`` with PyTorch's dtype inference, sharing memory with an ndarray
    or tensor."""
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, np.ndarray):
        _check_native(data)
        _dtype.from_numpy_dtype(data.dtype)  # rejects types PyTorch lacks
        return data
    return _data_to_array(data)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """Construct a tensor by copying ``data``: a number, a (nested) sequence, an ndarray or a
    tensor.

    Without ``dtype`` it is inferred from every element: Python floats give the default dtype
    (float32), ints int64, bools bool; NumPy values and tensors keep their own dtype, and the
    element types are promoted together. Ragged data raises
    ``ValueError: expected sequence of length 2 at dim 1 (got 3)``.
    """
    dtype = _dtype_arg(dtype, "tensor")
    _check_device(device)
    if isinstance(data, Tensor):
        import warnings
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                      "requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
        arr = np.array(data._data, dtype=None if dtype is None else dtype.np, copy=True)
    else:
        arr = _data_to_array(data, dtype)
    return _finish(arr, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Convert ``data`` to a tensor, sharing memory with an ndarray or tensor when its dtype
    (and device) already fit; other data is copied as by :func:`tensor`."""
    dtype = _dtype_arg(dtype, "as_tensor")
    _check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype.np == data._data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray):
        _check_native(data)
        src = _dtype.from_numpy_dtype(data.dtype)
        arr = data if dtype is None or dtype is src else data.astype(dtype.np)
        return Tensor._make(arr)
    return Tensor._make(_data_to_array(data, dtype))


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """Like :func:`as_tensor` (shares memory when possible); ``copy=True`` forces a copy."""
    t = as_tensor(obj, dtype=dtype, device=device)
    if copy and (t is obj or isinstance(obj, np.ndarray) and t._data is obj):
        t = Tensor._make(t._data.copy())
    if requires_grad:
        t = _finish(t._data, True) if t is not obj else t.requires_grad_()
    return t


def from_numpy(ndarray):
    """A tensor that shares memory with ``ndarray`` (changes to one show in the other)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {_typename(ndarray)})")
    _check_native(ndarray)
    _dtype.from_numpy_dtype(ndarray.dtype)
    return Tensor._make(ndarray)


def _check_device(device):
    """Accept the CPU; raise PyTorch's error for devices a CPU-only build lacks."""
    if device is not None:
        _require_cpu(device)


def _size_error(fname, size):
    return TypeError(f"{fname}(): argument 'size' (position 1) must be tuple of ints, not "
                     f"{_typename(size)}")


def _as_int(x):
    """``x`` as a dimension (ints, NumPy ints, integer tensors of one element) or None."""
    if type(x) is builtins.int:
        return x
    if isinstance(x, (builtins.bool, builtins.float)):
        return None
    if isinstance(x, (builtins.int, np.integer)):
        return builtins.int(x)
    if isinstance(x, Tensor) and x._data.dtype.kind in "iu" and x._data.size == 1:
        return builtins.int(x._data.reshape(()))
    return None


def _parse_size(size, fname):
    """``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])``, ``f(torch.Size([2, 3]))`` -> ``(2, 3)``, with
    PyTorch's argument errors; negative sizes are left to the caller."""
    if builtins.all(type(s) is builtins.int for s in size):
        return size
    if len(size) == 1:
        seq = size[0]
        if isinstance(seq, (tuple, list)):
            out = []
            for i, s in enumerate(seq):
                n = _as_int(s) if i or type(s) is not builtins.bool else None
                if n is None and i and type(s) is builtins.bool:
                    n = builtins.int(s)
                if n is None:
                    if i == 0:
                        raise TypeError(f"{fname}(): argument 'size' (position 1) must be tuple "
                                        f"of ints, but found element of type {_typename(s)} at "
                                        f"pos 0")
                    raise TypeError(f"{fname}(): argument 'size' failed to unpack the object at "
                                    f"pos {i + 1} with error \"type must be tuple of ints,but "
                                    f"got {_typename(s)}\"")
                out.append(n)
            return tuple(out)
        n = _as_int(seq)
        if n is None:
            raise _size_error(fname, seq)
        return (n,)
    out = []
    for i, s in enumerate(size):
        n = builtins.int(s) if i and type(s) is builtins.bool else _as_int(s)
        if n is None:
            if i == 0:
                raise TypeError(f"{fname}() takes 1 positional argument but {len(size)} were "
                                f"given")
            raise TypeError(f"{fname}(): argument 'size' failed to unpack the object at pos "
                            f"{i + 1} with error \"type must be tuple of ints,but got "
                            f"{_typename(s)}\"")
        out.append(n)
    return tuple(out)


def _sizes(size, fname="empty"):
    """Parsed sizes, rejecting negative dimensions with PyTorch's message."""
    shape = _parse_size(size, fname)
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"[{', '.join(map(str, shape))}]")
    return shape


def _default(dtype, fname):
    dtype = _dtype_arg(dtype, fname)
    return (dtype or _dtype.get_default_dtype()).np


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False):
    """A tensor of zeros of the given shape (default dtype unless ``dtype`` is given)."""
    _check_device(device)
    shape = _parse_size(size, "zeros")
    if builtins.any(s < 0 for s in shape):
        raise RuntimeError("zeros: Dimension size must be non-negative.")
    return _finish(np.zeros(shape, _default(dtype, "zeros")), requires_grad)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    """A tensor of ones of the given shape."""
    _check_device(device)
    return _finish(np.ones(_sizes(size, "ones"), _default(dtype, "ones")), requires_grad)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          memory_format=None, pin_memory=False):
    """An uninitialised tensor of the given shape (its values are whatever memory held)."""
    _check_device(device)
    return _finish(np.empty(_sizes(size, "empty"), _default(dtype, "empty")), requires_grad)


# C++ type names in PyTorch's "value cannot be converted to type ... without overflow".
_CPP_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
              "int64": "int64_t", "float16": "c10::Half", "float32": "float", "float64": "double",
              "uint16": "uint16_t", "uint32": "uint32_t", "uint64": "uint64_t"}


def _fill_value(value, fname):
    """A fill value as a Python number and the dtype PyTorch infers for it."""
    if isinstance(value, Tensor):
        value = value.item()
    elif isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, builtins.bool):
        return value, _dtype.bool
    if isinstance(value, builtins.int):
        return value, _dtype.int64
    if isinstance(value, builtins.float):
        return value, _dtype.get_default_dtype()
    if isinstance(value, builtins.complex):
        return value, _dtype.get_default_dtype().to_complex()
    raise TypeError(f"{fname}(): argument 'fill_value' (position 2) must be Number, not "
                    f"{_typename(value)}")


def _checked_scalar(value, target):
    """``value`` converted to ``target`` as PyTorch's checked_convert: overflow raises."""
    if target is _dtype.bool or target.is_complex:
        return value
    ok = True
    if isinstance(value, builtins.complex):
        ok = value.imag == 0
        value = value.real
    if target.is_floating_point:
        info = np.finfo(target.np)
        ok = ok and (not math.isfinite(value) or -info.max <= value <= info.max or
                     abs(value) <= float(np.nextafter(info.max, np.inf, dtype=np.float64)))
        ok = ok and not (math.isfinite(value) and abs(value) > info.max)
    else:
        info = np.iinfo(target.np)
        low = -builtins.int(info.max) if info.min == 0 and isinstance(value, builtins.int) \
            else info.min
        ok = ok and math.isfinite(value) and low <= value <= info.max
        if ok:
            value = builtins.int(value)
    if not ok:
        raise RuntimeError(f"value cannot be converted to type {_CPP_NAMES[target.name]} without "
                           f"overflow")
    return value


def _filled(shape, value, target):
    value = _checked_scalar(value, target)
    if isinstance(value, builtins.int) and target._kind == 1 and value < 0 and \
            np.iinfo(target.np).min == 0:
        value += 1 << (8 * target.itemsize)      # -1 in uint8 is 255, as in C
    return np.full(shape, value, target.np)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """A tensor of shape ``size`` filled with ``fill_value``; the dtype follows the value (bool,
    int64, the default float dtype, complex) unless ``dtype`` is given."""
    _check_device(device)
    if not isinstance(size, (tuple, list)):
        raise _size_error("full", size)
    shape = _sizes((size,), "full")
    value, inferred = _fill_value(fill_value, "full")
    target = _dtype_arg(dtype, "full") or inferred
    return _finish(_filled(shape, value, target), requires_grad)


def scalar_tensor(s, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    """A 0-d tensor holding the number ``s`` (default float dtype unless ``dtype`` is given)."""
    _check_device(device)
    value, _ = _fill_value(s, "scalar_tensor")
    target = _dtype_arg(dtype, "scalar_tensor") or _dtype.get_default_dtype()
    return _finish(_filled((), value, target), requires_grad)


def _check_input(input, fname):
    if not isinstance(input, Tensor):
        raise TypeError(f"{fname}(): argument 'input' (position 1) must be Tensor, not "
                        f"{_typename(input)}")


def _like(np_fn, input, dtype, device, requires_grad, fname):
    """A new array shaped like ``input`` keeping its memory layout (PyTorch's preserve_format)."""
    _check_input(input, fname)
    _check_device(device)
    dtype = _dtype_arg(dtype, fname)
    np_dt = input._data.dtype if dtype is None else dtype.np
    return _finish(np_fn(input._data, dtype=np_dt, order="K"), requires_grad)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """Zeros with the shape (and dtype) of ``input``."""
    return _like(np.zeros_like, input, dtype, device, requires_grad, "zeros_like")


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """Ones with the shape (and dtype) of ``input``."""
    return _like(np.ones_like, input, dtype, device, requires_grad, "ones_like")


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """An uninitialised tensor with the shape (and dtype) of ``input``."""
    return _like(np.empty_like, input, dtype, device, requires_grad, "empty_like")


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """A tensor shaped like ``input`` (and of its dtype unless ``dtype`` is given) filled with
    ``fill_value``."""
    _check_input(input, "full_like")
    _check_device(device)
    value, _ = _fill_value(fill_value, "full_like")
    target = _dtype_arg(dtype, "full_like") or input.dtype
    value = _checked_scalar(value, target)
    arr = np.empty_like(input._data, dtype=target.np, order="K")
    arr[...] = _filled((), value, target)
    return _finish(arr, requires_grad)


def _number(x):
    return x.item() if isinstance(x, Tensor) else x.item() if isinstance(x, np.generic) else x


def _scalar_str(x):
    """A number as PyTorch prints a Scalar (``0``, ``1.5``, ``inf``)."""
    return str(x) if isinstance(x, builtins.int) else f"{x:g}"


def _not_implemented(kernel, dtype):
    return NotImplementedError(f"\"{kernel}\" not implemented for "
                               f"'{_dtype.SCALAR_TYPE_NAMES[dtype.name]}'")


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False):
    """Values from ``start`` to ``end`` (exclusive) in steps of ``step``: int64 when all three
    are integers, else the default float dtype. ``arange(0, 1, 0.1)`` has 10 elements."""
    _check_device(device)
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    dtype = _dtype_arg(dtype, "arange")
    if dtype is None:
        all_int = builtins.all(isinstance(v, builtins.int) for v in (start, end, step))
        dtype = _dtype.int64 if all_int else _dtype.get_default_dtype()
    if dtype is _dtype.bool:
        raise _not_implemented("arange_cpu", dtype)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {_scalar_str(start)} -> {_scalar_str(end)}")
    if dtype.is_floating_point:
        n = math.ceil((end - start) / step)
    else:
        if dtype is _dtype.int64:
            # PyTorch computes int64 ranges on the values cast to int64
            start, end, step = builtins.int(start), builtins.int(end), builtins.int(step)
            if step == 0:
                raise ValueError("step must be nonzero")
            sign = (step > 0) - (step < 0)
            num = end - start + step - sign
            n = abs(num) // abs(step) * (1 if (num >= 0) == (step > 0) else -1)
        else:
            n = math.ceil((end - start) / step)
            start, step = builtins.int(start), builtins.int(step)   # a zero step is allowed here
    if (end - start) * step < 0 or (end != start and n < 0):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if n > np.iinfo(np.int64).max:
        raise RuntimeError("invalid size, possible overflow?")
    n = builtins.max(n, 0)
    if dtype.is_floating_point:
        # PyTorch's kernel computes start + step * i in double with a fused multiply-add
        # (in float for half): the wider type stands in for the fused rounding
        acc = np.float64 if dtype is _dtype.float16 else np.longdouble
        arr = (acc(start) + np.arange(n, dtype=acc) * acc(step))
        arr = arr.astype(np.float64).astype(dtype.np)
    else:
        arr = (start + np.arange(n, dtype=np.int64) * step).astype(dtype.np)
    return _finish(arr, requires_grad)


def range(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
          requires_grad=False):
    """Deprecated inclusive range (``torch.range``): values from ``start`` to ``end``
    inclusive, default float dtype."""
    import warnings
    warnings.warn("torch.range is deprecated and will be removed in a future release because its "
                  "behavior is inconsistent with Python's range builtin. Instead, use "
                  "torch.arange, which produces values in [start, end).", UserWarning,
                  stacklevel=2)
    _check_device(device)
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    n = builtins.int(math.floor((end - start) / step)) + 1
    arr = (start + np.arange(n, dtype=np.float64) * step).astype(_default(dtype, "range"))
    return _finish(arr, requires_grad)


_MISSING = object()


def _linspace_values(start, end, steps, dtype):
    """PyTorch's linspace kernel: the first half counts up from ``start``, the second half down
    from ``end`` (so both endpoints are exact), with the step in the output's precision."""
    if dtype.is_floating_point or dtype.is_complex:
        real = dtype.np.type if dtype.is_floating_point else np.float64
        s, e = real(start), real(end)
        step = (e - s) / real(steps - 1) if steps > 1 else real(0)
        wide = np.float64 if real is not np.float64 else np.longdouble
    else:
        s, e = builtins.int(start), builtins.int(end)
        step = (e - s) / (steps - 1) if steps > 1 else 0.0
        wide = np.float64
    if steps == 1:
        return np.full(1, s, dtype.np)
    i = np.arange(steps)
    up = wide(s) + wide(step) * i
    down = wide(e) - wide(step) * (steps - i - 1)
    return np.where(i < steps // 2, up, down).astype(dtype.np)


def _linspace_signatures(fname):
    extra = "float base = 10.0, " if fname == "logspace" else ""
    return [f"{a} start, {b} end, int steps, {extra}*, {_FACTORY_KWARGS}"
            for a, b in (("Tensor", "Tensor"), ("Number", "Tensor"), ("Tensor", "Number"),
                         ("Number", "Number"))]


def _linspace_args(fname, start, end, steps):
    if steps is _MISSING or not isinstance(steps, (builtins.int, np.integer)) or \
            isinstance(steps, builtins.bool):
        args = (start, end) if steps is _MISSING else (start, end, steps)
        raise _invalid_args(fname, args, {}, _linspace_signatures(fname))
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return _number(start), _number(end), builtins.int(steps)


def linspace(start, end, steps=_MISSING, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """``steps`` evenly spaced values from ``start`` to ``end``, both included (default float
    dtype)."""
    _check_device(device)
    start, end, steps = _linspace_args("linspace", start, end, steps)
    dtype = _dtype_arg(dtype, "linspace") or _dtype.get_default_dtype()
    if dtype is _dtype.bool:
        raise _not_implemented("linspace_cpu", dtype)
    return _finish(_linspace_values(start, end, steps, dtype), requires_grad)


def logspace(start, end, steps=_MISSING, base=10.0, *, out=None, dtype=None, layout=None,
             device=None, requires_grad=False, pin_memory=False):
    """``steps`` values from ``base ** start`` to ``base ** end`` spaced evenly on a log scale."""
    _check_device(device)
    start, end, steps = _linspace_args("logspace", start, end, steps)
    dtype = _dtype_arg(dtype, "logspace") or _dtype.get_default_dtype()
    exps = _linspace_values(start, end, steps, _dtype.float64)
    arr = np.power(np.float64(base), exps)
    if not (dtype.is_floating_point or dtype.is_complex):
        arr = np.trunc(arr)
    return _finish(arr.astype(dtype.np), requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False,
        pin_memory=False):
    """A 2-d tensor with ones on the diagonal and zeros elsewhere (``n`` rows, ``m`` columns)."""
    _check_device(device)
    if _as_int(n) is None or isinstance(n, Tensor):
        if m is None:
            raise TypeError(f"eye(): argument 'n' (position 1) must be int, not {_typename(n)}")
    if m is not None and (_as_int(m) is None or _as_int(n) is None):
        raise _invalid_args("eye", (n, m), {}, [f"int n, *, {_FACTORY_KWARGS}",
                                                f"int n, int m, *, {_FACTORY_KWARGS}"])
    n = _as_int(n)
    m = n if m is None else _as_int(m)
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    return _finish(np.eye(n, m, dtype=_default(dtype, "eye")), requires_grad)


# ---------------------------------------------------------------------------- random tensors
def _random_float(fname, kernel, sample, size, generator, dtype, device, requires_grad):
    _check_device(device)
    shape = _sizes(size, fname)
    dtype = _dtype_arg(dtype, fname) or _dtype.get_default_dtype()
    if not dtype.is_floating_point:
        raise _not_implemented(kernel, dtype)
    rng = rng_of(_generator_arg(generator, fname, size))
    arr = sample(rng, shape).astype(dtype.np, copy=False)
    return _finish(arr, requires_grad)


_SIZE_SIGNATURES = [f"tuple of ints size, *, torch.Generator generator, {_FACTORY_KWARGS}",
                    f"tuple of ints size, *, {_FACTORY_KWARGS}"]


def _generator_arg(generator, fname, args=(), signatures=_SIZE_SIGNATURES):
    """``generator`` if it is None or a Generator, else PyTorch's "invalid combination of
    arguments" TypeError listing ``signatures``."""
    from ._random import Generator
    if generator is None or isinstance(generator, Generator):
        return generator
    raise _invalid_args(fname, args, {"generator": generator}, signatures)


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """Samples from the uniform distribution on [0, 1)."""
    return _random_float("rand", "check_uniform_bounds",
                         lambda rng, s: rng.random(s, dtype=np.float64), size, generator, dtype,
                         device, requires_grad)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    """Samples from the standard normal distribution (mean 0, variance 1)."""
    return _random_float("randn", "normal_kernel_cpu", lambda rng, s: rng.standard_normal(s),
                         size, generator, dtype, device, requires_grad)


def rand_like(input, *, generator=None, dtype=None, layout=None, device=None,
              requires_grad=False, memory_format=None):
    """Uniform samples on [0, 1) shaped like ``input`` (and of its dtype)."""
    _check_input(input, "rand_like")
    return _laid_out_like(input, rand(input._data.shape, generator=generator,
                                      dtype=dtype or input.dtype, device=device), requires_grad)


def randn_like(input, *, generator=None, dtype=None, layout=None, device=None,
               requires_grad=False, memory_format=None):
    """Standard normal samples shaped like ``input`` (and of its dtype)."""
    _check_input(input, "randn_like")
    return _laid_out_like(input, randn(input._data.shape, generator=generator,
                                       dtype=dtype or input.dtype, device=device), requires_grad)


def _laid_out_like(input, sample, requires_grad):
    """``sample``'s values in an array with ``input``'s memory layout (preserve_format)."""
    arr = sample._data
    if not input._data.flags.c_contiguous:
        out = np.empty_like(input._data, dtype=arr.dtype, order="K")
        out[...] = arr
        arr = out
    return _finish(arr, requires_grad)


_RANDINT_SIGNATURES = [
    f"int high, tuple of ints size, *, torch.Generator generator, {_FACTORY_KWARGS}",
    f"int high, tuple of ints size, *, {_FACTORY_KWARGS}",
    f"int low, int high, tuple of ints size, *, torch.Generator generator, {_FACTORY_KWARGS}",
    f"int low, int high, tuple of ints size, *, {_FACTORY_KWARGS}"]

# C type names in random_'s bound messages.
_C_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short",
            "int32": "int", "int64": "long"}


def _int_arg(x):
    return _as_int(x) if not isinstance(x, Tensor) else None


def _randint_bounds(low, high, dtype):
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= "
                           f"to={high}")
    if dtype.name in _C_NAMES:
        lo, hi = (0, 1) if dtype is _dtype.bool else (np.iinfo(dtype.np).min,
                                                     np.iinfo(dtype.np).max)
        if not lo <= low <= hi:
            raise RuntimeError(f"from is out of bounds for {_C_NAMES[dtype.name]}")
        if not lo <= high - 1 <= hi:
            raise RuntimeError(f"to - 1 is out of bounds for {_C_NAMES[dtype.name]}")


def randint(*args, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False, pin_memory=False, **kwargs):
    """Uniform integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``;
    int64 unless ``dtype`` is given."""
    if kwargs:
        names = ("low", "high", "size")[-len(args) - len(kwargs):] if len(args) + len(kwargs) \
            <= 3 else ()
        given = dict(zip(names, args))
        given.update(kwargs)
        args = tuple(given[k] for k in ("low", "high", "size") if k in given)
        if set(given) - {"low", "high", "size"} or "size" not in given:
            raise _invalid_args("randint", args, kwargs, _RANDINT_SIGNATURES)
    if len(args) not in (2, 3):
        raise _invalid_args("randint", args, {}, _RANDINT_SIGNATURES)
    low, high, size = (0, *args) if len(args) == 2 else args
    names = ("high", "size") if len(args) == 2 else ("low", "high", "size")
    if len(args) == 2 and _int_arg(high) is None:
        raise TypeError(f"randint(): argument 'high' (position 1) must be int, not "
                        f"{_typename(high)}")
    if len(args) == 3 and (_int_arg(low) is None or _int_arg(high) is None):
        raise _invalid_args("randint", args, {}, _RANDINT_SIGNATURES)
    if not isinstance(size, (tuple, list)):
        if len(args) == 2:
            raise TypeError(f"randint(): argument 'size' (position {len(names)}) must be tuple "
                            f"of ints, not {_typename(size)}")
        raise _invalid_args("randint", args, {}, _RANDINT_SIGNATURES)
    low, high = _int_arg(low), _int_arg(high)
    for v in (low, high):
        if not -2 ** 63 <= v < 2 ** 63:
            raise ValueError("Overflow when unpacking long long")
    _check_device(device)
    shape = _sizes((size,), "randint")
    dtype = _dtype_arg(dtype, "randint") or _dtype.int64
    _randint_bounds(low, high, dtype)
    rng = rng_of(_generator_arg(generator, "randint", args))
    arr = rng.integers(low, high, shape, dtype=np.int64)
    return _finish(arr.astype(dtype.np), requires_grad)


def randint_like(input, low=0, high=None, *, generator=None, dtype=None, layout=None,
                 device=None, requires_grad=False, memory_format=None):
    """Uniform integers in [low, high) shaped like ``input`` (and of its dtype)."""
    _check_input(input, "randint_like")
    if high is None:
        low, high = 0, low
    return randint(low, high, input._data.shape, generator=generator,
                   dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """A random permutation of ``0 .. n-1`` (int64 unless ``dtype`` is given)."""
    _check_device(device)
    if isinstance(n, Tensor) and n._data.dtype.kind in "iu" and n._data.size == 1:
        n = int(n._data.reshape(()))  # a one-element integer tensor is an int, as in PyTorch
    if _int_arg(n) is None:
        raise TypeError(f"randperm(): argument 'n' (position 1) must be int, not {_typename(n)}")
    (n,) = _sizes((_int_arg(n),), "randperm")
    dtype = _dtype_arg(dtype, "randperm") or _dtype.int64
    generator = _generator_arg(generator, "randperm", (n,), [
        f"int n, *, torch.Generator generator, {_FACTORY_KWARGS}", f"int n, *, {_FACTORY_KWARGS}"])
    arr = rng_of(generator).permutation(n)
    return _finish(arr.astype(dtype.np), requires_grad)


_NORMAL_SIGNATURES = [
    "Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None",
    "Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None",
    "float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None",
    "float mean, float std, tuple of ints size, *, torch.Generator generator = None, "
    f"Tensor out = None, {_FACTORY_KWARGS.split(', ', 1)[1]}"]


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None,
           device=None, requires_grad=False, pin_memory=False):
    """Normal samples with the given ``mean`` and ``std``: tensors (broadcast together, ``std``
    defaulting to 1) or numbers with a ``size``."""
    if size is None and not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        raise _invalid_args("normal", (mean, std), {}, _NORMAL_SIGNATURES)
    _check_device(device)
    m = mean._data if isinstance(mean, Tensor) else mean
    s = std._data if isinstance(std, Tensor) else std
    if isinstance(s, np.ndarray):
        if (s < 0).any():
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif s < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_scalar_str(s)}")
    if size is not None:
        shape = _sizes((size,), "normal")
    else:
        try:
            shape = np.broadcast_shapes(np.shape(m), np.shape(s))
        except ValueError:
            a, b = np.shape(m), np.shape(s)
            k = builtins.next(k for k in builtins.range(1, builtins.min(len(a), len(b)) + 1)
                              if a[-k] != b[-k] and 1 not in (a[-k], b[-k]))
            raise RuntimeError(f"The size of tensor a ({a[-k]}) must match the size of tensor b "
                               f"({b[-k]}) at non-singleton dimension "
                               f"{builtins.max(len(a), len(b)) - k}") from None
    ref = mean if isinstance(mean, Tensor) else std if isinstance(std, Tensor) else None
    target = _dtype_arg(dtype, "normal") or (ref.dtype if ref is not None
                                             else _dtype.get_default_dtype())
    if not target.is_floating_point:
        raise _not_implemented("normal_kernel_cpu", target)
    rng = rng_of(_generator_arg(generator, "normal"))
    arr = (m + s * rng.standard_normal(shape)).astype(target.np)
    return _finish(np.asarray(arr), requires_grad)


def _sampler_generator(generator, fname):
    """``generator`` checked as PyTorch's argument parser checks it for a sampling function."""
    from ._random import Generator
    if generator is None or isinstance(generator, Generator):
        return generator
    raise TypeError(f"{fname}(): argument 'generator' must be torch.Generator, not "
                    f"{_typename(generator)}")


def bernoulli(input, p=None, *, generator=None, out=None):
    """0/1 samples drawn with probabilities ``input`` (or the scalar ``p``), of ``input``'s
    dtype."""
    rng = rng_of(_generator_arg(generator, "bernoulli", (input,) if p is None else (input, p), [
        "Tensor input, *, torch.Generator generator = None, Tensor out = None",
        "Tensor input, float p, *, torch.Generator generator = None"]))
    if input._data.dtype.kind != "f" and p is None:
        raise NotImplementedError(f'"bernoulli_tensor_cpu_p_" not implemented for '
                                  f"'{_dtype.SCALAR_TYPE_NAMES[input._data.dtype.name]}'")
    probs = input._data if p is None else np.full(input._data.shape, p)
    if not ((probs >= 0) & (probs <= 1)).all():
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could "
                           "this error message be improved?  If so, please report an "
                           "enhancement request to PyTorch.)")
    arr = (rng.random(probs.shape) < probs).astype(input._data.dtype)
    return Tensor._make(arr)


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Sample ``num_samples`` category indices from each row of (unnormalised) probabilities.

    Without replacement each row is ordered by ``p / E`` with ``E`` standard exponential draws
    (the order of sequential draws without replacement, as PyTorch samples it): categories of
    probability 0 come last, in index order, once the others are exhausted."""
    rng = rng_of(_sampler_generator(generator, "multinomial"))
    a = input._data
    if a.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if a.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{_dtype.SCALAR_TYPE_NAMES[a.dtype.name]}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    categories = a.shape[-1]
    if not replacement and num_samples > categories:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if categories > 2 ** 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    probs = np.atleast_2d(a).astype(np.float64)
    if not (np.isfinite(probs) & (probs >= 0)).all():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (probs.sum(-1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    if replacement:
        cdf = np.cumsum(probs, -1)
        draws = rng.random((probs.shape[0], num_samples)) * cdf[:, -1:]
        arr = np.stack([np.searchsorted(c, u, side="right") for c, u in zip(cdf, draws)])
        arr = np.minimum(arr, categories - 1).reshape(probs.shape[0], num_samples)
    else:
        keys = probs / rng.exponential(size=probs.shape)
        arr = np.argsort(-keys, axis=-1, kind="stable")[:, :num_samples]
    arr = arr.astype(np.int64)
    return Tensor._make(arr if a.ndim == 2 else arr[0])


# ---------------------------------------------------------------------------- legacy constructors
def _legacy_signature_error(args, kwargs):
    return _invalid_args("new", args, kwargs, [
        "*, torch.device device = None", "torch.Storage storage", "Tensor other",
        "tuple of ints size, *, torch.device device = None",
        "object data, *, torch.device device = None"])


def legacy_new(cls, default_dtype, args, kwargs):
    """PyTorch's legacy constructors: ``Tensor([1, 2])`` copies data into the default dtype
    (``FloatTensor`` & co. into theirs), ``Tensor(2, 3)`` or ``Tensor(torch.Size([2, 3]))`` is
    an uninitialised 2x3 tensor, ``Tensor()`` is empty and ``Tensor(t)`` aliases ``t``."""
    if builtins.any(k != "device" for k in kwargs):
        raise TypeError(_legacy_keyword_message(args, kwargs, [k for k in kwargs
                                                               if k != "device"]))
    _check_device(kwargs.get("device"))
    np_dt = default_dtype.np
    if not args:
        arr = np.empty((0,), np_dt)
    elif len(args) == 1 and isinstance(args[0], Tensor):
        if args[0]._data.dtype != np_dt and cls is None:
            raise TypeError(_options_mismatch(default_dtype, args[0].dtype))
        arr = args[0]._data
    elif len(args) == 1 and isinstance(args[0], _Size):
        arr = np.empty(_sizes(tuple(args[0]), "new"), np_dt)
    elif _as_int(args[0]) is not None and not isinstance(args[0], Tensor):
        arr = np.empty(_sizes(args, "new"), np_dt)
    elif len(args) == 1:
        data = args[0]
        if isinstance(data, (str, bytes)):
            raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
        if not _is_sequence(data):
            raise TypeError(f"new(): data must be a sequence (got {_typename(data)})")
        arr = _data_to_array(data, default_dtype)
    else:
        raise _legacy_signature_error(args, {})
    if cls is None:
        return Tensor._make(arr)
    t = object.__new__(cls)
    t._set_from(arr)
    return t


def _legacy_keyword_message(args, kwargs, bad):
    sigs = ["*, torch.device device = None", "torch.Storage storage", "Tensor other",
            "tuple of ints size, *, torch.device device = None",
            "object data, *, torch.device device = None"]
    got = [_typename(a) for a in args] + [f"{k}={_typename(v)}" for k, v in kwargs.items()]
    sizes = bool(args) and builtins.all(_as_int(a) is not None for a in args)
    marked = ("tuple", "object") if sizes else ("*",)
    lines = ""
    for sig in sigs:
        lines += f" * ({sig})\n"
        if sig.startswith(marked):
            lines += f"      didn't match because some of the keywords were incorrect: " \
                     f"{', '.join(bad)}\n"
    return (f"new() received an invalid combination of arguments - got ({', '.join(got)}), but "
            f"expected one of:\n{lines}")


def _options_mismatch(want, got):
    ctype = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
             "int32": "int", "int16": "short int", "int8": "signed char",
             "uint8": "unsigned char", "bool": "bool"}

    def options(d):
        return (f"TensorOptions(dtype={ctype.get(d.name, d.name)}, device=cpu, layout=Strided, "
                "requires_grad=false (default), pinned_memory=false (default), "
                "memory_format=(nullopt))")
    return f"expected {options(want)} (got {options(got)})"


class _LegacyTensorType(type):
    """Metaclass of ``FloatTensor`` & co.: calling one builds a plain Tensor of its dtype, and
    ``isinstance(t, torch.FloatTensor)`` checks the dtype, as in PyTorch."""

    def __call__(cls, *args, **kwargs):
        return legacy_new(None, cls.dtype, args, kwargs)

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj._data.dtype == cls.dtype.np

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"


def _legacy_type(name, dt):
    return _LegacyTensorType(name, (), {
        "dtype": dt, "is_cuda": False, "is_sparse": False, "__module__": "torch",
        "__doc__": f"Legacy constructor for {dt!r} tensors (``torch.{name}``)."})


FloatTensor = _legacy_type("FloatTensor", _dtype.float32)
DoubleTensor = _legacy_type("DoubleTensor", _dtype.float64)
HalfTensor = _legacy_type("HalfTensor", _dtype.float16)
LongTensor = _legacy_type("LongTensor", _dtype.int64)
IntTensor = _legacy_type("IntTensor", _dtype.int32)
ShortTensor = _legacy_type("ShortTensor", _dtype.int16)
CharTensor = _legacy_type("CharTensor", _dtype.int8)
ByteTensor = _legacy_type("ByteTensor", _dtype.uint8)
BoolTensor = _legacy_type("BoolTensor", _dtype.bool)
