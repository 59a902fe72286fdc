"""Reductions against PyTorch: values, grad_fn names, gradients with random upstream grads."""
import math
import re

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")

DTYPES = ["float32", "float64"]


def pair(array, dtype, noncontig=False):
    """Leaves with the same data in chainrule and torch, and the inputs made from them:
    the leaves themselves, or (``noncontig``) non-contiguous views of transposed leaves."""
    array = np.asarray(array, dtype=dtype)
    if noncontig:
        array = np.ascontiguousarray(array.T)
    c = chainrule.tensor(array.copy(), requires_grad=True)
    t = torch.tensor(array.copy(), requires_grad=True)
    if noncontig:
        rev = tuple(range(array.ndim))[::-1]
        return c, t, c.permute(rev), t.permute(rev)
    return c, t, c, t


def tensors(out):
    return list(out) if isinstance(out, tuple) else [out]


def compare(fn, data, dtype, noncontig=False, check_grad=True):
    c, t, c_in, t_in = pair(data, dtype, noncontig)
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == "float32" else dict(rtol=1e-10, atol=1e-12)
    c_outs, t_outs = tensors(fn(chainrule, c_in)), tensors(fn(torch, t_in))
    assert len(c_outs) == len(t_outs)
    rng = np.random.default_rng(0)
    c_loss, t_loss = 0, 0
    for co, to in zip(c_outs, t_outs):
        assert tuple(co.shape) == tuple(to.shape)
        assert str(co.dtype) == str(to.dtype)
        np.testing.assert_allclose(co.detach().numpy(), to.detach().numpy(), **tol)
        assert type(co.grad_fn).__name__ == type(to.grad_fn).__name__
        if to.requires_grad:
            w = rng.standard_normal(tuple(to.shape))
            c_loss = c_loss + (co * chainrule.tensor(w, dtype=co.dtype)).sum()
            t_loss = t_loss + (to * torch.tensor(w, dtype=to.dtype)).sum()
    if check_grad and isinstance(t_loss, torch.Tensor):
        c_loss.backward()
        t_loss.backward()
        if t.grad is None:
            assert c.grad is None
        else:
            np.testing.assert_allclose(c.grad.numpy(), t.grad.numpy(), **tol)


DATA = np.random.default_rng(1).standard_normal((3, 4, 5))
REDUCTIONS = [
    lambda m, x: x.sum(), lambda m, x: x.sum(1), lambda m, x: x.sum((0, -1), keepdim=True),
    lambda m, x: x.sum(dim=()), lambda m, x: x.sum(dtype=m.float64),
    lambda m, x: x.mean(), lambda m, x: x.mean(-1), lambda m, x: x.mean((0, 2), True),
    lambda m, x: x.prod(), lambda m, x: x.prod(1), lambda m, x: x.prod(-1, keepdim=True),
    lambda m, x: x.max(), lambda m, x: x.min(), lambda m, x: tuple(x.max(1)),
    lambda m, x: tuple(m.min(x, -1, keepdim=True)), lambda m, x: m.max(x, x * 0.5),
    lambda m, x: x.amax(), lambda m, x: x.amax((0, 2)), lambda m, x: x.amin(1, True),
    lambda m, x: x.var(), lambda m, x: x.var(1), lambda m, x: x.std((0, 1), keepdim=True),
    lambda m, x: x.std(unbiased=False), lambda m, x: x.var(2, correction=2),
    lambda m, x: m.var_mean(x, 1), lambda m, x: m.std_mean(x, (0, 2), keepdim=True),
    lambda m, x: m.std_mean(x)[1],
    lambda m, x: x.norm(), lambda m, x: x.norm(1), lambda m, x: x.norm(3, dim=1),
    lambda m, x: x.norm(math.inf, (0, 1)), lambda m, x: x.norm(-math.inf, 2, True),
    lambda m, x: x.norm(0.5, 0), lambda m, x: x.norm("fro", (1, 2)), lambda m, x: x.norm(0),
    lambda m, x: m.norm(x, 2, -1, True), lambda m, x: x.norm(dtype=m.float64),
    lambda m, x: x.logsumexp(1), lambda m, x: m.logsumexp(x, (0, 2), keepdim=True),
    lambda m, x: x.cumsum(0), lambda m, x: x.cumsum(-1), lambda m, x: x.cumprod(1),
    lambda m, x: x.cumsum(1, dtype=m.float64),
]


