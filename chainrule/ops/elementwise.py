"""Elementwise ops: arithmetic, powers, exponentials, trigonometry, rounding, activations,
comparisons, bitwise logic, casts and the in-place variants of all of them.

Each op is one class holding its forward and its derivative. A backward is written with
operators and ``ctx.xp`` (NumPy names) so that it runs on raw arrays for ``backward()`` and on
Tensors for ``create_graph=True`` (see autograd/function.py). A backward returns gradients at
the output's broadcast shape; the engine reduces them to each input's shape and dtype.
"""
import functools
import math
import warnings

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd import grad_mode
from . import tensor_xp
from ._common import (SCALAR_TYPE_NAMES, Op, apply_inplace, as_tensor_arg, binary_dtype,
                      check_inplace, int_operand)

__all__ = ["add", "sub", "subtract", "rsub", "mul", "multiply", "div", "divide", "true_divide",
           "neg", "negative", "pow", "exp", "exp2", "log", "log2", "log10", "log1p", "expm1",
           "sqrt", "rsqrt", "square", "sin", "cos", "tan", "asin", "acos", "atan", "atan2",
           "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh", "erf", "sigmoid",
           "relu", "abs", "absolute", "sign", "reciprocal", "floor", "ceil", "trunc", "fix",
           "round", "frac", "floor_divide", "remainder", "fmod", "lerp", "addcmul", "addcdiv",
           "maximum", "minimum", "clamp", "clip", "clamp_min", "clamp_max", "where",
           "eq", "ne", "lt", "le", "gt", "ge", "greater", "less", "greater_equal", "less_equal",
           "not_equal", "logical_not", "logical_and", "logical_or", "logical_xor",
           "bitwise_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift",
           "bitwise_right_shift", "isnan", "isinf", "isfinite", "clone", "to_dtype",
           "sgn", "hypot", "logaddexp", "logaddexp2", "erfc", "erfinv", "lgamma", "digamma",
           "polygamma", "xlogy", "heaviside", "nan_to_num", "signbit", "copysign", "deg2rad",
           "rad2deg", "sinc", "isposinf", "isneginf", "isreal", "isin", "is_complex",
           "is_nonzero"]

# Names that are also Tensor methods (x.exp()); operators are installed in ops/operators.py.
# (polygamma's method takes n second: it is installed with the in-place variants)
METHODS = [n for n in __all__ if n not in ("rsub", "to_dtype", "where", "polygamma", "isin")]

_state = grad_mode._state
try:
    _ARRAY_OUT = type(np.add(np.zeros(()), 1, out=...)) is np.ndarray
except TypeError:
    _ARRAY_OUT = False
_LN2, _LN10 = math.log(2.0), math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _need(ctx, i, value):
    """Save ``value`` only if input ``i`` will need it for its gradient."""
    return value if ctx.needs_input_grad[i] else None


def _type_name(t):
    return SCALAR_TYPE_NAMES[t._data.dtype.name]


def _not_implemented(kernel, t):
    """PyTorch's refusal of a dtype a kernel has no implementation for."""
    return NotImplementedError(f'"{kernel}" not implemented for \'{_type_name(t)}\'')


def _broadcast_error(*operands):
    """PyTorch's message for shapes that do not broadcast, or None if they do. Shapes are
    compared pairwise from the last dimension, as PyTorch's ``infer_size`` does."""
    shapes = [o._data.shape for o in operands if isinstance(o, Tensor)]
    result = shapes[0] if shapes else ()
    for shape in shapes[1:]:
        ndim = max(len(result), len(shape))
        a = (1,) * (ndim - len(result)) + tuple(result)
        b = (1,) * (ndim - len(shape)) + tuple(shape)
        for i in range(ndim - 1, -1, -1):
            if a[i] != b[i] and a[i] != 1 and b[i] != 1:
                return RuntimeError(f"The size of tensor a ({a[i]}) must match the size of "
                                    f"tensor b ({b[i]}) at non-singleton dimension {i}")
        result = tuple(y if x == 1 else x for x, y in zip(a, b))
    return None


def _reraise_broadcast(*operands):
    """Called in an ``except ValueError`` block: raise PyTorch's broadcasting error if that is
    what went wrong, else the original error."""
    error = _broadcast_error(*operands)
    if error is None:
        raise
    raise error from None


def _broadcasting(fn):
    """Turn NumPy's broadcasting ValueError into PyTorch's RuntimeError. The try block costs
    nothing when no error is raised."""
    @functools.wraps(fn)
    def checked(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValueError:
            _reraise_broadcast(*args, *kwargs.values())
    return checked


def _float_dtype(*operands):
    """Result dtype of a function that always gives floating point (int inputs -> default)."""
    dt = _dtype.result_type(*operands)
    return (dt if dt.is_floating_point or dt.is_complex else _dtype.get_default_dtype()).np


def _name_node(op, name):
    """Nodes that exist only in PyTorch's C++ report a namespaced ``name()``."""
    op._backward_cls.name = lambda self: name


# ---------------------------------------------------------------------------- arithmetic
def _scalar_of(alpha, dtype):
    """An integer ``alpha`` as a scalar of an integer or bool ``dtype``, converted as C casts
    do (uint8 takes -1 as 255: PyTorch allows an unsigned type's negatives down to -max; bool
    takes any nonzero as True)."""
    if dtype.kind in "iub" and isinstance(alpha, (int, np.integer)):
        return np.bool_(alpha) if dtype.kind == "b" else np.array(alpha).astype(dtype)[()]
    return alpha


class Add(Op):
    """``a + alpha * b``; Sub is the same op with NumPy's ``subtract`` and a negated gradient."""
    node_name = "AddBackward0"
    _n_inputs = 2
    _ufunc = np.add
    _sign = 1

    @classmethod
    def forward(cls, ctx, a, b, alpha, dt):
        if ctx.needs_input_grad[1]:
            ctx.alpha = alpha
        ufunc = getattr(ctx.xp, cls._ufunc.__name__) if ctx.xp is not np else cls._ufunc
        if alpha != 1:  # alpha * b in the result's dtype (a Python b would give float64)
            dt_out = np.dtype(a.dtype if dt is None else dt)
            scale = _scalar_of(alpha, dt_out)
            if dt_out.kind == "f" and dt_out.itemsize <= 4:
                # PyTorch fuses a + alpha * b (one rounding); in double the product is exact and
                # the sum rounds innocuously, so computing there and rounding once matches it
                wide = ctx.xp.multiply(b, dt_out.type(scale), dtype=np.float64)
                return ufunc(a, wide, dtype=np.float64).astype(dt_out)
            b = ctx.xp.multiply(b, scale, dtype=dt_out, casting="unsafe")
        elif dt is None:
            if _ARRAY_OUT and type(a) is np.ndarray:
                return ufunc(a, b, out=...)
            return ufunc(a, b)
        return ufunc(a, b, dtype=dt, casting="unsafe")

    @classmethod
    def backward(cls, ctx, g):
        if not ctx.needs_input_grad[1]:
            return g, None, None, None
        scale = cls._sign * ctx.alpha
        return g, (g if scale == 1 else -g if scale == -1 else g * scale), None, None


class Sub(Add):
    node_name = "SubBackward0"
    _ufunc = np.subtract
    _sign = -1


class Rsub(Op):
    """``number - alpha * tensor``: the tensor is the only input."""
    node_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, a, b, alpha, dt):
        ctx.alpha = alpha
        return ctx.xp.subtract(
            b, ctx.xp.multiply(a, _scalar_of(alpha, a.dtype if dt is None else dt), dtype=dt)
            if alpha != 1 else a,
            dtype=dt, casting="unsafe")

    @staticmethod
    def backward(ctx, g):
        return (-g if ctx.alpha == 1 else g * -ctx.alpha), None, None, None


class Mul(Op):
    node_name = "MulBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b, dt):
        needs = ctx.needs_input_grad
        if needs[0] or needs[1]:
            ctx.save_for_backward(a if needs[1] else None, b if needs[0] else None)
        if dt is None:
            if _ARRAY_OUT and type(a) is np.ndarray:
                return np.multiply(a, b, out=...)
            return ctx.xp.multiply(a, b)
        return ctx.xp.multiply(a, b, dtype=dt, casting="unsafe")

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return (g * b if ctx.needs_input_grad[0] else None,
                g * a if ctx.needs_input_grad[1] else None, None)


class Div(Op):
    node_name = "DivBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b, dt):
        ctx.save_for_backward(_need(ctx, 1, a), b)
        return ctx.xp.true_divide(a, b, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        ga = g / b if ctx.needs_input_grad[0] else None
        gb = -g * a / (b * b) if ctx.needs_input_grad[1] else None
        return ga, gb, None


# With NumPy arrays and no dtype to impose, add/sub/mul pass out=... where NumPy supports it
# (2.3 and later): a 0-d result comes back as a 0-d array, not a scalar to wrap again.
# The forwards pass casting="unsafe" with an explicit dtype: PyTorch's result type may be one
# NumPy calls an unsafe cast (uint8 tensor + int64 0-d tensor -> uint8).

# Quotients and remainders. NumPy's floor_divide / remainder use CPython's float algorithm
# (fmod, then a sign correction), which is also PyTorch's, so floats agree bit for bit.
def _floor_quotient(xp, a, b, dt):
    return xp.floor_divide(a, b, dtype=dt, casting="unsafe")


def _trunc_quotient(xp, a, b, dt):
    if np.dtype(dt).kind in "fc":
        return xp.trunc(xp.true_divide(a, b, dtype=dt))
    q = xp.floor_divide(a, b, dtype=dt, casting="unsafe")
    # floor and trunc differ where the division is inexact and the signs differ: step up
    q += (xp.remainder(a, b, dtype=dt, casting="unsafe") != 0) & ((xp.asarray(a) < 0) != (xp.asarray(b) < 0))
    return q


def _remainder(xp, a, b, dt):
    return xp.remainder(a, b, dtype=dt, casting="unsafe")


def _fmod(xp, a, b, dt):
    return xp.fmod(a, b, dtype=dt, casting="unsafe")


class DivRounded(Op):
    """``div(a, b, rounding_mode=...)``: piecewise constant, so both gradients are zero."""
    node_name = "DivBackward2"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b, quotient, dt):
        return quotient(ctx.xp, a, b, dt)

    @staticmethod
    def backward(ctx, g):
        zeros = ctx.xp.zeros_like(g)
        return zeros, zeros, None, None


class NotDifferentiable(Op):
    """A result PyTorch records with its ``NotImplemented`` node (``a // b``, ``2 % a``):
    backward through it raises. Only tensor operands become inputs, so ``forward`` gets the
    tensor first and ``swap`` says whether it was the right operand."""
    node_name = "NotImplemented"

    @staticmethod
    def forward(ctx, a, b, swap, kernel, dt, aten_name):
        ctx.aten_name = aten_name
        return kernel(ctx.xp, b, a, dt) if swap else kernel(ctx.xp, a, b, dt)

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError(f"derivative for aten::{ctx.aten_name} is not implemented")


class NotDifferentiable2(NotDifferentiable):
    _n_inputs = 2


_name_node(NotDifferentiable, "torch::autograd::NotImplemented")
_name_node(NotDifferentiable2, "torch::autograd::NotImplemented")


class Remainder(Op):
    """``remainder(a, b)`` (Python's ``%``): d/da = 1, d/db = -floor(a / b)."""
    node_name = "RemainderBackward1"
    _n_inputs = 2
    _kernel = staticmethod(_remainder)

    @classmethod
    def forward(cls, ctx, a, b, dt):
        ctx.save_for_backward(_need(ctx, 1, a), _need(ctx, 1, b))
        return cls._kernel(ctx.xp, a, b, dt)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        gb = -g * ctx._forward_cls._quotient(ctx.xp, a, b) if ctx.needs_input_grad[1] else None
        return g, gb, None

    @staticmethod
    def _quotient(xp, a, b):
        return xp.floor_divide(a, b)


class RemainderScalar(Remainder):
    node_name = "RemainderBackward0"
    _n_inputs = 1


