"""Reductions: sum, mean, prod, nansum/nanmean, max/min, amax/amin, aminmax, argmax/argmin,
var/std, norm, logsumexp, cumulative sums, products, maxima/minima and logsumexp, all/any,
count_nonzero.

A reduced gradient is put back by reshaping it to the ``keepdim`` shape (``_unreduce``) and
letting broadcasting spread it over the reduced axes; every backward here is written with
``ctx.xp`` so that it is itself differentiable under ``create_graph=True``.
"""
import builtins
import math
import warnings

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd import grad_mode
from . import return_types
from ._common import SCALAR_TYPE_NAMES, Op, _const, _pair, wrap_dim, wrap_dims

__all__ = ["sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "var", "std",
           "var_mean", "std_mean", "norm", "logsumexp", "cumsum", "cumprod", "all", "any",
           "count_nonzero", "nansum", "nanmean", "aminmax", "cummax", "cummin", "logcumsumexp"]
METHODS = ["sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "var", "std",
           "norm", "logsumexp", "cumsum", "cumprod", "all", "any", "count_nonzero", "nansum",
           "nanmean", "aminmax", "cummax", "cummin", "logcumsumexp"]

_INT64 = np.dtype(np.int64)
_state = grad_mode._state


# ---------------------------------------------------------------------------- helpers
def _reduce_dims(dim, ndim):
    """``dim`` (None, int, or a tuple / list of ints; empty means all) as a sorted tuple of axes.

    A 0-d tensor accepts dim 0 / -1, but has no axis to reduce: it gives ``()``.
    """
    if dim is None or isinstance(dim, (tuple, list)) and not dim:
        return tuple(builtins.range(ndim))
    if isinstance(dim, (bool, float)) or not isinstance(dim, (int, np.integer, tuple, list)):
        raise TypeError(f"argument 'dim' must be tuple of ints, not {type(dim).__name__}")
    dims = wrap_dims(dim, ndim)
    return tuple(sorted(dims)) if ndim else ()


def _int_dim(name, dim, ndim):
    """A single dimension (ops that reduce one dim only), with PyTorch's TypeError otherwise."""
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{name}(): argument 'dim' (position 1) must be int, not "
                        f"{type(dim).__name__}")
    return wrap_dim(dim, ndim)


def _remember(ctx, a, dims, keepdim):
    """What backward needs to put reduced axes back: the input shape and the reduction."""
    ctx.shape, ctx.dims, ctx.keepdim = a.shape, dims, keepdim


def _unreduce(ctx, g):
    """A reduced value (gradient or output) reshaped so that it broadcasts over the input."""
    if ctx.keepdim or not ctx.dims:
        return g
    return ctx.xp.reshape(g, tuple(1 if i in ctx.dims else s for i, s in enumerate(ctx.shape)))


def _div_or_zero(xp, num, den):
    """``num / den``, 0 where ``den`` is 0 (PyTorch's masked_fill(den == 0, 0)), no warnings."""
    return num / xp.where(den == 0, math.inf, den)


def _integral_to_int64(input, dtype):
    """sum/prod/cumsum accumulate bool and integer inputs in int64, as PyTorch does."""
    if dtype is not None:
        return _dtype.to_dtype(dtype).np
    kind = input._data.dtype.kind
    if kind == "f" or kind == "c" or input._data.dtype == _INT64:
        return None
    return _INT64


def _float_dtype_of(input, dtype):
    """The floating dtype a float-only reduction computes in (integers -> default dtype)."""
    if dtype is not None:
        return _dtype.to_dtype(dtype).np
    if input._data.dtype.kind not in "fc":
        return _dtype.get_default_dtype().np
    return None


def _check_nonempty(name, input, dims):
    if input._data.size == 0:
        if dims is None:
            if name.startswith("arg"):
                raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                                 "input.numel() == 0.")
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' "
                               "argument.")
        for d in dims:
            if input._data.shape[d] == 0:
                raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


# ---------------------------------------------------------------------------- sum, mean, prod
def _exclusive_cumprod(xp, a, dim):
    """``prod(a[..., :i])`` along ``dim`` at each ``i`` (1 at the start)."""
    n = a.shape[dim]
    first = xp.split(a, [1], dim)[0]
    head = xp.split(a, [n - 1], dim)[0]
    return xp.cumprod(xp.concatenate([xp.ones_like(first), head], dim), dim)


def _product_of_others(xp, a, dim):
    """For each element, the product of all other elements along ``dim`` (no division)."""
    return _exclusive_cumprod(xp, a, dim) * xp.flip(_exclusive_cumprod(xp, xp.flip(a, dim), dim),
                                                    dim)



