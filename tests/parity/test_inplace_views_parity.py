"""In-place ops on views inside the graph, and the review follow-ups, against real PyTorch: each
scenario runs with chainrule and with torch and must see the same values, gradients, grad_fn
names and error messages."""
import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")


def _x(lib):
    return lib.tensor(np.arange(12.).reshape(3, 4) / 7 - 0.5, requires_grad=True)


def _w(lib):
    return lib.tensor(np.arange(4.) / 3 + 0.25, requires_grad=True)


def _np(t):
    return None if t is None else t.detach().numpy().copy()


# Each case: (x, w, lib) -> (y, v): y the base, v a view of it that was modified in place.
CASES = {
    "select_mul_": lambda x, w, lib: _mod(x * 1, lambda y: y[0], lambda v: v.mul_(2)),
    "select_add_tensor": lambda x, w, lib: _mod(x * 1, lambda y: y[1], lambda v: v.add_(w)),
    "transpose_add_": lambda x, w, lib: _mod(x * 1, lambda y: y.t(), lambda v: v.add_(1)),
    "column_zero_": lambda x, w, lib: _mod(x * 1, lambda y: y[:, 0], lambda v: v.zero_()),
    "slice_step_mul_self": lambda x, w, lib: _mod(x * 1, lambda y: y[:, ::2],
                                                  lambda v: v.mul_(v.detach() + 1)),
    "view_copy_": lambda x, w, lib: _mod(x * 1, lambda y: y.view(2, 6),
                                         lambda v: v.copy_(lib.ones(2, 6) * w.sum())),
    "reshape_slice_mul_": lambda x, w, lib: _mod(x * 1, lambda y: y.reshape(-1)[2:5],
                                                 lambda v: v.mul_(3)),
    "unsqueeze_setitem": lambda x, w, lib: _mod(x * 1, lambda y: y.unsqueeze(0)[0, 1],
                                                lambda v: v.__setitem__(slice(1, 3), w[:2])),
    "chained_setitem": lambda x, w, lib: _mod(x * 1, lambda y: y[1:].t(),
                                              lambda v: v.__setitem__(0, w[:2])),
    "twice_mul_tensor": lambda x, w, lib: _mod(x * 1, lambda y: y[2],
                                               lambda v: v.mul_(w).mul_(w)),
    "sigmoid_": lambda x, w, lib: _mod(x * 1, lambda y: y[2], lambda v: v.sigmoid_()),
    "clamp_": lambda x, w, lib: _mod(x * 1, lambda y: y.t()[1], lambda v: v.clamp_(min=0)),
    "narrow_div_": lambda x, w, lib: _mod(x * 1, lambda y: y.narrow(1, 1, 2),
                                          lambda v: v.div_(w[1:3])),
    "squeeze_permute_sub_": lambda x, w, lib: _mod(x * 1,
                                                   lambda y: y[None].squeeze(0).permute(1, 0),
                                                   lambda v: v.sub_(w[:3])),
    "base_without_grad": lambda x, w, lib: _mod(lib.zeros(3, 4), lambda y: y[1],
                                                lambda v: v.add_(w)),
    "transposed_base": lambda x, w, lib: _mod(x.t() * 1, lambda y: y[1],
                                              lambda v: v.mul_(w[:3])),
    "saved_output_exp_": lambda x, w, lib: _mod(x * 1, lambda y: y[0][1:], lambda v: v.exp_()),
}


def _mod(y, view, op):
    v = view(y)
    op(v)
    return y, v


def _run(lib, name):
    x, w = _x(lib), _w(lib)
    try:
        y, v = CASES[name](x, w, lib)
        weights = lib.tensor(np.arange(12.).reshape(3, 4) + 1)
        loss = (y * weights).sum() + (v * v).sum()
        loss.backward()
    except Exception as e:  # noqa: BLE001 - the error is the observation
        return (type(e).__name__, str(e))
    return (type(y.grad_fn).__name__, type(v.grad_fn).__name__, y.grad_fn.name(), v._version,
            _graph(y.grad_fn), _np(y), _np(v), _np(x.grad), _np(w.grad))


def _graph(node, depth=3):
    """The names below a node, ``next_functions`` by ``next_functions``, a few levels deep."""
    if node is None:
        return None
    if depth == 0:
        return node.name()
    return (node.name(), tuple(_graph(n, depth - 1) for n, _ in node.next_functions))


def _same(a, b):
    assert len(a) == len(b)
    for p, q in zip(a, b):
        if isinstance(p, np.ndarray) or isinstance(q, np.ndarray):
            assert p is not None and q is not None, (p, q)
            np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-12)
        else:
            assert p == q