@pytest.mark.parametrize("fn", REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_reduction(fn, dtype):
    compare(fn, DATA, dtype)


@pytest.mark.parametrize("fn", REDUCTIONS[::3])
def test_reduction_noncontiguous(fn):
    compare(fn, DATA, "float64", noncontig=True)


ZEROS = np.array([[0., 2., 0.5, 3.], [1., 0., 0., 2.], [1.5, -1., 2., 0.], [1., 2., 3., 4.]])


@pytest.mark.parametrize("fn", [
    lambda m, x: x.prod(), lambda m, x: x.prod(0), lambda m, x: x.prod(1),
    lambda m, x: x.cumprod(0), lambda m, x: x.cumprod(1), lambda m, x: x.norm(0.5, 1),
    lambda m, x: x.norm(dim=1), lambda m, x: x.norm(math.inf, 1),
])
@pytest.mark.parametrize("dtype", DTYPES)
def test_zeros(fn, dtype):
    compare(fn, ZEROS, dtype)


def test_prod_cumprod_double_backward_with_zeros():
    for fn in (lambda x: x.prod(), lambda x: x.prod(1), lambda x: x.cumprod(1)):
        c, t, _, _ = pair(ZEROS, "float64")
        gc, = chainrule.autograd.grad(fn(c).sum(), c, create_graph=True)
        gt, = torch.autograd.grad(fn(t).sum(), t, create_graph=True)
        np.testing.assert_allclose(gc.detach().numpy(), gt.detach().numpy())
        (gc * gc).sum().backward()
        (gt * gt).sum().backward()
        np.testing.assert_allclose(c.grad.numpy(), t.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("data", [[[1., 3., 3.], [2., 2., 2.]], [[float("nan"), 1., 2.]],
                                  [[-math.inf, -math.inf, 1.]]])
@pytest.mark.parametrize("fn", [
    lambda m, x: x.max(), lambda m, x: x.amax(1), lambda m, x: x.amin(0), lambda m, x: x.min(),
    lambda m, x: tuple(x.max(1)), lambda m, x: tuple(x.min(0)), lambda m, x: x.logsumexp(1),
    lambda m, x: x.norm(math.inf),
])
def test_ties_and_special_values(fn, data):
    compare(fn, data, "float64")


@pytest.mark.parametrize("fn", [
    lambda m, x: x.sum(0), lambda m, x: x.mean(-1), lambda m, x: x.prod(0),
    lambda m, x: tuple(x.max(0)), lambda m, x: x.amax(), lambda m, x: x.std(0),
    lambda m, x: x.norm(dim=0), lambda m, x: x.logsumexp(0), lambda m, x: x.cumsum(0),
    lambda m, x: x.cumprod(-1), lambda m, x: x.argmax(0), lambda m, x: x.all(0),
])
def test_zero_dim(fn):
    compare(fn, 1.5, "float64")


def test_non_differentiable_results():
    x = np.array([[1, 0, 3], [4, 5, 0]])
    for fn in (lambda m, x: x.argmax(), lambda m, x: x.argmin(1, keepdim=True),
               lambda m, x: x.all(), lambda m, x: x.any(1), lambda m, x: x.all((0, 1)),
               lambda m, x: x.count_nonzero(), lambda m, x: x.count_nonzero(0),
               lambda m, x: x.sum(), lambda m, x: x.prod(1), lambda m, x: x.cumsum(0),
               lambda m, x: x.max(), lambda m, x: x.amax(0)):
        for dtype in ("int32", "int64", "bool", "uint8"):
            try:
                t = fn(torch, torch.tensor(x.astype(dtype)))
            except RuntimeError as error:
                with pytest.raises(RuntimeError, match=re.escape(str(error))):
                    fn(chainrule, chainrule.tensor(x.astype(dtype)))
                continue
            c = fn(chainrule, chainrule.tensor(x.astype(dtype)))
            assert str(c.dtype) == str(t.dtype) and c.tolist() == t.tolist(), (dtype, c, t)


def test_return_type_repr():
    data = np.array([[1., 5.], [3., 2.]], dtype=np.float32)
    c = chainrule.tensor(data, requires_grad=True)
    t = torch.tensor(data, requires_grad=True)
    assert repr(c.max(0)) == repr(t.max(0))
    assert repr(chainrule.min(c, 1, keepdim=True)) == repr(torch.min(t, 1, keepdim=True))
    r = c.max(0)
    assert r.values is r[0] and r.indices is r[1]


@pytest.mark.parametrize("make", [
    lambda m: m.ones(2, 3).sum(2), lambda m: m.ones(2, 3).mean((1, 1)),
    lambda m: m.tensor([1, 2]).mean(), lambda m: m.ones(2).mean(dtype=m.int64),
    lambda m: m.zeros(0).max(), lambda m: m.zeros(0, 2).amax(0), lambda m: m.zeros(0).argmax(),
    lambda m: m.tensor([1, 2]).var(), lambda m: m.tensor([1, 2]).norm(),
    lambda m: m.ones(2).norm("nuc"), lambda m: m.ones(2).norm("abc"), lambda m: m.ones(2).max(3), lambda m: m.ones(2).cumsum(1),
    lambda m: m.zeros(0).norm(math.inf), lambda m: m.ones(2, 2).std(0, True, correction=1),
])
def test_errors(make):
    with pytest.raises(Exception) as expected:
        make(torch)
    with pytest.raises(type(expected.value)) as got:
        make(chainrule)
    if not isinstance(expected.value, TypeError):  # overload listings are abbreviated
        assert str(got.value) == str(expected.value)


# ---------------------------------------------------------------------------- nan-aware, aminmax,
# cumulative extremes, logcumsumexp
WITH_NANS = np.where(np.random.default_rng(2).random((3, 4, 5)) < 0.2, np.nan, DATA)
TIES = np.round(DATA * 2) / 2  # many equal values

MORE_REDUCTIONS = [
    lambda m, x: x.nansum(), lambda m, x: m.nansum(x, 1), lambda m, x: x.nansum((0, 2), True),
    lambda m, x: x.nansum(dtype=m.float64), lambda m, x: x.nanmean(), lambda m, x: x.nanmean(-1),
    lambda m, x: m.nanmean(x, (0, 1), keepdim=True), lambda m, x: x.nanmean(dtype=m.float64),
    lambda m, x: tuple(x.aminmax()), lambda m, x: tuple(m.aminmax(x, dim=1)),
    lambda m, x: tuple(x.aminmax(dim=-1, keepdim=True)), lambda m, x: x.aminmax(keepdim=True)[1],
    lambda m, x: x.aminmax(dim=0).min, lambda m, x: tuple(x.cummax(0)),
    lambda m, x: tuple(m.cummax(x, -1)), lambda m, x: tuple(x.cummin(1)),
    lambda m, x: m.cummin(x, 2).values, lambda m, x: x.logcumsumexp(0),
    lambda m, x: m.logcumsumexp(x, -1), lambda m, x: x.logcumsumexp(1) * x,
]


@pytest.mark.parametrize("fn", MORE_REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("data", ["plain", "nans", "ties"])
def test_more_reductions(fn, dtype, data):
    compare(fn, {"plain": DATA, "nans": WITH_NANS, "ties": TIES}[data], dtype)


@pytest.mark.parametrize("fn", MORE_REDUCTIONS[::2])
def test_more_reductions_noncontiguous(fn):
    compare(fn, TIES, "float64", noncontig=True)


@pytest.mark.parametrize("fn", [
    lambda m, x: x.nansum(0), lambda m, x: x.nanmean(-1), lambda m, x: tuple(x.aminmax(dim=0)),
    lambda m, x: tuple(x.aminmax()), lambda m, x: tuple(x.cummax(0)),
    lambda m, x: tuple(x.cummin(-1)), lambda m, x: x.logcumsumexp(0),
])
def test_more_reductions_zero_dim(fn):
    compare(fn, 1.5, "float64")


@pytest.mark.parametrize("data", [[[1., 3., 3.], [2., 2., 2.]], [[float("nan"), 1., 2.]],
                                  [[-math.inf, -math.inf, 1.]], [[math.inf, 0., 2.]],
                                  [[1., float("nan"), 0., float("nan"), 4.]],
                                  [[float("nan"), float("nan")], [-0.0, 0.0]]])
@pytest.mark.parametrize("fn", [
    lambda m, x: tuple(x.cummax(1)), lambda m, x: tuple(x.cummin(1)), lambda m, x: x.nansum(1),
    lambda m, x: x.nanmean(1), lambda m, x: x.logcumsumexp(1), lambda m, x: tuple(x.aminmax()),
])
def test_more_special_values(fn, data):
    compare(fn, data, "float64")


def test_logcumsumexp_large_and_double_backward():
    x = np.array([[1000.0, -1000.0, 999.0, 1001.0], [-3.0, 2.0, 0.5, -0.25]])
    compare(lambda m, t: t.logcumsumexp(1), x, "float64")
    for fn in (lambda t: t.logcumsumexp(1), lambda t: t.cummax(1).values * t,
               lambda t: t.nansum(0) ** 2, lambda t: t.aminmax(dim=1).max ** 3):
        c, t, _, _ = pair(x / 1000 + np.arange(4), "float64")
        gc, = chainrule.autograd.grad((fn(c) * fn(c)).sum(), c, create_graph=True)
        gt, = torch.autograd.grad((fn(t) * fn(t)).sum(), t, create_graph=True)
        np.testing.assert_allclose(gc.detach().numpy(), gt.detach().numpy(), rtol=1e-10,
                                   atol=1e-12)
        (gc * gc.sin()).sum().backward()
        (gt * gt.sin()).sum().backward()
        np.testing.assert_allclose(c.grad.numpy(), t.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_more_integer_inputs():
    x = np.array([[1, 0, 3], [4, 5, 0]])
    for fn in (lambda m, x: x.nansum(), lambda m, x: x.nansum(1), lambda m, x: tuple(x.aminmax()),
               lambda m, x: tuple(x.aminmax(dim=0)), lambda m, x: tuple(x.cummax(1)),
               lambda m, x: tuple(x.cummin(0)), lambda m, x: x.nansum(dtype=m.float64)):
        for dtype in ("int32", "int64", "bool", "uint8"):
            t = tensors(fn(torch, torch.tensor(x.astype(dtype))))
            c = tensors(fn(chainrule, chainrule.tensor(x.astype(dtype))))
            for co, to in zip(c, t):
                assert str(co.dtype) == str(to.dtype), (dtype, co, to)
                assert co.tolist() == to.tolist(), (dtype, co, to)


def test_more_return_types_repr():
    data = np.array([[1., 5.], [3., 2.]], dtype=np.float32)
    c = chainrule.tensor(data, requires_grad=True)
    t = torch.tensor(data, requires_grad=True)
    for fn in (lambda x: x.aminmax(), lambda x: x.aminmax(dim=1), lambda x: x.cummax(0),
               lambda x: x.cummin(1)):
        assert repr(fn(c)) == repr(fn(t))
    r = c.aminmax()
    assert r.min is r[0] and r.max is r[1]


@pytest.mark.parametrize("make", [
    lambda m: m.zeros(0).aminmax(), lambda m: m.zeros(0, 3).aminmax(dim=0),
    lambda m: m.zeros(0, 3).aminmax(dim=1), lambda m: m.ones(2).aminmax(dim=1),
    lambda m: m.tensor([1, 2]).nanmean(), lambda m: m.ones(2).nanmean(dtype=m.int64),
    lambda m: m.ones(2, dtype=m.complex64).nansum(), lambda m: m.tensor([1]).logcumsumexp(0),
    lambda m: m.tensor([True]).logcumsumexp(0), lambda m: m.ones(2).logcumsumexp(1),
    lambda m: m.ones(2).cummax(1), lambda m: m.ones(2).nansum(2),
    lambda m: m.zeros(0, 2).cummax(0), lambda m: m.tensor([math.nan, math.nan]).nanmean(),
])
def test_more_errors_and_edges(make):
    try:
        expected = make(torch)
    except Exception as exc:
        with pytest.raises(type(exc)) as got:
            make(chainrule)
        assert str(got.value) == str(exc)
        return
    for co, to in zip(tensors(make(chainrule)), tensors(expected)):
        assert str(co.dtype) == str(to.dtype) and tuple(co.shape) == tuple(to.shape)
        np.testing.assert_array_equal(co.numpy(), to.numpy())
