"""``torch.nn.functional``: the stateless form of every layer, activation and loss.

The fused primitives live in :mod:`chainrule.ops.nn`; what PyTorch itself composes from
smaller ops (``l1_loss``, ``kl_div``, ``cosine_embedding_loss`` ...) is composed here too.
"""
import math
import warnings

import numpy as np

from .. import _creation, _dtype
from .._tensor import Tensor
from ..ops import elementwise as E
from ..ops import nn as N
from ..ops import reduction as R
from ..ops import shape as S
from ..ops._common import SCALAR_TYPE_NAMES, apply_inplace, wrap_dim
from ..ops.nn import (adaptive_avg_pool1d, adaptive_avg_pool2d, avg_pool1d, avg_pool2d,
                      batch_norm, conv1d, conv2d, conv_transpose2d, group_norm,
                      layer_norm, linear, max_pool1d, max_pool2d)

__all__ = [
    "linear", "bilinear", "relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "elu", "elu_",
    "selu", "celu", "gelu", "silu", "mish", "sigmoid", "tanh", "hardtanh", "hardtanh_",
    "softplus", "softsign", "hardswish", "hardsigmoid", "logsigmoid", "tanhshrink",
    "softshrink", "hardshrink", "threshold", "threshold_", "prelu", "rrelu", "softmax",
    "log_softmax", "softmin", "dropout", "dropout1d", "dropout2d", "alpha_dropout", "conv1d", "conv2d",
    "conv_transpose2d", "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d",
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "batch_norm", "layer_norm", "group_norm",
    "instance_norm", "embedding", "one_hot", "pad", "normalize", "cosine_similarity",
    "pairwise_distance", "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss",
    "cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "kl_div", "cosine_embedding_loss", "margin_ranking_loss", "hinge_embedding_loss",
    "soft_margin_loss", "poisson_nll_loss", "gaussian_nll_loss",
]


def _inplace(fn, input, inplace, *args):
    if inplace:
        return apply_inplace(lambda t: fn(t, *args), input)
    return fn(input, *args)


def _float_only(input, kernel):
    """PyTorch's refusal of integer and bool inputs by activations with float-only kernels."""
    if not (input.is_floating_point() or input.is_complex()):
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_type_name(input)}\'')


# ---------------------------------------------------------------------------- linear
def bilinear(input1, input2, weight, bias=None):
    """``y[..., o] = input1 @ weight[o] @ input2 + bias[o]``."""
    if input1.ndim != input2.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.ndim} and "
                           f"{input2.ndim}")
    for i in range(input1.ndim - 1):
        if input1.shape[i] != input2.shape[i]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: "
                               f"got {input1.shape[i]} and {input2.shape[i]}")
    for name, size, expected in (("input1", input1.shape[-1], weight.shape[1]),
                                 ("input2", input2.shape[-1], weight.shape[-1]),
                                 ("bias", None if bias is None else bias.shape[0],
                                  weight.shape[0])):
        if size is not None and size != expected:
            raise RuntimeError(f"bilinear(): {name} size does not match weight size: got {size} "
                               f"but expected {expected}")
    # (..., 1, 1, i) @ (o, i, j) -> (..., o, 1, j), then a dot with input2 over j
    left = S.unsqueeze(S.unsqueeze(input1, -2), -2)
    t = S.squeeze(left @ weight, -2)                     # (..., o, j)
    out = R.sum(t * S.unsqueeze(input2, -2), -1)         # (..., o)
    return out + bias if bias is not None else out


# ---------------------------------------------------------------------------- activations
def relu(input, inplace=False):
    """``max(x, 0)``."""
    return _inplace(E.relu, input, inplace)


