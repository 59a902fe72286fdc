"""Reductions: sum, mean (and, from the other ops of this module, prod, max, std ...)."""
import numpy as np

from .. import _dtype
from ._common import SCALAR_TYPE_NAMES, Op, wrap_dims

__all__ = ["sum", "mean"]
METHODS = ["sum", "mean"]


def _expand_back(xp, g, shape, dims, keepdim):
    """Broadcast a reduced gradient back over the reduced ``dims`` of ``shape``."""
    if not keepdim and dims:
        g = xp.reshape(g, tuple(1 if i in dims else s for i, s in enumerate(shape)))
    return xp.broadcast_to(g, shape)


class Sum(Op):
    node_name = "SumBackward1"

    @staticmethod
    def forward(ctx, a, dims, keepdim, dt):
        ctx.shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim
        out = ctx.xp.sum(a, axis=dims, keepdims=keepdim, dtype=dt)
        return out

    @staticmethod
    def backward(ctx, g):
        return _expand_back(ctx.xp, g, ctx.shape, ctx.dims, ctx.keepdim), None, None, None


class SumAll(Sum):
    node_name = "SumBackward0"


class Mean(Op):
    node_name = "MeanBackward1"

    @staticmethod
    def forward(ctx, a, dims, keepdim, dt):
        ctx.shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim
        ctx.count = int(np.prod([a.shape[d] for d in dims]))
        return ctx.xp.mean(a, axis=dims, keepdims=keepdim, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        g = _expand_back(ctx.xp, g, ctx.shape, ctx.dims, ctx.keepdim)
        return g / ctx.count, None, None, None


class MeanAll(Mean):
    node_name = "MeanBackward0"


def _sum_dtype(input, dtype):
    if dtype is not None:
        return _dtype.to_dtype(dtype).np
    if input._data.dtype.kind in "biu":
        return np.dtype(np.int64)  # integer and bool sums accumulate in int64, as PyTorch's
    return None


def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Sum of all elements, or over ``dim`` (an int or a tuple of ints)."""
    dt = _sum_dtype(input, dtype)
    if dim is None:
        return SumAll.apply(input, wrap_dims(None, input.ndim), False, dt)
    return Sum.apply(input, wrap_dims(dim or None, input.ndim), keepdim, dt)


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Arithmetic mean of all elements, or over ``dim``; only for floating point inputs."""
    dt = _dtype.to_dtype(dtype) if dtype is not None else input.dtype
    if not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or "
            f"complex dtype. Got: {SCALAR_TYPE_NAMES[input._data.dtype.name]}")
    dt = None if dtype is None else dt.np
    if dim is None:
        return MeanAll.apply(input, wrap_dims(None, input.ndim), False, dt)
    return Mean.apply(input, wrap_dims(dim or None, input.ndim), keepdim, dt)
