"""The legacy ``Variable`` wrapper: since PyTorch 0.4 it simply returns a Tensor."""
import warnings

from .. import _tensor

__all__ = ["Variable"]


class _VariableMeta(type):
    def __instancecheck__(cls, other):
        return isinstance(other, _tensor.Tensor)


class Variable(metaclass=_VariableMeta):
    """``Variable(tensor, requires_grad=False, volatile=False)`` returns a new leaf sharing
    ``tensor``'s data and version counter (``tensor.detach()``), with ``requires_grad`` as
    asked. ``volatile`` has no effect any more (use ``no_grad``)."""

    def __new__(cls, data=None, requires_grad=False, volatile=False):
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with torch.no_grad():` "
                          "instead.",
                          UserWarning, stacklevel=2)
        if data is None:
            from .._creation import tensor
            data = tensor([])
        if not isinstance(data, _tensor.Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        out = data.detach()
        if requires_grad:
            out.requires_grad_(True)
        return out