class Fmod(Remainder):
    """``fmod(a, b)`` (C's remainder, sign of ``a``): d/db = -trunc(a / b)."""
    node_name = "FmodBackward1"
    _kernel = staticmethod(_fmod)

    @staticmethod
    def _quotient(xp, a, b):
        return xp.trunc(a / b)


class FmodScalar(Fmod):
    node_name = "FmodBackward0"
    _n_inputs = 1


class Neg(Op):
    node_name = "NegBackward0"

    @staticmethod
    def forward(ctx, a):
        return ctx.xp.negative(a)

    @staticmethod
    def backward(ctx, g):
        return -g


class PowScalar(Op):
    """``tensor ** number``."""
    node_name = "PowBackward0"

    @staticmethod
    def forward(ctx, a, exponent, dt):
        if ctx.needs_input_grad[0]:
            ctx.save_for_backward(a)
            ctx.exponent = exponent
        if exponent == 2 and dt is None and type(exponent) is not bool:
            return ctx.xp.square(a)  # the same values as power(a, 2), a pass cheaper
        return ctx.xp.power(a, exponent, dtype=dt, casting="unsafe")

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        e = ctx.exponent
        if e == 0:
            return ctx.xp.zeros_like(g), None, None
        if e == 2 and not isinstance(g, Tensor):
            return g * e * a, None, None  # (a ** 1 is a copy of a)
        return g * e * a ** (e - 1), None, None


class PowTensor(Op):
    """``tensor ** tensor``."""
    node_name = "PowBackward1"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b, dt):
        out = ctx.xp.power(a, b, dtype=dt, casting="unsafe")
        ctx.save_for_backward(a, b, _need(ctx, 1, out))
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        xp = ctx.xp
        # b * a**(b-1) is taken as 0 where b == 0 (0 * inf at a == 0 otherwise)
        ga = g * xp.where(b == 0, 0, b * a ** (b - 1)) if ctx.needs_input_grad[0] else None
        # d/db a**b = a**b * log(a), taken as 0 where a == 0 and b >= 0 (PyTorch's convention)
        gb = g * xp.where((a == 0) & (b >= 0), 0, out * xp.log(a)) \
            if ctx.needs_input_grad[1] else None
        return ga, gb, None


class RPow(Op):
    """``number ** tensor``."""
    node_name = "PowBackward2"

    @staticmethod
    def forward(ctx, b, base, dt):
        out = ctx.xp.power(base, b, dtype=dt, casting="unsafe")
        ctx.save_for_backward(out)
        ctx.log_base = float(np.log(base)) if base > 0 else float("nan") if base < 0 else None
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        if ctx.log_base is None:  # 0 ** b
            return ctx.xp.zeros_like(g), None, None
        return g * out * ctx.log_base, None, None


class Atan2(Op):
    node_name = "Atan2Backward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b, dt):
        ctx.save_for_backward(a, b)
        return ctx.xp.arctan2(a, b, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        scale = g / (a * a + b * b)
        return (scale * b if ctx.needs_input_grad[0] else None,
                scale * -a if ctx.needs_input_grad[1] else None, None)


def _lerp(xp, start, end, weight):
    """PyTorch's two-sided formula, exact at both ends (weight 0 gives start, 1 gives end)."""
    diff = end - start
    return xp.where(xp.abs(weight) < 0.5, start + weight * diff, end - diff * (1 - weight))


class Lerp(Op):
    """``lerp(start, end, number)``."""
    node_name = "LerpBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, start, end, weight):
        ctx.weight = weight
        diff = end - start
        return start + weight * diff if -0.5 < weight < 0.5 else end - diff * (1 - weight)

    @staticmethod
    def backward(ctx, g):
        w = ctx.weight
        return (g * (1 - w) if ctx.needs_input_grad[0] else None,
                g * w if ctx.needs_input_grad[1] else None, None)


class LerpTensor(Op):
    """``lerp(start, end, weight_tensor)``."""
    node_name = "LerpBackward1"
    _n_inputs = 3

    @staticmethod
    def forward(ctx, start, end, weight):
        ctx.save_for_backward(_need(ctx, 2, start), _need(ctx, 2, end), weight)
        return _cast(_lerp(ctx.xp, start, end, weight), start.dtype)

    @staticmethod
    def backward(ctx, g):
        start, end, w = ctx.saved_tensors
        return (g * (1 - w) if ctx.needs_input_grad[0] else None,
                g * w if ctx.needs_input_grad[1] else None,
                g * (end - start) if ctx.needs_input_grad[2] else None)


class Addcmul(Op):
    """``input + value * tensor1 * tensor2``."""
    node_name = "AddcmulBackward0"
    _n_inputs = 3

    @staticmethod
    def forward(ctx, a, t1, t2, value, dt):
        ctx.value = value
        ctx.save_for_backward(_need(ctx, 2, t1), _need(ctx, 1, t2))
        prod = ctx.xp.multiply(t1, t2, dtype=dt)
        return ctx.xp.add(a, prod * value if value != 1 else prod, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        t1, t2 = ctx.saved_tensors
        gv = g if ctx.value == 1 else g * ctx.value
        return (g, gv * t2 if ctx.needs_input_grad[1] else None,
                gv * t1 if ctx.needs_input_grad[2] else None, None, None)


class Addcdiv(Op):
    """``input + value * tensor1 / tensor2``."""
    node_name = "AddcdivBackward0"
    _n_inputs = 3

    @staticmethod
    def forward(ctx, a, t1, t2, value, dt):
        ctx.value = value
        ctx.save_for_backward(_need(ctx, 2, t1), t2)
        quot = ctx.xp.true_divide(t1, t2, dtype=dt)
        return ctx.xp.add(a, quot * value if value != 1 else quot, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        t1, t2 = ctx.saved_tensors
        gv = (g if ctx.value == 1 else g * ctx.value) / t2
        return (g, gv if ctx.needs_input_grad[1] else None,
                -gv * t1 / t2 if ctx.needs_input_grad[2] else None, None, None)


# ---------------------------------------------------------------------------- unary math
def _unary(name, node_name, forward, derivative, saves="input"):
    """Build a one-input op: ``forward(xp, x)`` and ``derivative(xp, x, y)`` (dy/dx), where
    ``x`` / ``y`` are the saved input / output (the one not named in ``saves`` is None)."""

    def fwd(ctx, a):
        out = forward(ctx.xp, a)
        if ctx.needs_input_grad[0]:
            ctx.save_for_backward(a if saves == "input" else None,
                                  out if saves == "output" else None)
        return out

    def bwd(ctx, g):
        x, y = ctx.saved_tensors
        return g * derivative(ctx.xp, x, y)

    return type(name, (Op,), {"node_name": node_name, "forward": staticmethod(fwd),
                              "backward": staticmethod(bwd), "__doc__": f"``{name.lower()}``"})


# erf: NumPy has none, so it is evaluated here with two polynomials fitted (Chebyshev fits
# computed with mpmath at 50 digits) to
#   erf(x) / x          in s = x*x/2 - 1, for |x| <= 2   (fit error 2e-18)
#   exp(x*x) * erfc(x)  in s = 6/x - 2,   for 2 <= x <= 6 (fit error 6e-17)
# and erf = +-1 beyond 6 (erfc(6) < 2e-17). Measured against math.erf on 3e5 points the result
# is within 2 ulp everywhere; it is vectorised (about 35 array passes), far faster than
# calling math.erf per element, and runs in the input's precision.
_ERF_NEAR = (1.9677349461986228e-13, -1.892293166904461e-12, 1.6333492632134225e-11,
             -1.4013468256449332e-10, 1.1348209944033648e-09, -8.617701405603135e-09,
             6.119568107896591e-08, -4.045094610710336e-07, 2.475802047377872e-06,
             -1.3946273745397808e-05, 7.1801008439299e-05, -0.0003351435335239757,
             0.0014050914236518719, -0.0052348758361588765, 0.017128344571816667,
             -0.04866277744915503, 0.11947913860985186, -0.2611118609312454,
             0.674933236039655)
_ERFCX_TAIL = (-1.759996567868625e-12, 7.664506763228952e-12, -9.891315971841347e-12,
               -5.133114511502492e-11, 4.474500046508833e-10, -1.7937821528351682e-09,
               2.709507669099024e-09, 1.785271360572186e-08, -1.6579831326797776e-07,
               6.468494624768627e-07, -9.98302770026601e-08, -1.7340700491591497e-05,
               0.00012459325308517035, -0.00023215792001127328, -0.005039359895669163,
               0.08155839001075926, 0.17900115118138996)


def _horner(xp, coefs, s):
    p = xp.full_like(s, coefs[0])
    for c in coefs[1:]:
        p *= s
        p += c
    return p


def _erf(xp, x):
    """The error function on a raw float array (see the note above)."""
    shape = x.shape
    x = x.reshape(-1)  # 1-d, so that every step below is an array that out= can write to
    ax = xp.abs(x)
    s = x * x
    s *= 0.5
    s -= 1
    xp.minimum(s, 1, out=s)
    near = _horner(xp, _ERF_NEAR, s)
    near *= x
    c = xp.clip(ax, 2, 6)
    s = 6 / c
    s -= 2
    tail = _horner(xp, _ERFCX_TAIL, s)
    c *= c
    xp.negative(c, out=c)
    tail *= xp.exp(c)
    xp.subtract(1, tail, out=tail)
    xp.copysign(tail, x, out=tail)
    return xp.where(ax <= 2, near, tail).reshape(shape)


def _rsqrt(xp, x):
    y = xp.sqrt(x)
    return xp.reciprocal(y, out=y) if y.ndim else 1 / y  # (NumPy gives 0-d results as scalars)


Exp = _unary("Exp", "ExpBackward0", lambda xp, x: xp.exp(x), lambda xp, x, y: y, "output")
Exp2 = _unary("Exp2", "Exp2Backward0", lambda xp, x: xp.exp2(x),
              lambda xp, x, y: y * _LN2, "output")
Expm1 = _unary("Expm1", "Expm1Backward0", lambda xp, x: xp.expm1(x),
               lambda xp, x, y: y + 1, "output")
Log = _unary("Log", "LogBackward0", lambda xp, x: xp.log(x), lambda xp, x, y: 1 / x)
Log2 = _unary("Log2", "Log2Backward0", lambda xp, x: xp.log2(x),
              lambda xp, x, y: 1 / (x * _LN2))
Log10 = _unary("Log10", "Log10Backward0", lambda xp, x: xp.log10(x),
               lambda xp, x, y: 1 / (x * _LN10))
Log1p = _unary("Log1p", "Log1PBackward0", lambda xp, x: xp.log1p(x), lambda xp, x, y: 1 / (x + 1))
Sqrt = _unary("Sqrt", "SqrtBackward0", lambda xp, x: xp.sqrt(x), lambda xp, x, y: 0.5 / y,
              "output")
Rsqrt = _unary("Rsqrt", "RsqrtBackward0", _rsqrt, lambda xp, x, y: -0.5 * y * y * y, "output")
Reciprocal = _unary("Reciprocal", "ReciprocalBackward0", lambda xp, x: 1 / x,
                    lambda xp, x, y: -(y * y), "output")
Sin = _unary("Sin", "SinBackward0", lambda xp, x: xp.sin(x), lambda xp, x, y: xp.cos(x))
Cos = _unary("Cos", "CosBackward0", lambda xp, x: xp.cos(x), lambda xp, x, y: -xp.sin(x))
Tan = _unary("Tan", "TanBackward0", lambda xp, x: xp.tan(x), lambda xp, x, y: y * y + 1,
             "output")
Asin = _unary("Asin", "AsinBackward0", lambda xp, x: xp.arcsin(x),
              lambda xp, x, y: 1 / xp.sqrt(1 - x * x))
Acos = _unary("Acos", "AcosBackward0", lambda xp, x: xp.arccos(x),
              lambda xp, x, y: -1 / xp.sqrt(1 - x * x))
Atan = _unary("Atan", "AtanBackward0", lambda xp, x: xp.arctan(x),
              lambda xp, x, y: 1 / (x * x + 1))
Sinh = _unary("Sinh", "SinhBackward0", lambda xp, x: xp.sinh(x), lambda xp, x, y: xp.cosh(x))
Cosh = _unary("Cosh", "CoshBackward0", lambda xp, x: xp.cosh(x), lambda xp, x, y: xp.sinh(x))
Tanh = _unary("Tanh", "TanhBackward0", lambda xp, x: xp.tanh(x), lambda xp, x, y: 1 - y * y,
              "output")
Erf = _unary("Erf", "ErfBackward0", _erf,
             lambda xp, x, y: _TWO_OVER_SQRT_PI * xp.exp(-(x * x)))
Sigmoid = _unary("Sigmoid", "SigmoidBackward0",
                 lambda xp, x: 0.5 * xp.tanh(0.5 * x) + 0.5,  # overflow-free logistic
                 lambda xp, x, y: y * (1 - y), "output")
Abs = _unary("Abs", "AbsBackward0", lambda xp, x: xp.abs(x), lambda xp, x, y: xp.sign(x))
try:
    from numpy._core.umath import clip as _np_clip
except ImportError:  # NumPy 1.x
    from numpy.core.umath import clip as _np_clip
_INF = math.inf


def _clip(xp, a, lo, hi):
    """``min(max(a, lo), hi)`` for a float array ``a`` with PyTorch's rule at ties: ``a`` is
    kept unless it is below ``lo`` or above ``hi`` (so ``-0.0`` stays ``-0.0`` against a bound
    of ``0``; NumPy's maximum returns the bound there). NaN propagates. NumPy's clip ufunc does
    exactly this, and is faster than ``maximum`` (``np.clip`` adds a Python wrapper)."""
    if lo is None:
        lo = -_INF
    if hi is None:
        hi = _INF
    return _np_clip(a, lo, hi) if xp is np else xp.clip(a, lo, hi)


Relu = _unary("Relu", "ReluBackward0",
              lambda xp, x: _np_clip(x, 0, _INF) if xp is np and x.dtype.kind == "f" else
              _clip(xp, x, 0, None) if x.dtype.kind == "f" else xp.maximum(x, 0),
              lambda xp, x, y: y > 0, "output")


class Frac(Op):
    """``x - trunc(x)``: the derivative is 1."""
    node_name = "FracBackward0"

    @staticmethod
    def forward(ctx, a):
        return a - ctx.xp.trunc(a)

    @staticmethod
    def backward(ctx, g):
        return g


class _Step(Op):
    """Piecewise-constant functions (floor, sign, round ...): the derivative is zero wherever
    it exists, and PyTorch returns zeros everywhere."""

    @staticmethod
    def backward(ctx, g):
        return ctx.xp.zeros_like(g), None  # None for a parameter (decimals, fill value)


def _step(name, forward):
    return type(name, (_Step,), {"node_name": name + "Backward0",
                                 "forward": staticmethod(lambda ctx, a: forward(ctx.xp, a))})


Floor = _step("Floor", lambda xp, x: xp.floor(x))
Ceil = _step("Ceil", lambda xp, x: xp.ceil(x))
Trunc = _step("Trunc", lambda xp, x: xp.trunc(x))
Round = _step("Round", lambda xp, x: xp.rint(x))  # half to even, as PyTorch
def _sign(xp, x):
    """PyTorch's sign is 0 at NaN (NumPy's is NaN): (x > 0) - (x < 0)."""
    return xp.subtract(x > 0, x < 0, dtype=x.dtype)


Sign = _step("Sign", _sign)


class RoundDecimals(_Step):
    """``round(x, decimals=d)``: scale by ``10**d``, round half to even, scale back (in the
    input's precision, as PyTorch)."""
    node_name = "RoundBackward1"

    @staticmethod
    def forward(ctx, a, decimals):
        xp = ctx.xp
        if decimals > 0:
            scale = 10.0 ** decimals
            return xp.rint(a * scale) / scale
        scale = 10.0 ** -decimals
        return xp.rint(a / scale) * scale


class Maximum(Op):
    """Elementwise max of two tensors; at ties the gradient is split evenly, as PyTorch does."""
    node_name = "MaximumBackward0"
    _n_inputs = 2
    _pick = "maximum"

    @classmethod
    def forward(cls, ctx, a, b, dt):
        ctx.save_for_backward(a, b)
        out = getattr(ctx.xp, cls._pick)(a, b)
        return out if dt is None else out.astype(dt, copy=False)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        first = (a > b) if ctx._forward_cls._pick == "maximum" else (a < b)
        share = first + (a == b) * 0.5  # a's share of the gradient: 1, 0, or 1/2 at ties
        return (g * share if ctx.needs_input_grad[0] else None,
                g * (1 - share) if ctx.needs_input_grad[1] else None, None)


class Minimum(Maximum):
    node_name = "MinimumBackward0"
    _pick = "minimum"


def _cast(out, dt):
    return out if dt is None else out.astype(dt, copy=False)


class Clamp(Op):
    """``clamp(x, min, max)`` with numbers (either may be None)."""
    node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, a, lo, hi, dt):
        if ctx.needs_input_grad[0]:
            ctx.save_for_backward(a)
            ctx.lo, ctx.hi = lo, hi
        if a.dtype.kind == "f":
            if dt is None and ctx.xp is np:  # the common case, inline
                return _np_clip(a, -_INF if lo is None else lo, _INF if hi is None else hi)
            return _cast(_clip(ctx.xp, a, lo, hi), dt)
        return _cast(ctx.xp.clip(a, lo, hi), dt)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        lo, hi = ctx.lo, ctx.hi
        if lo is None:
            mask = a <= hi
        elif hi is None:
            mask = a >= lo
        else:
            mask = (a >= lo) & (a <= hi)
        return g * mask, None, None, None


class ClampTensor(Op):
    """``clamp(x, min, max)`` with tensor bounds: ``min(max(x, lo), hi)``."""
    node_name = "ClampBackward0"
    _n_inputs = 3

    @staticmethod
    def forward(ctx, a, lo, hi, dt):
        ctx.save_for_backward(a, lo, hi)
        if a.dtype.kind == "f" and (dt is None or dt.kind == "f"):
            return _cast(_clip(ctx.xp, a, lo, hi), dt)
        out = a
        if lo is not None:
            out = ctx.xp.maximum(out, lo)
        if hi is not None:
            out = ctx.xp.minimum(out, hi)
        return _cast(out, dt)

    @staticmethod
    def backward(ctx, g):
        a, lo, hi = ctx.saved_tensors
        xp, needs = ctx.xp, ctx.needs_input_grad
        # PyTorch's rule: when lo > hi every element is hi, so the gradient goes to max.
        keep = True
        if lo is not None:
            keep = a >= lo
        if hi is not None:
            keep = keep & (a <= hi) if lo is not None else a <= hi
        g_lo = g_hi = None
        if needs[1]:
            below = a < lo
            g_lo = xp.where(below & (lo < hi) if hi is not None else below, g, 0)
        if needs[2]:
            above = a > hi
            g_hi = xp.where(above | (hi < lo) if lo is not None else above, g, 0)
        return (xp.where(keep, g, 0) if needs[0] else None), g_lo, g_hi, None


class ClampMin(Op):
    """``clamp_min(x, number)``; subclasses cover ``clamp_max`` and tensor bounds."""
    node_name = "ClampMinBackward0"
    _lower = True

    @classmethod
    def forward(cls, ctx, a, bound, dt):
        ctx.save_for_backward(a, bound)
        if a.dtype.kind == "f" and (dt is None or dt.kind == "f"):
            return _cast(_clip(ctx.xp, a, bound, None) if cls._lower else
                         _clip(ctx.xp, a, None, bound), dt)
        return _cast((ctx.xp.maximum if cls._lower else ctx.xp.minimum)(a, bound), dt)

    @staticmethod
    def backward(ctx, g):
        a, bound = ctx.saved_tensors
        xp, lower = ctx.xp, ctx._forward_cls._lower
        keep = (a >= bound) if lower else (a <= bound)
        clipped = (a < bound) if lower else (a > bound)
        return (xp.where(keep, g, 0) if ctx.needs_input_grad[0] else None,
                xp.where(clipped, g, 0) if ctx.needs_input_grad[1] else None, None)


class ClampMinTensor(ClampMin):
    node_name = "ClampMinBackward1"
    _n_inputs = 2


class ClampMax(ClampMin):
    node_name = "ClampMaxBackward0"
    _lower = False


class ClampMaxTensor(ClampMax):
    node_name = "ClampMaxBackward1"
    _n_inputs = 2


class Where(Op):
    """``where(cond, a, b)``: the condition is the last argument, so that only ``a`` and ``b``
    are graph inputs (two ``next_functions``, as in PyTorch)."""
    node_name = "WhereBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b, cond, dt):
        ctx.save_for_backward(cond)
        return _cast(ctx.xp.where(cond, a, b), dt)

    @staticmethod
    def backward(ctx, g):
        cond, = ctx.saved_tensors
        xp = ctx.xp
        return (xp.where(cond, g, 0) if ctx.needs_input_grad[0] else None,
                xp.where(cond, 0, g) if ctx.needs_input_grad[1] else None, None, None)


class ToCopy(Op):
    node_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, a, dt):
        return a.astype(dt)

    @staticmethod
    def backward(ctx, g):
        return g, None  # the engine casts back to the input's dtype


class Clone(Op):
    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, g):
        return g


