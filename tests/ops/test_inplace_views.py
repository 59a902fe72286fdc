"""In-place ops on views of tensors in the graph (no PyTorch needed): the base is rebased onto
CopySlices, the view reads the new base, gradients equal those of the out-of-place equivalent,
and second derivatives pass gradgradcheck."""
import numpy as np
import pytest

import chainrule as cr
from chainrule.autograd import gradcheck, gradgradcheck


def _x():
    return cr.tensor(np.arange(12.).reshape(3, 4) / 7 - 0.5, requires_grad=True)


def _w():
    return cr.tensor(np.arange(4.) / 3 + 0.25, requires_grad=True)


# (in-place version, out-of-place equivalent), both (x, w) -> y
CASES = {
    "select_mul_": (lambda x, w: _do(x * 1, lambda y: y[0].mul_(2)),
                    lambda x, w: cr.cat([x[:1] * 2, x[1:]])),
    "select_add_tensor": (lambda x, w: _do(x * 1, lambda y: y[1].add_(w)),
                          lambda x, w: cr.stack([x[0], x[1] + w, x[2]])),
    "transpose_add_": (lambda x, w: _do(x * 1, lambda y: y.t().add_(w[:3])),
                       lambda x, w: x + w[:3, None]),
    "column_zero_": (lambda x, w: _do(x * 1, lambda y: y[:, 0].zero_()),
                     lambda x, w: x * cr.tensor([0., 1., 1., 1.], dtype=cr.float64)),
    "slice_step_mul_": (lambda x, w: _do(x * 1, lambda y: y[:, ::2].mul_(w[:2])),
                        lambda x, w: x * cr.stack([w[0], w[0] * 0 + 1, w[1], w[0] * 0 + 1])),
    "chained_setitem": (lambda x, w: _do(x * 1, lambda y: y[0].__setitem__(1, w[3])),
                        lambda x, w: cr.cat([x[0, :1], w[3:], x[0, 2:], x[1:].reshape(-1)])
                        .reshape(3, 4)),
    "view_copy_": (lambda x, w: _do(x * 1, lambda y: y.view(2, 6)[1].copy_(
        cr.cat([w, w[:2]]))), lambda x, w: cr.cat([x.reshape(-1)[:6], w, w[:2]]).reshape(3, 4)),
    "unsqueeze_exp_": (lambda x, w: _do(x * 1, lambda y: y.unsqueeze(0)[0, 2].exp_()),
                       lambda x, w: cr.cat([x[:2], x[2:].exp()])),
}


