"""Fused neural-network primitives: linear, activations, softmax, losses, convolution, pooling,
normalisation, embedding, padding.

Forward and backward sit together in one class per primitive. Backward is written with
operators and ``ctx.xp`` where NumPy names suffice; the few rules that need a scatter (pooling,
padding, embedding) call :func:`_pair`, and the convolution's call :func:`_bilinear`: each runs
the raw kernel for a plain ``backward()`` and the differentiable op (whose own backward is the
original kernel) under ``create_graph=True``. So every primitive here is differentiable to any
order.

The public functions of this module are the ones PyTorch has at top level (``torch.softmax``,
``torch.conv2d`` ...); ``chainrule.nn.functional`` builds its API on the classes here.
"""
import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import _dtype
from .._tensor import Tensor
from . import tensor_xp
from ._common import SCALAR_TYPE_NAMES, Op, _const, _pair, _raw, wrap_dim

__all__ = ["softmax", "log_softmax", "conv1d", "conv2d", "conv_transpose2d", "dropout",
           "layer_norm", "group_norm", "max_pool1d", "max_pool2d", "avg_pool1d", "prelu", "selu",
           "celu", "rrelu", "hardshrink", "threshold", "cosine_similarity", "pairwise_distance",
           "adaptive_avg_pool1d"]
METHODS = ["softmax", "log_softmax", "prelu", "hardshrink"]


def _sum(xp, a, axis, keepdims=False):
    """``xp.sum`` without NumPy's Python-level wrapper on the raw-array path."""
    if xp is tensor_xp:
        return xp.sum(a, axis=axis, keepdims=keepdims)
    return a.sum(axis=axis, keepdims=keepdims)


_ONES = {}


def _ones(n, dtype):
    """A cached read-only vector of ``n`` ones: row and column sums as one BLAS product."""
    key = (n, dtype)
    v = _ONES.get(key)
    if v is None:
        if len(_ONES) > 64:
            _ONES.clear()
        v = _ONES[key] = np.ones(n, dtype)
        v.flags.writeable = False
    return v


def _blas_rows(xp, a, dim):
    """True where the rows of 2-d float ``a`` reduced over its last ``dim`` go through the
    BLAS helpers below. NumPy reduces along a short contiguous axis one element at a time
    (max over (256, 10) float32 rows: ~12 us), while a product with a vector of ones (sum) and
    a max over the transposed rows take ~1-3 us."""
    return xp is np and dim == 1 and a.ndim == 2 and a.size != 0 and a.dtype.char in "fd"


def _row_sum(a):
    """``a.sum(1, keepdims=True)`` for 2-d float ``a`` as ``a @ ones`` (same sum, BLAS's
    summation order)."""
    return np.matmul(a, _ones(a.shape[1], a.dtype))[:, None]


def _row_max(a):
    """``a.max(1, keepdims=True)`` for 2-d float ``a`` (NaN propagating, as ``max``): with
    few columns, the max over axis 0 of a transposed copy vectorises across rows."""
    if a.shape[1] <= 32 and a.shape[0] >= 16:
        return np.ascontiguousarray(a.T).max(axis=0)[:, None]
    return a.max(axis=1, keepdims=True)


def _col_sum(xp, a):
    """``a.sum(0)`` (a bias gradient): ``ones @ a`` for 2-d float ``a``."""
    if xp is np and a.ndim == 2 and a.size != 0 and a.dtype.char in "fd":
        return np.matmul(_ones(a.shape[0], a.dtype), a)
    return _sum(xp, a, 0)


# ============================================================================ linear
class Addmm(Op):
    """``bias + input @ weight.T`` for a 2-d input (``F.linear``): one BLAS call forward, two
    backward, the bias gradient a column sum. Arguments in PyTorch's order (bias, input,
    weight).

    With few outputs (a classifier head) OpenBLAS is faster on ``weight @ input.T``; the
    (outputs, batch) result gets the bias per row and is copied back to C order (a few KiB)."""
    node_name = "AddmmBackward0"
    _n_inputs = 3

    @staticmethod
    def forward(ctx, b, x, w):
        ctx.save_for_backward(x if ctx.needs_input_grad[2] else None,
                              w if ctx.needs_input_grad[1] else None)
        if w.shape[0] <= 16 and w.ndim == 2 and b.ndim == 1 and ctx.xp is np:
            out = w @ x.T
            out += b[:, None]
            return out.T.copy()
        out = x @ w.T
        out += b
        return out

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        xp = ctx.xp
        return (_col_sum(xp, g) if ctx.needs_input_grad[0] else None,
                xp.matmul(g, w) if ctx.needs_input_grad[1] else None,
                _weight_grad(xp, g, x) if ctx.needs_input_grad[2] else None)


def _weight_grad(xp, g, x):
    """``g.T @ x``, C-contiguous like the weight (optimizers' in-place updates over mixed memory
    orders are several times slower). BLAS is faster on ``x.T @ g`` when there are few
    outputs, so that product is computed and its small result copied."""
    if xp is np and g.shape[1] <= 16:
        return np.ascontiguousarray((x.T @ g).T)
    return xp.matmul(g.T, x)


class Mm(Op):
    """``input @ weight.T`` (``F.linear`` without bias)."""
    node_name = "MmBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x if ctx.needs_input_grad[1] else None,
                              w if ctx.needs_input_grad[0] else None)
        return x @ w.T

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        xp = ctx.xp
        return (xp.matmul(g, w) if ctx.needs_input_grad[0] else None,
                _weight_grad(xp, g, x) if ctx.needs_input_grad[1] else None)


_C_TYPE_NAMES = {"float64": "double", "float32": "float", "float16": "c10::Half",
                 "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
                 "uint8": "unsigned char", "bool": "bool"}


def _scalar_name(a):
    return SCALAR_TYPE_NAMES[a.dtype.name]


def _check_linear_dtypes(x, w, b):
    """PyTorch's messages: the addmm path (bias, input of 2+ dims) names tensors mat1/mat2
    and self, the matmul path m1/m2 with C type names."""
    if b is not None and x.ndim >= 2:
        if x.dtype != w.dtype:
            raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                               f"{_scalar_name(x)} and {_scalar_name(w)}")
        if b.dtype != w.dtype:
            raise RuntimeError(f"self and mat2 must have the same dtype, but got "
                               f"{_scalar_name(b)} and {_scalar_name(w)}")
    elif x.dtype != w.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_C_TYPE_NAMES[x.dtype.name]} != {_C_TYPE_NAMES[w.dtype.name]}")


def linear(input, weight, bias=None):
    """``input @ weight.T + bias`` over the last dimension of ``input``."""
    x, w = input._data, weight._data
    if x.dtype is not w.dtype or bias is not None and bias._data.dtype is not x.dtype:
        _check_linear_dtypes(x, w, None if bias is None else bias._data)
    if x.ndim == 2:
        if x.shape[1] != w.shape[1]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({x.shape[0]}x"
                               f"{x.shape[1]} and {w.shape[1]}x{w.shape[0]})")
        return Mm.apply(input, weight) if bias is None else Addmm.apply(bias, input, weight)
    from .shape import reshape, view
    if x.ndim == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are 0D "
                           f"and {w.ndim}D")
    if x.shape[-1] != w.shape[-1]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                           f"({x.size // max(x.shape[-1], 1)}x{x.shape[-1]} and "
                           f"{w.shape[-1]}x{w.shape[0]})")
    flat = reshape(input, (-1, x.shape[-1]))
    out = Mm.apply(flat, weight) if bias is None else Addmm.apply(bias, flat, weight)
    return view(out, x.shape[:-1] + (w.shape[0],)) if bias is not None or x.ndim == 1 else \
        _unsafe_view(out, x.shape[:-1] + (w.shape[0],))


def _unsafe_view(t, shape):
    from .shape import UnsafeView
    return UnsafeView.apply(t, shape)


# ============================================================================ activations
def _activation(name, node_name, forward, grad, saves="input"):
    """An elementwise op with scalar parameters: ``forward(xp, x, *params)`` and
    ``grad(xp, g, x, y, *params)`` (the input's gradient); ``saves`` names what backward reads
    ("input", "output" or "both")."""

    def fwd(ctx, a, *params):
        out = forward(ctx.xp, a, *params)
        ctx.params = params
        ctx.save_for_backward(a if saves in ("input", "both") else None,
                              out if saves in ("output", "both") else None)
        return out

    def bwd(ctx, g):
        x, y = ctx.saved_tensors
        return (grad(ctx.xp, g, x, y, *ctx.params),) + (None,) * len(ctx.params)

    return type(name, (Op,), {"node_name": node_name, "forward": staticmethod(fwd),
                              "backward": staticmethod(bwd), "__doc__": f"``{name}``."})


def _sig(xp, x):
    return 0.5 * xp.tanh(0.5 * x) + 0.5  # overflow-free logistic


def _softplus(xp, x):
    """``log(1 + exp(x))`` without overflow."""
    return xp.clip(x, 0, None) + xp.log(1 + xp.exp(-xp.abs(x)))


