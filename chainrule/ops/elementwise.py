"""Elementwise ops: arithmetic, powers, exponentials, activations, comparisons, casts.

Each op is one class holding its forward and its derivative. A backward is written with
operators and ``ctx.xp`` (NumPy names) so that it runs on raw arrays for ``backward()`` and on
Tensors for ``create_graph=True`` (see autograd/function.py).
"""
import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ._common import Op, apply_inplace, as_tensor_arg, binary_dtype

__all__ = ["add", "sub", "subtract", "rsub", "mul", "multiply", "div", "divide", "true_divide",
           "neg", "negative", "pow", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "clamp",
           "clip", "clamp_min", "clamp_max", "where", "abs", "absolute", "square",
           "eq", "ne", "lt", "le", "gt", "ge", "greater", "less", "greater_equal", "less_equal",
           "not_equal", "logical_not", "logical_and", "logical_or", "logical_xor", "isnan",
           "isinf", "isfinite", "clone", "to_dtype", "reciprocal", "floor", "ceil", "trunc",
           "maximum", "minimum"]

# Names that are also Tensor methods (x.exp()); operators are installed in ops/__init__.
METHODS = ["add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "neg",
           "negative", "pow", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "clamp", "clip",
           "clamp_min", "clamp_max", "abs", "absolute", "square", "eq", "ne", "lt", "le", "gt",
           "ge", "greater", "less", "greater_equal", "less_equal", "not_equal", "logical_not",
           "logical_and", "logical_or", "logical_xor", "isnan", "isinf", "isfinite", "clone",
           "where", "reciprocal", "floor", "ceil", "trunc", "maximum", "minimum"]


def _need(ctx, i, value):
    """Save ``value`` only if input ``i`` will need it for its gradient."""
    return value if ctx.needs_input_grad[i] else None