def _do(y, op):
    op(y)
    return y


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients_equal_the_out_of_place_version(name):
    inplace, plain = CASES[name]
    grads = []
    for f in (inplace, plain):
        x, w = _x(), _w()
        y = f(x, w)
        weights = cr.tensor(np.arange(12.).reshape(3, 4) + 1)
        (y * weights).sum().backward()
        grads.append((y.detach().numpy(), x.grad.numpy(),
                      None if w.grad is None else w.grad.numpy()))
    (y1, gx1, gw1), (y2, gx2, gw2) = grads
    np.testing.assert_allclose(y1, y2, rtol=1e-12)
    np.testing.assert_allclose(gx1, gx2, rtol=1e-12)
    if gw1 is None or gw2 is None:
        assert gw1 is None and gw2 is None or not np.any(gw1 if gw2 is None else gw2)
    else:
        np.testing.assert_allclose(gw1, gw2, rtol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradcheck_and_gradgradcheck(name):
    inplace, _ = CASES[name]
    x, w = _x(), _w()
    fn = lambda x, w: inplace(x, w) ** 2  # noqa: E731 - non-linear, so second derivatives exist
    assert gradcheck(fn, (x, w))
    assert gradgradcheck(fn, (x, w))


def test_grad_fn_names():
    y = _x() * 1
    v = y[0]
    v.mul_(2)
    assert type(y.grad_fn).__name__ == "CopySlices"
    assert y.grad_fn.name() == "torch::autograd::CopySlices"
    assert type(v.grad_fn).__name__ == "AsStridedBackward0"
    assert v._base is y and v._version == y._version == 1
    assert y.grad_fn.next_functions[0][0].name() == "MulBackward0"
    # CopySlices holds the in-place op's node: its edges are the old base's and those of the
    # op's other inputs (here a number: no node)
    assert y.grad_fn.next_functions[1] == (None, 0) and len(y.grad_fn.next_functions) == 2
    w = _w()
    y = _x() * 1
    y[1].add_(w)
    assert [n.name() for n, _ in y.grad_fn.next_functions] == [
        "MulBackward0", "torch::autograd::AccumulateGrad"]
    assert y.grad_fn.next_functions[1][0].variable is w


def test_user_function_modifying_a_view_in_place():
    class Double(cr.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2
    x = _x()
    y = x * 1
    v = y[1]
    assert Double.apply(v) is v and type(v.grad_fn).__name__ == "AsStridedBackward0"
    assert type(y.grad_fn).__name__ == "CopySlices"
    (y * cr.arange(12., dtype=cr.float64).reshape(3, 4)).sum().backward()
    expected = np.arange(12.).reshape(3, 4)
    expected[1] *= 2
    np.testing.assert_allclose(x.grad.numpy(), expected)


def test_views_of_the_base_see_the_change():
    x = _x()
    y = x * 1
    a = y[0]
    y.mul_(3)
    a.sum().backward()
    np.testing.assert_allclose(x.grad.numpy()[0], [3.] * 4)
    assert type(a.grad_fn).__name__ == "AsStridedBackward0"

    x = _x()
    y = x * 1
    a = y[0]
    y[0, 1:].mul_(2)  # another view of the same base
    a.sum().backward()
    np.testing.assert_allclose(x.grad.numpy()[0], [1., 2., 2., 2.])


def test_base_without_grad_becomes_part_of_the_graph():
    w = _w()
    y = cr.zeros(3, 4, dtype=cr.float64)
    y[1].add_(w)
    assert y.requires_grad and type(y.grad_fn).__name__ == "CopySlices"
    y.sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), [1.] * 4)


def test_backward_twice_through_copy_slices_needs_retain_graph():
    x = _x()
    y = x * 2
    y[0].mul_(2)
    y.sum().backward(retain_graph=True)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy()[0], [8.] * 4)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.sum().backward()


def test_errors():
    x = _x()
    with pytest.raises(RuntimeError, match="^a view of a leaf Variable that requires grad is "
                                           "being used in an in-place operation.$"):
        x[0].mul_(2)
    with pytest.raises(RuntimeError, match="^Output 1 of Split is a view and is being modified "
                                           "inplace. This view is the output of a function that "
                                           "returns multiple views."):
        (x * 1).split(2)[1].mul_(2)
    with pytest.raises(RuntimeError, match="^Output 0 of Unbind is a view"):
        (x * 1).unbind()[0].zero_()
    with pytest.raises(RuntimeError, match="^Output 0 of SplitWithSizes is a view"):
        (x * 1).split([1, 2])[0].add_(1)
    with pytest.raises(RuntimeError, match="^unsupported operation: more than one element"):
        (x[:1] * 1).expand(3, 4).add_(1)
    y = x * 1
    with cr.no_grad():
        v = y[0]
    with pytest.raises(RuntimeError, match="^A view was created in no_grad mode"):
        v.mul_(2)
    y = x * 1
    a, _ = y.split(2)
    y.add_(1)
    with pytest.raises(RuntimeError, match="^Output 0 of Split is a view and its base or another "
                                           "view of its base has been modified inplace"):
        a.sum().backward()


def test_no_graph_in_place_on_views_is_unchanged():
    x = _x()
    with cr.no_grad():
        x[0].mul_(2)
        x.t()[1] = 0.
    assert x.grad_fn is None and x._version == 2
    y = cr.ones(2, 3)
    y.split(1)[0].mul_(2)  # outside any graph, split outputs may be modified
    np.testing.assert_array_equal(y.numpy(), [[2.] * 3, [1.] * 3])


def test_views_recorded_without_a_non_leaf_base_are_not_tracked():
    x = _x()
    x.t()
    x[0]
    assert "_views" not in x.__dict__  # a leaf can never be rebased
    y = x * 1
    y.t()
    assert len(y.__dict__["_views"]) == 1