# Ops behind zero_ / fill_ / copy_: they overwrite the tensor, so its old value gets no gradient.
class Zero(_Step):
    node_name = "ZeroBackward0"

    @staticmethod
    def forward(ctx, a):
        return ctx.xp.zeros_like(a)


class Fill(_Step):
    """``fill_(number)``."""
    node_name = "FillBackward2"

    @staticmethod
    def forward(ctx, a, value):
        return ctx.xp.full_like(a, value)


class FillTensor(Op):
    """``fill_(0-d tensor)``: every element is the value, whose gradient is the sum."""
    node_name = "FillBackward3"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, value):
        return ctx.xp.full_like(a, value)

    @staticmethod
    def backward(ctx, g):
        return (ctx.xp.zeros_like(g) if ctx.needs_input_grad[0] else None,
                g if ctx.needs_input_grad[1] else None)


class Copy(Op):
    """``dst.copy_(src)``: ``src`` broadcast to ``dst``'s shape and converted to its dtype."""
    node_name = "CopyBackwards"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, dst, src):
        out = ctx.xp.empty_like(dst)
        out[...] = src
        return out

    @staticmethod
    def backward(ctx, g):
        return (ctx.xp.zeros_like(g) if ctx.needs_input_grad[0] else None,
                g if ctx.needs_input_grad[1] else None)


_name_node(Copy, "torch::autograd::CopyBackwards")


# ---------------------------------------------------------------------------- public functions
# c10's names for the types whose range an integer alpha is checked against
_C_INT_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
                "int64": "int64_t"}


def _check_alpha(alpha, a, b, dt, negated=False):
    """PyTorch's checks of ``alpha`` against the result type ``dt`` (None: ``a``'s type).
    ``negated``: sub and rsub, which PyTorch runs as add with ``-alpha``, negated in 64 bits."""
    if alpha != 1 and isinstance(alpha, float) and not (
            isinstance(a, Tensor) and a._data.dtype.kind in "fc" or
            isinstance(b, Tensor) and b._data.dtype.kind in "fc"):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")
    result = a._data.dtype if dt is None else dt
    name = _C_INT_NAMES.get(result.name)
    if name is not None and isinstance(alpha, (int, np.integer)):
        if negated:
            alpha = (-int(alpha) + 2 ** 63) % 2 ** 64 - 2 ** 63
        info = np.iinfo(result)
        # as c10's overflow check: an unsigned type also takes negatives down to -max
        low = -info.max if info.min == 0 else info.min
        if not low <= int(alpha) <= info.max:
            raise RuntimeError(f"value cannot be converted to type {name} without overflow")


def add(input, other, *, alpha=1, out=None):
    """``input + alpha * other``, broadcasting and promoting types as PyTorch does."""
    if isinstance(other, Tensor) and isinstance(input, Tensor) and \
            input._data.dtype is other._data.dtype:
        dt = None  # the common case, checked first
    else:
        other = as_tensor_arg(other)
        if not isinstance(input, Tensor):
            input, other = other, input
        other = int_operand(input, other)
        dt = binary_dtype(input, other)
    if alpha != 1:
        _check_alpha(alpha, input, other, dt)
    try:
        return Add.apply(input, other, alpha, dt)
    except ValueError:  # inline rather than @_broadcasting: the hot path pays nothing
        _reraise_broadcast(input, other)