# ---------------------------------------------------------------------------- arithmetic
class Add(Op):
    node_name = "AddBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b, alpha, dt):
        ctx.alpha = alpha
        if alpha != 1:
            b = ctx.xp.multiply(b, alpha, dtype=dt)
        return ctx.xp.add(a, b, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        return g, (g if ctx.alpha == 1 else g * ctx.alpha), None, None


class Sub(Op):
    node_name = "SubBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b, alpha, dt):
        ctx.alpha = alpha
        if alpha != 1:
            b = ctx.xp.multiply(b, alpha, dtype=dt)
        return ctx.xp.subtract(a, b, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        return g, (-g if ctx.alpha == 1 else g * -ctx.alpha), None, None


class Rsub(Sub):
    """``number - tensor``: the tensor is the only input."""
    node_name = "RsubBackward1"
    _n_inputs = 1

    @staticmethod
    def forward(ctx, a, b, alpha, dt):
        return ctx.xp.subtract(b, ctx.xp.multiply(a, alpha, dtype=dt) if alpha != 1 else a,
                               dtype=dt)

    @staticmethod
    def backward(ctx, g):
        return -g, None, None, None


class Mul(Op):
    node_name = "MulBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b, dt):
        ctx.save_for_backward(_need(ctx, 1, a), _need(ctx, 0, b))
        return ctx.xp.multiply(a, b, dtype=dt)

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
        ctx.save_for_backward(a)
        ctx.exponent = exponent
        return ctx.xp.power(a, exponent, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        e = ctx.exponent
        if e == 0:
            return g * 0, None, None
        return g * e * a ** (e - 1), None, None


class PowTensor(Op):
    """``tensor ** tensor``."""
    node_name = "PowBackward1"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b, dt):
        out = ctx.xp.power(a, b, dtype=dt)
        ctx.save_for_backward(a, b, _need(ctx, 1, out))
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        xp = ctx.xp
        ga = g * b * a ** (b - 1) if ctx.needs_input_grad[0] else None
        # d/db a**b = a**b * log(a), taken as 0 where a == 0 and b >= 0 (PyTorch's convention)
        gb = g * xp.where((a == 0) & (b >= 0), 0, out * xp.log(a)) \
            if ctx.needs_input_grad[1] else None
        return ga, gb, None


class RPow(Op):
    """``number ** tensor``."""
    node_name = "PowBackward2"

    @staticmethod
    def forward(ctx, b, base, dt):
        out = ctx.xp.power(base, b, dtype=dt)
        ctx.save_for_backward(out)
        ctx.log_base = float(np.log(base)) if base > 0 else float("nan") if base < 0 else None
        return out

    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        if ctx.log_base is None:  # 0 ** b
            return g * 0, None, None
        return g * out * ctx.log_base, None, None


# ---------------------------------------------------------------------------- unary math
def _unary(name, node_name, forward, derivative, saves="input"):
    """Build a one-input op: ``forward(xp, x)`` and ``derivative(xp, x, y)`` (dy/dx), where
    ``x`` / ``y`` are the saved input / output (the one not named in ``saves`` is None)."""

    def fwd(ctx, a):
        out = forward(ctx.xp, a)
        ctx.save_for_backward(a if saves in ("input", "both") else None,
                              out if saves in ("output", "both") else None)
        return out

    def bwd(ctx, g):
        x, y = ctx.saved_tensors
        return g * derivative(ctx.xp, x, y)

    return type(name, (Op,), {"node_name": node_name, "forward": staticmethod(fwd),
                              "backward": staticmethod(bwd)})


Exp = _unary("Exp", "ExpBackward0", lambda xp, x: xp.exp(x), lambda xp, x, y: y, "output")
Log = _unary("Log", "LogBackward0", lambda xp, x: xp.log(x), lambda xp, x, y: 1 / x)
Sqrt = _unary("Sqrt", "SqrtBackward0", lambda xp, x: xp.sqrt(x), lambda xp, x, y: 0.5 / y,
              "output")
Tanh = _unary("Tanh", "TanhBackward0", lambda xp, x: xp.tanh(x), lambda xp, x, y: 1 - y * y,
              "output")
Sigmoid = _unary("Sigmoid", "SigmoidBackward0",
                 lambda xp, x: 0.5 * xp.tanh(0.5 * x) + 0.5,  # overflow-free logistic
                 lambda xp, x, y: y * (1 - y), "output")
Abs = _unary("Abs", "AbsBackward0", lambda xp, x: xp.abs(x), lambda xp, x, y: xp.sign(x))
Relu = _unary("Relu", "ReluBackward0", lambda xp, x: xp.maximum(x, 0),
              lambda xp, x, y: y > 0, "output")


Reciprocal = _unary("Reciprocal", "ReciprocalBackward0", lambda xp, x: 1 / x,
                    lambda xp, x, y: -(y * y), "output")


def _rounding(name, ufunc):
    """floor/ceil/round/trunc/frac-style steps: the derivative is zero almost everywhere."""
    return _unary(name.capitalize(), name.capitalize() + "Backward0",
                  lambda xp, x: getattr(xp, ufunc)(x), lambda xp, x, y: 0 * x)


Floor = _rounding("floor", "floor")
Ceil = _rounding("ceil", "ceil")
Trunc = _rounding("trunc", "trunc")


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
        xp = ctx.xp
        first = (a > b) if ctx._forward_cls._pick == "maximum" else (a < b)
        tie = (a == b) * 0.5
        return (g * (first + tie) if ctx.needs_input_grad[0] else None,
                g * (1 - first - tie) if ctx.needs_input_grad[1] else None, None)


class Minimum(Maximum):
    node_name = "MinimumBackward0"
    _pick = "minimum"


class Clamp(Op):
    node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, a, lo, hi):
        ctx.save_for_backward(a)
        ctx.lo, ctx.hi = lo, hi
        return ctx.xp.clip(a, lo, hi)

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        mask = True
        if ctx.lo is not None:
            mask = a >= ctx.lo
        if ctx.hi is not None:
            mask = mask & (a <= ctx.hi) if ctx.lo is not None else a <= ctx.hi
        return g * mask, None, None


class Where(Op):
    node_name = "WhereBackward0"
    _n_inputs = 3

    @staticmethod
    def forward(ctx, cond, a, b, dt):
        ctx.save_for_backward(cond)
        out = ctx.xp.where(cond, a, b)
        return out if dt is None else out.astype(dt, copy=False)

    @staticmethod
    def backward(ctx, g):
        cond, = ctx.saved_tensors
        xp = ctx.xp
        return (None, xp.where(cond, g, 0) if ctx.needs_input_grad[1] else None,
                xp.where(cond, 0, g) if ctx.needs_input_grad[2] else None, None)


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


# ---------------------------------------------------------------------------- public functions
def _check_alpha(alpha, a, b):
    if alpha != 1 and isinstance(alpha, float) and not (
            isinstance(a, Tensor) and a.is_floating_point() or
            isinstance(b, Tensor) and b.is_floating_point()):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")


def add(input, other, *, alpha=1, out=None):
    """``input + alpha * other``, broadcasting and promoting types as PyTorch does."""
    other = as_tensor_arg(other)
    if not isinstance(input, Tensor):
        input, other = other, input
    _check_alpha(alpha, input, other)
    return Add.apply(input, other, alpha, binary_dtype(input, other))


def sub(input, other, *, alpha=1, out=None):
    """``input - alpha * other``."""
    other = as_tensor_arg(other)
    if not isinstance(input, Tensor):
        return rsub(other, input, alpha=alpha)
    if input.dtype is _dtype.bool and isinstance(other, Tensor) and other.dtype is _dtype.bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    return Sub.apply(input, other, alpha, binary_dtype(input, other))


subtract = sub


def rsub(input, other, *, alpha=1):
    """``other - alpha * input``."""
    other = as_tensor_arg(other)
    if isinstance(other, Tensor):
        return sub(other, input, alpha=alpha)
    return Rsub.apply(input, other, alpha, binary_dtype(input, other))


def mul(input, other, *, out=None):
    """Elementwise product with broadcasting."""
    other = as_tensor_arg(other)
    if not isinstance(input, Tensor):
        input, other = other, input
    return Mul.apply(input, other, binary_dtype(input, other))


multiply = mul


def _div_dtype(a, b):
    dt = _dtype.result_type(a, b)
    return (dt if dt.is_floating_point or dt.is_complex else _dtype.get_default_dtype()).np


def div(input, other, *, rounding_mode=None, out=None):
    """``input / other``; integer inputs give a float result. ``rounding_mode`` 'trunc' or
    'floor' rounds the quotient (and keeps integer types)."""
    other = as_tensor_arg(other)
    if rounding_mode is not None:
        return _rounded_div(input, other, rounding_mode)
    if not isinstance(input, Tensor):  # number / tensor
        return mul(reciprocal(other), input)
    dt = binary_dtype(input, other)
    if input._data.dtype.kind not in "fc" or dt is not None and dt.kind not in "fc" or \
            isinstance(other, Tensor) and other._data.dtype.kind not in "fc" and \
            input._data.dtype.kind not in "fc":
        dt = _div_dtype(input, other)
    return Div.apply(input, other, dt)


divide = true_divide = div


def _rounded_div(input, other, rounding_mode):
    if rounding_mode not in ("trunc", "floor"):
        raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                         f"found '{rounding_mode}'")
    a = input._data if isinstance(input, Tensor) else input
    b = other._data if isinstance(other, Tensor) else other
    dt = _dtype.result_type(input, other).np
    if dt.kind in "iu":
        if np.any(np.asarray(b) == 0):
            raise RuntimeError("ZeroDivisionError")
        q = np.floor_divide(a, b, dtype=dt)
        if rounding_mode == "trunc":  # floor_divide rounds down; move negative inexact ones up
            q = q + ((np.remainder(a, b) != 0) & ((np.asarray(a) < 0) != (np.asarray(b) < 0)))
        return Tensor._make(np.asarray(q, dtype=dt))
    quotient = div(input, other)
    return floor(quotient) if rounding_mode == "floor" else trunc(quotient)


