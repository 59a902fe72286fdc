"""Reductions without PyTorch: float64 gradcheck / gradgradcheck, known values, errors."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import chainrule as torch
from chainrule.autograd import gradcheck, gradgradcheck

RNG = np.random.default_rng(0)


def leaf(*shape, values=None):
    data = RNG.standard_normal(shape) if values is None else np.asarray(values, np.float64)
    return torch.tensor(data, dtype=torch.float64, requires_grad=True)


def check(fn, *inputs, second=True):
    assert gradcheck(fn, inputs)
    if second:
        assert gradgradcheck(fn, inputs)


# ---------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("fn", [
    lambda t: t.sum(), lambda t: t.sum(0), lambda t: t.sum((0, 2), keepdim=True),
    lambda t: t.sum(-1), lambda t: t.mean(), lambda t: t.mean((1, 2)),
    lambda t: t.mean(-2, keepdim=True), lambda t: t.sum(dtype=torch.float64),
    lambda t: t.amax(), lambda t: t.amax((0, 1)), lambda t: t.amin(-1, keepdim=True),
    lambda t: t.max(), lambda t: t.min(), lambda t: t.max(1).values,
    lambda t: t.min(-1, keepdim=True).values,
    lambda t: t.var(), lambda t: t.var(1), lambda t: t.std((0, 2), keepdim=True),
    lambda t: t.std(correction=0), lambda t: t.var(1, unbiased=False),
    lambda t: torch.var_mean(t, 1), lambda t: torch.std_mean(t, (0, 1), keepdim=True),
    lambda t: t.logsumexp(0), lambda t: t.logsumexp((1, 2), keepdim=True),
    lambda t: t.cumsum(0), lambda t: t.cumsum(-1), lambda t: t.cumprod(1),
    lambda t: t.prod(), lambda t: t.prod(2), lambda t: t.prod(0, keepdim=True),
])
def test_gradients(fn):
    check(fn, leaf(2, 3, 4))


@pytest.mark.parametrize("p", [2, 1, 3, 1.5, 0.5, math.inf, -math.inf, "fro"])
@pytest.mark.parametrize("dim,keepdim", [(None, False), (1, False), ((0, 1), True)])
def test_norm_gradients(p, dim, keepdim):
    check(lambda t: t.norm(p, dim, keepdim), leaf(3, 4))


@pytest.mark.parametrize("fn", [
    lambda t: t.prod(), lambda t: t.prod(0), lambda t: t.prod(1),
    lambda t: t.cumprod(0), lambda t: t.cumprod(1),
])
def test_products_with_zeros(fn):
    x = leaf(values=[[0., 2., 0.5, 3.], [1., 0., 0., 2.], [1.5, -1., 2., 0.]])
    check(fn, x)


def test_prod_gradient_values_with_zeros():
    x = leaf(values=[2., 0., 3.])
    x.prod().backward()
    assert x.grad.tolist() == [0., 6., 0.]
    x = leaf(values=[0., 0., 3.])
    x.prod().backward()
    assert x.grad.tolist() == [0., 0., 0.]
    x = leaf(values=[2., 0., 3., 4.])
    x.cumprod(0).sum().backward()
    # d/dx0 = 1; d/dx1 = 2 + 6 + 24; d/dx2 = d/dx3 = 0
    assert x.grad.tolist() == [1., 32., 0., 0.]


def test_ties_share_the_gradient():
    x = leaf(values=[[1., 3., 3.], [2., 2., 2.]])
    x.amax(1).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0, .5, .5], [1 / 3, 1 / 3, 1 / 3]])
    x = leaf(values=[1., 3., 3.])
    x.max().backward()
    assert x.grad.tolist() == [0., .5, .5]
    x = leaf(values=[[1., 3., 3.]])
    x.max(1).values.sum().backward()
    assert x.grad.tolist() == [[0., 1., 0.]]


def test_norm_subgradient_at_zero():
    for p in (2, 1, 3, 0.5):
        x = leaf(values=[0., 0., 0.])
        x.norm(p).backward()
        assert x.grad.tolist() == [0., 0., 0.]
    x = leaf(values=[0., 0.])
    x.std().backward()
    assert x.grad.tolist() == [0., 0.]


def test_multi_output_unused_mean():
    x = leaf(3, 4)
    std, mean = torch.std_mean(x, 1)
    std.sum().backward()
    y = x.detach().requires_grad_()
    y.std(1).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), y.grad.numpy())


# ---------------------------------------------------------------------------- values and dtypes
def test_values():
    x = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
    assert x.sum().item() == 21 and x.sum(0).tolist() == [5, 7, 9]
    assert x.mean(1).tolist() == [2, 5] and x.prod().item() == 720
    assert x.var(1).tolist() == [1, 1]
    np.testing.assert_allclose(x.var(1, unbiased=False).numpy(), [2 / 3, 2 / 3], rtol=1e-6)
    assert x.argmax().item() == 5 and x.argmin(1).tolist() == [0, 0]
    assert x.argmax(keepdim=True).shape == (1, 1)
    assert x.cumsum(1).tolist() == [[1, 3, 6], [4, 9, 15]]
    assert x.cumprod(0).tolist() == [[1, 2, 3], [4, 10, 18]]
    np.testing.assert_allclose(x.norm().item(), math.sqrt(91), rtol=1e-6)
    assert x.norm(1).item() == 21 and x.norm(math.inf).item() == 6
    assert x.norm(0).item() == 6
    values, indices = x.max(1)
    assert values.tolist() == [3, 6] and indices.tolist() == [2, 2]
    r = x.min(0, keepdim=True)
    assert r.values.shape == (1, 3) and r.indices.dtype == torch.int64
    big = torch.tensor([1000., 1000.])
    np.testing.assert_allclose(big.logsumexp(0).item(), 1000 + math.log(2))
    assert torch.tensor([-math.inf, -math.inf]).logsumexp(0).item() == -math.inf


def test_dtypes():
    b = torch.tensor([True, False, True])
    assert b.sum().dtype == torch.int64 and b.sum().item() == 2
    i = torch.tensor([1, 2], dtype=torch.int32)
    assert i.sum().dtype == torch.int64 and i.prod().dtype == torch.int64
    assert i.cumsum(0).dtype == torch.int64 and i.max().dtype == torch.int32
    assert i.sum(dtype=torch.float64).dtype == torch.float64
    assert i.mean(dtype=torch.float32).item() == 1.5
    assert torch.tensor([1, 2]).logsumexp(0).dtype == torch.float32
    assert i.all().dtype == torch.bool
    u = torch.tensor([1, 2], dtype=torch.uint8)
    assert u.any().dtype == torch.uint8
    x = torch.ones(2, 3)
    assert x.count_nonzero().item() == 6 and x.count_nonzero(0).tolist() == [2, 2, 2]
    assert x.norm(dtype=torch.float64).dtype == torch.float64
    assert x.all(0).tolist() == [True] * 3 and not torch.zeros(2).any().item()
    assert x.any(dim=()).shape == (2, 3)


def test_zero_dim_and_empty():
    s = torch.tensor(3., requires_grad=True)
    assert s.sum(0).shape == () and s.max(0).values.item() == 3
    assert s.argmax(0).item() == 0 and s.cumsum(0).shape == () and s.logsumexp(0).item() == 3
    e = torch.zeros(0)
    assert e.sum().item() == 0 and e.prod().item() == 1
    assert e.logsumexp(0).item() == -math.inf
    assert torch.zeros(0, 3).amax(1).shape == (0,)


def test_grad_fn_names():
    x = leaf(2, 3)
    names = {lambda: x.sum(): "SumBackward0", lambda: x.sum(0): "SumBackward1",
             lambda: x.mean(): "MeanBackward0", lambda: x.mean(0): "MeanBackward1",
             lambda: x.prod(): "ProdBackward0", lambda: x.prod(1): "ProdBackward1",
             lambda: x.max(): "MaxBackward1", lambda: x.max(0)[0]: "MaxBackward0",
             lambda: x.amin(0): "AminBackward0", lambda: x.std(): "StdBackward0",
             lambda: x.norm(): "LinalgVectorNormBackward0",
             lambda: x.logsumexp(1): "LogsumexpBackward0",
             lambda: x.cumprod(1): "CumprodBackward0",
             lambda: torch.var_mean(x)[1]: "VarMeanBackward0"}
    for make, name in names.items():
        assert type(make().grad_fn).__name__ == name


# ---------------------------------------------------------------------------- errors
def test_errors():
    x = torch.ones(2, 3)
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of "
                                         r"\[-2, 1\], but got 2\)"):
        x.sum(2)
    with pytest.raises(RuntimeError, match="dim 0 appears multiple times"):
        x.sum((0, 0))
    with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype. Input "
                                           "dtype must be either a floating point or complex "
                                           "dtype. Got: Long"):
        torch.tensor([1, 2]).mean()
    with pytest.raises(RuntimeError, match="std and var only support floating point"):
        torch.tensor([1, 2]).std()
    with pytest.raises(RuntimeError, match="Expected reduction dim to be specified"):
        torch.zeros(0).max()
    with pytest.raises(IndexError, match="max\\(\\): Expected reduction dim 0 to have non-zero "
                                         "size."):
        torch.zeros(0, 3).max(0)
    with pytest.raises(TypeError):
        x.prod((0, 1))
    with pytest.raises(TypeError):
        x.max((0, 1))
    with pytest.raises(TypeError, match="argmax\\(\\): argument 'dim'"):
        x.argmax((0, 1))
    with pytest.raises(RuntimeError, match="linalg.vector_norm: Expected a floating point"):
        torch.tensor([1, 2]).norm()
    with pytest.raises(RuntimeError, match="Order abc not supported"):
        x.norm("abc")
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        torch.ones(1).std()


# ---------------------------------------------------------------------------- properties
shapes = st.lists(st.integers(1, 4), min_size=0, max_size=4)


@settings(max_examples=40, deadline=None)
@given(shapes, st.data())
def test_sum_mean_match_numpy(shape, data):
    a = RNG.standard_normal(shape)
    x = torch.tensor(a, dtype=torch.float64)
    dims = data.draw(st.lists(st.integers(0, max(len(shape) - 1, 0)), unique=True,
                              max_size=len(shape)))
    keep = data.draw(st.booleans())
    axis = tuple(dims) if dims else None
    np.testing.assert_allclose(x.sum(tuple(dims), keep).numpy(),
                               a.sum(axis=axis, keepdims=keep))
    np.testing.assert_allclose(x.mean(tuple(dims), keep).numpy(),
                               a.mean(axis=axis, keepdims=keep))
    y = x.requires_grad_()
    y.sum(tuple(dims), keep).sum().backward()
    assert y.grad.shape == y.shape and np.all(y.grad.numpy() == 1)


# ---------------------------------------------------------------------------- nansum, nanmean,
# aminmax, cummax, cummin, logcumsumexp
@pytest.mark.parametrize("fn", [
    lambda t: t.nansum(), lambda t: t.nansum(1), lambda t: t.nansum((0, 2), keepdim=True),
    lambda t: t.nanmean(), lambda t: t.nanmean(-1, keepdim=True),
    lambda t: torch.aminmax(t).min * 2 + t.aminmax().max, lambda t: t.aminmax(dim=1).max,
    lambda t: t.aminmax(dim=-1, keepdim=True)[0], lambda t: t.cummax(0).values,
    lambda t: t.cummax(-1).values, lambda t: t.cummin(1).values,
    lambda t: t.logcumsumexp(0), lambda t: t.logcumsumexp(2),
])
def test_more_gradients(fn):
    check(fn, leaf(2, 3, 4))


def test_nan_aware_reductions_skip_nan():
    x = leaf(values=[[1., math.nan, 3.], [math.nan, math.nan, math.nan]])
    assert x.nansum().item() == 4.0 and x.nansum(1).tolist() == [4.0, 0.0]
    m = x.nanmean(1)
    assert m.tolist()[0] == 2.0 and math.isnan(m.tolist()[1])
    assert m.grad_fn.name() == "DivBackward0"
    m[0].backward()
    assert x.grad.tolist()[0] == [0.5, 0.0, 0.5]
    assert np.isnan(x.grad.numpy()[1]).all()  # 0 / 0 counted, as in PyTorch
    assert torch.tensor([1, 2]).nansum().dtype == torch.int64
    with pytest.raises(RuntimeError, match="nanmean\\(\\): expected input to have floating"):
        torch.tensor([1, 2]).nanmean()


def test_aminmax_values_and_ties():
    x = leaf(values=[[1., 3., 3.], [2., -1., 2.]])
    r = torch.aminmax(x)
    assert (r.min.item(), r.max.item()) == (-1.0, 3.0)
    assert r.min.grad_fn is r.max.grad_fn and r.min.grad_fn.name() == "AminmaxBackward0"
    (r.min * 2 + r.max * 3).backward()
    assert x.grad.tolist() == [[0.0, 1.5, 1.5], [0.0, 2.0, 0.0]]
    r = x.aminmax(dim=1, keepdim=True)
    assert r.min.shape == (2, 1) and r.max.tolist() == [[3.0], [2.0]]
    with pytest.raises(RuntimeError, match="cannot compute aminmax over an empty"):
        torch.zeros(0).aminmax()


def test_cummax_cummin_indices_and_gradient():
    x = leaf(values=[1., 3., 3., 2., math.nan, 5., math.nan, 0.])
    values, indices = x.cummax(0)
    assert indices.tolist() == [0, 1, 2, 2, 4, 4, 6, 6]  # latest of ties; NaN sticks
    assert values.tolist()[:4] == [1., 3., 3., 3.] and values.grad_fn.name() == "CummaxBackward0"
    values.backward(torch.arange(8.0, dtype=torch.float64))
    assert x.grad.tolist() == [0., 1., 5., 0., 9., 0., 13., 0.]  # each run's sum at its index
    assert torch.tensor([3, 1, 2, 1]).cummin(0).indices.tolist() == [0, 1, 1, 3]
    assert torch.tensor([True, False, True]).cummax(0).indices.tolist() == [0, 0, 2]


def test_logcumsumexp_values_and_stability():
    x = torch.tensor([[0.0, 0.0, math.log(2.0)], [1000.0, 1000.0, -math.inf]],
                     dtype=torch.float64)
    np.testing.assert_allclose(x.logcumsumexp(1).numpy(),
                               [[0.0, math.log(2), math.log(4)],
                                [1000.0, 1000 + math.log(2), 1000 + math.log(2)]])
    g = leaf(values=[1000.0, -1000.0, 1001.0])
    g.logcumsumexp(0).sum().backward()  # finite despite exp(1000)
    assert np.all(np.isfinite(g.grad.numpy()))
    with pytest.raises(NotImplementedError, match="logcumsumexp_out_cpu"):
        torch.tensor([1, 2]).logcumsumexp(0)