class Sum(Op):
    node_name = "SumBackward1"

    @staticmethod
    def forward(ctx, a, dims, keepdim, dt):
        _remember(ctx, a, dims, keepdim)
        return a.sum(axis=dims, keepdims=keepdim, dtype=dt)  # the method: less dispatch cost

    @staticmethod
    def backward(ctx, g):
        return ctx.xp.broadcast_to(_unreduce(ctx, g), ctx.shape), None, None, None


def _expand(xp, g, shape):
    """``g`` (one value) as a read-only view of ``shape``, as ``broadcast_to`` gives it; for
    NumPy built directly (``np.broadcast_to`` costs microseconds of Python)."""
    if xp is not np:
        return xp.broadcast_to(g, shape)
    if type(g) is not np.ndarray:
        g = np.asarray(g)
    if not shape:
        return g
    view = np.ndarray(shape, g.dtype, g, 0, (0,) * len(shape))
    view.flags.writeable = False
    return view


class SumAll(Op):
    node_name = "SumBackward0"

    @staticmethod
    def forward(ctx, a, dt):
        if ctx.needs_input_grad[0]:
            ctx.shape = a.shape
        if type(a) is np.ndarray:
            return np.add.reduce(a, None, dt)  # what a.sum(dtype=dt) runs, without its wrapper
        return a.sum(dtype=dt)

    @staticmethod
    def backward(ctx, g):
        return _expand(ctx.xp, g, ctx.shape), None


class Mean(Op):
    node_name = "MeanBackward1"

    @staticmethod
    def forward(ctx, a, dims, keepdim, dt):
        _remember(ctx, a, dims, keepdim)
        ctx.count = math.prod(a.shape[d] for d in dims)
        return a.mean(axis=dims, keepdims=keepdim, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        g = ctx.xp.broadcast_to(_unreduce(ctx, g), ctx.shape)
        return g / ctx.count, None, None, None


_FLOAT32_64 = (np.dtype(np.float32), np.dtype(np.float64))


class MeanAll(Op):
    node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, a, dt):
        if ctx.needs_input_grad[0]:
            ctx.shape = a.shape
        if type(a) is np.ndarray and a.dtype in _FLOAT32_64 and a.size:
            # exactly what a.mean(dtype=dt) computes (numpy/_core/_methods.py, _mean), without
            # its Python wrapper: the sum, then a division by the count as an intp
            total = np.add.reduce(a, None, dt)
            return total.dtype.type(total / np.intp(a.size))
        return a.mean(dtype=dt)

    @staticmethod
    def backward(ctx, g):
        n = math.prod(ctx.shape)
        if ctx.xp is np and not isinstance(g, Tensor):
            q = np.asarray(g / n)  # the value of every element of broadcast_to(g) / n
            out = np.empty(ctx.shape, q.dtype)
            out.fill(q)
            return out, None
        return ctx.xp.broadcast_to(g, ctx.shape) / n, None


class Prod(Op):
    node_name = "ProdBackward1"

    @staticmethod
    def forward(ctx, a, dims, keepdim, dt):
        _remember(ctx, a, dims, keepdim)
        out = a.prod(axis=dims, keepdims=keepdim, dtype=dt)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        xp = ctx.xp
        g, out = _unreduce(ctx, g), _unreduce(ctx, out)
        if not xp.any(a == 0):
            return g * (out / a), None, None, None
        # With zeros out / a is wrong: use the product of the other elements, as the product of
        # those before and those after each one (differentiable again, unlike masks).
        if len(ctx.dims) == 1:
            return g * _product_of_others(xp, a, ctx.dims[0]), None, None, None
        others = _product_of_others(xp, xp.reshape(a, (-1,)), 0)
        return g * xp.reshape(others, ctx.shape), None, None, None


class ProdAll(Prod):
    node_name = "ProdBackward0"


def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Sum of all elements, or over ``dim`` (an int or a tuple of ints). Bool and integer
    inputs are summed in int64 unless ``dtype`` says otherwise."""
    dt = _integral_to_int64(input, dtype)
    if dim is None and not keepdim:
        return SumAll.apply(input, dt)
    return Sum.apply(input, _reduce_dims(dim, input._data.ndim), keepdim, dt)


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Arithmetic mean of all elements, or over ``dim``; only for floating point inputs."""
    if dtype is None:
        if input._data.dtype.kind not in "fc":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {SCALAR_TYPE_NAMES[input._data.dtype.name]}")
        dt = None
    else:
        dt = _dtype.to_dtype(dtype).np
        if dt.kind not in "fc":
            raise RuntimeError(
                "mean(): could not infer output dtype. Optional dtype must be either a floating "
                f"point or complex dtype. Got: {SCALAR_TYPE_NAMES[dt.name]}")
    if dim is None and not keepdim:
        return MeanAll.apply(input, dt)
    return Mean.apply(input, _reduce_dims(dim, input._data.ndim), keepdim, dt)


