"""Elementwise ops against PyTorch: values, grad_fn names, next_functions, gradients, type
promotion, in-place semantics and error messages."""
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import chainrule as cr  # noqa: E402

warnings.filterwarnings("ignore", category=RuntimeWarning)

RNG = np.random.default_rng(0)

# How each op's inputs are drawn: away from singularities and branch points.
DOMAINS = {
    "any": lambda shape: RNG.uniform(-2, 2, shape),
    "pos": lambda shape: RNG.uniform(0.2, 3, shape),
    "unit": lambda shape: RNG.uniform(-0.9, 0.9, shape),
    "nonint": lambda shape: np.floor(RNG.uniform(-3, 3, shape)) + RNG.uniform(0.1, 0.9, shape),
}

UNARY = [
    ("exp", "any"), ("exp2", "any"), ("expm1", "any"), ("log", "pos"), ("log2", "pos"),
    ("log10", "pos"), ("log1p", "pos"), ("sqrt", "pos"), ("rsqrt", "pos"),
    ("reciprocal", "pos"), ("square", "any"), ("sin", "any"), ("cos", "any"), ("tan", "unit"),
    ("asin", "unit"), ("acos", "unit"), ("atan", "any"), ("sinh", "any"), ("cosh", "any"),
    ("tanh", "any"), ("erf", "any"), ("sigmoid", "any"), ("relu", "any"), ("abs", "any"),
    ("neg", "any"), ("sign", "any"), ("floor", "nonint"), ("ceil", "nonint"),
    ("trunc", "nonint"), ("round", "nonint"), ("frac", "nonint"),
]

# Layouts of the input: contiguous, transposed (non-contiguous), strided slice, 0-d.
LAYOUTS = {
    "contiguous": ((3, 4), lambda t: t),
    "transposed": ((4, 3), lambda t: t.t()),
    "sliced": ((3, 8), lambda t: t[:, ::2]),
    "zero_dim": ((), lambda t: t),
}


def _tol(dtype):
    return dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)


def leaves(*arrays):
    """The same data as a chainrule and a torch leaf requiring grad (floats only)."""
    out_c, out_t = [], []
    for a in arrays:
        rg = a.dtype.kind == "f"
        out_c.append(cr.tensor(a, requires_grad=rg))
        out_t.append(torch.tensor(a, requires_grad=rg))
    return out_c, out_t


def check_same(c, t, dtype=np.float64):
    assert str(c.dtype) == str(t.dtype), (c.dtype, t.dtype)
    assert tuple(c.shape) == tuple(t.shape)
    # (force: some of PyTorch's zero gradients, sgn's, are ZeroTensors that refuse numpy())
    np.testing.assert_allclose(c.detach().numpy(), t.detach().numpy(force=True), **_tol(dtype))


def check_node(c, t):
    if t.grad_fn is None:
        assert c.grad_fn is None
        return
    assert c.grad_fn.name() == t.grad_fn.name()
    assert len(c.grad_fn.next_functions) == len(t.grad_fn.next_functions)
    for (cn, _), (tn, _) in zip(c.grad_fn.next_functions, t.grad_fn.next_functions):
        assert (cn is None) == (tn is None)
        if cn is not None:
            # AccumulateGrad's namespaced name() is the core's business; compare the class
            assert cn.name().rsplit("::", 1)[-1] == tn.name().rsplit("::", 1)[-1]


def check_backward(c_out, t_out, c_in, t_in, dtype):
    """Backward from a random upstream gradient; compare each leaf's gradient."""
    g = np.asarray(RNG.standard_normal(tuple(t_out.shape)).astype(dtype))
    c_out.backward(cr.tensor(g))
    t_out.backward(torch.tensor(g))
    for c, t in zip(c_in, t_in):
        if t.grad is None:
            assert c.grad is None
        else:
            check_same(c.grad, t.grad, dtype)