def relu_(input):
    """In-place :func:`relu`."""
    return relu(input, inplace=True)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """``clamp(x, min_val, max_val)``."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if input.dtype == _dtype.bool:
        raise RuntimeError("Bool inputs not supported for hardtanh")
    if not input.is_floating_point():
        # integers stay integers, the bounds cast to the input's type as in PyTorch
        return _inplace(E.clamp, input, inplace, int(min_val), int(max_val))
    return _inplace(N.Hardtanh.apply, input, inplace, min_val, max_val)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    """In-place :func:`hardtanh`."""
    return hardtanh(input, min_val, max_val, True)


def relu6(input, inplace=False):
    """``min(max(x, 0), 6)``."""
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """``x`` for positive inputs, ``negative_slope * x`` otherwise."""
    _float_only(input, "leaky_relu_cpu")
    return _inplace(N.activation_op(N.LeakyRelu, inplace).apply, input, inplace, negative_slope)


def leaky_relu_(input, negative_slope=0.01):
    """In-place :func:`leaky_relu`."""
    return leaky_relu(input, negative_slope, True)


def elu(input, alpha=1.0, inplace=False):
    """``x`` for positive inputs, ``alpha * (exp(x) - 1)`` otherwise."""
    _float_only(input, "elu_cpu")
    return _inplace(N.activation_op(N.Elu, inplace).apply, input, inplace, alpha, 1.0, 1.0)


def elu_(input, alpha=1.0):
    """In-place :func:`elu`."""
    return elu(input, alpha, True)


def selu(input, inplace=False):
    """``scale * elu(x, alpha)`` with the self-normalising constants."""
    _float_only(input, "elu_cpu")
    return _inplace(N.selu, input, inplace, inplace)


def celu(input, alpha=1.0, inplace=False):
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``."""
    _float_only(input, "elu_cpu")
    return _inplace(N.celu, input, inplace, alpha, inplace)


def gelu(input, approximate="none"):
    """``x * Phi(x)``; ``approximate='tanh'`` uses the tanh approximation."""
    _float_only(input, "GeluKernelImpl")
    if approximate not in ("none", "tanh"):
        raise RuntimeError(f"approximate argument must be either none or tanh.")
    return N.Gelu.apply(input, approximate)


def silu(input, inplace=False):
    """``x * sigmoid(x)``."""
    _float_only(input, "silu_cpu")
    return _inplace(N.Silu.apply, input, inplace)


def mish(input, inplace=False):
    """``x * tanh(softplus(x))``."""
    _float_only(input, "mish_cpu")
    return _inplace(N.Mish.apply, input, inplace)


def sigmoid(input):
    """``1 / (1 + exp(-x))``."""
    return E.sigmoid(input)


def tanh(input):
    """Hyperbolic tangent."""
    return E.tanh(input)


def softplus(input, beta=1.0, threshold=20.0):
    """``log(1 + exp(beta * x)) / beta``, linear above ``threshold``."""
    _float_only(input, "softplus_cpu")
    return N.Softplus.apply(input, beta, threshold)


def softsign(input):
    """``x / (1 + |x|)``."""
    return input / (E.abs(input) + 1)


def hardswish(input, inplace=False):
    """``x * relu6(x + 3) / 6``."""
    _float_only(input, "hardswish_cpu")
    return _inplace(N.Hardswish.apply, input, inplace)


def hardsigmoid(input, inplace=False):
    """``relu6(x + 3) / 6``."""
    _float_only(input, "hardsigmoid_cpu")
    return _inplace(N.Hardsigmoid.apply, input, inplace)


def logsigmoid(input):
    """``log(sigmoid(x))``, computed stably."""
    _float_only(input, "log_sigmoid_cpu")
    return N.LogSigmoid.apply(input)


def tanhshrink(input):
    """``x - tanh(x)``."""
    return input - E.tanh(input)


def softshrink(input, lambd=0.5):
    """Shrink towards zero by ``lambd`` (zero inside ``[-lambd, lambd]``)."""
    _float_only(input, "softshrink_check")
    top = float(np.finfo(input._data.dtype).max)
    if not 0 <= lambd <= top:
        raise RuntimeError(f"lambda must be in range [0, {top:g}] for input dtype "
                           f"{_type_name(input)}, but found {lambd:g}")
    return N.Softshrink.apply(input, lambd)


