"""dtype objects, PyTorch's type promotion and the default floating dtype."""
import builtins

import numpy as np

__all__ = [
    "dtype", "float16", "half", "float32", "float", "float64", "double", "int8", "int16", "short",
    "int32", "int", "int64", "long", "uint8", "uint16", "uint32", "uint64", "bool", "complex64",
    "cfloat", "complex128", "cdouble", "set_default_dtype", "get_default_dtype", "promote_types",
    "result_type", "can_cast", "finfo", "iinfo",
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
        """The real counterpart of a complex dtype (``complex64 -> float32``); others unchanged."""
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    def to_complex(self):
        """The complex counterpart of a floating dtype (``float64 -> complex128``)."""
        return complex128 if self.name in ("float64", "complex128") else complex64


bool = dtype("bool", np.bool_, 0)
uint8 = dtype("uint8", np.uint8, 1)
int8 = dtype("int8", np.int8, 1)
int16 = short = dtype("int16", np.int16, 1)
int32 = int = dtype("int32", np.int32, 1)
int64 = long = dtype("int64", np.int64, 1)
float16 = half = dtype("float16", np.float16, 2)
float32 = float = dtype("float32", np.float32, 2)
float64 = double = dtype("float64", np.float64, 2)
uint16 = dtype("uint16", np.uint16, 1)
uint32 = dtype("uint32", np.uint32, 1)
uint64 = dtype("uint64", np.uint64, 1)
complex64 = cfloat = dtype("complex64", np.complex64, 3)
complex128 = cdouble = dtype("complex128", np.complex128, 3)

_ALL = (bool, uint8, int8, int16, int32, int64, float16, float32, float64, complex64)
# Types tensors may hold (from NumPy data, casts) beyond the core set above.
_EXTRA = (complex128, uint16, uint32, uint64)
# The barely supported unsigned types: storage and casts only, no promotion with other types.
_BARE_UNSIGNED = (uint16, uint32, uint64)

# ATen's scalar-type names, used in PyTorch's messages ("not implemented for 'Long'").
SCALAR_TYPE_NAMES = {
    "bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
    "int64": "Long", "float16": "Half", "float32": "Float", "float64": "Double",
    "complex64": "ComplexFloat", "complex128": "ComplexDouble", "uint16": "UInt16",
    "uint32": "UInt32", "uint64": "UInt64"}
_FROM_NP = {d.np: d for d in _ALL}
_FROM_NP_TYPE = {d.np.type: d for d in _ALL}
_FROM_NP_ANY = {d.np: d for d in _ALL + _EXTRA}


def _by_name(name):
    return globals()[name]


def from_numpy_dtype(np_dtype):
    """The chainrule dtype of a NumPy dtype; raises TypeError for types PyTorch does not have."""
    try:
        return _FROM_NP_ANY[np_dtype]
    except KeyError:
        pass
    try:
        return _FROM_NP_ANY[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError(
            f"can't convert np.ndarray of type {_numpy_type_name(np_dtype)}. The only supported "
            "types are: float64, float32, float16, complex64, complex128, int64, int32, int16, "
            "int8, uint64, uint32, uint16, uint8, and bool.") from None


def _numpy_type_name(np_dtype):
    """``numpy.str_``, ``numpy.longdouble``: the name of the dtype's scalar type, as PyTorch
    prints it."""
    t = np.dtype(np_dtype).type
    return f"{t.__module__}.{t.__name__}"


def to_dtype(d):
    """Accept a chainrule dtype, a NumPy dtype or a Python type and return a chainrule dtype."""
    if type(d) is dtype:
        return d
    if d is builtins.float:          # Python types as dtypes: float is float64 in PyTorch
        return float64
    if d is builtins.int:
        return int64
    if d is builtins.bool:
        return bool
    if d is builtins.complex:
        return complex128
    return from_numpy_dtype(d)


_default_dtype = float32


def set_default_dtype(d):
    """Set the default floating point dtype (``float32`` initially); only float types are allowed."""
    global _default_dtype
    if type(d) is not dtype:
        raise TypeError("invalid dtype object: only floating-point types are supported as the "
                        "default type")
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
    if a in _BARE_UNSIGNED or b in _BARE_UNSIGNED:
        if a._kind != 2 and b._kind != 2:
            raise RuntimeError(
                "Promotion for uint16, uint32, uint64 types is not supported, attempted to "
                f"promote {SCALAR_TYPE_NAMES[a.name]} and {SCALAR_TYPE_NAMES[b.name]}")
    if a._kind != b._kind:
        if a._kind + b._kind == 5:     # floating with complex: wide enough for the float's bits
            c, f = (a, b) if a._kind == 3 else (b, a)
            return complex128 if f is float64 else c
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
            if scalar_kind == 3 and result is not None and result._kind == 2:
                result = result.to_complex()     # float64 tensor + 1j -> complex128
            else:
                default = get_default_dtype()
                result = (bool, int64, default, default.to_complex())[scalar_kind]
    return result


def can_cast(from_, to):
    """Whether a type conversion is allowed under PyTorch's casting rules (``torch.can_cast``)."""
    return from_._kind <= to._kind


class finfo:
    """Machine limits for floating point types (``torch.finfo``): ``bits``, ``eps``, ``max``,
    ``min``, ``tiny`` (= ``smallest_normal``), ``resolution`` and the ``dtype`` name."""

    def __init__(self, type=None):
        type = get_default_dtype() if type is None else type
        if builtins.type(type) is not dtype:
            raise TypeError(f"finfo(): argument 'type' (position 1) must be torch.dtype, not "
                            f"{builtins.type(type).__name__}")
        if not (type.is_floating_point or type.is_complex):
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo "
                            "to handle 'torch.finfo'")
        type = type.to_real()
        info = np.finfo(type.np)
        self.dtype = type.name
        self.bits = info.bits
        self.eps = builtins.float(info.eps)
        self.max = builtins.float(info.max)
        self.min = builtins.float(info.min)
        self.tiny = self.smallest_normal = builtins.float(info.tiny)
        self.resolution = 10.0 ** -builtins.int(-np.log10(info.eps))

    def __eq__(self, other):
        return builtins.type(other) is finfo and self.dtype == other.dtype

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """Machine limits for integer types (``torch.iinfo``): ``bits``, ``max``, ``min`` and the
    ``dtype`` name."""

    def __init__(self, type):
        if builtins.type(type) is not dtype:
            raise TypeError(f"iinfo(): argument 'type' (position 1) must be torch.dtype, not "
                            f"{builtins.type(type).__name__}")
        if type is bool:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if type._kind != 1:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")
        info = np.iinfo(type.np)
        self.dtype = type.name
        self.bits = info.bits
        self.max = builtins.int(info.max)
        self.min = builtins.int(info.min)

    def __eq__(self, other):
        return builtins.type(other) is iinfo and self.dtype == other.dtype

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"