def run_parity(fn_c, fn_t, arrays, dtype):
    (c_in, t_in) = leaves(*arrays)
    c_out, t_out = fn_c(cr, *c_in), fn_t(torch, *t_in)
    check_same(c_out, t_out, dtype)
    check_node(c_out, t_out)
    if t_out.requires_grad:
        check_backward(c_out, t_out, c_in, t_in, dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("name,domain", UNARY)
def test_unary(name, domain, layout, dtype):
    shape, view = LAYOUTS[layout]
    x = np.asarray(DOMAINS[domain](shape).astype(dtype))
    run_parity(lambda m, a: getattr(m, name)(view(a)), lambda m, a: getattr(m, name)(view(a)),
               [x], dtype)


def test_erf_accuracy_float64():
    x = np.concatenate([np.linspace(-7, 7, 4001), [0.0, -0.0, 1e-300, np.inf, -np.inf]])
    np.testing.assert_allclose(cr.erf(cr.tensor(x)).numpy(), torch.erf(torch.tensor(x)).numpy(),
                               rtol=4e-16, atol=0)
    assert np.isnan(cr.erf(cr.tensor([np.nan])).item())


def test_sign_of_nan_and_zero():
    x = np.array([0.0, -0.0, 2.0, -3.0, np.nan], np.float32)
    assert cr.sign(cr.tensor(x)).tolist() == torch.sign(torch.tensor(x)).tolist()


def test_round_decimals():
    x = np.array([1.2345, 12.5, 0.125, -2.675, 1234.5, 1250.0], np.float32)
    for d in (1, 2, -2):
        check_same(cr.round(cr.tensor(x), decimals=d), torch.round(torch.tensor(x), decimals=d),
                   np.float32)
    a_c, a_t = leaves(x.astype(np.float64))
    c, t = cr.round(a_c[0], decimals=1), torch.round(a_t[0], decimals=1)
    check_node(c, t)
    check_backward(c, t, a_c, a_t, np.float64)


# Binary ops: (name, domain of a, domain of b, callable on the module).
BINARY = [
    ("add", "any", "any", lambda m, a, b: m.add(a, b)),
    ("add_alpha", "any", "any", lambda m, a, b: m.add(a, b, alpha=2.5)),
    ("sub", "any", "any", lambda m, a, b: a - b),
    ("sub_alpha", "any", "any", lambda m, a, b: m.sub(a, b, alpha=-1.5)),
    ("mul", "any", "any", lambda m, a, b: a * b),
    ("div", "any", "pos", lambda m, a, b: a / b),
    ("pow", "pos", "any", lambda m, a, b: a ** b),
    ("atan2", "any", "any", lambda m, a, b: m.atan2(a, b)),
    ("maximum", "any", "any", lambda m, a, b: m.maximum(a, b)),
    ("minimum", "any", "any", lambda m, a, b: m.minimum(a, b)),
    ("remainder", "any", "pos", lambda m, a, b: m.remainder(a, b)),
    ("mod", "any", "pos", lambda m, a, b: a % b),
    ("fmod", "any", "pos", lambda m, a, b: m.fmod(a, b)),
    ("div_floor", "any", "pos", lambda m, a, b: m.div(a, b, rounding_mode="floor")),
    ("div_trunc", "any", "pos", lambda m, a, b: m.div(a, b, rounding_mode="trunc")),
    ("lerp", "any", "any", lambda m, a, b: m.lerp(a, b, 0.3)),
    ("lerp_far", "any", "any", lambda m, a, b: m.lerp(a, b, 0.8)),
    ("lerp_tensor", "any", "unit", lambda m, a, b: m.lerp(a, b * 2, b)),
    ("addcmul", "any", "any", lambda m, a, b: m.addcmul(a, a, b, value=0.5)),
    ("addcdiv", "any", "pos", lambda m, a, b: m.addcdiv(b, a, b, value=-2)),
    ("clamp_tensor", "any", "unit", lambda m, a, b: m.clamp(a, b, b + 0.5)),
    ("clamp_tensor_min", "any", "unit", lambda m, a, b: m.clamp(a, min=b)),
    ("clamp_min_tensor", "any", "unit", lambda m, a, b: m.clamp_min(a, b)),
    ("clamp_max_tensor", "any", "unit", lambda m, a, b: m.clamp_max(a, b)),
    ("where", "any", "any", lambda m, a, b: m.where(a > b, a, b)),
    ("where_scalar", "any", "any", lambda m, a, b: m.where(a > b, a, 0.5)),
]

SHAPES = {
    "same": ((3, 4), (3, 4)),
    "row": ((3, 4), (4,)),
    "column": ((3, 1), (1, 4)),
    "zero_dim": ((3, 4), ()),
    "both_zero_dim": ((), ()),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shapes", list(SHAPES))
@pytest.mark.parametrize("name,da,db,fn", BINARY, ids=[b[0] for b in BINARY])
def test_binary(name, da, db, fn, shapes, dtype):
    sa, sb = SHAPES[shapes]
    a, b = DOMAINS[da](sa).astype(dtype), DOMAINS[db](sb).astype(dtype)
    run_parity(fn, fn, [a, b], dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_binary_non_contiguous(dtype):
    a, b = RNG.standard_normal((4, 3)).astype(dtype), RNG.uniform(0.5, 2, (3, 8)).astype(dtype)
    for _, _, _, fn in BINARY:
        run_parity(lambda m, x, y: fn(m, x.t(), y[:, ::2]), lambda m, x, y: fn(m, x.t(), y[:, ::2]),
                   [a, b], dtype)


SCALAR_OPS = [
    ("add", lambda x: x + 2.5), ("radd", lambda x: 2 + x), ("sub", lambda x: x - 1),
    ("rsub", lambda x: 2 - x), ("mul", lambda x: x * 3), ("rmul", lambda x: 0.5 * x),
    ("div", lambda x: x / 4), ("rdiv", lambda x: 2 / x), ("pow", lambda x: x ** 3),
    ("pow_half", lambda x: x ** 0.5), ("pow_zero", lambda x: x ** 0), ("rpow", lambda x: 2 ** x),
    ("remainder", lambda x: x % 0.7), ("fmod", lambda x: x.fmod(0.7)),
    ("clamp", lambda x: x.clamp(0.5, 1.5)), ("clamp_lo", lambda x: x.clamp(min=1.0)),
    ("clamp_hi", lambda x: x.clamp(max=1.0)), ("clamp_min", lambda x: x.clamp_min(1.0)),
    ("clamp_max", lambda x: x.clamp_max(1.0)), ("clip", lambda x: x.clip(0.5, 1.5)),
    ("div_floor", lambda x: x.div(0.3, rounding_mode="floor")),
    ("neg", lambda x: -x), ("square", lambda x: x.square()), ("clone", lambda x: x.clone()),
    ("double", lambda x: x.double()), ("where_method", lambda x: x.where(x > 1, 0.0)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name,fn", SCALAR_OPS, ids=[s[0] for s in SCALAR_OPS])
def test_with_python_number(name, fn, dtype):
    x = RNG.uniform(0.2, 2, (2, 3)).astype(dtype)
    run_parity(lambda m, a: fn(a), lambda m, a: fn(a), [x], dtype)


@pytest.mark.parametrize("fn", [lambda a, b: a // b, lambda a, b: 2 // a, lambda a, b: 2 % a,
                                lambda a, b: a.floor_divide(2)])
def test_not_implemented_derivatives(fn):
    (c, cb), (t, tb) = leaves(RNG.uniform(0.5, 2, 3), RNG.uniform(0.5, 2, 3))
    rc, rt = fn(c, cb), fn(t, tb)
    check_same(rc, rt)
    check_node(rc, rt)
    assert repr(rc).endswith("grad_fn=<NotImplemented>)")
    with pytest.raises(RuntimeError) as ec:
        rc.sum().backward()
    with pytest.raises(RuntimeError) as et:
        rt.sum().backward()
    assert str(ec.value) == str(et.value)


def test_clamp_inverted_bounds_and_ties():
    x = np.array([-1.0, 0.0, 0.5, 1.0, 2.0])
    lo, hi = np.array([0.0, 0.0, 1.0, 1.0, 3.0]), np.array([1.0, 1.0, 0.0, 1.0, 2.5])
    run_parity(lambda m, a, b, c: m.clamp(a, b, c), lambda m, a, b, c: m.clamp(a, b, c),
               [x, lo, hi], np.float64)
    run_parity(lambda m, a, b: m.maximum(a, b), lambda m, a, b: m.maximum(a, b),
               [x, np.array([0.0, 0.0, 0.0, 1.0, 2.0])], np.float64)
    run_parity(lambda m, a: m.clamp(a, 0.0, 1.0), lambda m, a: m.clamp(a, 0.0, 1.0), [x],
               np.float64)


def test_pow_zero_base_gradient():
    a, b = np.array([0.0, 0.0, 2.0]), np.array([0.0, 2.0, 3.0])
    run_parity(lambda m, x, y: x ** y, lambda m, x, y: x ** y, [a, b], np.float64)


# ---------------------------------------------------------------------------- dtypes
def _operand(module, spec):
    if isinstance(spec, tuple):
        dtype, shape = spec
        return module.ones(shape, dtype=getattr(module, dtype)) * 3 if dtype != "bool" \
            else module.ones(shape, dtype=module.bool)
    return spec


OPERANDS = [("float32", (2,)), ("float64", (2,)), ("float16", (2,)), ("int64", (2,)),
            ("int32", (2,)), ("int16", (2,)), ("int8", (2,)), ("uint8", (2,)), ("bool", (2,)),
            ("float64", ()), ("float32", ()), ("int64", ()), ("int8", ()), ("bool", ()),
            2, 2.5, True]


def _kind(spec):
    return spec[0] if isinstance(spec, tuple) else "bool" if spec is True else "number"


def _result(module, op, a, b):
    try:
        return str(op(_operand(module, a), _operand(module, b)).dtype)
    except Exception as exc:
        return type(exc).__name__ + ": " + str(exc)


PROMOTING = {
    "add": lambda a, b: a + b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
    "sub": lambda a, b: a - b, "floordiv": lambda a, b: a // b, "mod": lambda a, b: a % b,
    "and": lambda a, b: a & b, "xor": lambda a, b: a ^ b, "eq": lambda a, b: a == b,
    "pow": lambda a, b: a ** b, "maximum": lambda a, b: a.maximum(b),
    "where": lambda a, b: a.where(a > 0, b) if hasattr(a, "where") else a,
}


@pytest.mark.parametrize("op", list(PROMOTING))
def test_type_promotion_table(op):
    fn = PROMOTING[op]
    mismatches = []
    for a in OPERANDS[:14]:
        for b in OPERANDS:
            if op in ("mod", "floordiv") and b is True or op == "maximum" and not \
                    isinstance(b, tuple) or op == "pow" and "bool" in (a[0], _kind(b)):
                continue  # (pow on bools is refused by PyTorch in ways not mirrored yet)
            want, got = _result(torch, fn, a, b), _result(cr, fn, a, b)
            if want != got:
                mismatches.append((a, b, want, got))
    assert not mismatches, mismatches


FLOAT_FUNCTIONS = ["sin", "exp", "sqrt", "log", "sigmoid", "erf", "tanh", "reciprocal", "rsqrt",
                   "atan", "log1p", "expm1"]


@pytest.mark.parametrize("dtype", ["int64", "int8", "uint8", "bool"])
@pytest.mark.parametrize("name", FLOAT_FUNCTIONS)
def test_integer_input_float_function(name, dtype):
    data = [1, 2, 3] if dtype != "bool" else [True, False, True]
    c = getattr(cr, name)(cr.tensor(data, dtype=getattr(cr, dtype)))
    t = getattr(torch, name)(torch.tensor(data, dtype=getattr(torch, dtype)))
    check_same(c, t, np.float32)


INTEGER_OPS = {
    "floor_divide": lambda a, b: a // b, "remainder": lambda a, b: a % b,
    "fmod": lambda a, b: a.fmod(b), "div_trunc": lambda a, b: a.div(b, rounding_mode="trunc"),
    "div_floor": lambda a, b: a.div(b, rounding_mode="floor"), "and": lambda a, b: a & b,
    "or": lambda a, b: a | b, "xor": lambda a, b: a ^ b, "lshift": lambda a, b: a << abs(b),
    "rshift": lambda a, b: a >> abs(b), "invert": lambda a, b: ~a, "sign": lambda a, b: a.sign(),
    "square": lambda a, b: a.square(), "abs": lambda a, b: a.abs(), "pow": lambda a, b: a ** 2,
    "rand": lambda a, b: 6 & a, "rmod": lambda a, b: 7 % a, "rfloordiv": lambda a, b: 7 // a,
    "clamp": lambda a, b: a.clamp(-2, 2), "clamp_float": lambda a, b: a.clamp(-1.5, 2.5),
    "round": lambda a, b: a.round(), "relu": lambda a, b: a.relu(),
}


@pytest.mark.parametrize("op", list(INTEGER_OPS))
def test_integer_semantics(op):
    a = np.array([7, -7, 5, -5, 1, 3], np.int64)
    b = np.array([2, 2, -3, -3, 4, 3], np.int64)
    c = INTEGER_OPS[op](cr.tensor(a), cr.tensor(b))
    t = INTEGER_OPS[op](torch.tensor(a), torch.tensor(b))
    assert str(c.dtype) == str(t.dtype)
    assert c.tolist() == t.tolist()


def test_bool_logic_operators():
    a, b = [True, False, True, False], [True, True, False, False]
    for fn in (lambda x, y: x & y, lambda x, y: x | y, lambda x, y: x ^ y, lambda x, y: ~x,
               lambda x, y: x & True, lambda x, y: x | 1):
        c, t = fn(cr.tensor(a), cr.tensor(b)), fn(torch.tensor(a), torch.tensor(b))
        assert (str(c.dtype), c.tolist()) == (str(t.dtype), t.tolist())


def test_float_remainder_semantics():
    a = np.array([-3.5, 3.5, -3.5, 3.5, 1.0, -0.0], np.float32)
    b = np.array([2.0, -2.0, -2.0, 2.0, 0.1, 3.0], np.float32)
    for fn in (lambda x, y: x % y, lambda x, y: x.fmod(y), lambda x, y: x // y):
        check_same(fn(cr.tensor(a), cr.tensor(b)), fn(torch.tensor(a), torch.tensor(b)),
                   np.float32)


# ---------------------------------------------------------------------------- errors
def _same_error(fn):
    with pytest.raises(Exception) as et:
        fn(torch)
    with pytest.raises(Exception) as ec:
        fn(cr)
    assert type(ec.value).__name__ == type(et.value).__name__
    assert str(ec.value) == str(et.value)


ERRORS = {
    "broadcast": lambda m: m.zeros(2, 3) + m.zeros(4, 5),
    "broadcast_mul": lambda m: m.zeros(5, 3, 1) * m.zeros(4, 1, 1),
    "broadcast_atan2": lambda m: m.atan2(m.zeros(3), m.ones(2)),
    "int_zero_div": lambda m: m.tensor([1, 2]) // 0,
    "int_zero_mod": lambda m: m.tensor([1, 2]) % m.tensor([1, 0]),
    "int_zero_fmod": lambda m: m.fmod(m.tensor([1, 2]), 0),
    "int_zero_trunc": lambda m: m.div(m.tensor([1, 2]), 0, rounding_mode="trunc"),
    "bad_rounding": lambda m: m.div(m.ones(2), 2, rounding_mode="round"),
    "bool_sub": lambda m: m.tensor([True]) - m.tensor([False]),
    "bool_sub_int": lambda m: m.tensor([True]) - 1,
    "bool_rsub": lambda m: 1 - m.tensor([True]),
    "bool_neg": lambda m: -m.tensor([True]),
    "int_neg_pow": lambda m: m.tensor([2]) ** -1,
    "float_invert": lambda m: ~m.ones(2),
    "float_and": lambda m: m.ones(2) & m.ones(2),
    "float_bitwise_not": lambda m: m.bitwise_not(m.ones(2)),
    "float_shift": lambda m: m.tensor([1]) << 1.5,
    "int_frac": lambda m: m.frac(m.tensor([1])),
    "int_round_decimals": lambda m: m.round(m.tensor([1]), decimals=1),
    "bool_abs": lambda m: m.abs(m.tensor([True])),
    "bool_floor": lambda m: m.floor(m.tensor([True])),
    "bool_relu": lambda m: m.relu(m.tensor([True])),
    "int_lerp": lambda m: m.lerp(m.tensor([1]), m.tensor([2]), 0.5),
    "lerp_dtype": lambda m: m.lerp(m.zeros(2), m.ones(2, dtype=m.float64), 0.5),
    "int_addcdiv": lambda m: m.addcdiv(m.tensor([1]), m.tensor([1]), m.tensor([1])),
    "clamp_none": lambda m: m.clamp(m.ones(2)),
    "where_float_cond": lambda m: m.where(m.ones(2), m.ones(2), m.ones(2)),
    "maximum_number": lambda m: m.maximum(m.ones(2), 0.5),
    "atan2_number": lambda m: m.atan2(m.ones(2), 2),
    "alpha_float_int": lambda m: m.add(m.tensor([1]), m.tensor([1]), alpha=0.5),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_error_messages(case):
    _same_error(ERRORS[case])


# ---------------------------------------------------------------------------- in-place
INPLACE_ERRORS = {
    "leaf": lambda m: m.ones(3, requires_grad=True).add_(1),
    "leaf_iadd": lambda m: m.ones(3, requires_grad=True).__iadd__(1),
    "leaf_zero": lambda m: m.ones(3, requires_grad=True).zero_(),
    "leaf_fill": lambda m: m.ones(3, requires_grad=True).fill_(2),
    "leaf_copy": lambda m: m.ones(3, requires_grad=True).copy_(m.zeros(3)),
    "leaf_view": lambda m: m.ones(3, requires_grad=True)[:2].mul_(2),
    "cast_add": lambda m: m.tensor([1, 2]).add_(1.5),
    "cast_mul_tensor": lambda m: m.tensor([1, 2]).mul_(m.tensor([1.5])),
    "cast_div": lambda m: m.tensor([1, 2]).div_(2),
    "cast_sqrt": lambda m: m.tensor([1, 2]).sqrt_(),
    "cast_exp": lambda m: m.tensor([1, 2]).exp_(),
    "cast_bool": lambda m: m.tensor([True]).add_(1),
    "cast_ipow": lambda m: m.tensor([1, 2]).__ipow__(0.5),
    "shape_out": lambda m: m.zeros(3).add_(m.zeros(2, 3)),
    "shape_out2": lambda m: m.zeros(1, 3).mul_(m.zeros(2, 3)),
    "shape_bad": lambda m: m.zeros(3).add_(m.zeros(2)),
    "copy_shape": lambda m: m.zeros(3).copy_(m.zeros(2)),
    "copy_more_dims": lambda m: m.zeros(3).copy_(m.zeros(2, 3)),
    "fill_dims": lambda m: m.zeros(3).fill_(m.ones(2)),
    "int_neg_pow_": lambda m: m.tensor([2]).pow_(-1),
    "ifloordiv_zero": lambda m: m.tensor([2]).__ifloordiv__(0),
}


@pytest.mark.parametrize("case", list(INPLACE_ERRORS))
def test_inplace_error_messages(case):
    _same_error(INPLACE_ERRORS[case])


def _modified_saved(kind):
    def run(m):
        a = m.tensor([0.5, 1.0, 2.0], requires_grad=True)
        b = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        if kind == "saved_input_nonleaf":
            y = a * 1
            z = y * y
            y.add_(1)
        elif kind == "saved_output":
            y = a.exp()
            z = y
            y.add_(1)
        elif kind == "saved_output_sigmoid":
            z = a.sigmoid()
            z.mul_(2)
        elif kind == "saved_plain":
            c = m.ones(3)
            z = a * c
            c.add_(1)
        elif kind == "saved_rsub_input":
            y = 2 - a
            z = y * y
            y.sub_(1)
        elif kind == "saved_2d_tanh":
            z = m.tanh(m.ones(2, 3, dtype=m.float64) * a[0])
            z.add_(1)
        elif kind == "saved_copy":
            y = m.zeros(3)
            y.copy_(a)
            z = y * b
            y.mul_(2)
        z.sum().backward()
    return run


@pytest.mark.parametrize("kind", ["saved_input_nonleaf", "saved_output", "saved_output_sigmoid",
                                  "saved_plain", "saved_rsub_input", "saved_2d_tanh",
                                  "saved_copy"])
def test_version_counter_error(kind):
    _same_error(_modified_saved(kind))


INPLACE_VALUES = {
    "add_": lambda x: x.add_(2.5), "add_alpha": lambda x: x.add_(x.detach().clone(), alpha=2),
    "sub_": lambda x: x.sub_(1), "mul_": lambda x: x.mul_(x.detach() + 1),
    "div_": lambda x: x.div_(3), "pow_": lambda x: x.pow_(2), "iadd": lambda x: x.__iadd__(1),
    "isub": lambda x: x.__isub__(1), "imul": lambda x: x.__imul__(3),
    "itruediv": lambda x: x.__itruediv__(3), "ipow": lambda x: x.__ipow__(2),
    "exp_": lambda x: x.exp_(), "log_": lambda x: x.log_(), "sqrt_": lambda x: x.sqrt_(),
    "sin_": lambda x: x.sin_(), "cos_": lambda x: x.cos_(), "tanh_": lambda x: x.tanh_(),
    "sigmoid_": lambda x: x.sigmoid_(), "erf_": lambda x: x.erf_(), "neg_": lambda x: x.neg_(),
    "abs_": lambda x: x.abs_(), "relu_": lambda x: x.relu_(), "clamp_": lambda x: x.clamp_(0.5, 1),
    "clamp_min_": lambda x: x.clamp_min_(0.7), "floor_": lambda x: x.floor_(),
    "round_": lambda x: x.round_(decimals=1), "frac_": lambda x: x.frac_(),
    "reciprocal_": lambda x: x.reciprocal_(), "rsqrt_": lambda x: x.rsqrt_(),
    "square_": lambda x: x.square_(), "sign_": lambda x: x.sign_(),
    "lerp_": lambda x: x.lerp_(x.detach() * 2, 0.25),
    "addcmul_": lambda x: x.addcmul_(x.detach(), x.detach(), value=3),
    "addcdiv_": lambda x: x.addcdiv_(x.detach(), x.detach() + 1, value=2),
    "remainder_": lambda x: x.remainder_(0.3), "fmod_": lambda x: x.fmod_(0.3),
    "imod": lambda x: x.__imod__(0.3), "zero_": lambda x: x.zero_(), "fill_": lambda x: x.fill_(2),
    "fill_tensor": lambda x: x.fill_(x.detach()[0, 0] * 3),
    "copy_": lambda x: x.copy_(x.detach()[0] * 3), "atan2_": lambda x: x.atan2_(x.detach() + 1),
}


@pytest.mark.parametrize("name", list(INPLACE_VALUES))
def test_inplace_on_non_leaf(name):
    """``y = x * 1; y.op_(...)``: values, version bump, rebased grad_fn and gradients."""
    x = RNG.uniform(0.2, 1.5, (2, 3))
    (c,), (t,) = leaves(x)
    yc, yt = c * 1, t * 1
    rc, rt = INPLACE_VALUES[name](yc), INPLACE_VALUES[name](yt)
    assert rc is yc and rt is yt
    assert yc._version == yt._version
    check_same(yc, yt)
    check_node(yc, yt)
    check_backward(yc, yt, [c], [t], np.float64)


@pytest.mark.parametrize("name", ["add_", "mul_", "div_", "exp_", "clamp_", "zero_", "fill_",
                                  "copy_", "floor_"])
def test_inplace_without_grad(name):
    x = RNG.uniform(0.2, 1.5, (2, 3)).astype(np.float32)
    yc, yt = cr.tensor(x), torch.tensor(x)
    INPLACE_VALUES[name](yc)
    INPLACE_VALUES[name](yt)
    assert yc._version == yt._version
    check_same(yc, yt, np.float32)


def test_inplace_int_ops():
    for fn in (lambda x: x.add_(2), lambda x: x.mul_(3), lambda x: x.__ifloordiv__(2),
               lambda x: x.__imod__(3), lambda x: x.__iand__(6), lambda x: x.__ior__(1),
               lambda x: x.__ixor__(3), lambda x: x.__ilshift__(1), lambda x: x.floor_(),
               lambda x: x.div_(2, rounding_mode="trunc"), lambda x: x.fill_(2.7),
               lambda x: x.copy_(torch.tensor([1.7, -2.7, 3.2]) if isinstance(x, torch.Tensor)
                                 else cr.tensor([1.7, -2.7, 3.2])),
               lambda x: x.clamp_(-1, 1), lambda x: x.relu_(), lambda x: x.eq_(2)):
        yc, yt = cr.tensor([1, -2, 3]), torch.tensor([1, -2, 3])
        fn(yc)
        fn(yt)
        assert (str(yc.dtype), yc.tolist(), yc._version) == (str(yt.dtype), yt.tolist(),
                                                              yt._version)


def test_copy_broadcast_and_dtype_gradient():
    src = RNG.standard_normal(3)
    (c,), (t,) = leaves(src)
    yc, yt = cr.zeros(2, 3), torch.zeros(2, 3)
    yc.copy_(c)
    yt.copy_(t)
    check_same(yc, yt, np.float32)
    check_node(yc, yt)
    assert repr(yc).endswith("grad_fn=<CopyBackwards>)")
    check_backward(yc, yt, [c], [t], np.float32)
    assert str(c.grad.dtype) == "torch.float64"


def test_fill_with_tensor_gradient():
    (v,), (tv,) = leaves(np.array(2.0))
    yc, yt = cr.zeros(3, dtype=cr.float64), torch.zeros(3, dtype=torch.float64)
    yc.fill_(v)
    yt.fill_(tv)
    check_node(yc, yt)
    check_backward(yc, yt, [v], [tv], np.float64)


def test_optimizer_pattern_under_no_grad():
    x = np.array([1.0, 2.0])
    (c,), (t,) = leaves(x)
    (c * c).sum().backward()
    (t * t).sum().backward()
    with cr.no_grad():
        c -= 0.1 * c.grad
    with torch.no_grad():
        t -= 0.1 * t.grad
    assert c.is_leaf and c.requires_grad and c._version == t._version
    check_same(c, t)


# ---------------------------------------------------------------------------- integer alpha
@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64", "bool"])
@pytest.mark.parametrize("alpha", [300, -1, -255, -256, 127, 128, -128, -129, 40000, 2 ** 40,
                                   2 ** 63, -2 ** 63])
@pytest.mark.parametrize("op", [
    lambda m, a, b, alpha: m.add(a, b, alpha=alpha),
    lambda m, a, b, alpha: m.sub(a, b, alpha=alpha) if a.dtype != m.bool else a,
    lambda m, a, b, alpha: m.add(a, 1, alpha=alpha),
    lambda m, a, b, alpha: a.clone().add_(b, alpha=alpha),
    lambda m, a, b, alpha: m.rsub(a, 3, alpha=alpha) if a.dtype != m.bool else a,
])
def test_integer_alpha_range(op, alpha, dtype):
    """An integer alpha must fit the result type (PyTorch's overflow error), else the usual
    wrapping arithmetic of the type."""
    def run(m):
        dt = getattr(m, dtype)
        return op(m, m.tensor([1, 2], dtype=dt), m.tensor([1, 0], dtype=dt), alpha)
    try:
        expected = run(torch)
    except Exception as exc:  # RuntimeError, or OverflowError from PyTorch's argument parser
        with pytest.raises(Exception) as got:
            run(cr)
        if isinstance(exc, RuntimeError):
            assert type(got.value) is RuntimeError and str(got.value) == str(exc)
        return
    out = run(cr)
    assert str(out.dtype) == str(expected.dtype) and out.tolist() == expected.tolist()


@pytest.mark.parametrize("pair", [(1., 0.), (1, 0), (True, False), (1, 0.), (0.5, 2)])
def test_where_with_two_numbers_takes_their_result_type(pair):
    a, b = (m.where(m.tensor([True, False]), *pair) for m in (cr, torch))
    assert str(a.dtype) == str(b.dtype) and a.tolist() == b.tolist()


# ---------------------------------------------------------------------------- special functions
DOMAINS.update({
    "gamma": lambda shape: np.where(RNG.random(shape) < 0.7, RNG.uniform(0.05, 8, shape),
                                    np.floor(RNG.uniform(-5, 0, shape)) + RNG.uniform(0.1, 0.9,
                                                                                        shape)),
    "wide": lambda shape: RNG.uniform(-7, 7, shape),
})

SPECIAL_UNARY = [
    ("sgn", "any"), ("erfc", "wide"), ("erfinv", "unit"), ("lgamma", "gamma"),
    ("digamma", "gamma"), ("sinc", "pos"), ("deg2rad", "any"), ("rad2deg", "any"),
    ("nan_to_num", "any"),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("name,domain", SPECIAL_UNARY)
def test_special_unary(name, domain, layout, dtype):
    shape, view = LAYOUTS[layout]
    x = np.asarray(DOMAINS[domain](shape).astype(dtype))
    if name == "sgn":
        _check_zero_gradient(lambda m, a: m.sgn(view(a)), x, dtype)
        return
    run_parity(lambda m, a: getattr(m, name)(view(a)), lambda m, a: getattr(m, name)(view(a)),
               [x], dtype)


def _check_zero_gradient(fn, x, dtype):
    """Values and node against PyTorch, and a zero gradient. (PyTorch's zero gradient of a
    real sgn is a ZeroTensor, whose first backward in a process costs a second.)"""
    (c,), (t,) = leaves(x)
    rc, rt = fn(cr, c), fn(torch, t)
    check_same(rc, rt, dtype)
    check_node(rc, rt)
    rc.backward(cr.ones_like(rc))
    assert not c.grad.numpy().any()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_polygamma(n, dtype):
    x = DOMAINS["gamma"]((3, 4)).astype(dtype)
    run_parity(lambda m, a: m.polygamma(n, a), lambda m, a: m.polygamma(n, a), [x], dtype)
    run_parity(lambda m, a: a.polygamma(n), lambda m, a: a.polygamma(n), [x], dtype)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4])
def test_polygamma_special_values(n):
    x = np.concatenate([SPECIAL_VALUES, [-2.5, -7.25, 0.25, 100.0]])
    c, t = cr.polygamma(n, cr.tensor(x)), torch.polygamma(n, torch.tensor(x))
    np.testing.assert_allclose(c.numpy(), t.numpy(), rtol=1e-12)


SPECIAL_BINARY = [
    ("hypot", "any", "any", lambda m, a, b: m.hypot(a, b)),
    ("logaddexp", "wide", "wide", lambda m, a, b: m.logaddexp(a, b)),
    ("logaddexp2", "wide", "wide", lambda m, a, b: a.logaddexp2(b)),
    ("xlogy", "any", "pos", lambda m, a, b: m.xlogy(a, b)),
    ("xlogy_number_other", "any", "pos", lambda m, a, b: m.xlogy(a, 2.5) + b),
    ("xlogy_number_self", "any", "pos", lambda m, a, b: m.xlogy(3, b) + a),
    ("copysign", "any", "any", lambda m, a, b: m.copysign(a, b)),
    ("copysign_number", "any", "any", lambda m, a, b: a.copysign(-1.5) * b),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shapes", list(SHAPES))
@pytest.mark.parametrize("name,da,db,fn", SPECIAL_BINARY, ids=[b[0] for b in SPECIAL_BINARY])
def test_special_binary(name, da, db, fn, shapes, dtype):
    sa, sb = SHAPES[shapes]
    a, b = DOMAINS[da](sa).astype(dtype), DOMAINS[db](sb).astype(dtype)
    run_parity(fn, fn, [a, b], dtype)


SPECIAL_VALUES = np.array([0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, np.inf, -np.inf, np.nan, 1e-30,
                           30.0, -30.0, 1e300, -1e-300])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["sgn", "erfc", "erfinv", "lgamma", "digamma", "sinc",
                                  "deg2rad", "rad2deg", "nan_to_num", "signbit", "isposinf",
                                  "isneginf", "isreal"])
def test_special_values(name, dtype):
    x = SPECIAL_VALUES.astype(dtype)
    c, t = getattr(cr, name)(cr.tensor(x)), getattr(torch, name)(torch.tensor(x))
    assert str(c.dtype) == str(t.dtype)
    np.testing.assert_allclose(c.numpy(), t.numpy(), rtol=1e-6 if dtype == np.float32 else 1e-12)
    if t.dtype.is_floating_point:  # signs of zeros and infinities too (NaN's sign is free)
        number = ~np.isnan(t.numpy())
        np.testing.assert_array_equal(np.signbit(c.numpy())[number],
                                      np.signbit(t.numpy())[number])


@pytest.mark.parametrize("fn", [
    lambda m, a, b: m.hypot(a, b), lambda m, a, b: m.logaddexp(a, b),
    lambda m, a, b: m.logaddexp2(a, b), lambda m, a, b: m.copysign(a, b),
    lambda m, a, b: m.xlogy(a, b), lambda m, a, b: m.xlogy(a, 0.0), lambda m, a, b: m.xlogy(a, -1),
    lambda m, a, b: m.xlogy(0, b), lambda m, a, b: m.heaviside(a, b),
    lambda m, a, b: m.nan_to_num(a, nan=1.5, posinf=2, neginf=-3),
])
def test_special_binary_values(fn):
    """Zeros, infinities and NaN in both operands: values, and gradients where finite."""
    grid = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 2.0])
    a, b = np.repeat(grid, grid.size), np.tile(grid, grid.size)
    c, t = fn(cr, cr.tensor(a), cr.tensor(b)), fn(torch, torch.tensor(a), torch.tensor(b))
    assert str(c.dtype) == str(t.dtype)
    np.testing.assert_allclose(c.numpy(), t.numpy(), rtol=1e-14, atol=1e-15)
    (ca, cb), (ta, tb) = leaves(a, b)
    rc, rt = fn(cr, ca, cb), fn(torch, ta, tb)
    if rt.grad_fn is not None and "NotImplemented" not in rt.grad_fn.name():
        rc.sum().backward()
        rt.sum().backward()
        for c_leaf, t_leaf in ((ca, ta), (cb, tb)):
            if t_leaf.grad is not None:
                np.testing.assert_allclose(c_leaf.grad.numpy(), t_leaf.grad.numpy(),
                                           rtol=1e-12)


def test_special_accuracy_float64():
    x = np.concatenate([np.linspace(-8, 30, 4001), [1.0, 2.0, 3.0, 1e-300, 1e200, 171.7]])
    # (lgamma is accurate to 1e-14 absolute, not relative, near its zeros below -2)
    for name, rtol in (("erfc", 2e-15), ("lgamma", 1e-14), ("digamma", 1e-14)):
        np.testing.assert_allclose(getattr(cr, name)(cr.tensor(x)).numpy(),
                                   getattr(torch, name)(torch.tensor(x)).numpy(), rtol=rtol,
                                   atol=1e-300 if name == "erfc" else 1e-14)
    y = np.concatenate([np.linspace(-0.999, 0.999, 2001), 1 - 10.0 ** -np.arange(1, 16)])
    np.testing.assert_allclose(cr.erfinv(cr.tensor(y)).numpy(),
                               torch.erfinv(torch.tensor(y)).numpy(), rtol=1e-15)


@pytest.mark.parametrize("fn,domain", [
    (lambda m, x: m.lgamma(x), "gamma"), (lambda m, x: m.digamma(x), "pos"),
    (lambda m, x: m.erfinv(x), "unit"), (lambda m, x: m.erfc(x), "any"),
    (lambda m, x: m.sinc(x), "any"), (lambda m, x: m.xlogy(x, x + 1), "pos"),
    (lambda m, x: m.logaddexp(x, x * 0.3), "any"), (lambda m, x: m.hypot(x, x.sin()), "any"),
    (lambda m, x: m.copysign(x, x.cos()), "any"), (lambda m, x: m.polygamma(2, x), "pos"),
    (lambda m, x: m.nan_to_num(x.log()), "any"),
])
def test_special_double_backward(fn, domain):
    x = DOMAINS[domain]((5,))
    (c,), (t,) = leaves(x)
    gc, = cr.autograd.grad(fn(cr, c).sum(), c, create_graph=True)
    gt, = torch.autograd.grad(fn(torch, t).sum(), t, create_graph=True)
    check_same(gc, gt)  # (the graphs of the gradients differ in their nodes, not in value)
    (gc * gc).sum().backward()
    (gt * gt).sum().backward()
    check_same(c.grad, t.grad)


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool"])
@pytest.mark.parametrize("name", ["sgn", "erfc", "erfinv", "lgamma", "digamma", "sinc",
                                  "deg2rad", "rad2deg", "nan_to_num", "signbit", "isposinf",
                                  "isneginf", "isreal", "polygamma"])
def test_special_integer_inputs(name, dtype):
    data = [1, 0, 3] if dtype != "bool" else [True, False, True]

    def run(m):
        x = m.tensor(data, dtype=getattr(m, dtype))
        return m.polygamma(1, x) if name == "polygamma" else getattr(m, name)(x)
    c, t = run(cr), run(torch)
    assert str(c.dtype) == str(t.dtype)
    np.testing.assert_allclose(c.numpy(), t.numpy(), rtol=1e-6)


SPECIAL_OPERANDS = [("float32", (2,)), ("float64", (2,)), ("int64", (2,)), ("int32", (2,)),
                    ("uint8", (2,)), ("bool", (2,)), ("float64", ()), ("int64", ()), 2, 2.5]


@pytest.mark.parametrize("op", ["hypot", "logaddexp", "logaddexp2", "xlogy", "copysign",
                                "heaviside", "isin"])
def test_special_binary_dtypes(op):
    mismatches = []
    for a in SPECIAL_OPERANDS:
        for b in SPECIAL_OPERANDS:
            want = _result(torch, lambda x, y: getattr(torch, op)(x, y), a, b)
            got = _result(cr, lambda x, y: getattr(cr, op)(x, y), a, b)
            if want != got:
                mismatches.append((a, b, want, got))
    assert not mismatches, mismatches


@pytest.mark.parametrize("fn", [lambda m, a, b: m.heaviside(a, b), lambda m, a, b: a // b,
                                lambda m, a, b: b // a, lambda m, a, b: m.floor_divide(b, a)])
def test_not_implemented_node_edges_only_to_inputs_requiring_grad(fn):
    a, b = np.array([3.0, 0.0, -2.0]), np.array([0.5, 2.0, 1.5])
    c, t = fn(cr, cr.tensor(a, requires_grad=True), cr.tensor(b)), \
        fn(torch, torch.tensor(a, requires_grad=True), torch.tensor(b))
    check_same(c, t)
    check_node(c, t)


def test_heaviside_is_not_differentiable():
    (c, cv), (t, tv) = leaves(np.array([-1.0, 0.0, 2.0]), np.array([0.5]))
    rc, rt = cr.heaviside(c, cv), torch.heaviside(t, tv)
    check_same(rc, rt)
    check_node(rc, rt)
    with pytest.raises(RuntimeError) as ec:
        rc.sum().backward()
    with pytest.raises(RuntimeError) as et:
        rt.sum().backward()
    assert str(ec.value) == str(et.value)


@pytest.mark.parametrize("args", [
    ([1, 2, 3, 4], [2, 4, 6]), ([1.5, np.nan, 2.0], [np.nan, 2.0]), ([[1, 2], [3, 4]], [4, 1]),
    ([1, 2], 2), (2, [1, 2]), ([1, 2], 2.0), ([1, 2], [2.5]), ([1, 258], [2, 258]),
])
# (uint8 elements against 258 are compared as int64, as PyTorch promotes them)
@pytest.mark.parametrize("invert", [False, True])
def test_isin(args, invert):
    def run(m):
        a, b = (m.tensor(v) if isinstance(v, list) else v for v in args)
        return m.isin(a, b, invert=invert)
    c, t = run(cr), run(torch)
    assert str(c.dtype) == str(t.dtype) and c.tolist() == t.tolist()
    assert tuple(c.shape) == tuple(t.shape)


def test_is_complex_and_is_nonzero():
    for m in (cr, torch):
        assert m.is_complex(m.ones(1)) is False
        assert m.is_complex(m.ones(1, dtype=m.complex64)) is True
    for value in ([0.0], [1], [[True]], 2.5, float("nan"), [-0.0]):
        assert cr.is_nonzero(cr.tensor(value)) is torch.is_nonzero(torch.tensor(value))
        assert cr.tensor(value).is_nonzero() is torch.tensor(value).is_nonzero()


SPECIAL_ERRORS = {
    "hypot_ints": lambda m: m.hypot(m.tensor([1]), m.tensor([2])),
    "hypot_bools": lambda m: m.hypot(m.tensor([True]), m.tensor([False])),
    "hypot_number": lambda m: m.hypot(m.ones(2), 2),
    "hypot_number_first": lambda m: m.hypot(2.0, m.ones(2)),
    "hypot_broadcast": lambda m: m.hypot(m.zeros(2), m.zeros(3)),
    "logaddexp_ints": lambda m: m.logaddexp(m.tensor([1]), m.tensor([2])),
    "logaddexp2_number": lambda m: m.logaddexp2(m.ones(2), 2.5),
    "xlogy_numbers": lambda m: m.xlogy(2, 3),
    "xlogy_broadcast": lambda m: m.xlogy(m.zeros(2), m.zeros(3)),
    "copysign_number_first": lambda m: m.copysign(2.0, m.ones(2)),
    "heaviside_dtypes": lambda m: m.heaviside(m.tensor([1]), m.tensor([0.5])),
    "heaviside_number": lambda m: m.heaviside(m.ones(2), 0.5),
    "isin_bool": lambda m: m.isin(m.tensor([True]), m.tensor([True])),
    "isin_numbers": lambda m: m.isin(2.0, 3.0),
    "is_nonzero_empty": lambda m: m.is_nonzero(m.tensor([])),
    "is_nonzero_many": lambda m: m.is_nonzero(m.ones(2)),
    "polygamma_negative": lambda m: m.polygamma(-1, m.ones(2)),
    "polygamma_float_n": lambda m: m.polygamma(1.5, m.ones(2)),
    "polygamma_bool_n": lambda m: m.ones(2).polygamma(True),
    "polygamma_number": lambda m: m.polygamma(1, 2.0),
    "nan_to_num_str": lambda m: m.nan_to_num(m.ones(1), nan="a"),
    "erfinv_complex": lambda m: m.erfinv(m.ones(1, dtype=m.complex64)),
    "lgamma_complex": lambda m: m.lgamma(m.ones(1, dtype=m.complex64)),
    "digamma_complex": lambda m: m.digamma(m.ones(1, dtype=m.complex64)),
    "erfc_complex": lambda m: m.erfc(m.ones(1, dtype=m.complex64)),
    "deg2rad_complex": lambda m: m.deg2rad(m.ones(1, dtype=m.complex64)),
    "signbit_complex": lambda m: m.signbit(m.ones(1, dtype=m.complex64)),
    "isposinf_complex": lambda m: m.isposinf(m.ones(1, dtype=m.complex64)),
    "xlogy_complex": lambda m: m.xlogy(m.ones(1, dtype=m.complex64), 1),
    "copysign_complex": lambda m: m.copysign(m.ones(1, dtype=m.complex64), 1),
    "xlogy_inplace_int": lambda m: m.tensor([1, 2]).xlogy_(2),
    "copysign_inplace_int": lambda m: m.tensor([1, 2]).copysign_(2),
    "sinc_inplace_int": lambda m: m.tensor([1, 2]).sinc_(),
    "leaf_inplace": lambda m: m.ones(2, requires_grad=True).lgamma_(),
}


@pytest.mark.parametrize("case", list(SPECIAL_ERRORS))
def test_special_error_messages(case):
    _same_error(SPECIAL_ERRORS[case])


SPECIAL_INPLACE = {
    "sgn_": lambda x: x.sgn_(), "hypot_": lambda x: x.hypot_(x.detach() + 1),
    "erfc_": lambda x: x.erfc_(), "erfinv_": lambda x: x.mul_(0.5).erfinv_(),
    "lgamma_": lambda x: x.lgamma_(), "digamma_": lambda x: x.digamma_(),
    "polygamma_": lambda x: x.polygamma_(1), "xlogy_": lambda x: x.xlogy_(x.detach() + 1),
    "xlogy_number": lambda x: x.xlogy_(3), "copysign_": lambda x: x.copysign_(-x.detach()),
    "copysign_number": lambda x: x.copysign_(-2), "deg2rad_": lambda x: x.deg2rad_(),
    "rad2deg_": lambda x: x.rad2deg_(), "sinc_": lambda x: x.sinc_(),
    "nan_to_num_": lambda x: x.div_(0).nan_to_num_(posinf=5.0),
    "heaviside_": lambda x: x.detach().heaviside_(x.detach() - 1),
}


@pytest.mark.parametrize("name", list(SPECIAL_INPLACE))
def test_special_inplace(name):
    x = RNG.uniform(0.2, 1.5, (2, 3))
    (c,), (t,) = leaves(x)
    yc, yt = c * 1, t * 1
    rc, rt = SPECIAL_INPLACE[name](yc), SPECIAL_INPLACE[name](yt)
    assert rc._version == rt._version
    check_same(rc, rt)
    check_node(rc, rt)
    if name == "sgn_":  # (see _check_zero_gradient)
        rc.sum().backward()
        assert not c.grad.numpy().any()
    elif rt.requires_grad:
        check_backward(rc, rt, [c], [t], np.float64)
    zc, zt = cr.tensor(x), torch.tensor(x)  # without a graph
    SPECIAL_INPLACE[name](zc)
    SPECIAL_INPLACE[name](zt)
    check_same(zc, zt)
    assert zc._version == zt._version


def test_sgn_complex_values_and_gradient():
    z = np.array([1 + 2j, -3 + 0.5j, 0j, -2j])
    g = np.array([1 + 0j, 1j, 1 + 1j, 0.5 - 2j])
    c, t = cr.tensor(z, requires_grad=True), torch.tensor(z, requires_grad=True)
    rc, rt = cr.sgn(c), torch.sgn(t)
    np.testing.assert_allclose(rc.detach().numpy(), rt.detach().numpy(), rtol=1e-15)
    check_node(rc, rt)
    rc.backward(cr.tensor(g))
    rt.backward(torch.tensor(g))
    np.testing.assert_allclose(c.grad.numpy(), t.grad.numpy(), rtol=1e-14)


@pytest.mark.parametrize("name", ["add_", "sub_"])
def test_deprecated_alpha_first_overload_of_add_and_sub(name):
    """``p.add_(alpha, other)``: the same values as PyTorch, and its deprecation warning (which
    PyTorch gives once per process, so it is checked on chainrule's side)."""
    values = []
    for lib in (cr, torch):
        p, g = lib.ones(3, dtype=lib.float64), lib.full((3,), 0.3, dtype=lib.float64)
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            getattr(p, name)(-0.5, g)
        values.append(p.tolist())
        if lib is cr:
            assert str(rec[0].message) == (
                f"This overload of {name} is deprecated:\n\t{name}(Number alpha, Tensor other)\n"
                f"Consider using one of the following signatures instead:\n\t{name}(Tensor "
                f"other, *, Number alpha = 1)")
    assert values[0] == values[1]


@pytest.mark.parametrize("op", ["add", "sub", "add_", "sub_"])
@pytest.mark.parametrize("alpha", [-0.1, 0.3, 2.5])
def test_float32_add_with_alpha_rounds_once_like_pytorch(op, alpha):
    """PyTorch fuses a + alpha * b into one rounding: bit-identical results in float32."""
    rng = np.random.default_rng(1)
    a = rng.standard_normal(20000).astype(np.float32)
    b = rng.standard_normal(20000).astype(np.float32)
    results = []
    for lib in (cr, torch):
        x, y = lib.tensor(a), lib.tensor(b)
        out = getattr(x, op)(y, alpha=alpha) if op.endswith("_") else getattr(lib, op)(x, y,
                                                                                      alpha=alpha)
        results.append(out.numpy())
    np.testing.assert_array_equal(results[0], results[1])