def neg(input, *, out=None):
    """``-input``."""
    if input.dtype is _dtype.bool:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return Neg.apply(input)


negative = neg


def pow(input, exponent, *, out=None):
    """``input ** exponent`` for tensor/number combinations."""
    exponent = as_tensor_arg(exponent, "exponent")
    if not isinstance(input, Tensor):
        return RPow.apply(exponent, input, binary_dtype(input, exponent))
    if isinstance(exponent, Tensor):
        return PowTensor.apply(input, exponent, binary_dtype(input, exponent))
    if input._data.dtype.kind in "iu" and isinstance(exponent, int) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    return PowScalar.apply(input, exponent, binary_dtype(input, exponent))


def _float_input(fn):
    """Unary float functions promote integer inputs to the default dtype, as PyTorch does."""
    def wrapper(input, *, out=None):
        if input._data.dtype.kind not in "fc":
            input = input.to(_dtype.get_default_dtype())
        return fn.apply(input)
    wrapper.__name__ = fn.__name__.lower()
    return wrapper


exp = _float_input(Exp)
exp.__doc__ = "Elementwise ``e ** input``."
log = _float_input(Log)
log.__doc__ = "Elementwise natural logarithm."
sqrt = _float_input(Sqrt)
sqrt.__doc__ = "Elementwise square root."
tanh = _float_input(Tanh)
tanh.__doc__ = "Elementwise hyperbolic tangent."
sigmoid = _float_input(Sigmoid)
sigmoid.__doc__ = "Elementwise logistic function ``1 / (1 + exp(-input))``."


