"""Python operators on Tensors (``+ - * / ** @ < == ~ & |`` and their in-place forms)."""
from .._tensor import Tensor
from . import elementwise as E
from .linalg import matmul


def _swap(fn):
    return lambda self, other: fn(other, self)


def _iop(name):
    method = getattr(Tensor, name)
    return lambda self, other: method(self, other)


_OPERATORS = {
    "__add__": E.add, "__radd__": E.add, "__sub__": E.sub, "__rsub__": E.rsub,
    "__mul__": E.mul, "__rmul__": E.mul, "__truediv__": E.div, "__rtruediv__": _swap(E.div),
    "__pow__": E.pow, "__rpow__": _swap(E.pow), "__matmul__": matmul, "__rmatmul__": _swap(matmul),
    "__neg__": E.neg, "__abs__": E.abs, "__pos__": lambda self: self,
    "__eq__": E.eq, "__ne__": E.ne, "__lt__": E.lt, "__le__": E.le, "__gt__": E.gt, "__ge__": E.ge,
    "__and__": E.logical_and, "__or__": E.logical_or, "__xor__": E.logical_xor,
    "__iadd__": _iop("add_"), "__isub__": _iop("sub_"), "__imul__": _iop("mul_"),
    "__itruediv__": _iop("div_"), "__ipow__": _iop("pow_"),
}

for _name, _fn in _OPERATORS.items():
    setattr(Tensor, _name, _fn)
