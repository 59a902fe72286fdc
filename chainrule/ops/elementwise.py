"""Elementwise ops: arithmetic, powers, exponentials, trigonometry, rounding, activations,
comparisons, bitwise logic, casts and the in-place variants of all of them.

Each op is one class holding its forward and its derivative. A backward is written with
operators and ``ctx.xp`` (NumPy names) so that it runs on raw arrays for ``backward()`` and on
Tensors for ``create_graph=True`` (see autograd/function.py). A backward returns gradients at
the output's broadcast shape; the engine reduces them to each input's shape and dtype.
"""
import functools
import math

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd import grad_mode
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
           "bitwise_right_shift", "isnan", "isinf", "isfinite", "clone", "to_dtype"]

# Names that are also Tensor methods (x.exp()); operators are installed in ops/operators.py.
METHODS = [n for n in __all__ if n not in ("rsub", "to_dtype", "where")]

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
            dt_out = a.dtype if dt is None else dt
            b = ctx.xp.multiply(b, _scalar_of(alpha, dt_out), dtype=dt_out, casting="unsafe")
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
# PyTorch's sign is 0 at NaN (NumPy's is NaN): (x > 0) - (x < 0)
Sign = _step("Sign", lambda xp, x: xp.subtract(x > 0, x < 0, dtype=x.dtype))


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
    if not isinstance(input, Tensor):
        return NotDifferentiable.apply(other, input, True, kernel, dt, aten_name)
    if not isinstance(other, Tensor):
        return NotDifferentiable.apply(input, other, False, kernel, dt, aten_name)
    return NotDifferentiable2.apply(input, other, False, kernel, dt, aten_name)


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
    "add_": _inplace(add, np.add), "sub_": _inplace(sub, np.subtract),
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
    "zero_": zero_, "fill_": fill_, "copy_": copy_,
    # not in-place, but a method whose signature differs from the function's
    "where": lambda self, condition, other: where(condition, self, other),
}