class NanSum(Op):
    """Sum with NaN read as 0: NaN inputs get no gradient."""
    node_name = "NansumBackward0"

    @staticmethod
    def forward(ctx, a, dims, keepdim, dt):
        _remember(ctx, a, dims, keepdim)
        if ctx.needs_input_grad[0]:
            ctx.save_for_backward(a)
        if a.dtype.kind not in "fc":  # no NaN to skip
            return a.sum(axis=dims, keepdims=keepdim, dtype=dt)
        return ctx.xp.nansum(a, axis=dims, keepdims=keepdim, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        # a product, as PyTorch's: an infinite g (nanmean of an all-NaN slice) gives NaN
        return _unreduce(ctx, g) * ~ctx.xp.isnan(a), None, None, None


def nansum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """:func:`sum` treating NaN as zero (over all elements, or over ``dim``)."""
    if input._data.dtype.kind == "c":
        raise RuntimeError("nansum on CPU does not support complex inputs")
    return NanSum.apply(input, _reduce_dims(dim, input._data.ndim), keepdim,
                        _integral_to_int64(input, dtype))


def nanmean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """:func:`mean` of the elements that are not NaN (NaN where all are). As in PyTorch, it is
    ``nansum`` divided by the count of numbers, so its node is ``DivBackward0``."""
    if input._data.dtype.kind not in "fc":
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype "
                           f"but got {SCALAR_TYPE_NAMES[input._data.dtype.name]}")
    if dtype is not None and _dtype.to_dtype(dtype).np.kind not in "fc":
        raise RuntimeError("nanmean(): could not infer output dtype. Optional dtype must be "
                           "either a floating point or complex dtype. Got: "
                           f"{SCALAR_TYPE_NAMES[_dtype.to_dtype(dtype).np.name]}")
    dims = _reduce_dims(dim, input._data.ndim)
    count = np.sum(~np.isnan(input._data), axis=dims, keepdims=keepdim)
    from .elementwise import div
    return div(nansum(input, dim, keepdim, dtype=dtype), Tensor._make(np.asarray(count)))


def prod(input, dim=None, keepdim=False, *, dtype=None):
    """Product of all elements, or along one dimension ``dim``. The gradient is exact when
    elements are zero (no division by them)."""
    dt = _integral_to_int64(input, dtype)
    if dim is None:
        return ProdAll.apply(input, tuple(builtins.range(input._data.ndim)), False, dt)
    if isinstance(dim, (tuple, list)):
        raise TypeError(f"prod() received an invalid combination of arguments - got "
                        f"({type(dim).__name__}), but expected one of:\n"
                        " * (*, torch.dtype dtype = None)\n"
                        " * (int dim, bool keepdim = False, *, torch.dtype dtype = None)\n")
    return Prod.apply(input, _reduce_dims(dim, input._data.ndim), keepdim, dt)


# ---------------------------------------------------------------------------- max / min family
class Amax(Op):
    """Largest value over ``dims``; the gradient is shared evenly among tied maxima."""
    node_name = "AmaxBackward0"
    _pick = "amax"
    _nan_ties = False  # max()/min() count a NaN input as tied with a NaN result; amax/amin not

    @classmethod
    def forward(cls, ctx, a, dims, keepdim):
        _remember(ctx, a, dims, keepdim)
        out = getattr(ctx.xp, cls._pick)(a, axis=dims, keepdims=keepdim)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        return _share_among_ties(ctx, g, a, out, ctx._forward_cls._nan_ties), None, None


def _share_among_ties(ctx, g, a, out, nan_ties=False):
    """The gradient of an extreme value over ``ctx.dims``, split evenly among the elements of
    ``a`` equal to it (``nan_ties``: a NaN result is tied with the NaN inputs)."""
    xp = ctx.xp
    out = _unreduce(ctx, out)
    hit = a == out
    if nan_ties and xp.any(xp.isnan(out)):
        hit = hit | xp.isnan(a)
    count = xp.sum(hit, axis=ctx.dims, keepdims=True)
    return (_unreduce(ctx, g) / count) * hit


class Amin(Amax):
    node_name = "AminBackward0"
    _pick = "amin"


class MaxAll(Amax):
    node_name = "MaxBackward1"
    _nan_ties = True


class MinAll(Amax):
    node_name = "MinBackward1"
    _pick = "amin"
    _nan_ties = True