def abs(input, *, out=None):
    """Elementwise absolute value."""
    return Abs.apply(input)


absolute = abs


def relu(input, inplace=False):
    """``max(input, 0)`` elementwise."""
    if inplace:
        return input.relu_()
    return Relu.apply(input)


def square(input, *, out=None):
    """``input * input``."""
    return pow(input, 2)


def reciprocal(input, *, out=None):
    """Elementwise ``1 / input``."""
    if input._data.dtype.kind not in "fc":
        input = input.to(_dtype.get_default_dtype())
    return Reciprocal.apply(input)


def floor(input, *, out=None):
    """Largest integer <= each element (integer tensors are returned unchanged)."""
    return Floor.apply(input) if input._data.dtype.kind == "f" else input.clone()


def ceil(input, *, out=None):
    """Smallest integer >= each element."""
    return Ceil.apply(input) if input._data.dtype.kind == "f" else input.clone()


def trunc(input, *, out=None):
    """Round each element towards zero."""
    return Trunc.apply(input) if input._data.dtype.kind == "f" else input.clone()


def _pairwise(op):
    def fn(input, other, *, out=None):
        other = as_tensor_arg(other)
        if not isinstance(other, Tensor):
            other = Tensor._make(np.asarray(other, dtype=input._data.dtype))
        dt = binary_dtype(input, other)
        return op.apply(input, other, dt)
    fn.__name__ = op._pick
    fn.__doc__ = f"Elementwise {op._pick} of two tensors (NaN propagates)."
    return fn


maximum = _pairwise(Maximum)
minimum = _pairwise(Minimum)


def _number(x):
    if isinstance(x, Tensor):
        return x.item()
    return x


def clamp(input, min=None, max=None, *, out=None):
    """Clamp every element into ``[min, max]`` (either bound may be None)."""
    if isinstance(min, Tensor) and min.ndim or isinstance(max, Tensor) and max.ndim:
        out = input
        if min is not None:
            out = maximum(out, min)
        if max is not None:
            out = minimum(out, max)
        return out
    min, max = _number(min), _number(max)
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    return Clamp.apply(input, min, max)


clip = clamp


def clamp_min(input, min):
    """Clamp from below."""
    return clamp(input, min=min)


def clamp_max(input, max):
    """Clamp from above."""
    return clamp(input, max=max)