def _is_bool(x):
    return type(x) is bool or isinstance(x, Tensor) and x._data.dtype.kind == "b"


def _check_bool_sub(a, b):
    if _is_bool(a) or _is_bool(b):
        if _is_bool(a) and _is_bool(b):
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                               "supported. Use the `^` or `logical_xor()` operator instead.")
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")


def sub(input, other, *, alpha=1, out=None):
    """``input - alpha * other``."""
    if isinstance(other, Tensor) and isinstance(input, Tensor) and \
            input._data.dtype is other._data.dtype and input._data.dtype.kind != "b":
        dt = None  # the common case, checked first
    else:
        other = as_tensor_arg(other)
        if not isinstance(input, Tensor):
            return rsub(other, input, alpha=alpha)
        if input._data.dtype.kind == "b" or _is_bool(other):
            _check_bool_sub(input, other)
        other = int_operand(input, other)
        dt = binary_dtype(input, other)
    if alpha != 1:
        _check_alpha(alpha, input, other, dt, negated=True)
    try:
        return Sub.apply(input, other, alpha, dt)
    except ValueError:
        _reraise_broadcast(input, other)


subtract = sub


def rsub(input, other, *, alpha=1):
    """``other - alpha * input``."""
    other = as_tensor_arg(other)
    if isinstance(other, Tensor):
        return sub(other, input, alpha=alpha)
    _check_bool_sub(input, other)
    other = int_operand(input, other)
    dt = binary_dtype(input, other)
    if alpha != 1:
        _check_alpha(alpha, input, other, dt, negated=True)
    return Rsub.apply(input, other, alpha, dt)


def mul(input, other, *, out=None):
    """Elementwise product with broadcasting."""
    if isinstance(other, Tensor) and isinstance(input, Tensor) and \
            input._data.dtype is other._data.dtype:
        dt = None  # the common case, checked first
    else:
        other = as_tensor_arg(other)
        if not isinstance(input, Tensor):
            input, other = other, input
        other = int_operand(input, other)
        dt = binary_dtype(input, other)
    try:
        return Mul.apply(input, other, dt)
    except ValueError:
        _reraise_broadcast(input, other)


multiply = mul


def _check_int_zero_division(input, other):
    """Integer division by zero is an error in PyTorch (floats give inf / nan)."""
    b = other._data if isinstance(other, Tensor) else other
    a = input._data if isinstance(input, Tensor) else input
    if np.result_type(a, b).kind in "iub" and not np.all(b):
        raise RuntimeError("ZeroDivisionError")


def div(input, other, *, rounding_mode=None, out=None):
    """``input / other``; integer inputs give a float result. ``rounding_mode`` 'trunc' or
    'floor' rounds the quotient (and keeps integer types)."""
    other = as_tensor_arg(other)
    if rounding_mode is not None:
        if rounding_mode not in ("trunc", "floor"):
            raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or "
                             f"'floor' but found '{rounding_mode}'")
        return _rounded(DivRounded, input, other,
                        _floor_quotient if rounding_mode == "floor" else _trunc_quotient)
    if not isinstance(input, Tensor):  # number / tensor, as PyTorch: reciprocal then multiply
        return mul(reciprocal(other), input)
    dt = binary_dtype(input, other)
    if (input._data.dtype if dt is None else dt).kind not in "fc":
        dt = _float_dtype(input, other)
    try:
        return Div.apply(input, other, dt)
    except ValueError:
        _reraise_broadcast(input, other)


divide = true_divide = div


def _rounded(op, input, other, kernel, aten_name=None):
    """Quotient-like results: DivBackward2 (zero gradient) or a NotImplemented node."""
    input, other = int_operand(other, input), int_operand(input, other)
    dt = _dtype.result_type(input, other).np
    if dt.kind in "iub":
        if dt.kind == "b":
            raise NotImplementedError(f'"{_BOOL_KERNELS[kernel]}" not implemented for \'Bool\'')
        _check_int_zero_division(input, other)
    if op is DivRounded:
        return op.apply(input, other, kernel, dt)
    return _not_differentiable(input, other, kernel, dt, aten_name)


def _not_differentiable(a, b, kernel, dt, aten_name):
    """``kernel(a, b)`` recorded as PyTorch's ``NotImplemented`` node, whose edges go to the
    operands that require grad only (both, or the one that does)."""
    a_grad = isinstance(a, Tensor) and a._requires_grad
    b_grad = isinstance(b, Tensor) and b._requires_grad
    if a_grad and b_grad:
        return NotDifferentiable2.apply(a, b, False, kernel, dt, aten_name)
    if b_grad or not isinstance(a, Tensor):
        return NotDifferentiable.apply(b, a, True, kernel, dt, aten_name)
    return NotDifferentiable.apply(a, b, False, kernel, dt, aten_name)


# PyTorch's kernel names in the refusal of bool quotients
_BOOL_KERNELS = {_floor_quotient: "div_floor_cpu", _trunc_quotient: "div_trunc_cpu",
                 _remainder: "remainder_cpu", _fmod: "fmod_cpu"}


@_broadcasting
def floor_divide(input, other, *, out=None):
    """``input // other``: the quotient rounded down (Python's ``//``). Not differentiable."""
    return _rounded(NotDifferentiable, input, as_tensor_arg(other), _floor_quotient,
                    "floor_divide")


def _remainder_like(tensor_op, scalar_op, kernel, aten_name):
    def fn(input, other, *, out=None):
        other = as_tensor_arg(other)
        if not isinstance(input, Tensor):  # number % tensor: PyTorch has no derivative
            return _rounded(NotDifferentiable, input, other, kernel, aten_name)
        other = int_operand(input, other)
        dt = _dtype.result_type(input, other).np
        if dt.kind in "iub":
            if dt.kind == "b":
                raise NotImplementedError(f'"{aten_name}_cpu" not implemented for \'Bool\'')
            _check_int_zero_division(input, other)
        if isinstance(other, Tensor):
            return tensor_op.apply(input, other, dt)
        return scalar_op.apply(input, other, dt)
    fn.__name__ = aten_name
    return _broadcasting(fn)


remainder = _remainder_like(Remainder, RemainderScalar, _remainder, "remainder")
remainder.__doc__ = ("Python-style modulus ``input - floor(input / other) * other``: the result "
                     "has the sign of ``other``.")
fmod = _remainder_like(Fmod, FmodScalar, _fmod, "fmod")
fmod.__doc__ = "C-style remainder ``input - trunc(input / other) * other`` (sign of ``input``)."


def neg(input, *, out=None):
    """``-input``."""
    if input._data.dtype.kind == "b":
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return Neg.apply(input)


negative = neg


@_broadcasting
def pow(input, exponent, *, out=None):
    """``input ** exponent`` for tensor/number combinations."""
    exponent = as_tensor_arg(exponent, "exponent")
    if not isinstance(input, Tensor):
        return RPow.apply(exponent, input, binary_dtype(input, exponent))
    if isinstance(exponent, Tensor):
        return PowTensor.apply(input, exponent, binary_dtype(input, exponent))
    if input._data.dtype.kind in "iub" and isinstance(exponent, int) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    return PowScalar.apply(input, exponent, binary_dtype(input, exponent))


def square(input, *, out=None):
    """``input * input`` (recorded as ``pow(input, 2)``, as PyTorch does)."""
    return pow(input, 2)


def _float_function(op, doc):
    """A unary function with a floating result: integer and bool inputs are promoted to the
    default dtype, as PyTorch does."""
    def fn(input, *, out=None):
        if input._data.dtype.kind not in "fc":
            input = input.to(_dtype.get_default_dtype())
        return op.apply(input)
    fn.__name__ = fn.__qualname__ = op.__name__.lower()
    fn.__doc__ = doc
    return fn


exp = _float_function(Exp, "Elementwise ``e ** input``.")
exp2 = _float_function(Exp2, "Elementwise ``2 ** input``.")
expm1 = _float_function(Expm1, "Elementwise ``exp(input) - 1``, accurate near 0.")
log = _float_function(Log, "Elementwise natural logarithm.")
log2 = _float_function(Log2, "Elementwise base-2 logarithm.")
log10 = _float_function(Log10, "Elementwise base-10 logarithm.")
log1p = _float_function(Log1p, "Elementwise ``log(1 + input)``, accurate near 0.")
sqrt = _float_function(Sqrt, "Elementwise square root.")
rsqrt = _float_function(Rsqrt, "Elementwise ``1 / sqrt(input)``.")
reciprocal = _float_function(Reciprocal, "Elementwise ``1 / input``.")
sin = _float_function(Sin, "Elementwise sine.")
cos = _float_function(Cos, "Elementwise cosine.")
tan = _float_function(Tan, "Elementwise tangent.")
asin = arcsin = _float_function(Asin, "Elementwise inverse sine.")
acos = arccos = _float_function(Acos, "Elementwise inverse cosine.")
atan = arctan = _float_function(Atan, "Elementwise inverse tangent.")
sinh = _float_function(Sinh, "Elementwise hyperbolic sine.")
cosh = _float_function(Cosh, "Elementwise hyperbolic cosine.")
tanh = _float_function(Tanh, "Elementwise hyperbolic tangent.")
erf = _float_function(Erf, "Elementwise Gauss error function ``2/sqrt(pi) * int_0^x "
                           "exp(-t**2) dt``.")
sigmoid = _float_function(Sigmoid, "Elementwise logistic function ``1 / (1 + exp(-input))``.")


