"""dtype objects, PyTorch's type promotion and the default floating dtype."""
import builtins

import numpy as np

__all__ = [
    "dtype", "float16", "half", "float32", "float", "float64", "double", "int8", "int16", "short",
    "int32", "int", "int64", "long", "uint8", "bool", "complex64", "set_default_dtype",
    "get_default_dtype", "promote_types", "result_type", "can_cast",
]


class dtype:
    """A tensor element type, printed like PyTorch's (``torch.float32``)."""

    __slots__ = ("name", "np", "itemsize", "is_floating_point", "is_complex", "is_signed", "_kind")

    def __init__(self, name, np_dtype, kind):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.itemsize = self.np.itemsize
        self.is_floating_point = kind == 2
        self.is_complex = kind == 3
        self.is_signed = self.np.kind in "fic"
        self._kind = kind  # 0 bool, 1 integer, 2 floating, 3 complex: promotion categories

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        return (_by_name, (self.name,))

    def to_real(self):
        return self

    def to_complex(self):
        return complex64


bool = dtype("bool", np.bool_, 0)
uint8 = dtype("uint8", np.uint8, 1)
int8 = dtype("int8", np.int8, 1)
int16 = short = dtype("int16", np.int16, 1)
int32 = int = dtype("int32", np.int32, 1)
int64 = long = dtype("int64", np.int64, 1)
float16 = half = dtype("float16", np.float16, 2)
float32 = float = dtype("float32", np.float32, 2)
float64 = double = dtype("float64", np.float64, 2)
complex64 = dtype("complex64", np.complex64, 3)

_ALL = (bool, uint8, int8, int16, int32, int64, float16, float32, float64, complex64)
_FROM_NP = {d.np: d for d in _ALL}
_FROM_NP_TYPE = {d.np.type: d for d in _ALL}


def _by_name(name):
    return globals()[name]


def from_numpy_dtype(np_dtype):
    """The chainrule dtype of a NumPy dtype; raises TypeError for types PyTorch does not have."""
    try:
        return _FROM_NP[np_dtype]
    except KeyError:
        pass
    try:
        return _FROM_NP[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only supported "
            "types are: float64, float32, float16, complex64, complex128, int64, int32, int16, "
            "int8, uint8, and bool.") from None


def to_dtype(d):
    """Accept a chainrule dtype, a NumPy dtype or a Python type and return a chainrule dtype."""
    if type(d) is dtype:
        return d
    if d is builtins.float:
        return get_default_dtype()
    if d is builtins.int:
        return int64
    if d is builtins.bool:
        return bool
    if d is builtins.complex:
        return complex64
    return from_numpy_dtype(d)


_default_dtype = float32


def set_default_dtype(d):
    """Set the default floating point dtype (``float32`` initially); only float types are allowed."""
    global _default_dtype
    d = to_dtype(d)
    if not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default_dtype = d


def get_default_dtype():
    """The current default floating point dtype."""
    return _default_dtype


# Promotion lattice over the numeric types, as PyTorch's promoteTypes table.
def promote_types(a, b):
    """The smallest dtype to which both ``a`` and ``b`` can be cast (``torch.promote_types``)."""
    if a is b:
        return a
    if a._kind != b._kind:
        return a if a._kind > b._kind else b
    if a._kind == 1:
        if {a, b} == {uint8, int8}:
            return int16
        if uint8 in (a, b):
            other = b if a is uint8 else a
            return other
    return a if a.itemsize >= b.itemsize else b


def _python_scalar_kind(x):
    t = type(x)
    if t is builtins.bool or t is np.bool_:
        return 0
    if t is builtins.int or isinstance(x, np.integer):
        return 1
    if t is builtins.complex:
        return 3
    return 2


def result_type(*operands):
    """dtype of an operation over tensors and Python scalars, following PyTorch's three tiers:
    dimensioned tensors beat zero-dim tensors, which beat Python numbers; a lower tier only
    matters when it is of a higher category (bool < integer < floating < complex)."""
    dims = zero = None
    scalar_kind = -1
    for x in operands:
        d = getattr(x, "dtype", None)
        if type(d) is dtype:
            if x.ndim:
                dims = d if dims is None else promote_types(dims, d)
            else:
                zero = d if zero is None else promote_types(zero, d)
        else:
            k = _python_scalar_kind(x)
            if k > scalar_kind:
                scalar_kind = k
    result = dims
    if zero is not None:
        if result is None or zero._kind > result._kind:
            result = zero
    if scalar_kind >= 0:
        if result is None or scalar_kind > result._kind:
            result = (bool, int64, get_default_dtype(), complex64)[scalar_kind]
    return result


def can_cast(from_, to):
    """Whether a type conversion is allowed under PyTorch's casting rules (``torch.can_cast``)."""
    return from_._kind <= to._kind


class finfo:
    """Machine limits for floating point types (``torch.finfo``)."""

    def __init__(self, type=None):
        type = get_default_dtype() if type is None else type
        info = np.finfo(type.np)
        self.dtype = type.name
        self.bits = info.bits
        self.eps = builtins.float(info.eps)
        self.max = builtins.float(info.max)
        self.min = builtins.float(info.min)
        self.tiny = self.smallest_normal = builtins.float(info.tiny)
        self.resolution = builtins.float(info.resolution)


class iinfo:
    """Machine limits for integer types (``torch.iinfo``)."""

    def __init__(self, type):
        info = np.iinfo(type.np)
        self.dtype = type.name
        self.bits = info.bits
        self.max = builtins.int(info.max)
        self.min = builtins.int(info.min)