def _elu_fwd(xp, x, alpha, scale, input_scale):
    neg = xp.expm1(xp.minimum(x, 0) * input_scale) * (alpha * scale)
    return xp.where(x > 0, x * scale, neg)


def _elu_grad(xp, g, x, y, alpha, scale, input_scale):
    return xp.where(x > 0, g * scale, g * ((y + alpha * scale) * input_scale))


_SQRT_2_PI = math.sqrt(2 / math.pi)


def _gelu_fwd(xp, x, approximate):
    if approximate == "tanh":
        return 0.5 * x * (1 + xp.tanh(_SQRT_2_PI * (x + 0.044715 * x * x * x)))
    return 0.5 * x * (1 + _erf(xp, x * math.sqrt(0.5)))


def _gelu_grad(xp, g, x, y, approximate):
    if approximate == "tanh":
        t = xp.tanh(_SQRT_2_PI * (x + 0.044715 * x * x * x))
        return g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_PI *
                    (1 + 3 * 0.044715 * x * x))
    cdf = 0.5 * (1 + _erf(xp, x * math.sqrt(0.5)))
    return g * (cdf + x * xp.exp(-0.5 * x * x) * (1 / math.sqrt(2 * math.pi)))


def _erf(xp, x):
    return ErfOp.apply(x) if isinstance(x, Tensor) else _erf_np(x)


_ERF = []


def _erf_np(x):
    """erf elementwise: SciPy's when it is installed, else a vectorised ``math.erf``."""
    if not _ERF:
        try:
            from scipy.special import erf
        except ImportError:
            erf = np.vectorize(math.erf, otypes=[np.float64])
        _ERF.append(erf)
    return np.asarray(_ERF[0](x)).astype(x.dtype, copy=False)


def _mish_grad(xp, g, x, y):
    tsp = xp.tanh(_softplus(xp, x))
    return g * (tsp + x * (1 - tsp * tsp) * _sig(xp, x))


def _outside(x, lambd):
    return (x > lambd) | (x < -lambd)


ErfOp = _activation("Erf", "ErfBackward0", lambda xp, x: _erf_np(x),
                    lambda xp, g, x, y: g * ((2 / math.sqrt(math.pi)) * xp.exp(-x * x)))
LeakyRelu = _activation("LeakyRelu", "LeakyReluBackward0",
                        lambda xp, x, s: xp.where(x > 0, x, x * s),
                        lambda xp, g, x, y, s: xp.where(x > 0, g, g * s))
Elu = _activation("Elu", "EluBackward0", _elu_fwd, _elu_grad, "both")
Celu = type("Celu", (Elu,), {"node_name": "CeluBackward0"})
Gelu = _activation("Gelu", "GeluBackward0", _gelu_fwd, _gelu_grad)
Silu = _activation("Silu", "SiluBackward0", lambda xp, x: x * _sig(xp, x),
                   lambda xp, g, x, y: g * _sig(xp, x) * (1 + x * (1 - _sig(xp, x))))
Mish = _activation("Mish", "MishBackward0", lambda xp, x: x * xp.tanh(_softplus(xp, x)),
                   _mish_grad)
Hardtanh = _activation("Hardtanh", "HardtanhBackward0", lambda xp, x, lo, hi: xp.clip(x, lo, hi),
                       lambda xp, g, x, y, lo, hi: xp.where((x > lo) & (x < hi), g, 0 * g))
Softplus = _activation("Softplus", "SoftplusBackward0",
                       lambda xp, x, beta, th: xp.where(x * beta > th, x,
                                                        _softplus(xp, x * beta) / beta),
                       lambda xp, g, x, y, beta, th: xp.where(x * beta > th, g,
                                                              g * _sig(xp, x * beta)))
Hardswish = _activation("Hardswish", "HardswishBackward0",
                        lambda xp, x: x * xp.clip(x + 3, 0, 6) / 6,
                        lambda xp, g, x, y: xp.where(x < -3, 0 * g,
                                                     xp.where(x <= 3, g * (x / 3 + 0.5), g)))
Hardsigmoid = _activation("Hardsigmoid", "HardsigmoidBackward0",
                          lambda xp, x: xp.clip(x + 3, 0, 6) / 6,
                          lambda xp, g, x, y: xp.where((x > -3) & (x < 3), g / 6, 0 * g))
LogSigmoid = _activation("LogSigmoid", "LogSigmoidBackward0",
                         lambda xp, x: -_softplus(xp, -x),
                         lambda xp, g, x, y: g * (1 - _sig(xp, x)))
Softshrink = _activation("Softshrink", "SoftshrinkBackward0",
                         lambda xp, x, l: xp.where(x > l, x - l, xp.where(x < -l, x + l, 0 * x)),
                         lambda xp, g, x, y, l: xp.where(_outside(x, l), g, 0 * g))
Hardshrink = _activation("Hardshrink", "HardshrinkBackward0",
                         lambda xp, x, l: xp.where(_outside(x, l), x, 0 * x),
                         lambda xp, g, x, y, l: xp.where(_outside(x, l), g, 0 * g))
Threshold = _activation("Threshold", "ThresholdBackward0",
                        lambda xp, x, th, v: xp.where(x > th, x, xp.full_like(x, v)),
                        lambda xp, g, x, y, th, v: xp.where(x > th, g, 0 * g))


def _renamed(op, node_name):
    """``op`` recorded under another of PyTorch's node names (same forward and backward)."""
    return type(node_name.replace("Backward", ""), (op,), {"node_name": node_name})


# rrelu is leaky_relu with a slope per element (drawn in training, the mean one otherwise)
RreluWithNoise = _renamed(LeakyRelu, "RreluWithNoiseBackward0")
# PyTorch's in-place activations record their ``...Backward1`` nodes
INPLACE_NODES = {op: _renamed(op, op.node_name[:-1] + "1")
                 for op in (Elu, Celu, LeakyRelu, Threshold, RreluWithNoise)}


class Prelu(Op):
    """``max(0, x) + weight * min(0, x)`` with ``weight`` broadcast over dim 1."""
    node_name = "PreluKernelBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x, w)
        wb = w.reshape((1, -1) + (1,) * (x.ndim - 2)) if x.ndim >= 2 and w.size > 1 else w
        ctx.wshape = wb.shape
        return ctx.xp.where(x > 0, x, x * wb)

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        xp = ctx.xp
        wb = xp.reshape(w, ctx.wshape)
        gx = g * xp.where(x > 0, 1, wb) if ctx.needs_input_grad[0] else None
        gw = None
        if ctx.needs_input_grad[1]:
            gw = g * xp.where(x > 0, 0, x)
            if len(ctx.wshape) > 1:  # one slope per channel: sum all but dim 1
                gw = _sum(xp, gw, (0,) + tuple(range(2, x.ndim)))
        return gx, gw  # a shared slope is summed down to its shape by the engine


# ============================================================================ softmax
class Softmax(Op):
    node_name = "SoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        rows = _blas_rows(ctx.xp, x, dim)
        out = x - (_row_max(x) if rows else x.max(axis=dim, keepdims=True))
        ctx.xp.exp(out, out=out)
        out /= _row_sum(out) if rows else out.sum(axis=dim, keepdims=True)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        y, = ctx.saved_tensors
        gy = g * y
        if _blas_rows(ctx.xp, gy, ctx.dim):
            return gy - y * _row_sum(gy), None
        return gy - y * _sum(ctx.xp, gy, ctx.dim, True), None


class LogSoftmax(Op):
    node_name = "LogSoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        xp = ctx.xp
        if _blas_rows(xp, x, dim):
            out = x - _row_max(x)
            out -= np.log(_row_sum(np.exp(out)))
        else:
            out = x - x.max(axis=dim, keepdims=True)
            out -= xp.log(xp.exp(out).sum(axis=dim, keepdims=True))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        y, = ctx.saved_tensors
        xp = ctx.xp
        if _blas_rows(xp, g, ctx.dim) and g.dtype is y.dtype:
            e = np.exp(y)
            e *= _row_sum(g)
            return np.subtract(g, e, out=e), None
        return g - xp.exp(y) * _sum(xp, g, ctx.dim, True), None


def _softmax_dim(ndim):
    return 0 if ndim in (0, 1, 3) else 1


def _softmax_input(input, dim, dtype, name):
    if dim is None:
        import warnings
        warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                      "to include dim=X as an argument.", UserWarning, stacklevel=3)
        dim = _softmax_dim(input.ndim)
    if dtype is not None:
        input = input.to(_dtype.to_dtype(dtype))
    elif input._data.dtype.kind not in "fc":
        raise NotImplementedError(f'"{name}_lastdim_kernel_impl" not implemented for '
                                  f"'{_scalar_name(input._data)}'")
    return input, wrap_dim(dim, input.ndim)


def softmax(input, dim=None, dtype=None, *, _stacklevel=3):
    """``exp(x) / exp(x).sum(dim)``, computed stably."""
    input, dim = _softmax_input(input, dim, dtype, "softmax")
    return Softmax.apply(input, dim)