@_broadcasting
def atan2(input, other, *, out=None):
    """Elementwise ``atan(input / other)`` in the right quadrant (``input`` is y)."""
    if not isinstance(other, Tensor):
        raise TypeError(f"atan2(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    return Atan2.apply(input, other, _float_dtype(input, other))


arctan2 = atan2


def abs(input, *, out=None):
    """Elementwise absolute value."""
    if input._data.dtype.kind == "b":
        raise _not_implemented("abs_cpu", input)
    return Abs.apply(input)


absolute = abs


def relu(input, inplace=False):
    """``max(input, 0)`` elementwise."""
    if input._data.dtype.kind == "b":
        raise RuntimeError("Boolean inputs not supported for relu")
    if inplace:
        return input.relu_()
    return Relu.apply(input)


def sign(input, *, out=None):
    """-1, 0 or 1 by the sign of each element (0 for NaN); bool tensors are returned as is."""
    if input._data.dtype.kind == "b":
        return input.clone()
    return Sign.apply(input)


def _rounding(op, kernel, doc):
    """floor/ceil/trunc: integer tensors are already whole (returned as a copy)."""
    def fn(input, *, out=None):
        kind = input._data.dtype.kind
        if kind == "b":
            raise _not_implemented(kernel, input)
        return op.apply(input) if kind in "fc" else input.clone()
    fn.__name__ = fn.__qualname__ = op.__name__.lower()
    fn.__doc__ = doc
    return fn


floor = _rounding(Floor, "floor_vml_cpu", "Largest integer <= each element.")
ceil = _rounding(Ceil, "ceil_vml_cpu", "Smallest integer >= each element.")
trunc = fix = _rounding(Trunc, "trunc_vml_cpu", "Round each element towards zero.")
_round_whole = _rounding(Round, "round_vml_cpu", "")


def round(input, *, decimals=0, out=None):
    """Round to the nearest integer (halves to even), or to ``decimals`` decimal places."""
    if decimals == 0:
        return _round_whole(input)
    if input._data.dtype.kind not in "fc":
        raise _not_implemented("round_cpu", input)
    return RoundDecimals.apply(input, decimals)


def frac(input, *, out=None):
    """The fractional part ``input - trunc(input)`` (sign of ``input``)."""
    if input._data.dtype.kind not in "fc":
        raise _not_implemented("frac_cpu", input)
    return Frac.apply(input)


_TYPE_WORDS = {"float32": "float", "float64": "double", "float16": "c10::Half"}


@_broadcasting
def lerp(input, end, weight, *, out=None):
    """Linear interpolation ``input + weight * (end - input)``; ``weight`` is a number or a
    tensor."""
    tensor_weight = isinstance(weight, Tensor)
    if end._data.dtype != input._data.dtype:
        raise RuntimeError(f"expected dtype {_TYPE_WORDS.get(input._data.dtype.name)} for `end` "
                           f"but got dtype {_TYPE_WORDS.get(end._data.dtype.name)}")
    if input._data.dtype.kind not in "fc":
        raise _not_implemented("lerp_kernel_tensor" if tensor_weight else "lerp_kernel_scalar",
                               input)
    if tensor_weight:
        return LerpTensor.apply(input, end, weight)
    return Lerp.apply(input, end, weight)


_ADDCDIV_INT = (
    "Integer division with addcdiv is no longer supported, and in a future  release addcdiv "
    "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be "
    "implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
    "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
    "addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), "
    "for all dtypes.")


@_broadcasting
def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """``input + value * tensor1 * tensor2``."""
    dt = _dtype.result_type(input, tensor1, tensor2).np
    if dt.kind in "iub":
        value = int(value)  # PyTorch converts the scalar to the integer type
    return Addcmul.apply(input, tensor1, tensor2, value, dt)


@_broadcasting
def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """``input + value * tensor1 / tensor2``."""
    dt = _dtype.result_type(input, tensor1, tensor2).np
    if tensor1._data.dtype.kind in "iub" and tensor2._data.dtype.kind in "iub":
        raise RuntimeError(_ADDCDIV_INT)
    return Addcdiv.apply(input, tensor1, tensor2, value, dt)


def _pairwise(op):
    @_broadcasting
    def fn(input, other, *, out=None):
        if not isinstance(other, Tensor):
            if not isinstance(other, np.ndarray):
                raise TypeError(f"{op._pick}(): argument 'other' (position 2) must be Tensor, "
                                f"not {type(other).__name__}")
            other = as_tensor_arg(other)
        return op.apply(input, other, binary_dtype(input, other))
    fn.__name__ = fn.__qualname__ = op._pick
    fn.__doc__ = f"Elementwise {op._pick} of two tensors (NaN propagates)."
    return fn


maximum = _pairwise(Maximum)
minimum = _pairwise(Minimum)


def _number(x):
    return x.item() if isinstance(x, Tensor) else x


def _clamp_dtype(input, *bounds):
    if input._data.dtype.kind in "fc" and not any(isinstance(b, Tensor) for b in bounds):
        return None
    dt = _dtype.result_type(input, *(b for b in bounds if b is not None)).np
    return None if dt == input._data.dtype else dt


def clamp(input, min=None, max=None, *, out=None):
    """Clamp every element into ``[min, max]`` (either bound may be None; if ``min > max``
    every element becomes ``max``)."""
    try:
        return _clamp(input, min, max)
    except ValueError:  # inline rather than @_broadcasting: the hot path pays nothing
        _reraise_broadcast(input, min, max)


def _clamp(input, min, max):
    if not isinstance(min, Tensor) and not isinstance(max, Tensor):
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        dt = None if input._data.dtype.kind in "fc" else _clamp_dtype(input, min, max)
        return Clamp.apply(input, min, max, dt)
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        if not (isinstance(min, Tensor) or min is None) or \
                not (isinstance(max, Tensor) or max is None):
            got = f"(Tensor, {type(min).__name__ if min is not None else 'NoneType'}, " \
                  f"{type(max).__name__ if max is not None else 'NoneType'})"
            raise TypeError(f"clamp() received an invalid combination of arguments - got {got}"
                            f", but expected one of:\n * (Tensor min = None, Tensor max = None)\n"
                            f" * (Number min = None, Number max = None)\n")
        return ClampTensor.apply(input, as_tensor_arg(min) if min is not None else None,
                                 as_tensor_arg(max) if max is not None else None,
                                 _clamp_dtype(input, min, max))
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    return Clamp.apply(input, min, max, _clamp_dtype(input, min, max))


clip = clamp


@_broadcasting
def clamp_min(input, min):
    """``max(input, min)`` elementwise; ``min`` is a number or a tensor."""
    op = ClampMinTensor if isinstance(min, Tensor) else ClampMin
    return op.apply(input, min, _clamp_dtype(input, min))


@_broadcasting
def clamp_max(input, max):
    """``min(input, max)`` elementwise; ``max`` is a number or a tensor."""
    op = ClampMaxTensor if isinstance(max, Tensor) else ClampMax
    return op.apply(input, max, _clamp_dtype(input, max))


@_broadcasting
def where(condition, input=None, other=None, *, out=None):
    """Elements of ``input`` where ``condition`` holds, else of ``other``; ``where(cond)`` is
    ``nonzero(cond, as_tuple=True)``."""
    if input is None and other is None:
        from .indexing import nonzero
        return nonzero(condition, as_tuple=True)
    if condition._data.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {_type_name(condition)}")
    input, other = as_tensor_arg(input), as_tensor_arg(other)
    dt = _dtype.result_type(input, other).np
    # (two Python numbers take the result type too: NumPy would make two floats float64)
    same = all(isinstance(t, Tensor) and t._data.dtype == dt for t in (input, other))
    return Where.apply(input, other, condition, None if same else dt)


def to_dtype(input, dtype):
    """A copy of ``input`` converted to ``dtype`` (differentiable between float types)."""
    return ToCopy.apply(input, dtype.np)


def clone(input, *, memory_format=None):
    """A copy of ``input`` that stays in the graph."""
    return Clone.apply(input)


# ---------------------------------------------------------------------------- special functions
# erfc, erfinv, lgamma, digamma and polygamma have no NumPy counterpart. Each is an array
# formulation of the algorithm PyTorch's CPU kernel uses (or, for lgamma, of a classical one),
# evaluated in float64: float16 / float32 inputs are converted and the result rounded back, so
# that they get the correctly rounded values that PyTorch gets from C's double-accurate
# functions. No Python runs per element.
_SQRT_PI = math.sqrt(math.pi)
_LOG_PI = math.log(math.pi)
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
_PI_180 = math.pi / 180
_180_PI = 180 / math.pi
_F64 = np.dtype(np.float64)


def _in_double(kernel):
    """``kernel(xp, x, *args)`` run on ``x`` flattened and in float64 (so that every step is
    an array ``out=`` can write to), the result in ``x``'s dtype and shape."""
    def run(xp, x, *args):
        flat = xp.asarray(x, dtype=_F64).reshape(-1)
        return xp.asarray(kernel(xp, flat, *args), dtype=x.dtype).reshape(x.shape)
    run.__name__ = kernel.__name__
    return run


def _exp_neg_square(xp, x):
    """``exp(-x*x)`` without the rounding error of ``x*x``, which exp multiplies by ``x*x``:
    ``x`` is split into a part with few bits (its square is exact) and the rest."""
    hi = xp.trunc(x * 16) / 16
    return xp.exp(-(hi * hi)) * xp.exp(-((x - hi) * (x + hi)))


# Chebyshev coefficients of exp(x*x) * erfc(x) on [1/2, 2] in s = (4x - 5) / 3 (computed with
# mpmath at 50 digits; the series is cut where terms fall below 1e-19).
_ERFCX_MID = (0.4006822530639845, -0.17395587897748596, 0.03383702540740585,
              -0.006032263577025819, 0.001000274118215681, -0.0001558965252433288,
              2.3014442396758424e-05, -3.2375421924541957e-06, 4.360702485858127e-07,
              -5.645684833789816e-08, 7.048623263203286e-09, -8.509612327566787e-10,
              9.957554366871612e-11, -1.1316613855047257e-11, 1.2513369992930791e-12,
              -1.3483678086194079e-13, 1.4178345509581745e-14, -1.4566964654246537e-15,
              1.4639564848603663e-16, -1.4406081509350508e-17, 1.3893934243911832e-18,
              -1.314421430456738e-19)


def _clenshaw(xp, coefs, s):
    """``sum(c_k T_k(s))`` by Clenshaw's recurrence (stable where Horner on the expanded
    polynomial would not be)."""
    b1 = b2 = xp.zeros_like(s)
    for c in coefs[:0:-1]:
        b1, b2 = 2 * s * b1 - b2 + c, b1
    return s * b1 - b2 + coefs[0]


def _erfc(xp, x):
    """``1 - erf(x)`` where erf(x) is not near 1 (x < 1/2); above that, directly:
    ``exp(-x*x)`` times a fit of ``exp(x*x) * erfc(x)`` (the one above on [1/2, 2], erf's on
    [2, 6]), and Laplace's continued fraction
    ``exp(-x*x) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / ...)))`` beyond 6, where 16
    levels reach double precision (erfc underflows before 27)."""
    near = 1 - _erf(xp, x)
    c = xp.clip(x, 0.5, 2)
    low = _clenshaw(xp, _ERFCX_MID, (4 * c - 5) / 3) * _exp_neg_square(xp, c)
    c = xp.clip(x, 2, 6)
    mid = _horner(xp, _ERFCX_TAIL, 6 / c - 2) * _exp_neg_square(xp, c)
    c = xp.clip(x, 6, 30)
    f = c
    for k in range(16, 0, -1):
        f = c + (k / 2) / f
    far = _exp_neg_square(xp, c) / (_SQRT_PI * f)
    return xp.where(x < 0.5, near, xp.where(x < 2, low, xp.where(x <= 6, mid, far)))


# erfinv: PyTorch's calc_erfinv (G. L. Pavlis' rational first guess, central and tail forms,
# then two Newton steps on erf).
_ERFINV_A = (-0.140543331, 0.914624893, -1.645349621, 0.886226899)
_ERFINV_B = (0.012229801, -0.329097515, 1.442710462, -2.118377725, 1.0)
_ERFINV_C = (1.641345311, 3.429567803, -1.624906493, -1.970840454)
_ERFINV_D = (1.637067800, 3.543889200, 1.0)


def _erfinv(xp, y):
    ay = xp.abs(y)
    z = y * y
    central = y * _horner(xp, _ERFINV_A, z) / _horner(xp, _ERFINV_B, z)
    t = xp.sqrt(-xp.log((1 - xp.minimum(ay, 1)) / 2))
    tail = xp.copysign(_horner(xp, _ERFINV_C, t), y) / _horner(xp, _ERFINV_D, t)
    x = xp.where(ay <= 0.7, central, tail)
    for _ in range(2):
        x = x - (_erf(xp, x) - y) / (_TWO_OVER_SQRT_PI * xp.exp(-(x * x)))
    # Near +-1, erf(x) - y has no digits left; three more steps on erfc(|x|) - (1 - |y|)
    # (1 - |y| is exact there) bring x to full precision (C's erf is accurate enough there for
    # PyTorch)
    ax = xp.abs(x)
    for _ in range(3):
        ax = ax + (_erfc(xp, ax) - (1 - ay)) / (_TWO_OVER_SQRT_PI * _exp_neg_square(xp, ax))
    x = xp.where(ax >= 0.5, xp.copysign(ax, y), x)  # (below 1/2, erfc is 1 - erf)
    x = xp.where(ay == 1, xp.copysign(_INF, y), x)
    return xp.where(ay > 1, math.nan, x)


# lgamma, for x > 0: Stirling's series from 10 on; below, x = m + e with m an integer and
# |e| <= 1/2, lgamma(x) = lgamma(2 + e) + log((2 + e)(3 + e)...(m - 1 + e)) (or minus
# log1p(e), log(e) for m = 1, 0), where the Taylor series of lgamma(2 + e) has coefficients
# (-1)^k (zeta(k) - 1) / k (computed with mpmath to 40 digits). Since it is exactly 0 at e = 0
# and no large terms cancel, the zeros at 1 and 2 come out with full relative accuracy. For
# x <= 0 the reflection formula gamma(x) gamma(1 - x) = pi / sin(pi x) applies.
_LGAMMA_2 = (1.330476437424449e-10, -2.7595228851242334e-10, 5.731367241678862e-10,
             -1.1921401405860912e-09, 2.4836745438024785e-09, -5.183475041970047e-09,
             1.0838659214896955e-08, -2.2711094608943164e-08, 4.7698101693639804e-08,
             -1.0043224823968099e-07, 2.1207184805554665e-07, -4.492469198764566e-07,
             9.55141213040742e-07, -2.039215753801366e-06, 4.374866789907488e-06,
             -9.439488275268397e-06, 2.050721277567069e-05, -4.492623673813314e-05,
             9.945751278180853e-05, -0.00022315475845357939, 0.0005096695247430425,
             -0.001192753911703261, 0.0028905103307415234, -0.007385551028673986,
             0.020580808427784546, -0.0673523010531981, 0.3224670334241132,
             0.42278433509846713)
_STIRLING = (1 / 156, -691 / 360360, 1 / 1188, -1 / 1680, 1 / 1260, -1 / 360, 1 / 12)


def _lgamma_positive(xp, x):
    big = xp.maximum(x, 10)
    inv = 1 / big
    stirling = (big - 0.5) * xp.log(big) - big + _HALF_LOG_2PI + \
        inv * _horner(xp, _STIRLING, inv * inv)
    small = xp.minimum(x, 10)
    m = xp.floor(small + 0.5)
    e = small - m
    near2 = e * _horner(xp, _LGAMMA_2, e)
    prod = xp.ones_like(e)
    for j in range(2, 10):
        prod *= xp.where(m > j, j + e, 1)
    log1p_e = xp.log1p(e)
    shifted = xp.where(m >= 2, near2 + xp.log(prod),
                       xp.where(m == 1, near2 - log1p_e, near2 - log1p_e - xp.log(small)))
    return xp.where(x >= 10, stirling, shifted)


def _lgamma(xp, x):
    lg = _lgamma_positive(xp, xp.where(x > 0, x, 1 - x))
    r = xp.fmod(x, 1)  # sin(pi x) = +-sin(pi r), without the rounding of pi * x for large x
    out = xp.where(x > 0, lg, _LOG_PI - xp.log(xp.abs(xp.sin(math.pi * r))) - lg)
    return xp.where(xp.isinf(x) | (x <= 0) & (r == 0), _INF, out)  # poles and infinities


# digamma: PyTorch's calc_digamma (Cephes' psi): reflection for x < 0, the recurrence
# psi(x) = psi(x + 1) - 1/x up to x >= 10, then the asymptotic series.
_PSI_10 = 2.25175258906672110764
_DIGAMMA_A = (8.33333333333333333333E-2, -2.10927960927960927961E-2,
              7.57575757575757575758E-3, -4.16666666666666666667E-3,
              3.96825396825396825397E-3, -8.33333333333333333333E-3,
              8.33333333333333333333E-2)


def _digamma(xp, x):
    neg = x < 0
    r = xp.fmod(x, 1)
    v = xp.where(neg, 1 - x, x)
    acc = xp.zeros_like(v)
    for _ in range(10):  # every v in (0, 10) reaches [10, 11) in at most 10 steps
        low = v < 10
        acc -= xp.where(low, 1 / xp.where(low, v, 1), 0)
        v = xp.where(low, v + 1, v)
    z = 1 / (v * v)
    series = xp.where(v < 1e17, z * _horner(xp, _DIGAMMA_A, z), 0)
    psi = xp.where(v == 10, acc + _PSI_10, acc + xp.log(v) - 0.5 / v - series)
    psi = xp.where(neg, psi - math.pi / xp.tan(math.pi * r), psi)
    psi = xp.where(neg & (r == 0), math.nan, psi)  # poles at the negative integers
    return xp.where(x == 0, xp.copysign(_INF, -x), psi)


def _trigamma(xp, x):
    """PyTorch's calc_trigamma: reflection below 1/2, six recurrence steps, asymptotic
    series."""
    low = x < 0.5
    s = xp.sin(math.pi * x)
    acc = xp.where(low, -(math.pi * math.pi) / (s * s), 0)
    v = xp.where(low, 1 - x, x)
    for _ in range(6):
        acc += 1 / (v * v)
        v = v + 1
    ixx = 1 / (v * v)
    acc += (1 + 1 / (2 * v) + ixx * (1 / 6 - ixx * (1 / 30 - ixx * (1 / 42)))) / v
    return xp.where(low, -acc, acc)


# polygamma(n, x) for n >= 2 is (-1)^(n+1) n! zeta(n + 1, x) with Cephes' Hurwitz zeta (as
# PyTorch): direct summation until the term is below 9 and 9 terms are in (stopping early
# once a term is below machine precision), then the Euler-Maclaurin tail.
_ZETA_A = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
           7.47242496e10, -2.950130727918164224e12, 1.1646782814350067249e14,
           -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18)