@pytest.mark.parametrize("name", sorted(CASES))
def test_inplace_on_view_matches_torch(name):
    _same(_run(chainrule, name), _run(torch, name))


ERRORS = {
    "view_of_leaf": lambda lib, x: x[0].mul_(2),
    "view_of_leaf_setitem": lambda lib, x: x.t().__setitem__(0, 1.),
    "split_output": lambda lib, x: (x * 1).split(2)[0].mul_(2),
    "split_with_sizes_output": lambda lib, x: (x * 1).split([1, 2])[1].add_(1),
    "unbind_output": lambda lib, x: (x * 1).unbind(1)[2].mul_(2),
    "chunk_output": lambda lib, x: (x * 1).chunk(2, 1)[1].add_(2),
    "expanded_view": lambda lib, x: (x[0:1] * 1).expand(3, 4).add_(1),
    "no_grad_view": lambda lib, x: _no_grad_view(lib, x),
    "stale_split_output": lambda lib, x: _stale_split(lib, x),
}


def _no_grad_view(lib, x):
    y = x * 1
    with lib.no_grad():
        v = y[0]
    v.mul_(2)


def _stale_split(lib, x):
    y = x * 1
    a, b = y.split(2)
    y.mul_(2)
    (a * 2).sum().backward()


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_inplace_on_view_errors_match_torch(name):
    seen = []
    for lib in (chainrule, torch):
        with pytest.raises(RuntimeError) as info:
            ERRORS[name](lib, _x(lib))
        seen.append(str(info.value))
    assert seen[0] == seen[1]


def _stale(lib, which):
    """Views of a base made before an in-place op on the base or another view of it: their
    gradients must see the change (PyTorch regenerates their grad_fn)."""
    x = _x(lib)
    y = x * 1
    a = y[0]
    if which == "base":
        y.mul_(2)
    else:
        y[0, 1:].mul_(3)
    (a * a).sum().backward()
    return type(a.grad_fn).__name__, _np(a), _np(x.grad)


@pytest.mark.parametrize("which", ["base", "other_view"])
def test_views_see_in_place_changes_of_their_base(which):
    _same(_stale(chainrule, which), _stale(torch, which))


def _double(lib):
    x, w = _x(lib), _w(lib)
    y = x * x
    v = y[1]
    v.mul_(w)
    y[:, 1] = w[:3] * 2
    g, gw = lib.autograd.grad((y ** 3).sum(), (x, w), create_graph=True)
    gx2, gw2 = lib.autograd.grad((g ** 2).sum() + gw.sum(), (x, w))
    return _np(g), _np(gw), _np(gx2), _np(gw2)


def test_double_backward_through_in_place_on_views():
    _same(_double(chainrule), _double(torch))


def _twice(lib, retain):
    x = _x(lib)
    y = x * 2
    y[0].mul_(2)
    y.sum().backward(retain_graph=retain)
    try:
        y.sum().backward()
    except RuntimeError as e:
        return str(e)
    return _np(x.grad)


@pytest.mark.parametrize("retain", [False, True])
def test_copy_slices_backward_twice(retain):
    _same([_twice(chainrule, retain)], [_twice(torch, retain)])


# ---------------------------------------------------------------------------- backward twice
TWICE = {
    "mul_scalar": lambda lib, x: x * 2.0,
    "add_scalar": lambda lib, x: x + 1,
    "pow": lambda lib, x: x.pow(2),
    "sum": lambda lib, x: x.sum(),
    "div_scalar": lambda lib, x: x / 2,
    "sub_scalar": lambda lib, x: x - 2,
    "view": lambda lib, x: x.view(-1),
    "select": lambda lib, x: x[0],
    "exp": lambda lib, x: x.exp(),
    "index_select": lambda lib, x: x.index_select(0, lib.tensor([0])),
    "gather": lambda lib, x: x.gather(0, lib.tensor([[0, 1, 0, 2]])),
    "advanced_index": lambda lib, x: x[lib.tensor([0, 1])],
    "masked_select": lambda lib, x: x.masked_select(x.detach() > 0),
    "take": lambda lib, x: x.take(lib.tensor([0])),
    "sort": lambda lib, x: x.sort(1).values,
    "scatter": lambda lib, x: x.scatter(0, lib.tensor([[0, 1, 0, 2]]), 1.),
    "scatter_add_src_no_grad": lambda lib, x: x.scatter_add(0, lib.tensor([[0, 1, 0, 2]]),
                                                            lib.ones(1, 4, dtype=x.dtype)),
    "index_add_src_no_grad": lambda lib, x: x.index_add(0, lib.tensor([0]),
                                                        lib.ones(1, 4, dtype=x.dtype)),
    "index_put": lambda lib, x: x.index_put((lib.tensor([0]),), lib.ones(4, dtype=x.dtype),
                                            accumulate=True),
    "setitem": lambda lib, x: _set(x.clone()),
}