def hardshrink(input, lambd=0.5):
    """``x`` where ``|x| > lambd``, else 0."""
    _float_only(input, "hardshrink_cpu")
    return N.Hardshrink.apply(input, lambd)


def threshold(input, threshold, value, inplace=False):
    """``x`` where ``x > threshold``, else ``value``."""
    return _inplace(N.activation_op(N.Threshold, inplace).apply, input, inplace, threshold,
                    value)


def threshold_(input, threshold, value):
    """In-place :func:`threshold`."""
    return apply_inplace(lambda t: N.activation_op(N.Threshold, True).apply(t, threshold, value),
                         input)


def prelu(input, weight):
    """``max(0, x) + weight * min(0, x)``, one learnable slope per channel (or shared)."""
    return N.prelu(input, weight)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomised leaky ReLU."""
    _float_only(input, "leaky_relu_cpu")
    return _inplace(N.rrelu, input, inplace, lower, upper, training, inplace)


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """``exp(x) / exp(x).sum(dim)``, computed stably."""
    return N.softmax(input, dim, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """``log(softmax(x))``, computed stably (the log-sum-exp trick)."""
    return N.log_softmax(input, dim, dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """``softmax(-x)``."""
    return N.softmax(-input, dim, dtype)


# ---------------------------------------------------------------------------- dropout
def dropout(input, p=0.5, training=True, inplace=False):
    """During training, zero each element with probability ``p`` and scale the rest by
    ``1 / (1 - p)``; the identity otherwise."""
    return N.dropout(input, p, training, inplace)


def _feature_dropout(input, p, training, inplace, lead):
    """Dropout with one draw per index of the ``lead`` leading dimensions (whole channels)."""
    from .._random import rng_of
    if N._dropout_is_identity(p, training):
        return input
    x = input._data
    shape = x.shape[:lead] + (1,) * (x.ndim - lead)
    keep = (rng_of(None).random(shape) >= p).astype(x.dtype)
    mask = keep * (1.0 / (1.0 - p)) if p < 1 else keep
    mask = Tensor._make(mask.astype(x.dtype))
    return _inplace(lambda t: t * mask, input, inplace)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of an (N, C, L) or (C, L) input."""
    N._dropout_is_identity(p, training)
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note that "
            "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs).")
    return _feature_dropout(input, p, training, inplace, input.ndim - 1)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of an (N, C, H, W) input. As in PyTorch, the first two dimensions
    are always taken as (N, C): a 3-d input is read as (N, C, L), with a warning."""
    N._dropout_is_identity(p, training)
    if input.ndim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and "
            "will result in an error in a future release. To retain the behavior and silence "
            "this warning, please use dropout instead. Note that dropout2d exists to provide "
            "channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and "
            "an optional batch dimension (i.e. 3D or 4D inputs).", UserWarning, stacklevel=2)
    if input.ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            UserWarning, stacklevel=2)
    return _feature_dropout(input, p, training, inplace, 2)


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout that keeps the mean and variance of SELU activations."""
    from .._random import rng_of
    if N._dropout_is_identity(p, training):
        return input
    x = input._data
    if p == 1:
        return _inplace(lambda t: t * Tensor._make(np.zeros((), x.dtype)), input, inplace)
    alpha_p = -1.7580993408473766
    keep = (rng_of(None).random(x.shape) >= p).astype(x.dtype)
    a = (1 - p + alpha_p * alpha_p * p * (1 - p)) ** -0.5
    b = -a * alpha_p * p
    scale = Tensor._make((keep * a).astype(x.dtype))
    shift = Tensor._make(((1 - keep) * (a * alpha_p) + b).astype(x.dtype))
    return _inplace(lambda t: t * scale + shift, input, inplace)