class MaxDim(Op):
    """``max(input, dim)``: values and indices; the gradient goes to the selected index only."""
    node_name = "MaxBackward0"
    _arg = "argmax"

    @classmethod
    def forward(cls, ctx, a, dim, keepdim):
        xp = ctx.xp
        if a.ndim == 0:  # a 0-d tensor is its own max along dim 0
            index = xp.zeros((), dtype=_INT64)
            values = a.copy()
            ctx.onehot = True
        else:
            index = getattr(xp, cls._arg)(a, axis=dim, keepdims=True)
            values = xp.take_along_axis(a, index, axis=dim)
            if ctx.needs_input_grad[0]:
                # Where the gradient lands; integers only, so kept on ctx (not saved).
                positions = xp.arange(a.shape[dim]).reshape(
                    tuple(-1 if i == dim else 1 for i in builtins.range(a.ndim)))
                ctx.onehot = positions == index
            if not keepdim:
                index, values = xp.squeeze(index, dim), xp.squeeze(values, dim)
        ctx.shape, ctx.dims, ctx.keepdim = a.shape, (dim,) if a.ndim else (), keepdim
        return values, index

    @staticmethod
    def backward(ctx, g, g_index=None):
        return _unreduce(ctx, g) * ctx.onehot, None, None


class MinDim(MaxDim):
    node_name = "MinBackward0"
    _arg = "argmin"


def _max_or_min(name, all_op, dim_op, pairwise):
    result_type = getattr(return_types, name)

    def reduce(input, dim=None, keepdim=False, *, out=None):
        if dim is None:
            if keepdim:
                raise TypeError(f"{name}() received an invalid combination of arguments - got "
                                "(keepdim=bool)")
            _check_nonempty(name, input, None)
            return all_op.apply(input, tuple(builtins.range(input._data.ndim)), False)
        if isinstance(dim, Tensor):
            return pairwise(input, dim)
        if isinstance(dim, (tuple, list)) or isinstance(dim, bool):
            raise TypeError(f"{name}() received an invalid combination of arguments - got "
                            f"({type(dim).__name__}), but expected one of:\n * ()\n"
                            " * (Tensor other)\n * (int dim, bool keepdim = False)\n")
        d = _int_dim(name, dim, input._data.ndim)
        if input._data.ndim:
            _check_nonempty(name, input, (d,))
        values, indices = dim_op.apply(input, d, keepdim)
        return result_type(values, indices)

    reduce.__name__ = name
    reduce.__doc__ = (
        f"``{name}(input)``: the {name}imum value (the gradient is shared among ties).\n"
        f"``{name}(input, dim, keepdim=False)``: ``torch.return_types.{name}(values, "
        f"indices)`` along ``dim``.\n``{name}(input, other)``: elementwise ``{name}imum``.")
    return reduce


def _amax_or_amin(name, op):
    def reduce(input, dim=(), keepdim=False, *, out=None):
        dims = _reduce_dims(dim, input._data.ndim)
        _check_nonempty(name, input, None if dim is None or dim == () or dim == [] else dims)
        return op.apply(input, dims, keepdim)

    reduce.__name__ = name
    reduce.__doc__ = (f"The {name[1:]}imum over ``dim`` (all dimensions by default); the "
                      "gradient is split evenly among ties.")
    return reduce


def _lazy_elementwise(name):
    def call(a, b):
        from . import elementwise
        return getattr(elementwise, name)(a, b)
    return call


class Aminmax(Op):
    """``aminmax``: the smallest and the largest value in one pass over the graph; each
    gradient is shared among its ties, as amin's and amax's are."""
    node_name = "AminmaxBackward0"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        _remember(ctx, a, dims, keepdim)
        lo = ctx.xp.amin(a, axis=dims, keepdims=keepdim)
        hi = ctx.xp.amax(a, axis=dims, keepdims=keepdim)
        ctx.save_for_backward(a, lo, hi)
        return lo, hi

    @staticmethod
    def backward(ctx, g_min, g_max):
        a, lo, hi = ctx.saved_tensors
        return (_share_among_ties(ctx, g_min, a, lo) + _share_among_ties(ctx, g_max, a, hi),
                None, None)


def aminmax(input, *, dim=None, keepdim=False, out=None):
    """``torch.return_types.aminmax(min, max)`` of all elements, or along ``dim``."""
    a = input._data
    if dim is None:
        if a.size == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                               "operation has no identity.")
        dims = tuple(builtins.range(a.ndim))
    else:
        d = _int_dim("aminmax", dim, a.ndim)
        if a.ndim and a.shape[d] == 0:
            raise IndexError(f"aminmax: Expected reduction dim {d} to have non-zero size.")
        dims = (d,) if a.ndim else ()
    return return_types.aminmax(*Aminmax.apply(input, dims, keepdim))


max = _max_or_min("max", MaxAll, MaxDim, _lazy_elementwise("maximum"))
min = _max_or_min("min", MinAll, MinDim, _lazy_elementwise("minimum"))
amax = _amax_or_amin("amax", Amax)
amin = _amax_or_amin("amin", Amin)