def _set(y):
    y[0] = 5.0
    return y


def _backward_twice(lib, name):
    x = _x(lib)
    y = TWICE[name](lib, x)
    y.sum().backward()
    try:
        y.sum().backward()
    except RuntimeError as e:
        return str(e)
    return _np(x.grad)


@pytest.mark.parametrize("name", sorted(TWICE))
def test_backward_twice_matches_torch(name):
    _same([_backward_twice(chainrule, name)], [_backward_twice(torch, name)])


# ---------------------------------------------------------------------------- once_differentiable
def _once(lib):
    class Square(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 2

        @staticmethod
        @lib.autograd.function.once_differentiable
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 2 * x * g

    x = lib.tensor([1., 2.], requires_grad=True)
    v = lib.tensor([1., 1.], requires_grad=True)
    g, = lib.autograd.grad(Square.apply(x), x, v, create_graph=True)
    seen = [repr(g), g.grad_fn.name(), type(g.grad_fn).__name__,
            [type(n).__name__ for n, _ in g.grad_fn.next_functions]]
    for again in (lambda: g.sum().backward(), lambda: lib.autograd.grad(g.sum(), v)):
        try:
            again()
        except RuntimeError as e:
            seen.append(str(e))
    return seen


def test_once_differentiable_error_node_matches_torch():
    assert _once(chainrule) == _once(torch)


# ---------------------------------------------------------------------------- clamp and -0.0
CLAMPS = ["clamp(min=0)", "clamp(max=0)", "clamp(min=0, max=1)", "clamp(min=-0.0)",
          "clamp(min=-0.0, max=0.0)", "clamp_min(0)", "clamp_max(0.)", "relu()",
          "clamp(min=lib.tensor(0.))", "clamp(max=lib.tensor(0.))", "clamp(1, 0)",
          "clamp(min=float('nan'))"]


@pytest.mark.parametrize("expr", CLAMPS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_clamp_keeps_negative_zero_like_torch(expr, dtype):
    out = []
    for lib in (chainrule, torch):
        t = lib.tensor([-0.0, 0.0, -1.0, float("nan"), 2.0, float("-inf")],
                       dtype=getattr(lib, dtype))
        r = eval("t." + expr, {"t": t, "lib": lib}).numpy()
        out.append((r.dtype, np.signbit(r).tolist(), r.tolist()))
    assert str(out[0][0]) == str(out[1][0])
    assert out[0][1] == out[1][1]
    np.testing.assert_array_equal(out[0][2], out[1][2])


def test_relu_functional_keeps_negative_zero_like_torch():
    for lib in (chainrule, torch):
        r = lib.nn.functional.relu(lib.tensor([-0.0, -2.0]))
        assert np.signbit(r.numpy()).tolist() == [True, False]


# ---------------------------------------------------------------------------- integer wraparound
WRAPS = ["t * -1", "-1 * t", "t + 256", "t + 300", "t * 1000", "t - -1", "300 - t", "t // -1",
         "t % -3", "t.fmod(-3)", "t == 257", "t != 257", "t >= -1", "t < 300", "t & -1",
         "t | 256", "t ^ -1", "t >> -1", "t.mul(-1)", "t.add(-1, alpha=2)", "t.sub(-1)",
         "lib.add(t, -1)", "t / -1", "t * -1.5", "i8 + 200", "i16 - 70000", "i32 * 2**40",
         "i32 - 2**31", "i64 + 2**63", "i64 - 2**63", "t.clone().add_(-1)",
         "t.clone().mul_(300)", "t.clone().sub_(-1)", "b + 2", "b * -1"]


@pytest.mark.parametrize("expr", WRAPS)
def test_python_int_out_of_dtype_range_wraps_like_torch(expr):
    out = []
    for lib in (chainrule, torch):
        env = {"lib": lib, "t": lib.tensor([1, 7], dtype=lib.uint8),
               "i8": lib.tensor([1, -3], dtype=lib.int8),
               "i16": lib.tensor([5], dtype=lib.int16), "i32": lib.tensor([1, 2], dtype=lib.int32),
               "i64": lib.tensor([1]), "b": lib.tensor([True, False])}
        r = eval(expr, env)
        out.append((str(r.dtype), r.tolist()))
    assert out[0] == out[1]


@pytest.mark.parametrize("expr", ["t * 2**70", "i64 + 2**64", "i64 + (-2**63 - 1)"])
def test_python_int_beyond_64_bits_raises_like_torch(expr):
    seen = []
    for lib in (chainrule, torch):
        env = {"t": lib.tensor([1], dtype=lib.uint8), "i64": lib.tensor([1])}
        with pytest.raises(OverflowError) as info:
            eval(expr, env)
        seen.append(str(info.value))
    assert seen[0] == seen[1]


def test_add_with_alpha_keeps_float32_like_torch():
    for lib in (chainrule, torch):
        x = lib.ones(2)
        assert str(x.add(2.5, alpha=0.1).dtype).endswith("float32")
        assert str(x.sub(2, alpha=3).dtype).endswith("float32")


# ---------------------------------------------------------------------------- user Functions
def _doubling_function(lib):
    class Double(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2
    return Double


def _user_fn_on_view(lib):
    x = _x(lib)
    y = x * 1
    v = y[1]
    out = _doubling_function(lib).apply(v)
    (y * lib.tensor(np.arange(12.).reshape(3, 4))).sum().backward()
    return (out is v, type(v.grad_fn).__name__, _graph(y.grad_fn), v._version, _np(x.grad))


def _user_fn_versions(lib):
    plain = lib.ones(3)
    _doubling_function(lib).apply(plain)
    graph = lib.ones(3, requires_grad=True) * 1
    _doubling_function(lib).apply(graph)
    return plain._version, graph._version


def _user_fn_double_backward(lib):
    x = _x(lib)
    y = x * 1
    _doubling_function(lib).apply(y[0])
    y[2].exp_()
    g, = lib.autograd.grad(y.pow(2).sum(), x, create_graph=True)
    gg, = lib.autograd.grad(g.sum(), x)
    return _np(g), _np(gg)


@pytest.mark.parametrize("case", [_user_fn_on_view, _user_fn_versions, _user_fn_double_backward])
def test_user_function_modifying_a_view_matches_torch(case):
    _same(case(chainrule), case(torch))


@pytest.mark.parametrize("make", [
    lambda lib, x: _doubling_function(lib).apply(x[0]),
    lambda lib, x: _doubling_function(lib).apply(_no_grad_view_of(lib, x * 1)),
    lambda lib, x: _doubling_function(lib).apply(x),
])
def test_user_function_modifying_a_view_errors_match_torch(make):
    errors = []
    for lib in (torch, chainrule):
        with pytest.raises(RuntimeError) as info:
            make(lib, _x(lib))
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def _no_grad_view_of(lib, y):
    with lib.no_grad():
        return y[0]


# ---------------------------------------------------------------------------- views made under no_grad
def _unrecorded_views(lib):
    """Views made under no_grad (or inference_mode) of a tensor that requires grad are leaves that
    require grad with no AccumulateGrad: ops on them record edges to nothing."""
    x = _x(lib)
    with lib.no_grad():
        views = (x[0], x.t(), x.split(1)[0], x.unbind(1)[0], x.view(12), x.narrow(1, 0, 2),
                 (x * 1)[1])
    with lib.inference_mode():
        inference = x[1]
    v = views[0]
    out = (v * x[1]).sum()
    out.backward()
    below = out.grad_fn.next_functions[0][0]
    v.requires_grad_(False)
    return ([(t.requires_grad, t.is_leaf) for t in views + (inference,)], repr(views[0]),
            repr(v * 2), _graph(below), _np(x.grad), v.grad, v.requires_grad,
            (v[1:].requires_grad, v[1:].is_leaf))


def test_views_made_under_no_grad_match_torch():
    _same(_unrecorded_views(chainrule), _unrecorded_views(torch))


@pytest.mark.parametrize("make", [
    lambda lib, v: v.backward(lib.ones(4)),
    lambda lib, v: lib.autograd.grad((v * 2).sum(), v),
    lambda lib, v: v.mul_(2),
])
def test_views_made_under_no_grad_errors_match_torch(make):
    errors = []
    for lib in (torch, chainrule):
        x = _x(lib)
        with lib.no_grad():
            v = x[0]
        with pytest.raises(RuntimeError) as info:
            make(lib, v)
        errors.append(str(info.value))
    assert errors[0] == errors[1]