_MACHEP = 1.11022302462515654042e-16


def _zeta(xp, s, q):
    """Hurwitz zeta(s, q) for an integer s >= 2 and a float64 array q."""
    given = q
    pole = (q <= 0) & (q == xp.floor(q))
    q = xp.where(pole | ~xp.isfinite(q), 1, q)  # (filled in at the end)
    total = q ** -s
    a = q.copy()
    b = xp.zeros_like(q)
    done = xp.zeros(q.shape, bool)
    steps = 9 + max(0, int(math.ceil(9 - float(q.min())))) if q.size else 0
    for i in range(1, steps + 1):
        active = ~done & ((i <= 9) | (a <= 9))
        a = xp.where(active, a + 1, a)
        term = a ** -s
        b = xp.where(active, term, b)
        total = xp.where(active, total + term, total)
        done |= active & (xp.abs(term) < _MACHEP * total)
    w = a
    total = xp.where(done, total, total + b * w / (s - 1) - 0.5 * b)
    a = xp.ones_like(q)
    k = 0.0
    for coef in _ZETA_A:
        a = a * (s + k)
        b = b / w
        t = a * b / coef
        total = xp.where(done, total, total + t)
        done |= xp.abs(t / total) < _MACHEP
        k += 1
        a = a * (s + k)
        b = b / w
        k += 1
    total = xp.where(pole, _INF, total)  # (-inf counts as a pole, as in Cephes)
    return xp.where(xp.isnan(given) | (given == _INF), math.nan, total)  # (inf * 0 in Cephes)


def _polygamma(xp, x, n):
    if n == 0:
        return _digamma(xp, x)
    if n == 1:
        return _trigamma(xp, x)
    sign = 1.0 if n % 2 else -1.0
    return sign * math.exp(math.lgamma(n + 1.0)) * _zeta(xp, n + 1, x)


def _special(xp, op, x, *args):
    """``op`` (a special-function op) applied in a backward: its kernel on raw arrays for a
    plain ``backward()``, the op itself (recorded, so differentiable again) under
    ``create_graph=True``."""
    return op.apply(x, *args) if xp is tensor_xp else op.kernel(xp, x, *args)


Erfc = _unary("Erfc", "ErfcBackward0", _in_double(_erfc),
              lambda xp, x, y: -_TWO_OVER_SQRT_PI * xp.exp(-(x * x)))
Erfinv = _unary("Erfinv", "ErfinvBackward0", _in_double(_erfinv),
                lambda xp, x, y: (0.5 * _SQRT_PI) * xp.exp(y * y), "output")
Digamma = _unary("Digamma", "DigammaBackward0", _in_double(_digamma),
                 lambda xp, x, y: _special(xp, Polygamma, x, 1))
Digamma.kernel = staticmethod(_in_double(_digamma))
Lgamma = _unary("Lgamma", "LgammaBackward0", _in_double(_lgamma),
                lambda xp, x, y: _special(xp, Digamma, x))


class Polygamma(Op):
    """``polygamma(n, x)``, the n-th derivative of digamma: its derivative is the next one."""
    node_name = "PolygammaBackward0"
    kernel = staticmethod(_in_double(_polygamma))

    @staticmethod
    def forward(ctx, a, n):
        ctx.n = n
        if ctx.needs_input_grad[0]:
            ctx.save_for_backward(a)
        return Polygamma.kernel(ctx.xp, a, n)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * _special(ctx.xp, Polygamma, x, ctx.n + 1), None


class PolygammaInplace(Polygamma):
    """``x.polygamma_(n)``: PyTorch records the in-place overload under its own name."""
    node_name = "PolygammaBackward1"


def _sinc(xp, x):
    p = x * math.pi
    return xp.where(x == 0, 1, xp.sin(p) / p)


def _sinc_derivative(xp, x, y):
    """(pi x cos(pi x) - sin(pi x)) / (pi x^2), 0 at x = 0 (PyTorch's sinc_backward)."""
    p = x * math.pi
    x2pi = x * x * math.pi
    return xp.where(x2pi == 0, 0, (p * xp.cos(p) - xp.sin(p)) / x2pi)


Sinc = _unary("Sinc", "SincBackward0", _sinc, _sinc_derivative)
Deg2rad = _unary("Deg2rad", "Deg2RadBackward0", lambda xp, x: x * _PI_180,
                 lambda xp, x, y: _PI_180, "none")
Rad2deg = _unary("Rad2deg", "Rad2DegBackward0", lambda xp, x: x * _180_PI,
                 lambda xp, x, y: _180_PI, "none")


def _sgn(xp, x):
    if x.dtype.kind == "c":  # x / |x|, 0 at 0
        size = xp.abs(x)
        return xp.where(size == 0, 0, x / xp.where(size == 0, 1, size)).astype(x.dtype)
    return _sign(xp, x)


class Sgn(_Step):
    """``sgn``: for real tensors sign, with zero gradient; for complex ones ``x / |x|``, whose
    gradient is PyTorch's ``(g - sgn * Re(conj(sgn) g)) / |x|`` (0 at 0)."""
    node_name = "SgnBackward0"

    @staticmethod
    def forward(ctx, a):
        out = _sgn(ctx.xp, a)
        if a.dtype.kind == "c" and ctx.needs_input_grad[0]:
            ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        if not ctx.saved_tensors:
            return ctx.xp.zeros_like(g)
        x, s = ctx.saved_tensors
        xp = ctx.xp
        size = xp.abs(x)
        grad = (g - s * xp.real(xp.conj(s) * g)) / xp.where(size == 0, 1, size)
        return xp.where(size == 0, 0, grad)


class NanToNum(Op):
    """NaN and infinities replaced by numbers: the gradient passes where the input is finite."""
    node_name = "NanToNumBackward0"

    @staticmethod
    def forward(ctx, a, nan, posinf, neginf):
        if ctx.needs_input_grad[0]:
            ctx.save_for_backward(a)
        return ctx.xp.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * ctx.xp.isfinite(x), None, None, None


