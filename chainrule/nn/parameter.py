"""``nn.Parameter`` and ``nn.Buffer``: tensors that modules register automatically."""
import numpy as np

from .._tensor import Tensor

__all__ = ["Parameter", "Buffer", "UninitializedParameter", "is_lazy"]


def _array_of(data):
    if data is None:
        return np.empty((0,), np.float32)
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, np.ndarray):
        return data
    raise TypeError(f"Parameter(): argument 'data' (position 1) must be Tensor, not "
                    f"{type(data).__name__}")


class Parameter(Tensor):
    """A Tensor that is a module parameter.

    Assigning a Parameter to a :class:`Module` attribute registers it: it then appears in
    :meth:`Module.parameters`. The parameter shares storage with ``data`` and requires grad
    unless ``requires_grad=False``.
    """

    def __new__(cls, data=None, requires_grad=True):
        t = object.__new__(cls)
        t._set_from(_array_of(data), requires_grad)
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


class Buffer(Tensor):
    """Marks a tensor as a buffer when assigned to a Module attribute (``nn.Buffer``).

    Assigning it registers a plain tensor (not this wrapper) in the module's buffers;
    ``persistent=False`` keeps it out of ``state_dict``.
    """

    def __new__(cls, data=None, *, persistent=True):
        t = object.__new__(cls)
        t._set_from(_array_of(data))
        t.persistent = persistent
        return t

    def __init__(self, data=None, *, persistent=True):
        pass


class UninitializedParameter(Parameter):
    """Placeholder kept for API compatibility; lazy modules are not implemented."""


def is_lazy(param):
    return isinstance(param, UninitializedParameter)