def log_softmax(input, dim=None, dtype=None, *, _stacklevel=3):
    """``log(softmax(x))`` computed stably (the log-sum-exp trick)."""
    input, dim = _softmax_input(input, dim, dtype, "log_softmax")
    return LogSoftmax.apply(input, dim)


# ============================================================================ losses
def _reduce(xp, loss, reduction):
    if reduction == "mean":
        return xp.mean(loss)
    if reduction == "sum":
        return xp.sum(loss)
    return loss


def _grad_scale(ctx, g):
    """Incoming gradient of a reduced loss, ready to broadcast over the elementwise loss."""
    if ctx.reduction == "mean":
        return g / ctx.count
    return g


class _PointwiseLoss(Op):
    """``reduce(loss(input, target))`` for an elementwise ``loss`` with derivative
    ``dloss(xp, x, t)`` with respect to the input (and ``-dloss`` to the target, where true)."""
    _n_inputs = 2
    _antisymmetric = True

    @classmethod
    def forward(cls, ctx, x, t, reduction, *params):
        ctx.reduction, ctx.params = reduction, params
        ctx.count = max(math.prod(np.broadcast_shapes(x.shape, t.shape)), 1)
        ctx.save_for_backward(x, t)
        xp = ctx.xp
        return xp.asarray(_reduce(xp, cls.loss(xp, x, t, *params), reduction))

    @staticmethod
    def backward(ctx, g):
        x, t = ctx.saved_tensors
        cls = ctx._forward_cls
        d = cls.dloss(ctx.xp, x, t, *ctx.params) * _grad_scale(ctx, g)
        gt = None
        if ctx.needs_input_grad[1]:
            gt = -d if cls._antisymmetric else \
                cls.dtarget(ctx.xp, x, t, *ctx.params) * _grad_scale(ctx, g)
        return (d if ctx.needs_input_grad[0] else None, gt, None) + (None,) * len(ctx.params)


class MseLoss(_PointwiseLoss):
    node_name = "MseLossBackward0"

    @staticmethod
    def loss(xp, x, t):
        d = x - t
        return d * d

    @staticmethod
    def dloss(xp, x, t):
        return 2 * (x - t)


class SmoothL1Loss(_PointwiseLoss):
    node_name = "SmoothL1LossBackward0"

    @staticmethod
    def loss(xp, x, t, beta):
        d = xp.abs(x - t)
        if beta == 0:
            return d
        return xp.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta)

    @staticmethod
    def dloss(xp, x, t, beta):
        if beta == 0:
            return xp.sign(x - t)
        return xp.clip((x - t) / beta, -1, 1)


class HuberLoss(_PointwiseLoss):
    node_name = "HuberLossBackward0"

    @staticmethod
    def loss(xp, x, t, delta):
        d = xp.abs(x - t)
        return xp.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))

    @staticmethod
    def dloss(xp, x, t, delta):
        return xp.clip(x - t, -delta, delta)


class BinaryCrossEntropy(_PointwiseLoss):
    """``-w (t log x + (1 - t) log(1 - x))`` with the logs clamped at -100, as PyTorch."""
    node_name = "BinaryCrossEntropyBackward0"
    _antisymmetric = False

    @staticmethod
    def loss(xp, x, t, w):
        with np.errstate(divide="ignore"):
            out = -(t * xp.maximum(xp.log(x), -100) + (1 - t) * xp.maximum(xp.log1p(-x), -100))
        return out if w is None else out * w

    @staticmethod
    def dloss(xp, x, t, w):
        d = (x - t) / xp.clip((1 - x) * x, 1e-12, None)
        return d if w is None else d * w

    @staticmethod
    def dtarget(xp, x, t, w):
        d = xp.clip(xp.log(1 - x), -100, None) - xp.clip(xp.log(x), -100, None)
        return d if w is None else d * w


class BinaryCrossEntropyWithLogits(_PointwiseLoss):
    """``-w [p t log s(x) + (1 - t) log(1 - s(x))]``, stable for large logits."""
    node_name = "BinaryCrossEntropyWithLogitsBackward0"
    _antisymmetric = False

    @staticmethod
    def loss(xp, x, t, w, pw):
        log_sig_neg = -_softplus(xp, x)   # log(1 - sigmoid(x))
        if pw is None:
            out = -(t * x + log_sig_neg)
        else:
            out = -(pw * t * (x + log_sig_neg) + (1 - t) * log_sig_neg)
        return out if w is None else out * w

    @staticmethod
    def dloss(xp, x, t, w, pw):
        s = _sig(xp, x)
        d = s - t if pw is None else (pw * t + 1 - t) * s - pw * t
        return d if w is None else d * w

    @staticmethod
    def dtarget(xp, x, t, w, pw):
        d = -x if pw is None else -(pw * (x - _softplus(xp, x)) + _softplus(xp, x))
        return d if w is None else d * w


class NllLoss(Op):
    """Negative log likelihood of class indices: ``-w[t] * input[n, t]``, reduced.

    ``input`` is (C), (N, C) or (N, C, d1, ...) with the class on axis 1 (0 for a 1-d input);
    it is viewed as (M, C) rows, one per target. ``ignored`` says whether some targets equal
    ``ignore_index`` (the caller has looked already), so the common case does no masking.
    """
    node_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx, x, target, weight, reduction, ignore_index, ignored):
        xp = ctx.xp
        rows2d = _class_rows(xp, x)
        t = target.reshape(-1)
        index = xp.arange(t.size)
        coef = None
        if ignored:
            valid = t != ignore_index
            t = xp.where(valid, t, 0)
            coef = valid.astype(x.dtype)
        if weight is not None:
            coef = weight[t] if coef is None else coef * weight[t]
        picked = rows2d[index, t]
        losses = -picked if coef is None else -(picked * coef)
        if ignored:
            losses[~valid] = 0  # 0, not -0: the ignored entries are not computed
        total = None
        if reduction == "none":
            out = losses.reshape(target.shape)
        else:
            out = losses.sum()
            if reduction == "mean":
                total = t.size if coef is None else coef.sum()
                with np.errstate(invalid="ignore", divide="ignore"):
                    out = out / total
        ctx.index, ctx.t, ctx.coef, ctx.total, ctx.reduction = index, t, coef, total, reduction
        ctx.shape, ctx.rows, ctx.dtype = x.shape, rows2d.shape, x.dtype
        return xp.asarray(out, dtype=x.dtype)

    @staticmethod
    def backward(ctx, g):
        coef = -1.0 if ctx.coef is None else -ctx.coef
        if ctx.total is not None:
            coef = coef / ctx.total
        rows = ctx.rows
        if _raw(ctx):
            gx = ctx.xp.zeros(rows, ctx.dtype)
            gx[ctx.index, ctx.t] = coef * (g if ctx.reduction != "none" else g.reshape(-1))
            return _from_class_rows(ctx.xp, gx, ctx.shape), None, None, None, None, None
        dense = np.zeros(rows, ctx.dtype)
        dense[ctx.index, ctx.t] = coef
        xp = ctx.xp
        gg = g if ctx.reduction != "none" else xp.reshape(g, (-1, 1))
        return _from_class_rows(xp, _const(ctx, dense) * gg, ctx.shape), None, None, None, None, \
            None


def _class_rows(xp, x):
    """``x`` with its class axis (1, or 0 for a 1-d input) last, as (M, C) rows."""
    if x.ndim == 2:
        return x
    if x.ndim == 1:
        return x[None]
    return xp.moveaxis(x, 1, -1).reshape(-1, x.shape[1])


def _from_class_rows(xp, rows, shape):
    """Inverse of :func:`_class_rows`."""
    if len(shape) == 2:
        return rows
    if len(shape) == 1:
        return xp.reshape(rows, shape)
    moved = xp.reshape(rows, (shape[0],) + tuple(shape[2:]) + (shape[1],))
    if xp is tensor_xp:
        return _tensor_moveaxis(moved, len(shape))
    return xp.moveaxis(moved, -1, 1)


def _tensor_moveaxis(t, ndim):
    from .shape import permute
    return permute(t, (0, ndim - 1) + tuple(range(1, ndim - 1)))


class NllLoss2d(NllLoss):
    node_name = "NllLoss2DBackward0"


# ============================================================================ convolution
def _tuple(v, n):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * n


def _padded_windows(x, kernel, stride, padding, dilation, pad_value=0.0):
    """Sliding windows of a (N, C, H, W) array: a (N, C, Ho, Wo, kh, kw) strided view (the
    padding, if any, is the only copy)."""
    ph, pw = padding
    if ph or pw:
        x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=pad_value)
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    win = sliding_window_view(x, ((kh - 1) * dh + 1, (kw - 1) * dw + 1), axis=(2, 3))
    if dh > 1 or dw > 1:
        win = win[..., ::dh, ::dw]
    if sh > 1 or sw > 1:
        win = win[:, :, ::sh, ::sw]
    return win