class Hypot(Op):
    """``sqrt(a*a + b*b)`` without overflow: d/da = a / out, d/db = b / out."""
    node_name = "HypotBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b, dt):
        out = ctx.xp.hypot(a, b, dtype=dt, casting="unsafe")
        ctx.save_for_backward(_need(ctx, 0, a), _need(ctx, 1, b), out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        scale = g / out
        return (scale * a if ctx.needs_input_grad[0] else None,
                scale * b if ctx.needs_input_grad[1] else None, None)


class Logaddexp(Op):
    """``log(exp(a) + exp(b))`` without overflow; ``Logaddexp2`` is the same in base 2. The
    gradient of ``a`` is ``1 / (1 + base ** (b - a))``."""
    node_name = "LogaddexpBackward0"
    _n_inputs = 2
    _base2 = False

    @classmethod
    def forward(cls, ctx, a, b, dt):
        ctx.save_for_backward(a, b)
        kernel = ctx.xp.logaddexp2 if cls._base2 else ctx.xp.logaddexp
        return kernel(a, b, dtype=dt, casting="unsafe")

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        power = ctx.xp.exp2 if ctx._forward_cls._base2 else ctx.xp.exp
        return (g / (1 + power(b - a)) if ctx.needs_input_grad[0] else None,
                g / (1 + power(a - b)) if ctx.needs_input_grad[1] else None, None)


class Logaddexp2(Logaddexp):
    node_name = "Logaddexp2Backward0"
    _base2 = True


def _xlogy(xp, x, y):
    """``x * log(y)``, 0 where ``x`` is 0 unless ``y`` is NaN (PyTorch's xlogy)."""
    if isinstance(y, float):  # a Python number stays one (NumPy's log would make it float64)
        return x * math.nan if math.isnan(y) else xp.where(x == 0, 0, x * _log_number(y))
    return xp.where((x == 0) & ~xp.isnan(y), 0, x * xp.log(y))


def _log_number(y):
    return math.log(y) if y > 0 else -_INF if y == 0 else math.nan


class Xlogy(Op):
    """``xlogy(x, y)`` of two tensors: d/dx = xlogy(1, y) (0 where x == 0 and y <= 0),
    d/dy = x / y."""
    node_name = "XlogyBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, x, y, dt):
        ctx.save_for_backward(x, y)
        return _xlogy(ctx.xp, _cast(x, dt), _cast(y, dt))

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        xp = ctx.xp
        gx = xp.where((x == 0) & (y <= 0), 0, _xlogy(xp, g, y)) \
            if ctx.needs_input_grad[0] else None
        return gx, (g * x / y if ctx.needs_input_grad[1] else None), None


class XlogyScalarOther(Op):
    """``xlogy(tensor, number)``."""
    node_name = "XlogyBackward2"

    @staticmethod
    def forward(ctx, x, y, dt):
        ctx.save_for_backward(x)
        ctx.y = y
        return _xlogy(ctx.xp, _cast(x, dt), y)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        xp, y = ctx.xp, ctx.y
        grad = _xlogy(xp, g, y)
        if not y > 0:
            grad = xp.where(x == 0, 0, grad)
        return grad, None, None


class XlogyScalarSelf(Op):
    """``xlogy(number, tensor)``: the tensor is the only input."""
    node_name = "XlogyBackward1"

    @staticmethod
    def forward(ctx, y, x, dt):
        ctx.save_for_backward(y)
        ctx.x = x
        return _cast(_xlogy(ctx.xp, x, _cast(y, dt)), dt)

    @staticmethod
    def backward(ctx, g):
        y, = ctx.saved_tensors
        return g * ctx.x / y, None, None


class Copysign(Op):
    """``|a|`` with the sign of ``b``: d/da = out / a (0 at a == 0); ``b`` gets zeros."""
    node_name = "CopysignBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b, dt):
        out = ctx.xp.copysign(a, b, dtype=dt, casting="unsafe")
        ctx.save_for_backward(_need(ctx, 0, a), _need(ctx, 0, out))
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        xp = ctx.xp
        ga = g * xp.where(a == 0, 0, out / a) if ctx.needs_input_grad[0] else None
        gb = xp.zeros_like(g) if ctx.needs_input_grad[1] else None
        return ga, gb, None


class CopysignScalar(Copysign):
    node_name = "CopysignBackward1"
    _n_inputs = 1


def _heaviside(xp, a, values, dt):
    return xp.where(a == 0, values, a > 0).astype(dt, copy=False)


# ---------------------------------------------------------------------------- their functions
def _real_function(op, kernel, doc, name=None):
    """A unary function with a floating result that PyTorch has no complex kernel for."""
    def fn(input, *, out=None):
        kind = input._data.dtype.kind
        if kind == "c":
            raise _not_implemented(kernel, input)
        if kind != "f":
            input = input.to(_dtype.get_default_dtype())
        return op.apply(input)
    fn.__name__ = fn.__qualname__ = name or op.__name__.lower()
    fn.__doc__ = doc
    return fn


erfc = _real_function(Erfc, "erfc_vml_cpu", "Elementwise complementary error function "
                      "``1 - erf(input)``, accurate where erf is near 1.")
erfinv = _real_function(Erfinv, "erfinv_vml_cpu", "Elementwise inverse error function: "
                        "``erf(erfinv(y)) == y`` on (-1, 1); +-inf at +-1, NaN outside.")
lgamma = _real_function(Lgamma, "lgamma_vml_cpu", "Elementwise ``log(|gamma(input)|)`` (inf "
                        "at the poles 0, -1, -2, ...).")
digamma = _real_function(Digamma, "digamma", "Elementwise digamma ``d/dx lgamma(x)``: -inf at "
                         "0 (+inf at -0), NaN at the negative integers.")
sinc = _float_function(Sinc, "Elementwise normalized sinc ``sin(pi x) / (pi x)``, 1 at 0.")


def _no_complex_angle(op, name, doc):
    def fn(input, *, out=None):
        if input._data.dtype.kind == "c":
            raise RuntimeError(f"{name} is not supported for complex tensors.")
        if input._data.dtype.kind != "f":
            input = input.to(_dtype.get_default_dtype())
        return op.apply(input)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


deg2rad = _no_complex_angle(Deg2rad, "deg2rad", "Elementwise degrees to radians.")
rad2deg = _no_complex_angle(Rad2deg, "rad2deg", "Elementwise radians to degrees.")


def polygamma(n, input, *, out=None):
    """The ``n``-th derivative of digamma, elementwise (``n = 0`` is digamma itself)."""
    return _polygamma_of(Polygamma, n, input)


def _polygamma_of(op, n, input):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"polygamma(): argument 'n' (position 1) must be int, not "
                        f"{type(n).__name__}")
    if not isinstance(input, Tensor):
        raise TypeError(f"polygamma(): argument 'input' (position 2) must be Tensor, not "
                        f"{type(input).__name__}")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    if input._data.dtype.kind == "c":
        raise _not_implemented("polygamma", input)
    if input._data.dtype.kind != "f":
        input = input.to(_dtype.get_default_dtype())
    return op.apply(input, int(n))


def sgn(input, *, out=None):
    """``input / |input|`` for complex tensors (0 at 0); :func:`sign` for real ones."""
    if input._data.dtype.kind == "b":
        return input.clone()
    return Sgn.apply(input)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """NaN replaced by ``nan``, +inf by ``posinf`` and -inf by ``neginf`` (by default the
    largest and the lowest finite value of the dtype). Integer tensors are returned copied."""
    for value, label in ((nan, "nan"), (posinf, "posinf"), (neginf, "neginf")):
        if value is not None and not isinstance(value, (int, float, np.number)):
            raise TypeError(f"nan_to_num(): argument '{label}' must be float, not "
                            f"{type(value).__name__}")
    if input._data.dtype.kind not in "fc":
        return input.clone()
    return NanToNum.apply(input, 0.0 if nan is None else nan, posinf, neginf)


def _tensor_operands(name, input, other, other_name="other"):
    """PyTorch's TypeError for a function of two tensors given something else."""
    for arg, position, label in ((input, 1, "input"), (other, 2, other_name)):
        if not isinstance(arg, Tensor):
            raise TypeError(f"{name}(): argument '{label}' (position {position}) must be Tensor, "
                            f"not {type(arg).__name__}")


def _float_pair(op, kernel):
    """hypot / logaddexp / logaddexp2: two tensors whose result type must be floating."""
    @_broadcasting
    def fn(input, other, *, out=None):
        _tensor_operands(fn.__name__, input, other)
        dt = _dtype.result_type(input, other).np
        if dt.kind != "f":
            raise NotImplementedError(f'"{kernel}" not implemented for '
                                      f"'{SCALAR_TYPE_NAMES.get(dt.name, dt.name)}'")
        return op.apply(input, other, dt)
    fn.__name__ = fn.__qualname__ = kernel[:-len("_cpu")]
    return fn


hypot = _float_pair(Hypot, "hypot_cpu")
hypot.__doc__ = "Elementwise ``sqrt(input**2 + other**2)``, without overflow."
logaddexp = _float_pair(Logaddexp, "logaddexp_cpu")
logaddexp.__doc__ = "Elementwise ``log(exp(input) + exp(other))``, without overflow."
logaddexp2 = _float_pair(Logaddexp2, "logaddexp2_cpu")
logaddexp2.__doc__ = "Elementwise ``log2(2**input + 2**other)``, without overflow."


def _overloads(name, got, signatures):
    return TypeError(f"{name}() received an invalid combination of arguments - got ({got}), "
                     "but expected one of:\n" + "".join(f" * ({s})\n" for s in signatures))


def _number_or_tensor(x):
    return isinstance(x, (Tensor, int, float))


_XLOGY_SIGNATURES = ("Tensor input, Tensor other, *, Tensor out = None",
                     "Number self, Tensor other, *, Tensor out = None",
                     "Tensor input, Number other, *, Tensor out = None")


@_broadcasting
def xlogy(input, other, *, out=None):
    """Elementwise ``input * log(other)``, 0 where ``input`` is 0 (unless ``other`` is NaN)."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor) or \
            not _number_or_tensor(input) or not _number_or_tensor(other):
        raise _overloads("xlogy", f"{type(input).__name__}, {type(other).__name__}",
                         _XLOGY_SIGNATURES)
    for t in (input, other):
        if isinstance(t, Tensor) and t._data.dtype.kind == "c":
            raise _not_implemented("xlogy_cpu", t)
    dt = _float_dtype(input, other)
    if not isinstance(input, Tensor):
        return XlogyScalarSelf.apply(other, float(input), dt)
    if not isinstance(other, Tensor):
        return XlogyScalarOther.apply(input, float(other), dt)
    return Xlogy.apply(input, other, dt)


@_broadcasting
def copysign(input, other, *, out=None):
    """Elementwise ``|input|`` with the sign of ``other`` (a tensor or a number); the result
    is floating."""
    if not isinstance(input, Tensor) or not _number_or_tensor(other):
        raise _overloads("copysign", f"{type(input).__name__}, {type(other).__name__}",
                         _XLOGY_SIGNATURES[::2])
    if input._data.dtype.kind == "c":
        raise _not_implemented("copysign_cpu", input)
    dt = _float_dtype(input, other)
    if isinstance(other, Tensor):
        return Copysign.apply(input, other, dt)
    return CopysignScalar.apply(input, other, dt)


@_broadcasting
def heaviside(input, values):
    """Heaviside step: 0 where ``input < 0``, ``values`` where it is 0, 1 where it is > 0.
    Not differentiable."""
    _tensor_operands("heaviside", input, values, "values")
    if input._data.dtype.kind == "c" or values._data.dtype.kind == "c":
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")
    if input._data.dtype != values._data.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different "
                           "dtypes.")
    return _not_differentiable(input, values, _heaviside, input._data.dtype, "heaviside")


def signbit(input, *, out=None):
    """Whether the sign bit is set, elementwise (True for -0.0 and negative NaN)."""
    a = input._data
    if a.dtype.kind == "c":
        raise NotImplementedError("signbit is not implemented for complex tensors.")
    return Tensor._make(np.asarray(np.signbit(a) if a.dtype.kind == "f" else a < 0))


def _infinity_test(ufunc, name):
    def test(input, *, out=None):
        a = input._data
        if a.dtype.kind == "c":
            raise RuntimeError(f"{name} does not support complex inputs.")
        if a.dtype.kind != "f":
            return Tensor._make(np.zeros(a.shape, np.bool_))
        return Tensor._make(np.asarray(ufunc(a)))
    test.__name__ = test.__qualname__ = name
    test.__doc__ = f"Elementwise ``{name}``, a bool tensor (all False for integers)."
    return test


isposinf = _infinity_test(np.isposinf, "isposinf")
isneginf = _infinity_test(np.isneginf, "isneginf")


def isreal(input):
    """True where the element has no imaginary part (everywhere for real dtypes)."""
    a = input._data
    return Tensor._make(np.asarray(a.imag == 0) if a.dtype.kind == "c" else
                        np.ones(a.shape, np.bool_))


_ISIN_SIGNATURES = (
    "Tensor elements, Tensor test_elements, *, bool assume_unique = False, bool invert = False, "
    "Tensor out = None",
    "Number element, Tensor test_elements, *, bool assume_unique = False, bool invert = False, "
    "Tensor out = None",
    "Tensor elements, Number test_element, *, bool assume_unique = False, bool invert = False, "
    "Tensor out = None")


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """Whether each of ``elements`` is in ``test_elements`` (either may be a number), as a
    bool tensor of ``elements``' shape; both are compared in their promoted type."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise _overloads("isin", f"{type(elements).__name__}, {type(test_elements).__name__}",
                         _ISIN_SIGNATURES)
    for t in (elements, test_elements):
        if isinstance(t, Tensor) and t._data.dtype.kind == "b":
            raise RuntimeError("Unsupported input type encountered for isin(): Bool")
    dt = _dtype.result_type(elements, test_elements).np
    a = np.asarray(elements._data if isinstance(elements, Tensor) else elements).astype(dt)
    b = np.asarray(test_elements._data if isinstance(test_elements, Tensor)
                   else test_elements).astype(dt)
    return Tensor._make(np.asarray(np.isin(a, b, assume_unique=assume_unique, invert=invert)))


