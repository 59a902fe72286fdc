"""Flatten parameters into one vector and back."""
import numpy as np

from ..._tensor import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters):
    """All ``parameters`` flattened and concatenated into one 1-d tensor (differentiable)."""
    from ...ops.shape import reshape
    params = list(parameters)
    if not params:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    flat = [reshape(p, (-1,)) for p in params]
    return _Concat.apply(*flat)


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of the 1-d ``vec`` into ``parameters`` (in place)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    pointer = 0
    for param in parameters:
        n = param._data.size
        param._data = vec._data[pointer:pointer + n].reshape(param._data.shape)
        pointer += n


from ...autograd.function import Function  # noqa: E402


class _Concat(Function):
    """Concatenate 1-d tensors; the backward splits the gradient."""
    _raw = True
    node_name = "CatBackward0"

    @staticmethod
    def forward(ctx, *arrays):
        ctx.sizes = [a.size for a in arrays]
        return np.concatenate(arrays)

    @staticmethod
    def backward(ctx, g):
        out, start = [], 0
        for n in ctx.sizes:
            out.append(g[start:start + n])
            start += n
        return tuple(out)