def _scatter_windows(cols, shape, kernel, stride, padding, dilation):
    """Adjoint of :func:`_padded_windows`: add window values laid out (N, C, kh, kw, Ho, Wo)
    back into a zero (N, C, H, W) array (one strided add per kernel offset)."""
    n, c, h, w = shape
    (kh, kw), (sh, sw), (dh, dw), (ph, pw) = kernel, stride, dilation, padding
    ho, wo = cols.shape[4], cols.shape[5]
    out = np.zeros((n, c, h + 2 * ph, w + 2 * pw), cols.dtype)
    for i in range(kh):
        for j in range(kw):
            out[:, :, i * dh:i * dh + sh * (ho - 1) + 1:sh,
                j * dw:j * dw + sw * (wo - 1) + 1:sw] += cols[:, :, i, j]
    if ph or pw:
        out = out[:, :, ph:ph + h, pw:pw + w]
    return out


class _ConvGeometry:
    """Shapes and hyper-parameters shared by the three bilinear convolution kernels."""
    __slots__ = ("x_shape", "w_shape", "stride", "padding", "dilation", "groups")

    def __init__(self, x_shape, w_shape, stride, padding, dilation, groups):
        self.x_shape, self.w_shape = tuple(x_shape), tuple(w_shape)
        self.stride, self.padding, self.dilation, self.groups = stride, padding, dilation, groups


def _im2col(x, geo):
    """The windows of ``x`` as a contiguous (N, groups, C/groups * kh * kw, Ho * Wo) array: one
    copy, in an order whose inner runs are contiguous rows of ``x``."""
    win = _padded_windows(x, geo.w_shape[2:], geo.stride, geo.padding, geo.dilation)
    n, c, ho, wo, kh, kw = win.shape
    cols = win.transpose(0, 1, 4, 5, 2, 3).reshape(n, geo.groups, -1, ho * wo)
    return cols, ho, wo