def _arg_reduction(name):
    pick = getattr(np, name)

    def reduce(input, dim=None, keepdim=False):
        a = input._data
        if a.dtype == np.bool_:
            raise RuntimeError(f"{name}(): does not support bool input")
        if dim is None:
            _check_nonempty(name, input, None)
            out = pick(a, axis=None, keepdims=keepdim)
        else:
            d = _int_dim(name, dim, a.ndim)
            if a.ndim == 0:
                out = np.zeros((), dtype=_INT64)
            else:
                _check_nonempty(name, input, (d,))
                out = pick(a, axis=d, keepdims=keepdim)
        return Tensor._make(np.asarray(out, dtype=_INT64))

    reduce.__name__ = name
    reduce.__doc__ = (f"Index of the {name[3:]}imum (of the flattened input, or along ``dim``), "
                      "an int64 tensor.")
    return reduce


argmax = _arg_reduction("argmax")
argmin = _arg_reduction("argmin")


# ---------------------------------------------------------------------------- var, std
class Var(Op):
    """Variance over ``dims`` divided by ``dof`` (= N - correction); ``std`` is its square root,
    ``var_mean`` / ``std_mean`` also return the mean."""
    node_name = "VarBackward0"
    _root = False
    _with_mean = False

    @classmethod
    def forward(cls, ctx, a, dims, keepdim, dof):
        xp = ctx.xp
        _remember(ctx, a, dims, keepdim)
        ctx.scale = 2.0 / dof if dof else math.inf  # d var / d a = scale * (a - mean)
        ctx.count = math.prod(a.shape[d] for d in dims)
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # empty slices give NaN, as PyTorch
            mean = xp.mean(a, axis=dims, keepdims=True)
            dev = a - mean
            out = xp.sum(dev * dev, axis=dims, keepdims=keepdim) / dof
        if cls._root:
            out = xp.sqrt(out)
        ctx.save_for_backward(a, out if cls._root else None)
        if cls._with_mean:
            return out, mean if keepdim else xp.squeeze(mean, dims)
        return out

    @staticmethod
    def backward(ctx, g, g_mean=None):
        a, root = ctx.saved_tensors
        xp = ctx.xp
        g = _unreduce(ctx, g)
        if root is not None:  # d std = d var / (2 std), taken as 0 where std == 0
            g = _div_or_zero(xp, g, 2 * _unreduce(ctx, root))
        grad = ctx.scale * g * (a - xp.mean(a, axis=ctx.dims, keepdims=True))
        if g_mean is not None:
            grad = grad + _unreduce(ctx, g_mean) / ctx.count
        return grad, None, None, None


class Std(Var):
    node_name = "StdBackward0"
    _root = True


class VarMean(Var):
    node_name = "VarMeanBackward0"
    _with_mean = True


class StdMean(Var):
    node_name = "StdMeanBackward0"
    _root = True
    _with_mean = True