def where(condition, input=None, other=None, *, out=None):
    """Elements of ``input`` where ``condition`` holds, else of ``other``; ``where(cond)`` is
    ``nonzero(cond, as_tuple=True)``."""
    if input is None and other is None:
        from .indexing import nonzero
        return nonzero(condition, as_tuple=True)
    if condition._data.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {condition.dtype.name.capitalize()}")
    input, other = as_tensor_arg(input), as_tensor_arg(other)
    dt = _dtype.result_type(input, other)
    ref = input if isinstance(input, Tensor) else other if isinstance(other, Tensor) else None
    cast = None if ref is not None and ref._data.dtype == dt.np and (
        not isinstance(other, Tensor) or other._data.dtype == dt.np) and (
        not isinstance(input, Tensor) or input._data.dtype == dt.np) else dt.np
    return Where.apply(condition, input, other, cast)


def to_dtype(input, dtype):
    """A copy of ``input`` converted to ``dtype`` (differentiable between float types)."""
    return ToCopy.apply(input, dtype.np)


def clone(input, *, memory_format=None):
    """A copy of ``input`` that stays in the graph."""
    return Clone.apply(input)


# ---------------------------------------------------------------------------- not differentiable
def _compare(ufunc):
    def compare(input, other, *, out=None):
        other = as_tensor_arg(other)
        a = input._data if isinstance(input, Tensor) else input
        b = other._data if isinstance(other, Tensor) else other
        dt = binary_dtype(input, other)
        if dt is not None:
            a, b = np.asarray(a).astype(dt, copy=False), np.asarray(b).astype(dt, copy=False)
        return Tensor._make(np.asarray(ufunc(a, b)))
    compare.__name__ = ufunc.__name__
    compare.__doc__ = f"Elementwise ``{ufunc.__name__}`` comparison, a bool tensor."
    return compare


eq = _compare(np.equal)
ne = not_equal = _compare(np.not_equal)
lt = less = _compare(np.less)
le = less_equal = _compare(np.less_equal)
gt = greater = _compare(np.greater)
ge = greater_equal = _compare(np.greater_equal)
logical_and = _compare(np.logical_and)
logical_or = _compare(np.logical_or)
logical_xor = _compare(np.logical_xor)


def _predicate(ufunc, name):
    def predicate(input):
        return Tensor._make(np.asarray(ufunc(input._data)))
    predicate.__name__ = name
    predicate.__doc__ = f"Elementwise ``{name}``, a bool tensor."
    return predicate


logical_not = _predicate(np.logical_not, "logical_not")
isnan = _predicate(np.isnan, "isnan")
isinf = _predicate(np.isinf, "isinf")
isfinite = _predicate(np.isfinite, "isfinite")


# ---------------------------------------------------------------------------- in-place variants
def _inplace(fn, ufunc=None):
    def method(self, *args, **kwargs):
        if kwargs:
            return apply_inplace(lambda s, *a: fn(s, *a, **kwargs), self, *args)
        return apply_inplace(fn, self, *args, ufunc=ufunc)
    method.__name__ = fn.__name__ + "_"
    method.__doc__ = f"In-place version of :meth:`{fn.__name__}`."
    return method


INPLACE = {
    "add_": _inplace(add, np.add), "sub_": _inplace(sub, np.subtract),
    "mul_": _inplace(mul, np.multiply), "div_": _inplace(div, np.true_divide),
    "pow_": _inplace(pow, np.power), "neg_": _inplace(neg, np.negative),
    "exp_": _inplace(exp, np.exp), "log_": _inplace(log, np.log),
    "sqrt_": _inplace(sqrt, np.sqrt), "tanh_": _inplace(tanh, np.tanh),
    "sigmoid_": _inplace(sigmoid), "abs_": _inplace(abs, np.absolute),
    "relu_": _inplace(relu), "clamp_": _inplace(clamp), "clip_": _inplace(clamp),
    "clamp_min_": _inplace(clamp_min), "clamp_max_": _inplace(clamp_max),
    "square_": _inplace(square, np.square),
    "subtract_": _inplace(sub, np.subtract), "multiply_": _inplace(mul, np.multiply),
    "divide_": _inplace(div, np.true_divide), "true_divide_": _inplace(div, np.true_divide),
    "negative_": _inplace(neg, np.negative),
}
