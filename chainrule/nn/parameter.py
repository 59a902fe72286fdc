"""``nn.Parameter`` and ``nn.Buffer``: tensors that modules register automatically."""
import numpy as np

from .. import _creation
from .._tensor import Tensor

__all__ = ["Parameter", "Buffer", "UninitializedParameter", "is_lazy"]


def _array_of(data):
    if data is None:
        return np.empty((0,), np.float32)
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, np.ndarray):
        return data
    # PyTorch's Parameter calls ``data.detach()``
    raise AttributeError(f"'{type(data).__name__}' object has no attribute 'detach'")


class Parameter(Tensor):
    """A Tensor that is a module parameter.

    Assigning a Parameter to a :class:`Module` attribute registers it: it then appears in
    :meth:`Module.parameters`. The parameter shares storage with ``data`` and requires grad
    unless ``requires_grad=False``.
    """

    def __new__(cls, data=None, requires_grad=True):
        array = _array_of(data)
        if requires_grad and array.dtype.kind not in "fc":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        t = object.__new__(cls)
        t._set_from(array, requires_grad)
        return t

    def __init__(self, data=None, requires_grad=True):
        pass

    def __repr__(self):
        from .._tensor_str import _parameter_str
        return _parameter_str(self)

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self._data.copy(), self._requires_grad)
        if self._grad is not None:
            result._grad = Tensor._make(self._grad._data.copy())
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (type(self), self._data, self._requires_grad))


def _rebuild_parameter(cls, array, requires_grad):
    return cls(Tensor._make(array), requires_grad)


class _BufferMeta(type):
    # ``Buffer(t)`` gives a plain Tensor marked as a buffer; isinstance sees the mark
    def __instancecheck__(cls, instance):
        if cls is Buffer:
            return isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False)
        return super().__instancecheck__(instance)


class Buffer(Tensor, metaclass=_BufferMeta):
    """Marks a tensor as a buffer when assigned to a Module attribute (``nn.Buffer``).

    As in PyTorch, ``Buffer(data)`` returns a plain Tensor sharing ``data``'s storage (detached,
    with its ``requires_grad``), marked so that assigning it registers a buffer;
    ``persistent=False`` keeps it out of ``state_dict``.
    """

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            data = _creation.empty(0)
        t = data.detach().requires_grad_(data.requires_grad)
        t.persistent = persistent
        t._is_buffer = True
        return t


class UninitializedParameter(Parameter):
    """Placeholder kept for API compatibility; lazy modules are not implemented."""


def is_lazy(param):
    return isinstance(param, UninitializedParameter)
