"""The fast paths of Function.apply and the engine keep every semantic of the general path.

Built-in ops get a specialised ``apply`` (autograd/function.py, ``_specialised_apply``), the
engine calls plain backwards directly, 0-d NumPy results are wrapped as 0-d arrays, and a plain
backward sees 0-d saved values as NumPy scalars. These tests pin down what must not change.
"""
import gc
import weakref

import numpy as np
import pytest

import chainrule as torch
from chainrule.autograd import function as F
from chainrule.ops import elementwise as E, reduction as R


def _leaf(value, dtype=torch.float32):
    return torch.tensor(value, dtype=dtype, requires_grad=True)


# ---------------------------------------------------------------------------- apply
def test_hot_ops_have_a_specialised_apply():
    for op in (E.Add, E.Sub, E.Mul, E.Div, E.Tanh, E.Exp, R.SumAll, R.MeanAll):
        assert op.apply.__func__ is not F.Function.apply.__func__, op
    # user Functions keep the general one
    class Double(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2
    assert Double.apply.__func__ is F.Function.apply.__func__


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_same_results_with_and_without_grad(dtype, shape):
    rng = np.random.default_rng(0)
    a_np = rng.standard_normal(shape)
    b_np = rng.standard_normal(shape)
    fns = [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b,
           lambda a, b: a.tanh(), lambda a, b: a.exp(), lambda a, b: a.sum(),
           lambda a, b: a.mean(), lambda a, b: a + 2, lambda a, b: 3 * a, lambda a, b: 1 - a,
           lambda a, b: a.add(b, alpha=2), lambda a, b: a.sub(b, alpha=0.5),
           lambda a, b: a.clamp(min=0), lambda a, b: a.pow(2), lambda a, b: a.sigmoid()]
    for fn in fns:
        with torch.no_grad():
            plain = fn(torch.tensor(a_np, dtype=dtype), torch.tensor(b_np, dtype=dtype))
        graph = fn(torch.tensor(a_np, dtype=dtype, requires_grad=True),
                   torch.tensor(b_np, dtype=dtype, requires_grad=True))
        assert graph.requires_grad and graph.grad_fn is not None
        assert not plain.requires_grad and plain.grad_fn is None
        for t in (plain, graph):
            assert type(t._data) is np.ndarray  # 0-d results too: never a NumPy scalar
            assert t.dtype == dtype
        np.testing.assert_array_equal(plain._data, graph._data)


def test_zero_dim_results_are_arrays_that_in_place_ops_can_update():
    a, b = torch.tensor(1.5), torch.tensor(2.0)
    for y in (a * b, a + b, a.tanh(), a.sum(), torch.ones(3).sum(), torch.ones(3).mean()):
        assert type(y._data) is np.ndarray and y._data.shape == ()
        before = y.item()
        y.add_(1)
        assert y.item() == pytest.approx(before + 1)
        assert y._version == 1
    x = _leaf(2.0)
    y = x * 3
    y.mul_(2)  # in place on a non-leaf 0-d result inside a graph
    y.backward()
    assert x.grad.item() == 6.0


def test_mixed_operands_take_the_general_route():
    x = _leaf([1.0, 2.0])
    for y in (x + 1, 1 + x, x * 2.5, 2 * x, x - 1, 1 - x, x + np.float32(1),
              x + torch.tensor([1, 2]), x * torch.tensor(2.0, dtype=torch.float64)):
        assert y.dtype in (torch.float32, torch.float64)
        y.sum().backward()
    assert (torch.tensor([1, 2]) + torch.tensor([1.5, 2.5])).dtype == torch.float32
    i = torch.tensor([1, 2], dtype=torch.int32)
    assert (i + i).dtype == torch.int32
    assert (i * 2.5).dtype == torch.float32
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool"):
        torch.tensor([True]) - torch.tensor([False])
    with pytest.raises(RuntimeError, match="The size of tensor a"):
        torch.ones(2) * torch.ones(3)


def test_parameter_subclass_inputs():
    w = torch.nn.Parameter(torch.ones(3))
    y = (w * w + w).sum()
    y.backward()
    np.testing.assert_array_equal(w.grad._data, np.full(3, 3.0, np.float32))


def test_alpha_gradients():
    a, b = _leaf([1.0, 2.0]), _leaf([3.0, 4.0])
    torch.add(a, b, alpha=3).sum().backward()
    np.testing.assert_array_equal(b.grad._data, [3.0, 3.0])
    torch.sub(a, b, alpha=2).sum().backward()
    np.testing.assert_array_equal(b.grad._data, [1.0, 1.0])
    np.testing.assert_array_equal(a.grad._data, [2.0, 2.0])
    c = torch.tensor([1.0, 1.0])  # only one side requires grad
    (torch.add(c, a, alpha=2).sum() + torch.sub(a, c, alpha=5).sum()).backward()
    np.testing.assert_array_equal(a.grad._data, [5.0, 5.0])


def test_needs_input_grad_and_next_functions():
    a, c = _leaf(1.0), torch.tensor(2.0)
    y = a * c
    assert y.grad_fn.needs_input_grad == (True, False, False)
    assert y.grad_fn.next_functions[1] == (None, 0)
    assert y.grad_fn.next_functions[0][0].name() == "torch::autograd::AccumulateGrad"
    z = c * a
    assert z.grad_fn.needs_input_grad == (False, True, False)


# ---------------------------------------------------------------------------- saved values
def test_zero_dim_saved_values_give_the_same_gradients():
    for dtype in (torch.float32, torch.float64):
        x, a = _leaf(0.5, dtype), _leaf(0.9, dtype)
        y = (x * a + a).tanh() * x
        y.backward()
        for t in (x, a):
            assert type(t.grad._data) is np.ndarray and t.grad.dtype == dtype
        xv, av = np.array(0.5, dtype.np), np.array(0.9, dtype.np)
        h = np.tanh(xv * av + av)
        dh = (1 - h * h) * xv
        np.testing.assert_allclose(x.grad._data, h + dh * av, rtol=1e-6)
        np.testing.assert_allclose(a.grad._data, dh * (xv + 1), rtol=1e-6)


def test_version_check_on_the_fast_path():
    a = _leaf([1.0, 2.0])
    b = a * 2
    y = b * b
    b.add_(1)
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0 instead"):
        y.sum().backward()
    a0 = _leaf(1.0)
    b0 = a0 * 2
    y0 = b0.tanh()  # saves its output
    y0.add_(1)
    with pytest.raises(RuntimeError, match="which is output 0 of Tanh, is at version 1"):
        y0.backward()


def test_saved_values_are_freed_right_after_backward():
    x = _leaf(np.ones(1000))
    h = x * 2
    ref = weakref.ref(h._data)
    loss = (h * h).sum()  # MulBackward0 saves h twice
    del h
    gc.collect()
    assert ref() is not None  # held by the graph until backward
    loss.backward()
    gc.collect()
    assert ref() is None  # freed, though loss (and its graph) is still alive
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        loss.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        loss.grad_fn.next_functions[0][0].saved_tensors


def test_retain_graph_keeps_saved_values():
    x = _leaf([1.0, 2.0])
    h = x * 2
    ref = weakref.ref(h._data)
    loss = (h * h).sum()
    del h
    loss.backward(retain_graph=True)
    gc.collect()
    assert ref() is not None
    loss.backward()
    np.testing.assert_array_equal(x.grad._data, [16.0, 32.0])
    gc.collect()
    assert ref() is None


def test_training_loop_keeps_no_graph_alive():
    w = _leaf(np.ones((4, 3)))
    x = torch.ones(2, 4)
    refs = []
    for _ in range(5):
        loss = (x.mm(w).tanh() * 2).sum()
        refs.append(weakref.ref(loss.grad_fn))
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
            w.grad.zero_()
    del loss
    gc.collect()
    assert all(r() is None for r in refs)


def test_saved_tensor_hooks_still_apply():
    packed = []

    def pack(t):
        packed.append(t)
        return t

    x = _leaf(2.0)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        y = x * x
    assert len(packed) == 2
    y.backward()
    assert x.grad.item() == 4.0


# ---------------------------------------------------------------------------- views, versions
def test_views_share_the_version_counter():
    for grad in (False, True):
        base = torch.zeros(2, 3, requires_grad=grad) * 1  # a non-leaf when grad
        views = [base[0], base.t(), base.view(6), base[1][2], base.detach()]
        with torch.no_grad():
            base.add_(1)
        assert [v._version for v in views] == [1] * 5
        with torch.no_grad():
            views[0].mul_(2)
        assert base._version == 2 and [v._version for v in views] == [2] * 5
        assert all(v._base is base for v in views[:4])
    assert (torch.ones(2) + 1)._version_counter is not torch.ones(2)._version_counter


def test_zero_dim_view_of_a_view_in_a_graph():
    x = _leaf([[1.0, 2.0], [3.0, 4.0]])
    y = x * 1
    e = y[1][0]
    assert e._base is y
    (e * e).backward()
    np.testing.assert_array_equal(x.grad._data, [[0.0, 0.0], [6.0, 0.0]])


# ---------------------------------------------------------------------------- engine
def test_once_differentiable_result_differentiated_again_raises():
    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @torch.autograd.function.once_differentiable
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 2 * x * g

    x = _leaf(3.0)
    seed = torch.tensor(1.0, requires_grad=True)
    g, = torch.autograd.grad(Square.apply(x), x, grad_outputs=seed, create_graph=True)
    assert g.item() == 6.0 and g.requires_grad
    with pytest.raises(RuntimeError, match="differentiate twice a function that was marked"):
        g.backward()


def test_wrong_gradient_count_from_a_user_function():
    class Bad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g, g

    with pytest.raises(RuntimeError, match="returned an incorrect number of gradients"):
        Bad.apply(_leaf(1.0)).backward()


def test_broadcast_gradients_are_reduced_and_cast():
    a = _leaf([[1.0, 2.0, 3.0]])
    b = torch.tensor([[1.0], [2.0]], dtype=torch.float64, requires_grad=True)
    c = _leaf(2.0)
    y = (a * b * c).sum()
    y.backward()
    assert a.grad.shape == (1, 3) and a.grad.dtype == torch.float32
    assert b.grad.shape == (2, 1) and b.grad.dtype == torch.float64
    assert c.grad.shape == () and c.grad.dtype == torch.float32
    np.testing.assert_array_equal(a.grad._data, [[6.0, 6.0, 6.0]])
    np.testing.assert_array_equal(b.grad._data, [[12.0], [12.0]])
    assert c.grad.item() == 18.0


def test_double_backward_through_the_fast_ops():
    x = _leaf(0.5, torch.float64)
    y = (x * x + x).tanh()
    g, = torch.autograd.grad(y, x, create_graph=True)
    gg, = torch.autograd.grad(g, x)
    h = np.tanh(0.75)
    dh = 1 - h * h
    assert g.item() == pytest.approx(dh * 2.0)
    # d/dx [(1 - tanh(u)^2) u'] = -2 tanh(u) (1 - tanh(u)^2) u'^2 + (1 - tanh(u)^2) u''
    assert gg.item() == pytest.approx(-2 * h * dh * 4.0 + dh * 2.0)


def test_anomaly_trace_names_the_callers_line():
    x = _leaf(1.0)
    with torch.autograd.detect_anomaly():
        y = x * 2  # the line the trace must show
    trace = "".join(y.grad_fn._anomaly_trace)
    assert "the line the trace must show" in trace
    assert "apply" not in trace.splitlines()[-1]


# ---------------------------------------------------------------------------- .grad without a copy
def _buffers_shared(*tensors):
    arrays = [t._data for t in tensors]
    return any(np.shares_memory(a, b) for i, a in enumerate(arrays) for b in arrays[i + 1:])


def test_an_unshared_gradient_becomes_grad_without_a_copy(monkeypatch):
    from chainrule.autograd import engine
    taken = []
    original = engine._accumulate_into

    def spy(t, g, create_graph, owned=False):
        taken.append(owned)
        return original(t, g, create_graph, owned)
    monkeypatch.setattr(engine, "_accumulate_into", spy)
    x = torch.randn(5, 3, dtype=torch.float64)
    w = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    (x @ w).sum().backward()
    assert taken == [True]
    np.testing.assert_allclose(w.grad.numpy(), x.numpy().T @ np.ones((5, 4)))


def test_one_gradient_routed_to_two_leaves_is_copied():
    a, b = torch.randn(3, requires_grad=True), torch.randn(3, requires_grad=True)
    v = torch.ones(3)
    (a + b).backward(v)          # AddBackward0 hands the same array to both leaves
    assert not _buffers_shared(a.grad, b.grad, v)
    a.grad.add_(1)
    assert b.grad.tolist() == [1.0, 1.0, 1.0] and v.tolist() == [1.0, 1.0, 1.0]


def test_a_gradient_held_elsewhere_is_copied():
    x = torch.randn(4, requires_grad=True)
    g = torch.randn(4)
    x.backward(g)                           # the user's gradient itself
    assert not _buffers_shared(x.grad, g)
    x.grad = None
    (x + 0).backward(g)                     # passed through AddBackward0
    assert not _buffers_shared(x.grad, g)
    x.grad.zero_()
    assert g.abs().sum().item() > 0


def test_hooks_see_a_gradient_that_is_not_grad():
    x = torch.randn(3, requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(g))
    (x * 2).sum().backward()
    assert not _buffers_shared(x.grad, seen[0])
    stored = torch.zeros(3)
    z = torch.randn(3, requires_grad=True)
    z.register_hook(lambda g: stored)
    (z * 2).sum().backward()
    assert not _buffers_shared(z.grad, stored)
    z.grad.add_(1)
    assert stored.tolist() == [0.0, 0.0, 0.0]


def test_a_gradient_of_another_layout_is_copied_to_the_parameters():
    w = torch.randn(4, 3, dtype=torch.float64).t().requires_grad_()   # F-ordered leaf
    x = torch.randn(2, 4, dtype=torch.float64)
    (x @ w.t()).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), (x.numpy().T @ np.ones((2, 3))).T)