def _grouped_weight(w, groups):
    return w.reshape(groups, w.shape[0] // groups, -1)


def _conv_raw(x, w, geo):
    """Cross-correlation ``out[n, o] = sum_c w[o, c] * x[n, c]`` over windows: im2col and one
    batched matmul, whose result is already laid out (N, O, Ho, Wo)."""
    return _conv_cols(_im2col(x, geo), w, geo)


def _conv_cols(im2col, w, geo):
    """:func:`_conv_raw` on the windows ``im2col`` = ``(cols, ho, wo)`` of the input."""
    cols, ho, wo = im2col
    out = np.matmul(_grouped_weight(w, geo.groups), cols)          # (N, G, O/G, Ho*Wo)
    return out.reshape(cols.shape[0], w.shape[0], ho, wo)


def _conv_input_grad_raw(gy, w, geo):
    """Adjoint of :func:`_conv_raw` in ``x`` (a transposed convolution): one batched matmul to
    window values, then one add per kernel offset."""
    if geo.stride == (1, 1):
        return _conv_input_grad_unit_stride(gy, w, geo)
    n, o, ho, wo = gy.shape
    g = geo.groups
    wg = _grouped_weight(w, g)
    gcols = np.matmul(wg.transpose(0, 2, 1), gy.reshape(n, g, o // g, ho * wo))
    kh, kw = geo.w_shape[2:]
    gcols = gcols.reshape(n, geo.x_shape[1], kh, kw, ho, wo)
    return _scatter_windows(gcols, geo.x_shape, (kh, kw), geo.stride, geo.padding, geo.dilation)


def _conv_input_grad_unit_stride(gy, w, geo):
    """The stride-1 adjoint on flattened rows: ``gy`` is widened to the padded input's width
    (zero columns), so the window of each kernel offset is one contiguous run of the flat
    padded input and every add runs over long contiguous memory."""
    n, o, ho, wo = gy.shape
    _, c, h, wd = geo.x_shape
    kh, kw = geo.w_shape[2:]
    (ph, pw), (dh, dw), g = geo.padding, geo.dilation, geo.groups
    hp, wp = h + 2 * ph + 1, wd + 2 * pw     # one spare row: the last run overhangs the end
    run = ho * wp
    wide = np.zeros((n, o, ho, wp), gy.dtype)
    wide[..., :wo] = gy
    wg = w.reshape(g, o // g, c // g, kh, kw).transpose(0, 3, 4, 2, 1).reshape(g, -1, o // g)
    vals = np.matmul(wg, wide.reshape(n, g, o // g, run)).reshape(n, g, kh, kw, c // g, run)
    out = np.zeros((n, g, c // g, hp * wp), gy.dtype)
    for i in range(kh):
        for j in range(kw):
            start = i * dh * wp + j * dw
            out[..., start:start + run] += vals[:, :, i, j]
    return out.reshape(n, c, hp, wp)[:, :, ph:ph + h, pw:pw + wd]


def _conv_weight_grad_raw(x, gy, geo, cols=None):
    """Adjoint of :func:`_conv_raw` in ``w`` (``cols``: the forward's im2col of ``x``, if
    kept)."""
    cols, ho, wo = _im2col(x, geo) if cols is None else cols
    n, o = gy.shape[:2]
    g = geo.groups
    gw = np.matmul(gy.reshape(n, g, o // g, ho * wo), cols.transpose(0, 1, 3, 2)).sum(0)
    return gw.reshape(geo.w_shape)


class _Conv(Op):
    """One of three bilinear maps that close under differentiation: ``F(x, w)`` (the
    convolution), ``T(gy, w)`` (its adjoint in x, i.e. the transposed convolution) and
    ``W(x, gy)`` (its adjoint in w). The derivative of each is again one of them, so every order
    of derivative comes for free. An optional per-channel bias is added to the output."""
    node_name = "ConvolutionBackward0"
    _n_inputs = 3
    kind = None

    @classmethod
    def forward(cls, ctx, a, b, bias, geo):
        ctx.geo = geo
        ctx.save_for_backward(b if ctx.needs_input_grad[0] else None,
                              a if ctx.needs_input_grad[1] else None)
        ctx.cols = None
        if cls.kind == "F" and ctx.needs_input_grad[1] and ctx.xp is np:
            # The weight gradient needs the same windows: keep them (up to a size cap) rather
            # than copying them out of the input again in backward.
            cols = _im2col(a, geo)
            if cols[0].nbytes <= _KEEP_COLS_BYTES:
                ctx.cols = cols
            out = _conv_cols(cols, b, geo)
        else:
            out = _KERNELS[cls.kind](a, b, geo)
        if bias is not None:
            out += bias.reshape((-1,) + (1,) * (out.ndim - 2))
        return out

    @staticmethod
    def backward(ctx, h):
        b, a = ctx.saved_tensors
        kind, geo = ctx._forward_cls.kind, ctx.geo
        raw = _raw(ctx)
        first, second = _ADJOINTS[kind]
        ga = _bilinear(raw, first[0], *_order(first[1], h, b), geo) \
            if ctx.needs_input_grad[0] else None
        cols, ctx.cols = ctx.cols, None                   # freed once backward has used them
        if not ctx.needs_input_grad[1]:
            gb = None
        elif raw and cols is not None:
            gb = _conv_weight_grad_raw(a, h, geo, cols)
        else:
            gb = _bilinear(raw, second[0], *_order(second[1], h, a), geo)
        gbias = _sum(ctx.xp, h, (0,) + tuple(range(2, h.ndim))) \
            if ctx.needs_input_grad[2] else None
        return ga, gb, gbias, None


_KEEP_COLS_BYTES = 32 << 20
"""Largest im2col a convolution keeps from forward for its weight gradient (bytes); above it,
backward recomputes the windows from the saved input."""


def _order(swap, h, other):
    return (other, h) if swap else (h, other)


# For each map, (kind, swap) of the derivative in its first and second argument, where the
# cotangent ``h`` goes first unless ``swap``:
#   F(x, w): dx = T(h, w),  dw = W(x, h)
#   T(g, w): dg = F(h, w),  dw = W(h, g)
#   W(x, g): dx = T(g, h),  dg = F(x, h)
_ADJOINTS = {"F": (("T", False), ("W", True)),
             "T": (("F", False), ("W", False)),
             "W": (("T", True), ("F", True))}


# (Function reads node_name from each class body, so every subclass repeats it.)
class ConvForward(_Conv):
    node_name = "ConvolutionBackward0"
    kind = "F"


class ConvInputGrad(_Conv):
    node_name = "ConvolutionBackward0"
    kind = "T"


class ConvWeightGrad(_Conv):
    node_name = "ConvolutionBackward0"
    kind = "W"


_KERNELS = {"F": _conv_raw, "T": _conv_input_grad_raw, "W": _conv_weight_grad_raw}
_CONV_OPS = {"F": ConvForward, "T": ConvInputGrad, "W": ConvWeightGrad}


def _bilinear(raw, kind, a, b, geo):
    if raw:
        return _KERNELS[kind](a, b, geo)
    return _CONV_OPS[kind].apply(a, b, None, geo)


def _same_padding(kernel, dilation):
    pads = []
    for k, d in zip(kernel, dilation):
        total = d * (k - 1)
        if total % 2:
            return None
        pads.append(total // 2)
    return tuple(pads)


def _conv_checks(x, w, groups, padded, kernel, name="conv2d"):
    if x.ndim not in (3, 4):
        raise RuntimeError(f"Expected 3D (unbatched) or 4D (batched) input to {name}, but got "
                           f"input of size: [{', '.join(map(str, x.shape))}]")
    c = x.shape[-3]
    if c != w.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size [{', '.join(map(str, w.shape))}"
                           f"], expected input[{', '.join(map(str, x.shape))}] to have "
                           f"{w.shape[1] * groups} channels, but got {c} channels instead")
    if any(p < k for p, k in zip(padded, kernel)):
        raise RuntimeError(f"Calculated padded input size per channel: "
                           f"({' x '.join(map(str, padded))}). Kernel size: "
                           f"({' x '.join(map(str, kernel))}). Kernel size can't be greater than "
                           "actual input size")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-d cross-correlation of an (N, C, H, W) or (C, H, W) input with (O, C/groups, kh, kw)
    filters. ``padding`` may be an int, a pair, ``'valid'`` or ``'same'``."""
    from .shape import squeeze, unsqueeze
    stride, dilation = _tuple(stride, 2), _tuple(dilation, 2)
    kernel = weight.shape[2:]
    extra = None
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0, 0)
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
            padding = _same_padding(kernel, dilation)
            if padding is None:  # asymmetric: pad the input once, then no padding
                total = [d * (k - 1) for k, d in zip(kernel, dilation)]
                extra = (total[1] // 2, total[1] - total[1] // 2,
                         total[0] // 2, total[0] - total[0] // 2)
                padding = (0, 0)
        else:
            raise ValueError(f"Invalid padding string '{padding}', should be one of "
                             "['valid', 'same']")
    padding = _tuple(padding, 2)
    x = input._data
    unbatched = x.ndim == 3
    h, w_ = x.shape[-2:]
    if extra is not None:
        h += extra[2] + extra[3]
        w_ += extra[0] + extra[1]
    padded = (h + 2 * padding[0], w_ + 2 * padding[1])
    eff = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    _conv_checks(x, weight._data, groups, padded, eff)
    if input._data.dtype != weight._data.dtype:
        raise RuntimeError(f"Input type ({_legacy(input)}) and weight type ({_legacy(weight)}) "
                           "should be the same")
    if unbatched:
        input = unsqueeze(input, 0)
    if extra is not None:
        input = constant_pad(input, extra, 0.0)
    geo = _ConvGeometry(input.shape, weight.shape, stride, padding, dilation, groups)
    out = ConvForward.apply(input, weight, bias, geo)
    return squeeze(out, 0) if unbatched else out


def _legacy(t):
    from .._tensor_str import legacy_type_name
    return legacy_type_name(t._data.dtype)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-d cross-correlation of an (N, C, L) or (C, L) input, computed as a 2-d one."""
    from .shape import squeeze, unsqueeze
    if isinstance(padding, (tuple, list)):
        padding = padding[0]
    pad2 = padding if isinstance(padding, str) else (0, padding)
    out = conv2d(unsqueeze(input, -2), unsqueeze(weight, -2), bias, (1, _tuple(stride, 1)[0]),
                 pad2, (1, _tuple(dilation, 1)[0]), groups)
    return squeeze(out, -2)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Transposed 2-d convolution (the adjoint of :func:`conv2d` in its input); ``weight`` is
    (C_in, C_out/groups, kh, kw)."""
    from .shape import squeeze, unsqueeze
    stride, padding = _tuple(stride, 2), _tuple(padding, 2)
    dilation, output_padding = _tuple(dilation, 2), _tuple(output_padding, 2)
    unbatched = input.ndim == 3
    if unbatched:
        input = unsqueeze(input, 0)
    n, c, h, w = input.shape
    cin, cout_g, kh, kw = weight.shape
    if c != cin:
        raise RuntimeError(f"Given transposed=1, weight of size [{', '.join(map(str, weight.shape))}"
                           f"], expected input[{', '.join(map(str, input.shape))}] to have {cin} "
                           f"channels, but got {c} channels instead")
    ho = (h - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + output_padding[0] + 1
    wo = (w - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + output_padding[1] + 1
    # the transposed convolution's weight, read as a forward convolution's: (O=C_in, C/g, kh, kw)
    geo = _ConvGeometry((n, cout_g * groups, ho, wo), weight.shape, stride, padding, dilation,
                        groups)
    out = ConvInputGrad.apply(input, weight, bias, geo)
    return squeeze(out, 0) if unbatched else out


# ============================================================================ pooling
class _WindowGather(Op):
    """``out = x.reshape(M, K)[m, index[m, p]]`` (a pick per output); the backward scatters
    into the input shape, and the scatter's backward picks again."""
    node_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def kernel(x, index, out_shape):
        flat = x.reshape(index.shape[0], -1)
        return np.take_along_axis(flat, index, 1).reshape(out_shape)

    @staticmethod
    def forward(ctx, x, index, out_shape):
        ctx.index, ctx.x_shape = index, x.shape
        return _WindowGather.kernel(x, index, out_shape)

    @staticmethod
    def backward(ctx, g):
        return _pair(ctx, _WindowScatter, g, ctx.index, ctx.x_shape), None, None


class _WindowScatter(Op):
    node_name = "MaxPool2DWithIndicesBackwardBackward0"

    @staticmethod
    def kernel(g, index, x_shape):
        """Add each ``g[m, p]`` at ``index[m, p]`` of row ``m`` of a zero (M, K) array."""
        m = index.shape[0]
        k = int(np.prod(x_shape)) // m
        flat = (index + (np.arange(m) * k)[:, None]).ravel()
        out = np.bincount(flat, weights=g.ravel(), minlength=m * k)
        return out.astype(g.dtype, copy=False).reshape(x_shape)

    @staticmethod
    def forward(ctx, g, index, x_shape):
        ctx.index, ctx.g_shape = index, g.shape
        return _WindowScatter.kernel(g, index, x_shape)

    @staticmethod
    def backward(ctx, h):
        return _pair(ctx, _WindowGather, h, ctx.index, ctx.g_shape), None, None


def _pool_out(size, k, s, p, d, ceil_mode):
    num = size + 2 * p - d * (k - 1) - 1
    out = (-(-num // s) if ceil_mode else num // s) + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _pool_args(kernel_size, stride, padding, dilation):
    k = _tuple(kernel_size, 2)
    s = _tuple(stride, 2) if stride not in (None, [], ()) else k
    return k, s, _tuple(padding, 2), _tuple(dilation, 2)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Max over (kh, kw) windows of an (N, C, H, W) or (C, H, W) input; windows that tile the
    input exactly take a fast path without window copies."""
    from .shape import squeeze, unsqueeze
    k, s, p, d = _pool_args(kernel_size, stride, padding, dilation)
    if input.ndim not in (3, 4) or input._data.size == 0:
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    if any(pi > ki // 2 for pi, ki in zip(p, k)):
        raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                           f"pad={p[0]}, kernel_size={k[0]} and dilation={d[0]}")
    unbatched = input.ndim == 3
    if unbatched:
        input = unsqueeze(input, 0)
    x = input._data
    n, c, h, w = x.shape
    ho, wo = (_pool_out(h, k[0], s[0], p[0], d[0], ceil_mode),
              _pool_out(w, k[1], s[1], p[1], d[1], ceil_mode))
    if ho <= 0 or wo <= 0:
        raise RuntimeError(f"Given input size: ({c}x{h}x{w}). Calculated output size: "
                           f"({c}x{ho}x{wo}). Output size is too small")
    if k == s and p == (0, 0) and d == (1, 1) and not ceil_mode and not return_indices:
        out = MaxPoolTiled.apply(input, k)
    else:
        index, flat_index = _max_pool_index(x, k, s, p, d, ho, wo)
        out = _WindowGather.apply(input, index, (n, c, ho, wo))
        if return_indices:
            idx = Tensor._make(flat_index)
            return (squeeze(out, 0), squeeze(idx, 0)) if unbatched else (out, idx)
    return squeeze(out, 0) if unbatched else out


def _max_pool_index(x, k, s, p, d, ho, wo):
    """For each output, the flat (h * W + w) index of its window's first maximum."""
    n, c, h, w = x.shape
    # pad with -inf so that padding never wins; extra rows/cols for ceil_mode
    need_h = (ho - 1) * s[0] + d[0] * (k[0] - 1) + 1
    need_w = (wo - 1) * s[1] + d[1] * (k[1] - 1) + 1
    bottom, right = max(need_h - h - p[0], 0), max(need_w - w - p[1], 0)
    xp_ = np.pad(x, ((0, 0), (0, 0), (p[0], bottom), (p[1], right)), constant_values=-np.inf) \
        if p != (0, 0) or bottom or right else x
    win = sliding_window_view(xp_, ((k[0] - 1) * d[0] + 1, (k[1] - 1) * d[1] + 1), axis=(2, 3))
    win = win[:, :, ::s[0], ::s[1], ::d[0], ::d[1]][:, :, :ho, :wo]
    arg = win.reshape(n, c, ho, wo, -1).argmax(-1)
    ki, kj = np.divmod(arg, k[1])
    rows = np.arange(ho)[:, None] * s[0] + ki * d[0] - p[0]
    cols = np.arange(wo)[None, :] * s[1] + kj * d[1] - p[1]
    flat_index = rows * w + cols
    return flat_index.reshape(n * c, ho * wo), flat_index.astype(np.int64)


class MaxPoolTiled(Op):
    """Max pooling whose windows tile the input (kernel == stride, no padding or dilation):
    an elementwise maximum of the kh * kw strided sub-grids, no window copy. Backward routes
    each gradient to the first maximum of its window, as PyTorch does."""
    node_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, k):
        out = None
        for view in _tiles(x, k):
            out = view.copy() if out is None else ctx.xp.maximum(out, view, out=out)
        ctx.k = k
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, g):
        x, out = ctx.saved_tensors
        if not _raw(ctx):
            n, c, ho, wo = out.shape
            index, _ = _max_pool_index(x._data, ctx.k, ctx.k, (0, 0), (1, 1), ho, wo)
            return _WindowScatter.apply(g, index, tuple(x.shape)), None
        gx = ctx.xp.zeros(x.shape, g.dtype)
        taken = None
        for view, target in zip(_tiles(x, ctx.k), _tiles(gx, ctx.k)):
            hit = view == out
            if taken is None:
                taken = hit
            else:
                hit &= ~taken
                taken |= hit
            ctx.xp.multiply(g, hit, out=target)
        return gx, None


def _tiles(x, k):
    """The kh * kw strided sub-grids of ``x`` whose elementwise max is the tiled pooling."""
    kh, kw = k
    ho, wo = x.shape[2] // kh, x.shape[3] // kw
    return [x[:, :, i:ho * kh:kh, j:wo * kw:kw] for i in range(kh) for j in range(kw)]


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Max over windows of an (N, C, L) or (C, L) input."""
    from .shape import squeeze, unsqueeze
    if input.ndim not in (2, 3):
        raise RuntimeError(f"max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim "
                           f"batch size for input, but got:{list(input._data.shape)}")
    one = lambda v: (1, _tuple(v, 1)[0])  # noqa: E731
    res = max_pool2d(unsqueeze(input, -2), one(kernel_size),
                     one(stride) if stride is not None else None, (0, _tuple(padding, 1)[0]),
                     one(dilation), ceil_mode, return_indices)
    if return_indices:
        return squeeze(res[0], -2), squeeze(res[1], -2)
    return squeeze(res, -2)


class AvgPool(Op):
    """Average over windows: a strided-window mean forward, a strided scatter backward (and the
    window mean again for its derivative)."""
    node_name = "AvgPool2DBackward0"

    @staticmethod
    def kernel(x, geo, divisor):
        win = _padded_windows(x, geo.w_shape, geo.stride, geo.padding, geo.dilation)
        return win.sum(axis=(4, 5)) / divisor

    @staticmethod
    def forward(ctx, x, geo, divisor):
        ctx.geo, ctx.divisor = geo, divisor
        return AvgPool.kernel(x, geo, divisor)

    @staticmethod
    def backward(ctx, g):
        return _pair(ctx, AvgPoolAdjoint, g, ctx.geo, ctx.divisor), None, None


class AvgPoolAdjoint(Op):
    node_name = "AvgPool2DBackwardBackward0"

    @staticmethod
    def kernel(g, geo, divisor):
        """Each output's gradient, divided by its window's divisor, added over the window."""
        n, c, ho, wo = g.shape
        cols = np.broadcast_to((g / divisor)[:, :, None, None],
                               (n, c) + tuple(geo.w_shape) + (ho, wo))
        return _scatter_windows(cols, geo.x_shape, geo.w_shape, geo.stride, geo.padding,
                                geo.dilation)

    @staticmethod
    def forward(ctx, g, geo, divisor):
        ctx.geo, ctx.divisor = geo, divisor
        return AvgPoolAdjoint.kernel(g, geo, divisor)

    @staticmethod
    def backward(ctx, h):
        return _pair(ctx, AvgPool, h, ctx.geo, ctx.divisor), None, None


def _avg_divisor(h, w, ho, wo, k, s, p, count_include_pad, divisor_override, dtype):
    if divisor_override:
        return divisor_override
    if count_include_pad and not any(
            (o - 1) * st + kk > size + 2 * pp for o, st, kk, size, pp in
            ((ho, s[0], k[0], h, p[0]), (wo, s[1], k[1], w, p[1]))):
        return k[0] * k[1]
    # per-window count of the cells inside the (padded, if counted) input
    def counts(o, st, kk, size, pp):
        start = np.arange(o) * st - pp
        end = np.minimum(start + kk, size + pp)
        lo = np.maximum(start, 0) if not count_include_pad else start
        hi = np.minimum(end, size) if not count_include_pad else end
        return hi - lo
    return (counts(ho, s[0], k[0], h, p[0])[:, None] *
            counts(wo, s[1], k[1], w, p[1])[None, :]).astype(dtype)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """Mean over (kh, kw) windows of an (N, C, H, W) or (C, H, W) input."""
    from .shape import squeeze, unsqueeze
    k, s, p, _ = _pool_args(kernel_size, stride, padding, 1)
    if any(pi > ki // 2 for pi, ki in zip(p, k)):
        raise RuntimeError("pad should be smaller than or equal to half of kernel size, but got "
                           f"padW = {p[1]}, padH = {p[0]}, kW = {k[1]}, kH = {k[0]}")
    unbatched = input.ndim == 3
    if unbatched:
        input = unsqueeze(input, 0)
    n, c, h, w = input.shape
    ho, wo = _pool_out(h, k[0], s[0], p[0], 1, ceil_mode), _pool_out(w, k[1], s[1], p[1], 1,
                                                                    ceil_mode)
    # extra zero rows/cols on the far side for ceil_mode windows that run past the padding
    need_h, need_w = (ho - 1) * s[0] + k[0], (wo - 1) * s[1] + k[1]
    if need_h > h + 2 * p[0] or need_w > w + 2 * p[1]:
        input = constant_pad(input, (0, max(need_w - w - 2 * p[1], 0), 0,
                                     max(need_h - h - 2 * p[0], 0)), 0.0)
    geo = _ConvGeometry(input.shape, k, s, p, (1, 1), 1)
    divisor = _avg_divisor(h, w, ho, wo, k, s, p, count_include_pad, divisor_override,
                           input._data.dtype)
    out = AvgPool.apply(input, geo, divisor)
    return squeeze(out, 0) if unbatched else out


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """Mean over windows of an (N, C, L) or (C, L) input."""
    from .shape import squeeze, unsqueeze
    one = lambda v: (1, _tuple(v, 1)[0])  # noqa: E731
    out = avg_pool2d(unsqueeze(input, -2), one(kernel_size),
                     one(stride) if stride is not None else None, (0, _tuple(padding, 1)[0]),
                     ceil_mode, count_include_pad)
    return squeeze(out, -2)


class AdaptiveAvgPool(Op):
    """Adaptive average pooling: output cell ``i`` averages input rows
    ``floor(i*H/Ho) : ceil((i+1)*H/Ho)`` (and likewise for columns). Written as two small
    averaging matrices, so forward and backward are matrix products."""
    node_name = "AdaptiveAvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, ah, aw):
        ctx.ah, ctx.aw = ah, aw
        return ctx.xp.matmul(ctx.xp.matmul(ah, x), aw.T)

    @staticmethod
    def backward(ctx, g):
        xp = ctx.xp
        return xp.matmul(xp.matmul(_const(ctx, ctx.ah.T), g), _const(ctx, ctx.aw)), None, None


def _adaptive_matrix(size, out, dtype):
    m = np.zeros((out, size), dtype)
    for i in range(out):
        lo, hi = (i * size) // out, -(-((i + 1) * size) // out)
        m[i, lo:hi] = 1.0 / (hi - lo)
    return m


def adaptive_avg_pool2d(input, output_size):
    """Average pooling to a fixed ``output_size`` (an int, a pair; None keeps a size)."""
    from .reduction import mean
    if input.ndim not in (3, 4):
        raise RuntimeError(f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got "
                           f"{list(input._data.shape)}")
    size = _tuple(output_size, 2)
    h, w = input.shape[-2:]
    size = (h if size[0] is None else size[0], w if size[1] is None else size[1])
    if size == (1, 1):
        return mean(input, (-2, -1), keepdim=True)
    dt = input._data.dtype
    return AdaptiveAvgPool.apply(input, _adaptive_matrix(h, size[0], dt),
                                 _adaptive_matrix(w, size[1], dt))


def adaptive_avg_pool1d(input, output_size):
    """Average pooling of an (N, C, L) input to ``output_size`` cells."""
    from .shape import squeeze, unsqueeze
    return squeeze(adaptive_avg_pool2d(unsqueeze(input, -2), (1, _tuple(output_size, 1)[0])),
                   -2)


# ============================================================================ normalisation
class _Norm(Op):
    """``(x - mean) / sqrt(var + eps) * weight + bias`` with biased statistics over some axes.

    Subclasses say how ``x`` is viewed for the statistics (``stat_view``) and how weight and
    bias broadcast (``affine_shape``). The batch statistics are kept on the node (they are
    not graph values); under ``create_graph`` backward recomputes them differentiably.
    """
    _n_inputs = 3

    @classmethod
    def forward(cls, ctx, x, w, b, eps, *extra):
        xp = ctx.xp
        xs, axes = cls.stat_view(x, *extra, xp=xp)
        mean = xs.mean(axis=axes, keepdims=True)
        out = xs - mean
        invstd = 1 / xp.sqrt(xp.mean(out * out, axis=axes, keepdims=True) + eps)
        out *= invstd
        out = out.reshape(x.shape)
        ctx.mean, ctx.invstd, ctx.eps, ctx.extra = mean, invstd, eps, extra
        ctx.save_for_backward(x, w)
        shape = cls.affine_shape(x, *extra)
        if w is not None:
            out *= w.reshape(shape)
        if b is not None:
            out += b.reshape(shape)
        return out

    @staticmethod
    def backward(ctx, g):
        cls = ctx._forward_cls
        x, w = ctx.saved_tensors
        xp, extra = ctx.xp, ctx.extra
        shape = cls.affine_shape(x, *extra)
        xs, axes = cls.stat_view(x, *extra, xp=xp)
        if _raw(ctx):
            mean, invstd = ctx.mean, ctx.invstd
        else:
            mean = xp.mean(xs, axis=axes, keepdims=True)
            xc = xs - mean
            invstd = 1 / xp.sqrt(xp.mean(xc * xc, axis=axes, keepdims=True) + ctx.eps)
        xhat = (xs - mean) * invstd
        param_axes = tuple(i for i, n in enumerate(shape) if n == 1)
        gx = gw = gb = None
        if ctx.needs_input_grad[0]:
            gxhat = g if w is None else g * xp.reshape(w, shape)
            gxhat, _ = cls.stat_view(gxhat, *extra, xp=xp)
            gx = invstd * (gxhat - xp.mean(gxhat, axis=axes, keepdims=True) -
                           xhat * xp.mean(gxhat * xhat, axis=axes, keepdims=True))
            gx = xp.reshape(gx, x.shape)
        if ctx.needs_input_grad[1]:
            gw = xp.reshape(xp.sum(g * xp.reshape(xhat, x.shape), axis=param_axes,
                                   keepdims=True), w.shape)
        if ctx.needs_input_grad[2]:
            gb = xp.reshape(xp.sum(g, axis=param_axes, keepdims=True), w.shape if w is not None
                            else (-1,))
        return (gx, gw, gb, None) + (None,) * len(extra)


class NativeBatchNorm(_Norm):
    """Statistics per channel (dim 1) over the batch and spatial dimensions."""
    node_name = "NativeBatchNormBackward0"

    @staticmethod
    def stat_view(x, xp=np):
        return x, (0,) + tuple(range(2, x.ndim))

    @staticmethod
    def affine_shape(x):
        return (1, x.shape[1]) + (1,) * (x.ndim - 2)


class NativeLayerNorm(_Norm):
    """Statistics over the trailing ``k`` dimensions; weight and bias have their shape."""
    node_name = "NativeLayerNormBackward0"

    @staticmethod
    def stat_view(x, k, xp=np):
        return x, tuple(range(x.ndim - k, x.ndim))

    @staticmethod
    def affine_shape(x, k):
        return (1,) * (x.ndim - k) + tuple(x.shape[x.ndim - k:])


class NativeGroupNorm(_Norm):
    """Statistics over groups of channels (and all spatial positions) per sample."""
    node_name = "NativeGroupNormBackward0"

    @staticmethod
    def stat_view(x, groups, xp=np):
        return xp.reshape(x, (x.shape[0], groups, -1)), (2,)

    @staticmethod
    def affine_shape(x, groups):
        return (1, x.shape[1]) + (1,) * (x.ndim - 2)


class BatchNormEval(Op):
    """Batch normalisation with fixed (running) statistics: ``x * scale + shift``."""
    node_name = "NativeBatchNormBackward0"
    _n_inputs = 3

    @staticmethod
    def forward(ctx, x, w, b, mean, invstd, eps):
        shape = (1, -1) + (1,) * (x.ndim - 2)
        mean, invstd = mean.reshape(shape), invstd.reshape(shape)
        scale = invstd if w is None else invstd * w.reshape(shape)
        ctx.save_for_backward(x if ctx.needs_input_grad[1] else None, w)
        ctx.scale, ctx.mean, ctx.invstd = scale, mean, invstd
        out = x * scale
        out -= mean * scale
        if b is not None:
            out += b.reshape(shape)
        return out

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        xp = ctx.xp
        axes = (0,) + tuple(range(2, g.ndim))
        gx = None
        if ctx.needs_input_grad[0]:
            if _raw(ctx) or w is None:
                gx = g * _const(ctx, ctx.scale)
            else:  # keep the dependence on the weight for double backward
                gx = g * (xp.reshape(w, ctx.invstd.shape) * _const(ctx, ctx.invstd))
        gw = xp.sum(g * ((x - _const(ctx, ctx.mean)) * _const(ctx, ctx.invstd)), axis=axes) \
            if ctx.needs_input_grad[1] else None
        gb = xp.sum(g, axis=axes) if ctx.needs_input_grad[2] else None
        return gx, gw, gb, None, None, None


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-05):
    """Normalise each channel (dim 1) of ``input``: in training mode with the batch's
    statistics (and ``running_mean`` / ``running_var`` updated in place with ``momentum``),
    otherwise with the running statistics."""
    x = input._data
    channels = x.shape[1] if x.ndim > 1 else 1
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None and t._data.size != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t._data.size}")
    if training:
        count = x.size // x.shape[1]
        if count <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input "
                             f"size {input.shape}")
        if running_mean is not None or running_var is not None:
            axes = (0,) + tuple(range(2, x.ndim))
            mean = x.mean(axis=axes)
            var = x.var(axis=axes) * (count / (count - 1))
            for buf, stat in ((running_mean, mean), (running_var, var)):
                if buf is not None:
                    buf._data *= 1 - momentum
                    buf._data += (momentum * stat).astype(buf._data.dtype)
                    buf._version_counter[0] += 1
        return NativeBatchNorm.apply(input, weight, bias, eps)
    invstd = 1 / np.sqrt(running_var._data + eps)
    return BatchNormEval.apply(input, weight, bias, running_mean._data.astype(x.dtype),
                               invstd.astype(x.dtype), eps)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    """Normalise over the last ``len(normalized_shape)`` dimensions, then scale and shift."""
    normalized_shape = tuple(_tuple(normalized_shape, 1))
    k = len(normalized_shape)
    if tuple(input.shape[input.ndim - k:]) != normalized_shape:
        raise RuntimeError(f"Given normalized_shape={list(normalized_shape)}, expected input with "
                           f"shape [*, {', '.join(map(str, normalized_shape))}], but got input of "
                           f"size[{', '.join(map(str, input.shape))}]")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t._data.shape) != normalized_shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got "
                               f"{name} of shape {list(t._data.shape)} and normalized_shape = "
                               f"{list(normalized_shape)}")
    return NativeLayerNorm.apply(input, weight, bias, eps, k)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05):
    """Normalise groups of channels of an (N, C, *) input, then scale and shift per channel."""
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{input.ndim}")
    c = input.shape[1]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, "
                           f"but got input of shape {list(input._data.shape)} and "
                           f"num_groups={num_groups}")
    return NativeGroupNorm.apply(input, weight, bias, eps, num_groups)


# ============================================================================ embedding
class Embedding(Op):
    """Row lookup ``weight[indices]``; the backward adds rows (skipping ``padding_idx``), each
    gradient scaled by ``scale`` (per index position) when given (``scale_grad_by_freq``)."""
    node_name = "EmbeddingBackward0"

    @staticmethod
    def kernel(w, indices, padding_idx, scale=None):
        return w[indices]

    @staticmethod
    def forward(ctx, w, indices, padding_idx, scale):
        ctx.indices, ctx.padding_idx, ctx.num, ctx.scale = indices, padding_idx, w.shape[0], scale
        return Embedding.kernel(w, indices, padding_idx)

    @staticmethod
    def backward(ctx, g):
        return (_pair(ctx, EmbeddingGrad, g, ctx.indices, ctx.num, ctx.padding_idx, ctx.scale),
                None, None, None)


class EmbeddingGrad(Op):
    node_name = "EmbeddingDenseBackwardBackward0"

    @staticmethod
    def kernel(g, indices, num, padding_idx, scale=None):
        """The rows of ``g`` (times ``scale`` per index position, if given) added at their
        indices into a zero (num, d) array; the ``padding_idx`` row stays zero."""
        d = g.shape[-1]
        flat = indices.reshape(-1)
        if scale is not None:
            g = g * scale[..., None]
        gw = np.zeros((num, d), g.dtype)
        np.add.at(gw, flat, g.reshape(-1, d))
        if padding_idx is not None:
            gw[padding_idx] = 0
        return gw

    @staticmethod
    def forward(ctx, g, indices, num, padding_idx, scale):
        ctx.indices, ctx.padding_idx = indices, padding_idx
        return EmbeddingGrad.kernel(g, indices, num, padding_idx, scale)

    @staticmethod
    def backward(ctx, h):
        # (without the frequency scale, as PyTorch's double backward of embedding)
        gg = _pair(ctx, Embedding, h, ctx.indices, None, None)
        if ctx.padding_idx is not None:
            gg = gg * _const(ctx, np.expand_dims(ctx.indices != ctx.padding_idx, -1))
        return gg, None, None, None, None


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """Rows of ``weight`` at the integer ``input`` indices."""
    idx = input._data if isinstance(input, Tensor) else np.asarray(input)
    if idx.dtype.kind not in "iu":
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following "
                           "scalar types: Long, Int; but got "
                           f"{_legacy(input)} instead (while checking arguments for embedding)")
    num = weight.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= num):
        raise IndexError("index out of range in self")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += num
    if max_norm is not None:
        rows = np.unique(idx)
        norms = np.linalg.norm(weight._data[rows], ord=norm_type, axis=1, keepdims=True)
        scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
        weight._data[rows] *= scale.astype(weight._data.dtype)
    scale = None
    if scale_grad_by_freq:  # each row's gradient divided by how often the batch looks it up
        freq = np.bincount(idx.reshape(-1), minlength=num)[idx]
        scale = (1.0 / freq).astype(weight._data.dtype)
    return Embedding.apply(weight, idx, padding_idx, scale)


# ============================================================================ padding
class ConstantPad(Op):
    """Pad with a constant (negative widths crop); the backward pads the gradient by the
    negated widths, i.e. crops what was added and zero-fills what was cropped."""
    node_name = "ConstantPadNdBackward0"

    @staticmethod
    def kernel(x, widths, value):
        """``np.pad`` with constant ``value`` where negative widths crop instead."""
        if all(lo >= 0 and hi >= 0 for lo, hi in widths):
            return np.pad(x, widths, constant_values=value)
        out = np.pad(x, [(max(lo, 0), max(hi, 0)) for lo, hi in widths], constant_values=value)
        crop = tuple(slice(-min(lo, 0), out.shape[i] + min(hi, 0))
                     for i, (lo, hi) in enumerate(widths))
        return np.ascontiguousarray(out[crop])

    @staticmethod
    def forward(ctx, x, widths, value):
        ctx.widths = widths
        return ConstantPad.kernel(x, widths, value)

    @staticmethod
    def backward(ctx, g):
        inverse = tuple((-lo, -hi) for lo, hi in ctx.widths)
        return _pair(ctx, ConstantPad, g, inverse, 0.0), None, None


def _pad_widths(ndim, pad):
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input "
                           "dimension but got padding length "
                           f"{len(pad)} and input of dimension {ndim}")
    widths = [(0, 0)] * ndim
    for i in range(len(pad) // 2):
        widths[ndim - 1 - i] = (int(pad[2 * i]), int(pad[2 * i + 1]))
    return tuple(widths)


def constant_pad(input, pad, value=0.0):
    """``F.pad`` in mode 'constant': ``pad`` lists (left, right) widths from the last dimension
    backwards; negative widths crop."""
    return ConstantPad.apply(input, _pad_widths(input.ndim, pad), value)


class IndexPad(Op):
    """Reflect / replicate / circular padding as a gather along each padded axis; the backward
    is the matching scatter-add."""
    node_name = "ReflectionPad2DBackward0"

    @staticmethod
    def kernel(x, axes_index):
        for axis, index in axes_index:
            x = np.take(x, index, axis=axis)
        return x

    @staticmethod
    def forward(ctx, x, axes_index):
        ctx.axes_index, ctx.shape = axes_index, x.shape
        return IndexPad.kernel(x, axes_index)

    @staticmethod
    def backward(ctx, g):
        return _pair(ctx, IndexPadAdjoint, g, ctx.axes_index, ctx.shape), None


class IndexPadAdjoint(Op):
    node_name = "ReflectionPad2DBackwardBackward0"

    @staticmethod
    def kernel(g, axes_index, shape):
        """Add each padded position's gradient back at the input position it copies."""
        for axis, index in reversed(axes_index):
            moved = np.moveaxis(g, axis, 0)
            acc = np.zeros((shape[axis],) + moved.shape[1:], g.dtype)
            np.add.at(acc, index, moved)
            g = np.moveaxis(acc, 0, axis)
        return g

    @staticmethod
    def forward(ctx, g, axes_index, shape):
        ctx.axes_index = axes_index
        return IndexPadAdjoint.kernel(g, axes_index, shape)

    @staticmethod
    def backward(ctx, h):
        return _pair(ctx, IndexPad, h, ctx.axes_index), None, None


_PAD_NAMES = {"reflect": "ReflectionPad{}DBackward0", "replicate": "ReplicationPad{}DBackward0",
              "circular": "CircularPad{}DBackward0"}
_PAD_CLASSES = {}


def index_pad(input, pad, mode):
    """``F.pad`` in mode 'reflect', 'replicate' or 'circular': each padded axis is a gather of
    the input positions its padding copies."""
    widths = _pad_widths(input.ndim, pad)
    axes_index = []
    for axis, (lo, hi) in enumerate(widths):
        if lo == 0 and hi == 0:
            continue
        n = input.shape[axis]
        pos = np.arange(-lo, n + hi)
        if mode == "reflect":
            if lo >= n or hi >= n:
                raise RuntimeError(f"Argument #4: Padding size should be less than the "
                                   f"corresponding input dimension, but got: padding ({lo}, "
                                   f"{hi}) at dimension {axis} of input {list(input.shape)}")
            period = 2 * (n - 1) if n > 1 else 1
            pos = np.abs(pos) % period
            pos = np.where(pos >= n, period - pos, pos)
        elif mode == "replicate":
            pos = np.clip(pos, 0, n - 1)
        else:
            pos = pos % n
        axes_index.append((axis, pos))
    k = len(pad) // 2
    name = _PAD_NAMES[mode].format(k)
    cls = _PAD_CLASSES.get(name)
    if cls is None:
        cls = _PAD_CLASSES[name] = type(name[:-9], (IndexPad,), {"node_name": name})
    return cls.apply(input, tuple(axes_index))


# ============================================================================ other public ops
def _dropout_is_identity(p, train):
    """PyTorch's check of a dropout probability; True where dropout changes nothing (not
    training, or ``p == 0``)."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    return not train or p == 0.0


def dropout(input, p=0.5, train=True, inplace=False):
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``."""
    from .._random import rng_of
    if _dropout_is_identity(p, train):
        return input
    x = input._data
    if x.dtype.kind not in "fc":
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{SCALAR_TYPE_NAMES[x.dtype.name]}")
    if p == 1.0:
        mask = np.zeros(x.shape, x.dtype)
    else:
        mask = (rng_of(None).random(x.shape, dtype=np.float32) >= p).astype(x.dtype)
        mask *= 1.0 / (1.0 - p)
    if inplace:
        from ._common import apply_inplace
        return apply_inplace(lambda t: t * Tensor._make(mask), input)
    return input * Tensor._make(mask)


def prelu(input, weight):
    """``max(0, x) + weight * min(0, x)``, one weight per channel (dim 1) or shared."""
    if weight._data.size != 1 and (input.ndim < 2 or input.shape[1] != weight._data.size):
        raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter "
                           f"numbers = {weight._data.size} and channel size = "
                           f"{input.shape[1] if input.ndim >= 2 else 1}.")
    return Prelu.apply(input, weight)


def activation_op(op, inplace):
    """The op recording ``op``'s node, or PyTorch's in-place node for ``inplace``."""
    return INPLACE_NODES[op] if inplace else op


def selu(input, inplace=False):
    """Scaled ELU with the self-normalising constants."""
    return activation_op(Elu, inplace).apply(input, 1.6732632423543772848170429916717,
                                             1.0507009873554804934193349852946, 1.0)


def celu(input, alpha=1.0, inplace=False):
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``."""
    return activation_op(Celu, inplace).apply(input, alpha, 1.0, 1.0 / alpha)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomised leaky ReLU: a slope drawn uniformly in [lower, upper] per element in training,
    their mean otherwise."""
    slope = (lower + upper) / 2
    if training:
        from .._random import rng_of
        slope = rng_of(None).uniform(lower, upper, input.shape).astype(input._data.dtype)
    return activation_op(RreluWithNoise, inplace).apply(input, slope)


def hardshrink(input, lambd=0.5):
    """``x`` where ``|x| > lambd``, else 0."""
    return Hardshrink.apply(input, lambd)


def threshold(input, threshold, value, inplace=False):
    """``x`` where ``x > threshold``, else ``value``."""
    return Threshold.apply(input, threshold, value)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """``x1 . x2 / max(|x1| |x2|, eps)`` along ``dim``."""
    from ..nn.functional import cosine_similarity as f
    return f(x1, x2, dim, eps)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """``||x1 - x2 + eps||_p`` over the last dimension."""
    from ..nn.functional import pairwise_distance as f
    return f(x1, x2, p, eps, keepdim)