def is_complex(input):
    """True if ``input`` has a complex dtype."""
    return input._data.dtype.kind == "c"


def is_nonzero(input):
    """The truth of a one-element tensor, as a Python bool."""
    n = input._data.size
    if n != 1:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous" if n == 0 else
                           "Boolean value of Tensor with more than one value is ambiguous")
    return bool(input._data.reshape(()))


# ---------------------------------------------------------------------------- not differentiable
def _raw_pair(input, other):
    """Raw operands of a non-differentiable binary function, cast to PyTorch's result dtype
    where NumPy's would differ."""
    input, other = int_operand(other, input), int_operand(input, other)
    a = input._data if isinstance(input, Tensor) else input
    b = other._data if isinstance(other, Tensor) else other
    dt = binary_dtype(input, other)
    if dt is not None:
        a, b = np.asarray(a).astype(dt, copy=False), np.asarray(b).astype(dt, copy=False)
    return a, b


def _compare(ufunc, name):
    @_broadcasting
    def compare(input, other, *, out=None):
        a, b = _raw_pair(input, as_tensor_arg(other))
        return Tensor._make(np.asarray(ufunc(a, b)))
    compare.__name__ = compare.__qualname__ = name
    compare.__doc__ = f"Elementwise ``{ufunc.__name__}``, a bool tensor."
    return compare


eq = _compare(np.equal, "eq")
ne = not_equal = _compare(np.not_equal, "ne")
lt = less = _compare(np.less, "lt")
le = less_equal = _compare(np.less_equal, "le")
gt = greater = _compare(np.greater, "gt")
ge = greater_equal = _compare(np.greater_equal, "ge")
logical_and = _compare(np.logical_and, "logical_and")
logical_or = _compare(np.logical_or, "logical_or")
logical_xor = _compare(np.logical_xor, "logical_xor")


def _bitwise(ufunc, name, kernel):
    """Bitwise functions of integer tensors (logical on bool); floats are refused."""
    @_broadcasting
    def bitwise(input, other, *, out=None):
        other = as_tensor_arg(other)
        dt = _dtype.result_type(input, other)
        if dt.np.kind not in "biu":
            raise NotImplementedError(f'"{kernel}" not implemented for '
                                      f"'{SCALAR_TYPE_NAMES[dt.np.name]}'")
        a, b = _raw_pair(input, other)
        return Tensor._make(np.asarray(ufunc(a, b)))
    bitwise.__name__ = bitwise.__qualname__ = name
    bitwise.__doc__ = f"Elementwise ``{ufunc.__name__}`` of integer or bool tensors."
    return bitwise


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and", "bitwise_and_cpu")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or", "bitwise_or_cpu")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor", "bitwise_xor_cpu")
bitwise_left_shift = _bitwise(np.left_shift, "bitwise_left_shift", "lshift_cpu")
bitwise_right_shift = _bitwise(np.right_shift, "bitwise_right_shift", "rshift_cpu")


def bitwise_not(input, *, out=None):
    """Elementwise ``~``: bit inversion of integers, logical not of bools."""
    if input._data.dtype.kind not in "biu":
        raise _not_implemented("bitwise_not_cpu", input)
    return Tensor._make(np.invert(input._data))


def _predicate(ufunc, name):
    def predicate(input):
        return Tensor._make(np.asarray(ufunc(input._data)))
    predicate.__name__ = predicate.__qualname__ = name
    predicate.__doc__ = f"Elementwise ``{name}``, a bool tensor."
    return predicate


logical_not = _predicate(np.logical_not, "logical_not")
isnan = _predicate(np.isnan, "isnan")
isinf = _predicate(np.isinf, "isinf")
isfinite = _predicate(np.isfinite, "isfinite")


# ---------------------------------------------------------------------------- in-place variants
def _inplace(fn, ufunc=None):
    """``self.fn_(...)``. With ``ufunc`` and no graph to record, NumPy writes straight into
    ``self`` (see ``_common.apply_inplace``)."""
    def method(self, *args, **kwargs):
        if kwargs:
            return apply_inplace(lambda s, *a: fn(s, *a, **kwargs), self, *args)
        return apply_inplace(fn, self, *args, ufunc=ufunc)
    method.__name__ = method.__qualname__ = fn.__name__ + "_"
    method.__doc__ = f"In-place version of :meth:`{fn.__name__}`."
    return method


def _inplace_alpha_first(fn, ufunc):
    """``add_``/``sub_``, also with PyTorch's deprecated ``x.add_(alpha, other)`` overload (old
    optimizer code's ``p.data.add_(-lr, grad)``), which warns as PyTorch does."""
    method = _inplace(fn, ufunc)
    name = method.__name__

    def call(self, *args, **kwargs):
        if len(args) == 2 and not kwargs and isinstance(args[1], Tensor) and \
                not isinstance(args[0], Tensor):
            warnings.warn(f"This overload of {name} is deprecated:\n\t{name}(Number alpha, Tensor "
                          f"other)\nConsider using one of the following signatures instead:\n\t"
                          f"{name}(Tensor other, *, Number alpha = 1)", UserWarning, stacklevel=2)
            return method(self, args[1], alpha=args[0])
        return method(self, *args, **kwargs)
    call.__name__ = call.__qualname__ = name
    call.__doc__ = method.__doc__
    return call


def _records_graph(self, *others):
    return _state.enabled and (self._requires_grad or any(
        isinstance(o, Tensor) and o._requires_grad for o in others))


def _overwrite(self, array_fill):
    """The no-graph path of zero_/fill_/copy_: write straight into ``self``'s memory."""
    check_inplace(self)
    array_fill(self._data)
    self._version_counter[0] += 1
    return self


def zero_(self):
    """Fill ``self`` with zeros, in place."""
    if _records_graph(self):
        return apply_inplace(Zero.apply, self)
    return _overwrite(self, lambda a: a.fill(0))


def fill_(self, value):
    """Fill ``self`` with ``value`` (a number or a 0-d tensor, converted to ``self``'s dtype)."""
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor "
                               f"with {value._data.ndim} dimensions.")
        if _records_graph(self, value):
            return apply_inplace(FillTensor.apply, self, value)
        return _overwrite(self, lambda a: a.fill(value._data))
    if _records_graph(self):
        return apply_inplace(Fill.apply, self, value)
    return _overwrite(self, lambda a: a.fill(value))


def copy_(self, src, non_blocking=False):
    """Copy ``src`` into ``self``: broadcast to ``self``'s shape and converted to its dtype.
    Differentiable with respect to ``src`` (PyTorch's ``CopyBackwards``)."""
    src = as_tensor_arg(src, "src")
    if not isinstance(src, Tensor):
        src = Tensor._make(np.asarray(src))
    error = _broadcast_error(self, src)
    if error is not None:
        raise error
    if np.broadcast_shapes(self._data.shape, src._data.shape) != self._data.shape:
        raise RuntimeError(f"output with shape [{', '.join(map(str, self._data.shape))}] "
                           f"doesn't match the broadcast shape "
                           f"[{', '.join(map(str, np.broadcast_shapes(self._data.shape, src._data.shape)))}]")
    if _records_graph(self, src):
        return apply_inplace(Copy.apply, self, src)
    return _overwrite(self, lambda a: np.copyto(a, src._data, casting="unsafe"))


INPLACE = {
    "add_": _inplace_alpha_first(add, np.add), "sub_": _inplace_alpha_first(sub, np.subtract),
    "subtract_": _inplace(sub, np.subtract), "mul_": _inplace(mul, np.multiply),
    "multiply_": _inplace(mul, np.multiply), "div_": _inplace(div, np.true_divide),
    "divide_": _inplace(div, np.true_divide), "true_divide_": _inplace(div, np.true_divide),
    "pow_": _inplace(pow, np.power), "neg_": _inplace(neg, np.negative),
    "negative_": _inplace(neg, np.negative), "square_": _inplace(square, np.square),
    "exp_": _inplace(exp, np.exp), "exp2_": _inplace(exp2, np.exp2),
    "expm1_": _inplace(expm1, np.expm1), "log_": _inplace(log, np.log),
    "log2_": _inplace(log2, np.log2), "log10_": _inplace(log10, np.log10),
    "log1p_": _inplace(log1p, np.log1p), "sqrt_": _inplace(sqrt, np.sqrt),
    "rsqrt_": _inplace(rsqrt), "reciprocal_": _inplace(reciprocal),
    "sin_": _inplace(sin, np.sin), "cos_": _inplace(cos, np.cos), "tan_": _inplace(tan, np.tan),
    "asin_": _inplace(asin, np.arcsin), "acos_": _inplace(acos, np.arccos),
    "atan_": _inplace(atan, np.arctan), "arcsin_": _inplace(asin, np.arcsin),
    "arccos_": _inplace(acos, np.arccos), "arctan_": _inplace(atan, np.arctan),
    "atan2_": _inplace(atan2), "arctan2_": _inplace(atan2),
    "sinh_": _inplace(sinh, np.sinh), "cosh_": _inplace(cosh, np.cosh),
    "tanh_": _inplace(tanh, np.tanh), "erf_": _inplace(erf), "sigmoid_": _inplace(sigmoid),
    "abs_": _inplace(abs), "absolute_": _inplace(abs), "relu_": _inplace(relu),
    "sign_": _inplace(sign), "floor_": _inplace(floor), "ceil_": _inplace(ceil),
    "trunc_": _inplace(trunc), "fix_": _inplace(trunc), "round_": _inplace(round),
    "frac_": _inplace(frac), "clamp_": _inplace(clamp), "clip_": _inplace(clamp),
    "clamp_min_": _inplace(clamp_min), "clamp_max_": _inplace(clamp_max),
    "lerp_": _inplace(lerp), "addcmul_": _inplace(addcmul), "addcdiv_": _inplace(addcdiv),
    "remainder_": _inplace(remainder), "fmod_": _inplace(fmod),
    "floor_divide_": _inplace(floor_divide),
    "eq_": _inplace(eq), "ne_": _inplace(ne), "lt_": _inplace(lt), "le_": _inplace(le),
    "gt_": _inplace(gt), "ge_": _inplace(ge), "not_equal_": _inplace(ne),
    "less_": _inplace(lt), "less_equal_": _inplace(le), "greater_": _inplace(gt),
    "greater_equal_": _inplace(ge),
    "logical_and_": _inplace(logical_and), "logical_or_": _inplace(logical_or),
    "logical_xor_": _inplace(logical_xor), "logical_not_": _inplace(logical_not),
    "bitwise_and_": _inplace(bitwise_and), "bitwise_or_": _inplace(bitwise_or),
    "bitwise_xor_": _inplace(bitwise_xor), "bitwise_not_": _inplace(bitwise_not),
    "bitwise_left_shift_": _inplace(bitwise_left_shift),
    "bitwise_right_shift_": _inplace(bitwise_right_shift),
    "sgn_": _inplace(sgn), "hypot_": _inplace(hypot), "erfc_": _inplace(erfc),
    "erfinv_": _inplace(erfinv), "lgamma_": _inplace(lgamma), "digamma_": _inplace(digamma),
    "xlogy_": _inplace(xlogy), "heaviside_": _inplace(heaviside),
    "nan_to_num_": _inplace(nan_to_num), "copysign_": _inplace(copysign, np.copysign),
    "deg2rad_": _inplace(deg2rad), "rad2deg_": _inplace(rad2deg), "sinc_": _inplace(sinc),
    "polygamma_": lambda self, n: apply_inplace(
        lambda s: _polygamma_of(PolygammaInplace, n, s), self),
    "zero_": zero_, "fill_": fill_, "copy_": copy_,
    # not in-place, but a method whose signature differs from the function's
    "where": lambda self, condition, other: where(condition, self, other),
    "polygamma": lambda self, n: polygamma(n, self),
}
