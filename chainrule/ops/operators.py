"""Python operators on Tensors (``+ - * / // % ** @ < == ~ & | ^ << >>`` and their in-place
forms). Reflected forms (``2 - x``) keep the number on the left."""
from .._tensor import Tensor
from . import elementwise as E
from .linalg import matmul


def _swap(fn):
    return lambda self, other: fn(other, self)


def _iop(name):
    method = getattr(Tensor, name)
    return lambda self, other: method(self, other)


def _comparison(fn):
    """A comparison operator: an operand that is neither a Tensor nor a number makes it return
    NotImplemented, as PyTorch's do, so that Python decides (``t == None`` is False, ``t in
    [None, "a"]`` works, ``t < "a"`` raises Python's TypeError)."""
    def compare(self, other):
        try:
            return fn(self, other)
        except TypeError:
            return NotImplemented
    compare.__name__ = fn.__name__
    return compare


def _invert(self):
    if self._data.dtype.kind not in "biu":
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return E.bitwise_not(self)


_OPERATORS = {
    "__add__": E.add, "__radd__": E.add, "__sub__": E.sub, "__rsub__": E.rsub,
    "__mul__": E.mul, "__rmul__": E.mul, "__truediv__": E.div, "__rtruediv__": _swap(E.div),
    "__floordiv__": E.floor_divide, "__rfloordiv__": _swap(E.floor_divide),
    "__mod__": E.remainder, "__rmod__": _swap(E.remainder),
    "__pow__": E.pow, "__rpow__": _swap(E.pow), "__matmul__": matmul, "__rmatmul__": _swap(matmul),
    "__neg__": E.neg, "__abs__": E.abs, "__pos__": lambda self: self, "__invert__": _invert,
    "__eq__": _comparison(E.eq), "__ne__": _comparison(E.ne), "__lt__": _comparison(E.lt),
    "__le__": _comparison(E.le), "__gt__": _comparison(E.gt), "__ge__": _comparison(E.ge),
    "__and__": E.bitwise_and, "__or__": E.bitwise_or, "__xor__": E.bitwise_xor,
    "__rand__": E.bitwise_and, "__ror__": E.bitwise_or, "__rxor__": E.bitwise_xor,
    "__lshift__": E.bitwise_left_shift, "__rshift__": E.bitwise_right_shift,
    "__rlshift__": _swap(E.bitwise_left_shift), "__rrshift__": _swap(E.bitwise_right_shift),
    "__iadd__": _iop("add_"), "__isub__": _iop("sub_"), "__imul__": _iop("mul_"),
    "__itruediv__": _iop("div_"), "__ifloordiv__": _iop("floor_divide_"),
    "__imod__": _iop("remainder_"), "__ipow__": _iop("pow_"),
    "__iand__": _iop("bitwise_and_"), "__ior__": _iop("bitwise_or_"),
    "__ixor__": _iop("bitwise_xor_"), "__ilshift__": _iop("bitwise_left_shift_"),
    "__irshift__": _iop("bitwise_right_shift_"),
}

for _name, _fn in _OPERATORS.items():
    setattr(Tensor, _name, _fn)