def _moment(name, op):
    def reduce(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
        if isinstance(dim, builtins.bool):  # the legacy overload std(unbiased)
            dim, unbiased = None, dim
        if unbiased is not None and correction is not None:
            raise TypeError(f"{name}() received an invalid combination of arguments - got "
                            "(correction=int, unbiased=bool, ), but expected one of:\n"
                            " * (tuple of ints dim, bool unbiased = True, bool keepdim = False)\n"
                            " * (tuple of ints dim = None, *, Number correction = None, "
                            "bool keepdim = False)\n * (bool unbiased = True)\n")
        if input._data.dtype.kind not in "fc":
            raise RuntimeError("std and var only support floating point and complex dtypes")
        if correction is None:
            correction = 1 if unbiased is None or unbiased else 0
        dims = _reduce_dims(dim, input._data.ndim)
        n = math.prod(input._data.shape[d] for d in dims)
        dof = builtins.max(n - correction, 0)
        if dof == 0:
            warnings.warn(f"{name.split('_')[0]}(): degrees of freedom is <= 0. Correction "
                          "should be strictly less than the reduction factor (input numel "
                          "divided by output numel).", UserWarning, stacklevel=2)
        result = op.apply(input, dims, keepdim, dof)
        return result

    reduce.__name__ = name
    return reduce


var = _moment("var", Var)
var.__doc__ = ("Variance over ``dim`` (all by default) with Bessel's ``correction`` (1 unless "
               "``unbiased=False`` or ``correction`` says otherwise).")
std = _moment("std", Std)
std.__doc__ = "Standard deviation: the square root of :func:`var` (same arguments)."
var_mean = _moment("var_mean", VarMean)
var_mean.__doc__ = "``(var(input, ...), mean(input, ...))`` computed together."
std_mean = _moment("std_mean", StdMean)
std_mean.__doc__ = "``(std(input, ...), mean(input, ...))`` computed together."


# ---------------------------------------------------------------------------- norm
class VectorNorm(Op):
    """``(sum |a|^p)^(1/p)`` over ``dims`` (p = inf / -inf: max / min of |a|; p = 0: count of
    non-zeros). Subgradients at 0 follow PyTorch (0 for p = 2)."""
    node_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, p, dims, keepdim, dt):
        xp = ctx.xp
        _remember(ctx, a, dims, keepdim)
        ctx.p = p
        x = a if dt is None else a.astype(dt)
        if p == 2:
            out = xp.sqrt(xp.sum(x * x, axis=dims, keepdims=keepdim))
        elif p == 1:
            out = xp.sum(xp.abs(x), axis=dims, keepdims=keepdim)
        elif p == math.inf:
            out = xp.amax(xp.abs(x), axis=dims, keepdims=keepdim)
        elif p == -math.inf:
            out = xp.amin(xp.abs(x), axis=dims, keepdims=keepdim)
        elif p == 0:
            out = xp.sum(x != 0, axis=dims, keepdims=keepdim, dtype=x.dtype)
        else:
            out = xp.sum(xp.abs(x) ** p, axis=dims, keepdims=keepdim) ** (1.0 / p)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        xp, p = ctx.xp, ctx.p
        g, out = _unreduce(ctx, g), _unreduce(ctx, out)
        if p == 0:
            return None, None, None, None, None
        if p == 2:
            grad = a * _div_or_zero(xp, g, out)
        elif p == 1:
            grad = xp.sign(a) * g
        elif math.isinf(p):  # like amax/amin of |a|: shared among ties; a NaN gets 0
            size = xp.abs(a)
            nan = xp.isnan(size)
            hit = (size == out) | nan
            grad = xp.sign(a) * ((g / xp.sum(hit, axis=ctx.dims, keepdims=True)) * hit)
            if xp.any(nan):
                grad = xp.where(nan, 0, grad)
        else:  # sign(a) |a|^(p-1) (g / out^(p-1)); 0 at a = 0 for p < 1 through sign(a)
            size = xp.abs(a)
            scaled = xp.sign(a) * xp.where(size == 0, 1, size) ** (p - 1)
            grad = scaled * g * out ** (1 - p) if p < 1 else \
                scaled * _div_or_zero(xp, g, out ** (p - 1))
        return grad, None, None, None, None


def _vector_norm(input, ord, dim, keepdim, dtype):
    if input._data.dtype.kind not in "fc":
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {SCALAR_TYPE_NAMES[input._data.dtype.name]}")
    dims = _reduce_dims(dim, input._data.ndim)
    if ord < 0 or math.isinf(ord):
        if input._data.size == 0 and (dim is None or builtins.any(
                input._data.shape[d] == 0 for d in dims)):
            raise RuntimeError(f"linalg.vector_norm cannot compute the {ord} norm on an empty "
                               "tensor because the operation does not have an identity")
    dt = None if dtype is None else _dtype.to_dtype(dtype).np
    return VectorNorm.apply(input, ord, dims, keepdim, dt)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """``torch.linalg.vector_norm``: the ``ord``-norm of ``x`` flattened, or over ``dim``."""
    return _vector_norm(x, float(ord), dim, keepdim, dtype)


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """The ``p``-norm of ``input`` (``'fro'``: the 2-norm) over all elements or over ``dim``.
    ``p`` may be any number, including ``inf`` / ``-inf`` and 0."""
    if isinstance(p, str):
        if p == "nuc":
            if input._data.ndim < 2:
                raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                                   "dimensions.")
            raise NotImplementedError("norm(p='nuc'): the nuclear norm is not implemented")
        if p != "fro":
            raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
        p = 2
    if isinstance(dim, int):
        dim = (dim,)
    return _vector_norm(input, float(p), dim, keepdim, dtype)


# ---------------------------------------------------------------------------- logsumexp
class LogSumExp(Op):
    node_name = "LogsumexpBackward0"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        xp = ctx.xp
        _remember(ctx, a, dims, keepdim)
        with np.errstate(divide="ignore"):  # log(0) = -inf for empty or all -inf slices
            if a.size == 0:
                out = xp.log(xp.sum(xp.exp(a), axis=dims, keepdims=keepdim))
            else:  # shift by the max for stability; an infinite max is not shifted by
                shift = xp.amax(a, axis=dims, keepdims=True)
                shift = xp.where(xp.isinf(shift), 0, shift)
                out = xp.log(xp.sum(xp.exp(a - shift), axis=dims, keepdims=True)) + shift
                if not keepdim:
                    out = xp.squeeze(out, dims)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        return _unreduce(ctx, g) * ctx.xp.exp(a - _unreduce(ctx, out)), None, None