# ---------------------------------------------------------------------------- normalisation
def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-05):
    """Normalise each channel of each sample separately."""
    n, c = input.shape[:2]
    out = group_norm(S.reshape(input, (1, n * c) + tuple(input.shape[2:])), n * c, None, None,
                     eps)
    out = S.reshape(out, tuple(input.shape))
    shape = (1, c) + (1,) * (input.ndim - 2)
    if weight is not None:
        out = out * S.reshape(weight, shape)
    if bias is not None:
        out = out + S.reshape(bias, shape)
    return out


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """``x / max(||x||_p, eps)`` along ``dim``."""
    norm = R.norm(input, p, dim, keepdim=True)
    return input / S.expand_as(E.clamp_min(norm, eps), input)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """``x1 . x2 / (max(||x1||, eps) * max(||x2||, eps))`` along ``dim`` of the broadcast
    inputs. As in PyTorch, the clamp to ``eps`` does not stop the norms' gradient."""
    from ..autograd.grad_mode import no_grad
    dt = _dtype.promote_types(x1.dtype, x2.dtype)
    if not dt.is_floating_point:
        raise RuntimeError("expected common dtype to be floating point, yet common dtype is "
                           f"{_type_name(_creation.empty(0, dtype=dt))}")
    error = E._broadcast_error(x1, x2)
    if error is not None:
        raise error
    shape = np.broadcast_shapes(tuple(x1.shape), tuple(x2.shape))
    x1, x2 = x1.to(dt).expand(shape), x2.to(dt).expand(shape)
    n1 = R.norm(x1, 2, dim, keepdim=True).clone()
    n2 = R.norm(x2, 2, dim, keepdim=True).clone()
    with no_grad():
        n1.clamp_(min=eps)
        n2.clamp_(min=eps)
    return R.sum((x1 / n1) * (x2 / n2), dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """``||x1 - x2 + eps||_p`` over the last dimension."""
    return R.norm(x1 - x2 + eps, p, max(x1.ndim, x2.ndim) - 1, keepdim)


# ---------------------------------------------------------------------------- indices, padding
def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """Rows of ``weight`` at the integer ``input`` indices; the ``padding_idx`` row gets no
    gradient, and ``max_norm`` renormalises the looked-up rows of ``weight`` in place."""
    if padding_idx is not None and not -weight.shape[0] <= padding_idx < weight.shape[0]:
        raise AssertionError("Padding_idx must be within num_embeddings")
    return N.embedding(input, weight, padding_idx, max_norm, norm_type, scale_grad_by_freq,
                       sparse)


def one_hot(tensor, num_classes=-1):
    """An int64 tensor with a trailing ``num_classes`` axis holding a 1 at each index."""
    idx = tensor._data
    if idx.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if idx.size and idx.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        if idx.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(idx.max()) + 1
    elif idx.size and idx.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = np.zeros(idx.shape + (num_classes,), np.int64)
    np.put_along_axis(out, idx[..., None], 1, -1)
    return Tensor._make(out)


def pad(input, pad, mode="constant", value=None):
    """Pad the last ``len(pad) // 2`` dimensions; ``pad`` lists (left, right) widths from the
    last dimension backwards. Modes: 'constant', 'reflect', 'replicate', 'circular'."""
    if mode == "constant":
        return N.constant_pad(input, pad, 0.0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise AssertionError(f'Padding mode "{mode}" doesn\'t take in value argument')
    return N.index_pad(input, pad, mode)


# ---------------------------------------------------------------------------- losses
_PLAIN = ("mean", "sum", "none")


def _reduction(size_average, reduce, reduction):
    """The reduction a loss applies: the one the deprecated ``size_average``/``reduce`` flags
    name (with PyTorch's warning), else ``reduction`` checked as PyTorch checks it."""
    if size_average is not None or reduce is not None:
        return _legacy_reduction(size_average, reduce)
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                      "instead.", UserWarning, stacklevel=3)
        return "mean"
    if reduction not in _PLAIN:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _legacy_reduction(size_average, reduce):
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "mean" if size_average and reduce else "sum" if reduce else "none"
    warnings.warn(f"size_average and reduce args will be deprecated, please use "
                  f"reduction='{ret}' instead.", UserWarning, stacklevel=4)
    return ret


def _reduce(loss, reduction):
    """A loss tensor reduced as ``reduction`` says (the ops' rule, with Tensor reductions)."""
    return N._reduce(R, loss, reduction)


def _check_size(input, target):
    """PyTorch's warning for a target of another shape, and its error where the shapes do not
    broadcast."""
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                      f"({input.shape}). This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=3)
        error = E._broadcast_error(input, target)
        if error is not None:
            raise error


def _type_name(t):
    return SCALAR_TYPE_NAMES[t._data.dtype.name]


def _cast_error(result, out):
    """PyTorch's error for writing a result of ``result``'s dtype into ``out``'s dtype."""
    return RuntimeError(f"result type {_type_name(result)} can't be cast to the desired output "
                        f"type {_type_name(out)}")


_KERNEL_NAMES = {"MseLoss": "mse_cpu", "SmoothL1Loss": "smooth_l1_cpu",
                 "HuberLoss": "huber_cpu"}


def _as_input_dtype(input, target):
    """``target`` in the input's dtype, for losses PyTorch writes into a tensor like the input
    (with its error where the promoted result cannot be written there)."""
    if target.dtype == input.dtype:
        return target
    dt = _dtype.promote_types(input.dtype, target.dtype)
    if dt != input.dtype and not input.is_floating_point():
        raise _cast_error(input.to(dt), input)
    return target.to(input.dtype)


def _pointwise(cls, input, target, reduction, *params, keep_input_dtype=False):
    """A fused elementwise loss on operands of one dtype: their promoted dtype, or the input's
    where PyTorch writes the result into a tensor like the input (``keep_input_dtype``)."""
    _check_size(input, target)
    if keep_input_dtype:
        target = _as_input_dtype(input, target)
    elif input._data.dtype != target._data.dtype:
        dt = _dtype.promote_types(input.dtype, target.dtype)
        input, target = input.to(dt), target.to(dt)
    if input._data.dtype.kind not in "fc":
        raise NotImplementedError(f'"{_KERNEL_NAMES[cls.__name__]}" not implemented for '
                                  f"'{_type_name(input)}'")
    return cls.apply(input, target, reduction, *params)


def _weighted(loss, weight, input, reduction, mean_over_weight):
    """PyTorch's reduction of an elementwise loss times ``weight``: 'mean' divides by
    ``weight.sum()`` where ``mean_over_weight`` (mse, l1), by the element count otherwise."""
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = loss * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return R.sum(loss)
    if reduction == "mean":
        return R.sum(loss) / R.sum(weight) if mean_over_weight else R.mean(loss)
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', "
                     "'sum'.")


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error ``(x - y) ** 2``, reduced; with ``weight``, 'mean' is
    ``sum(w * (x - y) ** 2) / sum(w)``."""
    if weight is None:
        return _pointwise(N.MseLoss, input, target, _reduction(size_average, reduce, reduction))
    _check_size(input, target)
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    return _weighted((input - target) ** 2, weight, input, reduction, True)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error ``|x - y|``, reduced; with ``weight``, 'mean' is
    ``sum(w * |x - y|) / sum(w)``."""
    _check_size(input, target)
    if weight is None:
        return _reduce(E.abs(input - target), _reduction(size_average, reduce, reduction))
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    return _weighted(E.abs(input - target), weight, input, reduction, True)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Quadratic below ``beta``, linear above (divided by ``beta``)."""
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    return _pointwise(N.SmoothL1Loss, input, target, reduction, beta)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Quadratic below ``delta``, ``delta``-scaled linear above; the result has the input's
    dtype."""
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is None:
        return _pointwise(N.HuberLoss, input, target, _reduction(None, None, reduction), delta,
                          keep_input_dtype=True)
    loss = _pointwise(N.HuberLoss, input, target, "none", delta, keep_input_dtype=True)
    return _weighted(loss, weight, input, reduction, False)