def logsumexp(input, dim, keepdim=False, *, out=None):
    """``log(sum(exp(input), dim))``, computed without overflow."""
    if input._data.dtype.kind not in "fc":
        input = input.to(_dtype.get_default_dtype())
    return LogSumExp.apply(input, _reduce_dims(dim, input._data.ndim), keepdim)


# ---------------------------------------------------------------------------- cumsum, cumprod
def _reverse_cumsum(xp, x, dim):
    return xp.flip(xp.cumsum(xp.flip(x, dim), dim), dim)


class CumSum(Op):
    node_name = "CumsumBackward0"

    @staticmethod
    def forward(ctx, a, dim, dt):
        ctx.dim = dim
        if a.ndim == 0:
            return a.astype(dt or a.dtype, copy=True)
        return ctx.xp.cumsum(a, axis=dim, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        if g.ndim == 0:
            return g, None, None
        return _reverse_cumsum(ctx.xp, g, ctx.dim), None, None


class CumProd(Op):
    node_name = "CumprodBackward0"

    @staticmethod
    def forward(ctx, a, dim, dt):
        ctx.dim = dim
        out = a.astype(dt or a.dtype, copy=True) if a.ndim == 0 else \
            ctx.xp.cumprod(a, axis=dim, dtype=dt)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        xp, d = ctx.xp, ctx.dim
        if a.ndim == 0:
            return g, None, None
        zero = a == 0
        if not xp.any(zero):
            return _reverse_cumsum(xp, g * out, d) / a, None, None
        # d out_j / d a_i = prod_{l <= j, l != i} a_l = cumprod(a with a_i read as 1)_j.
        if _state.enabled:  # create_graph: a formula whose own derivative is right, O(n^2)
            positions = xp.cumsum(xp.ones_like(a), d) - 1
            grad = 0
            for i in builtins.range(a.shape[d]):
                at_i = positions == i
                grad = grad + at_i * _reverse_cumsum(
                    xp, g * xp.cumprod(xp.where(at_i, 1, a), d), d)
            return grad, None, None
        # O(n): before the first zero of a slice that is out_j / a_i; at the first zero, the
        # cumulative product with that zero read as 1; after it, 0.
        seen = xp.cumsum(zero, d)
        before = seen == 0
        first = zero & (seen == 1)
        grad_before = _reverse_cumsum(xp, g * out, d) / xp.where(before, a, 1)
        grad_first = _reverse_cumsum(xp, g * xp.cumprod(xp.where(first, 1, a), d), d)
        return xp.where(before, grad_before, xp.where(first, grad_first, 0)), None, None


def _cumulative(name, op):
    def cumulative(input, dim, *, dtype=None, out=None):
        d = wrap_dim(dim, input._data.ndim)
        return op.apply(input, d, _integral_to_int64(input, dtype))

    cumulative.__name__ = name
    return cumulative


cumsum = _cumulative("cumsum", CumSum)
cumsum.__doc__ = "Cumulative sum along ``dim`` (integers accumulate in int64)."
cumprod = _cumulative("cumprod", CumProd)
cumprod.__doc__ = ("Cumulative product along ``dim``; the gradient is exact when elements are "
                   "zero.")


class CumMax(Op):
    """``cummax(input, dim)``: running maximum and the index it was taken from (the latest
    of equal values; a NaN stays once seen, with the index of the latest NaN). The gradient
    of each value goes to that index."""
    node_name = "CummaxBackward0"
    _pick = "maximum"

    @classmethod
    def forward(cls, ctx, a, dim):
        xp = ctx.xp
        ctx.dim = dim
        if a.ndim == 0:
            ctx.starts = None
            return a.copy(), xp.zeros((), dtype=_INT64)
        running = getattr(xp, cls._pick).accumulate(a, axis=dim)  # (propagates NaN)
        n = a.shape[dim]
        positions = xp.arange(n).reshape(tuple(-1 if i == dim else 1
                                               for i in builtins.range(a.ndim)))
        taken = a == running  # where the running value was replaced (>=, as PyTorch)
        if a.dtype.kind in "fc":
            taken |= xp.isnan(a)
        index = xp.maximum.accumulate(xp.where(taken, positions, 0), axis=dim)
        # the values read at the indices: of equal values the latest (-0.0 after 0.0), as
        # PyTorch's; NumPy's maximum keeps the first
        values = xp.take_along_axis(a, index, axis=dim)
        if ctx.needs_input_grad[0]:
            # Integers only, so kept on ctx: where each run of one index starts, and where the
            # next run starts (n after the last), for the backward's sums over runs.
            starts = index == positions
            next_start = xp.flip(xp.minimum.accumulate(
                xp.flip(xp.where(starts, positions, n), dim), axis=dim), dim)
            ctx.starts = starts
            ctx.next_start = xp.concatenate(
                [xp.take(next_start, xp.arange(1, n), axis=dim),
                 xp.full_like(xp.take(next_start, [0], axis=dim), n)], axis=dim)
        return values, index.astype(_INT64, copy=False)

    @staticmethod
    def backward(ctx, g, g_index=None):
        if ctx.starts is None or g.size == 0:
            return g, None
        # The element at the start of a run gets the sum of g over the run: a difference of
        # reverse cumulative sums (one past the end, the sum is 0).
        xp, d = ctx.xp, ctx.dim
        tail = _reverse_cumsum(xp, g, d)
        tail_ext = xp.concatenate([tail, xp.zeros_like(xp.split(tail, [1], d)[0])], d)
        return xp.where(_const(ctx, ctx.starts),
                        tail - xp.take_along_axis(tail_ext, ctx.next_start, d), 0), None


class CumMin(CumMax):
    node_name = "CumminBackward0"
    _pick = "minimum"


def _cumulative_extreme(name, op):
    result_type = getattr(return_types, name)

    def cumulative(input, dim, *, out=None):
        return result_type(*op.apply(input, wrap_dim(dim, input._data.ndim)))

    cumulative.__name__ = name
    cumulative.__doc__ = (f"``torch.return_types.{name}(values, indices)``: the running "
                          f"{name[3:]}imum along ``dim`` and where it was taken from.")
    return cumulative


cummax = _cumulative_extreme("cummax", CumMax)
cummin = _cumulative_extreme("cummin", CumMin)


class LogCumSumExp(Op):
    """``log(cumsum(exp(input), dim))`` without overflow, as running logaddexp."""
    node_name = "LogcumsumexpBackward0"

    @staticmethod
    def kernel(a, dim):
        return a.copy() if a.ndim == 0 else np.logaddexp.accumulate(a, axis=dim)

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        out = LogCumSumExp.kernel(a, dim)
        ctx.lowest = float(np.finfo(a.dtype).min)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        # PyTorch's rule: the gradient's positive and negative parts, each summed in log space
        # (a reverse logcumsumexp of log|g| - out), so that nothing overflows
        a, out = ctx.saved_tensors
        xp, d = ctx.xp, ctx.dim
        if a.ndim == 0:
            return g, None

        def reverse_logcumsumexp(x):
            return xp.flip(_pair(ctx, LogCumSumExp, xp.flip(x, d), d), d)

        log_size = xp.log(xp.abs(g))
        positive = xp.where(g > 0, log_size, ctx.lowest)
        negative = xp.where(g < 0, log_size, ctx.lowest)
        return (xp.exp(reverse_logcumsumexp(positive - out) + a) -
                xp.exp(reverse_logcumsumexp(negative - out) + a)), None


def logcumsumexp(input, dim, *, out=None):
    """``log(cumsum(exp(input), dim))``, computed without overflow; floating inputs only."""
    if input._data.dtype.kind != "f":
        raise NotImplementedError('"logcumsumexp_out_cpu" not implemented for '
                                  f"'{SCALAR_TYPE_NAMES.get(input._data.dtype.name)}'")
    return LogCumSumExp.apply(input, wrap_dim(dim, input._data.ndim))


# ---------------------------------------------------------------------------- not differentiable
def _logical_reduction(name):
    pick = getattr(np, name)

    def reduce(input, dim=None, keepdim=False, *, out=None):
        a = input._data
        if dim is None:
            dims = None
        elif isinstance(dim, (tuple, list)):  # an empty tuple reduces nothing
            dims = _reduce_dims(dim, a.ndim) if dim else ()
        else:
            dims = _reduce_dims(dim, a.ndim)
        result = pick(a, axis=dims, keepdims=keepdim)
        return Tensor._make(np.asarray(result, dtype=a.dtype if a.dtype == np.uint8 else
                                       np.bool_))

    reduce.__name__ = name
    reduce.__doc__ = (f"Whether {'all' if name == 'all' else 'any'} elements (over ``dim``) are "
                      "non-zero: a bool tensor (uint8 for uint8 input).")
    return reduce


all = _logical_reduction("all")
any = _logical_reduction("any")


def count_nonzero(input, dim=None):
    """Number of non-zero elements (over ``dim``), an int64 tensor."""
    a = input._data
    dims = None if dim is None else _reduce_dims(dim, a.ndim)
    return Tensor._make(np.asarray(np.count_nonzero(a, axis=dims), dtype=_INT64))