def _nll_target(input, target, weight, ignore_index):
    """Validate class-index targets with PyTorch's checks and messages, in its order; returns
    the target array (a 1-element target of a 1-d input as a scalar, as PyTorch reads it) and
    whether some entries equal ``ignore_index``."""
    t = target._data
    nd = input.ndim
    if nd < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {nd})")
    if nd != 1 and (t.shape[0] if t.ndim else 0) != input.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({t.shape[0] if t.ndim else 0}).")
    c = input.shape[1] if nd >= 2 else input.shape[0]
    wrong_weight = weight is not None and weight.numel() != c
    if nd <= 2:
        if t.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    elif nd == 4 and t.ndim != 3:
        raise RuntimeError(f"only batches of spatial targets supported (3D tensors) but got "
                           f"targets of dimension: {t.ndim}")
    elif nd != 4 and t.shape[1:] != input.shape[2:]:
        raise RuntimeError(f"Expected target size {list(input.shape[:1] + input.shape[2:])}, "
                           f"got {list(t.shape)}")
    if t.dtype != np.int64 and t.dtype != np.uint8:
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{SCALAR_TYPE_NAMES[t.dtype.name]}")
    if nd == 1 and t.ndim == 1:
        if t.shape[0] != 1:
            raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: "
                             f"{t.shape[0]}")
        t = t.reshape(())
    if wrong_weight:
        raise RuntimeError(
            "weight tensor should be defined either for all or no classes" if nd > 2 else
            f"weight tensor should be defined either for all {c} classes or no classes but got "
            f"weight tensor of shape: {list(weight.shape)}")
    if t.shape[1:] != input.shape[2:]:  # only a 4-d input's target gets here unchecked
        raise RuntimeError(f"size mismatch (got input: {list(input.shape)} , target: "
                           f"{list(t.shape)}")
    if weight is not None and weight.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {_type_name(input)} but found "
                           f"{_type_name(weight)}")
    if not t.size:
        return t, False
    # one pass: a negative int64 target reads as a huge unsigned one
    if (t.view(np.uint64).max() if t.dtype == np.int64 else t.max()) >= c:
        ignored = t == ignore_index
        bad = ~ignored & ((t < 0) | (t >= c))
        if bad.any():
            raise IndexError(f"Target {int(t[bad].flat[0])} is out of bounds.")
        return t, bool(ignored.any())
    return t, bool(0 <= ignore_index < c and (t == ignore_index).any())


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Negative log likelihood of class indices, given log-probabilities ``input`` with the
    class on dim 1 (dim 0 for an unbatched input)."""
    if size_average is not None or reduce is not None or reduction not in _PLAIN:
        reduction = _reduction(size_average, reduce, reduction)
    return _nll(input, target, weight, reduction, ignore_index)


def _nll(logp, target, weight, reduction, ignore_index):
    """``nll_loss`` once its reduction is settled: checked targets, then the fused op."""
    return _nll_checked(logp, *_nll_target(logp, target, weight, ignore_index), weight,
                        reduction, ignore_index)


def _nll_checked(logp, t, ignored, weight, reduction, ignore_index):
    cls = N.NllLoss2d if logp.ndim == 4 else N.NllLoss
    return cls.apply(logp, t, None if weight is None else weight._data, reduction,
                     ignore_index, ignored)



def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """Cross entropy between logits ``input`` (class on dim 1) and class indices or class
    probabilities ``target``; ``log_softmax`` followed by ``nll_loss`` for indices."""
    if size_average is not None or reduce is not None or reduction not in _PLAIN:
        reduction = _reduction(size_average, reduce, reduction)
    class_dim = 0 if input.ndim == 1 else 1
    logp = N.LogSoftmax.apply(input, class_dim) if input._data.dtype.kind == "f" else \
        log_softmax(input, class_dim)
    # as in PyTorch, a target of the input's shape holds class probabilities
    probabilities = target.shape == input.shape
    if label_smoothing <= 0.0 and not probabilities:
        return _nll(logp, target, weight, reduction, ignore_index)
    c = input.shape[class_dim]
    wshape = [1] * input.ndim
    wshape[class_dim] = c
    if probabilities:
        if not target.is_floating_point():
            raise RuntimeError(f"Expected floating point type for target with class "
                               f"probabilities, got {_type_name(target)}")
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        if weight is not None and weight.numel() != c:
            raise RuntimeError(f"cross_entropy: weight tensor should be defined either for all "
                               f"{c} classes or no classes but got weight tensor of shape: "
                               f"{list(weight.shape)}")
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if probabilities:
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / c
        if weight is not None:
            logp = logp * S.reshape(weight, tuple(wshape))
        if reduction == "none":
            return -R.sum(logp * target, class_dim)
        total = -R.sum(logp * target)
        if reduction == "sum":
            return total
        return total / (input._data.size // c if input._data.size else 1)
    t, ignored = _nll_target(logp, target, weight, ignore_index)
    nll = _nll_checked(logp, t, ignored, weight, reduction, ignore_index)
    keep = Tensor._make((t != ignore_index).astype(input._data.dtype))
    if weight is not None:
        smooth = -R.sum(logp * S.reshape(weight, tuple(wshape)), class_dim)
    else:
        smooth = -R.sum(logp, class_dim)
    smooth = smooth * keep
    if reduction == "mean":
        valid = t[t != ignore_index]
        denom = weight._data[valid].sum() if weight is not None else valid.size
        smooth = R.sum(smooth) / float(denom)
    elif reduction == "sum":
        smooth = R.sum(smooth)
    return nll * (1 - label_smoothing) + smooth * (label_smoothing / c)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """``-w (y log x + (1 - y) log(1 - x))`` for probabilities ``x``."""
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input "
                         f"size ({input.shape}) is deprecated. Please ensure they have the same "
                         "size.")
    if target.dtype != input.dtype:
        raise RuntimeError(f"Found dtype {_type_name(target)} but expected {_type_name(input)}")
    if not input.is_floating_point():
        raise NotImplementedError(f'"binary_cross_entropy" not implemented for '
                                  f"'{_type_name(input)}'")
    x = input._data
    for name, v in (("input", x), ("target", target._data)):
        # written so that NaN fails too, as in PyTorch's kernel
        if not ((v >= 0) & (v <= 1)).all():
            raise RuntimeError(f"all elements of {name} should be between 0 and 1")
    w = None
    if weight is not None:
        w = np.broadcast_to(weight._data.astype(x.dtype, copy=False), x.shape)
    return N.BinaryCrossEntropy.apply(input, target, reduction, w)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """Sigmoid and binary cross entropy in one numerically stable step; ``pos_weight``
    weights the positive term per class."""
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    if not input.is_floating_point():
        raise NotImplementedError(f"\"log_sigmoid_cpu\" not implemented for '{_type_name(input)}'")
    # PyTorch computes ``(ones_like(target) - target) * input - ...`` in place: the result has
    # the target's dtype, which must be floating
    if target.dtype == _dtype.bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if not target.is_floating_point():
        raise _cast_error(input, target)
    input = input.to(target.dtype)
    dt = input._data.dtype
    w = None if weight is None else weight._data.astype(dt, copy=False)
    pw = None if pos_weight is None else pos_weight._data.astype(dt, copy=False)
    return N.BinaryCrossEntropyWithLogits.apply(input, target, reduction, w, pw)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Kullback-Leibler divergence ``target * (log target - input)`` for log-probabilities
    ``input``; ``reduction='batchmean'`` gives the mathematical definition."""
    legacy = size_average is not None or reduce is not None
    if not legacy and reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns with "
                      "the KL div math definition.'mean' will be changed to behave the same as "
                      "'batchmean' in the next major release.", UserWarning, stacklevel=2)
    batchmean = not legacy and reduction == "batchmean"
    reduction = "sum" if batchmean else _reduction(size_average, reduce, reduction)
    if not (input.is_floating_point() and target.is_floating_point()):
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        loss = E.exp(target) * (target - input)
    else:
        # ``xlogy(target, target)``: 0 where the target is 0, NaN where it is negative
        safe = E.where(Tensor._make(target._data != 0), target, 1.0)
        loss = target * E.log(safe) - target * input
    if batchmean and input.ndim:
        return R.sum(loss) / input.shape[0]
    return _reduce(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                          reduction="mean"):
    """``1 - cos(x1, x2)`` for ``target == 1``, ``max(0, cos - margin)`` for ``-1``."""
    reduction = _reduction(size_average, reduce, reduction)
    dim = input1.ndim - 1
    eps = 1e-12
    prod = R.sum(input1 * input2, dim)
    mag1 = R.sum(input1 * input1, dim) + eps
    mag2 = R.sum(input2 * input2, dim) + eps
    cos = prod / E.sqrt(mag1 * mag2)
    t = target._data
    pos = Tensor._make(t == 1)
    neg = Tensor._make(t == -1)
    out = E.where(pos, 1 - cos, 0.0) + E.where(neg, E.clamp_min(cos - margin, 0), 0.0)
    return _reduce(out, reduction)


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                        reduction="mean"):
    """``max(0, -y * (x1 - x2) + margin)``."""
    reduction = _reduction(size_average, reduce, reduction)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension "
                           f"but got sizes: input1: {input1.shape}, input2: {input2.shape}, "
                           f"target: {target.shape} ")
    return _reduce(E.clamp_min(-target * (input1 - input2) + margin, 0), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """``x`` for ``y == 1``, ``max(0, margin - x)`` for ``y == -1``."""
    reduction = _reduction(size_average, reduce, reduction)
    # PyTorch's formula: a target that is neither 1 nor -1 takes both terms
    zeros = _creation.zeros_like(input)
    out = E.where(target != 1, E.clamp_min(margin - input, 0), zeros) + \
        E.where(target != -1, input, zeros)
    return _reduce(out, reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """``log(1 + exp(-y x))``."""
    reduction = _reduction(size_average, reduce, reduction)
    target = _as_input_dtype(input, target)
    if not input.is_floating_point():
        raise _cast_error(input.to(_dtype.get_default_dtype()), input)
    return _reduce(softplus(-target * input), reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """Negative log likelihood of a Poisson target."""
    if size_average is None and reduce is None and reduction not in _PLAIN:
        # checked before the common rule, which would take 'elementwise_mean'
        raise ValueError(f"{reduction} is not a valid value for reduction")
    reduction = _reduction(size_average, reduce, reduction)
    if log_input:
        loss = E.exp(input) - target * input
    else:
        loss = input - target * E.log(input + eps)
    if full:
        t = target._data
        stirling = np.where(t > 1, t * np.log(np.where(t > 1, t, 1)) - t +
                            0.5 * np.log(2 * np.pi * np.where(t > 1, t, 1)), 0)
        loss = loss + Tensor._make(stirling.astype(input._data.dtype))
    return _reduce(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """Negative log likelihood of a Gaussian target with predicted variance ``var``: of the
    input's shape, or one dimension short of it, or of size 1 in one dimension (one variance
    shared). ``var`` is clamped to ``eps`` for stability, with the gradient let through."""
    from ..autograd.grad_mode import no_grad
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * _creation.ones_like(input)
    elif (var._data < 0).any():
        raise ValueError("var has negative entry/entries")
    if var.shape != input.shape:
        if input.shape[:-1] == var.shape:
            var = S.unsqueeze(var, -1)
        elif not (input.ndim == var.ndim and
                  sum(v for i, v in zip(input.shape, var.shape) if i != v) == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in _PLAIN:
        raise ValueError(reduction + " is not valid")
    var = var.clone()
    with no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (E.log(var) + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)
