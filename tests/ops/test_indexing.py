"""Indexing, gather/scatter, masks and sorting without PyTorch: float64 gradcheck /
gradgradcheck, known values, views and versions, __setitem__ in graphs, errors."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import chainrule as torch
from chainrule.autograd import gradcheck, gradgradcheck

RNG = np.random.default_rng(0)


def leaf(*shape, values=None):
    data = RNG.standard_normal(shape) if values is None else np.asarray(values, np.float64)
    return torch.tensor(data, dtype=torch.float64, requires_grad=True)


def check(fn, *inputs):
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


IDX = torch.tensor([[0, 2, 2], [1, 0, 1], [2, 2, 0]])
# (scatter and x[idx] = v write each position once: with repeated positions the finite
# differences see only the last write, while the gradient goes to every written value)


# ---------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("fn", [
    lambda x: x[0], lambda x: x[-1, 1:], lambda x: x[None, ::2], lambda x: x[..., 1],
    lambda x: x[[0, 0, 2]], lambda x: x[[2, 0], [1, 1]], lambda x: x[:, [3, 0, 3]],
    lambda x: x[torch.tensor([[True, False, True, True]] * 3)], lambda x: x[1:, [0, 0]],
    lambda x: x[True], lambda x: x[...], lambda x: x[:, None, 2],
    lambda x: torch.gather(x, 1, IDX), lambda x: x.gather(0, IDX[:2]),
    lambda x: torch.take_along_dim(x, IDX, 1), lambda x: torch.take_along_dim(x, IDX),
    lambda x: torch.index_select(x, 1, torch.tensor([3, 3, 0])),
    lambda x: torch.take(x, torch.tensor([[0, 11], [5, 5]])),
    lambda x: torch.masked_select(x, torch.tensor([True, False, True, True])),
    lambda x: x.masked_fill(torch.tensor([[True, False, False, True]]), 2.0),
    lambda x: torch.scatter(x, 1, torch.tensor([[0, 2], [1, 0], [3, 2]]), x[:, 1:3] * 2),
    lambda x: torch.scatter(x, 0, torch.tensor([[2, 1, 0, 1]]), -1.0),
    lambda x: torch.scatter_add(x, 1, IDX, x[:, :3] ** 2),
    lambda x: torch.index_add(x, 0, torch.tensor([0, 0]), x[:2] * 2, alpha=3),
    lambda x: x.index_put((torch.tensor([0, 0]), torch.tensor([1, 1])), x[0, :2],
                          accumulate=True),
    lambda x: torch.sort(x, 1)[0], lambda x: torch.sort(x, 0, descending=True).values,
    lambda x: torch.topk(x, 2)[0], lambda x: torch.kthvalue(x, 2, 0, keepdim=True)[0],
    lambda x: torch.median(x), lambda x: torch.median(x, 1)[0],
    lambda x: torch.mode(x, 1)[0], lambda x: torch.msort(x),
])
def test_gradients(fn):
    check(fn, leaf(3, 4))


def test_masked_fill_tensor_value_gradient():
    mask = torch.tensor([[True, False, True, False]])
    check(lambda x, v: x.masked_fill(mask, v), leaf(3, 4), leaf(values=1.5))


def test_setitem_gradients():
    def write(idx):
        def fn(x, v):
            y = x * 1
            y[idx] = v
            return y
        return fn
    check(write(0), leaf(3, 4), leaf(4))
    check(write((slice(1, None), 2)), leaf(3, 4), leaf(1))
    check(write([0, 2]), leaf(3, 4), leaf(2, 4))
    check(write((Ellipsis, [1, 3])), leaf(3, 4), leaf(3, 1))
    check(write(torch.tensor([True, False, True])), leaf(3, 4), leaf(4))


def test_zero_dim_inputs():
    check(lambda x: x[None], leaf())
    check(lambda x: x[...], leaf())
    check(lambda x: torch.take(x, torch.tensor([0, 0])), leaf())
    check(lambda x: torch.gather(x, 0, torch.tensor(0)), leaf())
    check(lambda x: torch.sort(x)[0], leaf())
    check(lambda x: torch.median(x), leaf())


# ---------------------------------------------------------------------------- known values
def test_getitem_values_and_names():
    x = torch.arange(24.).reshape(2, 3, 4).requires_grad_()
    assert x[1, 2].tolist() == [20., 21., 22., 23.]
    assert x[0, :, [1, 3]].tolist() == [[1., 3.], [5., 7.], [9., 11.]]
    assert x[[0, 1], :, [1, 2]].shape == (2, 3)
    assert x[x > 21].tolist() == [22., 23.]
    assert x[..., -1, None].shape == (2, 3, 1)
    names = {"SelectBackward0": x[0], "SliceBackward0": x[1:], "UnsqueezeBackward0": x[None],
             "IndexBackward0": x[[0, 1]], "AliasBackward0": x[...]}
    for name, y in names.items():
        assert y.grad_fn.name() == name


def test_repeated_indices_accumulate():
    x = leaf(4)
    x[[1, 1, 3, 1]].sum().backward()
    assert x.grad.tolist() == [0., 3., 0., 1.]
    w = leaf(3, 2)
    torch.index_select(w, 0, torch.tensor([2, 2])).sum().backward()
    assert w.grad.tolist() == [[0., 0.], [0., 0.], [2., 2.]]


def test_views_share_versions():
    x = torch.zeros(3, 4)
    row = x[1]
    x[1, 2] = 5.
    assert row.tolist() == [0., 0., 5., 0.]
    assert row._version == x._version == 1
    picked = x[[1]]
    x.masked_fill_(x > 1, 7.)
    assert picked.tolist() == [[0., 0., 5., 0.]] and x[1, 2].item() == 7.


def test_setitem_inside_graph():
    x = leaf(values=[[1., 2.], [3., 4.]])
    v = leaf(values=[10.])
    y = x * 2
    y[0] = v
    assert type(y.grad_fn).__name__ == "CopySlices"
    (y * torch.tensor([[1., 2.], [3., 4.]], dtype=torch.float64)).sum().backward()
    assert x.grad.tolist() == [[0., 0.], [6., 8.]]
    assert v.grad.tolist() == [3.]


def test_setitem_saved_version_error():
    x = leaf(3)
    y = x * 1
    z = y.exp()  # saves its output
    z[0] = 0.
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_scatter_and_index_add_values():
    x = torch.zeros(2, 4)
    out = x.scatter(1, torch.tensor([[3, 0], [1, 1]]), torch.tensor([[1., 2.], [3., 4.]]))
    assert out.tolist() == [[2., 0., 0., 1.], [0., 4., 0., 0.]]
    out = x.scatter_add(1, torch.tensor([[1, 1], [2, 2]]), torch.ones(2, 2))
    assert out.tolist() == [[0., 2., 0., 0.], [0., 0., 2., 0.]]
    out = x.index_add(1, torch.tensor([0, 0, 3]), torch.ones(2, 3), alpha=2)
    assert out.tolist() == [[4., 0., 0., 2.], [4., 0., 0., 2.]]
    x.scatter_(0, torch.tensor([[1, 0, 1, 0]]), 9., reduce="add")
    assert x.tolist() == [[0., 9., 0., 9.], [9., 0., 9., 0.]]


def test_sort_family_values():
    x = torch.tensor([[3., 1., 2., 1.], [0., float("nan"), -1., 5.]])
    values, indices = torch.sort(x)
    assert indices.tolist() == [[1, 3, 2, 0], [2, 0, 3, 1]]
    assert torch.sort(x, descending=True).indices.tolist() == [[0, 2, 1, 3], [1, 3, 0, 2]]
    assert torch.argsort(x[0], stable=True).tolist() == [1, 3, 2, 0]
    assert torch.topk(x[0], 2).values.tolist() == [3., 2.]
    assert tuple(t.item() for t in torch.kthvalue(x[0], 3)) == (2., 2)
    assert torch.median(x[0]).item() == 1.0
    assert np.isnan(torch.median(x[1]).item())
    assert torch.mode(torch.tensor([1., 3., 3., 2., 1.])).indices.item() == 4
    assert type(torch.sort(x)).__name__ == "sort"
    assert repr(torch.topk(torch.tensor([1., 2.]), 1)) == (
        "torch.return_types.topk(\nvalues=tensor([2.]),\nindices=tensor([1]))")


def test_unique_and_nonzero():
    x = torch.tensor([[3, 1], [2, 3], [3, 1]])
    assert torch.unique(x).tolist() == [1, 2, 3]
    values, inverse, counts = torch.unique(x, return_inverse=True, return_counts=True)
    assert inverse.tolist() == [[2, 0], [1, 2], [2, 0]] and counts.tolist() == [2, 1, 3]
    assert torch.unique(x, dim=0).tolist() == [[2, 3], [3, 1]]
    assert torch.nonzero(torch.tensor([[0, 1], [1, 0]])).tolist() == [[0, 1], [1, 0]]
    assert [t.tolist() for t in torch.where(torch.tensor([0., 2., 3.]) > 1)] == [[1, 2]]
    assert torch.nonzero(torch.tensor(1.)).shape == (1, 0)


def test_comparisons():
    a = torch.tensor([1., 2., float("nan")])
    assert not torch.equal(a, a) and torch.equal(a[:2], a[:2].clone())
    assert not torch.equal(a[:2], a[:1])
    assert torch.allclose(a, a, equal_nan=True) and not torch.allclose(a, a)
    assert torch.isclose(a, a + 1e-9).tolist() == [True, True, False]


# ---------------------------------------------------------------------------- errors
@pytest.mark.parametrize("fn,error,message", [
    (lambda x: x[5], IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    (lambda x: x[[0, -5]], IndexError, "index -5 is out of bounds for dimension 0 with size 3"),
    (lambda x: x[0, 0, 0], IndexError, "too many indices for tensor of dimension 2"),
    (lambda x: x[::-1], ValueError, "step must be greater than zero"),
    (lambda x: x[torch.tensor([True])], IndexError, "The shape of the mask [1] at index 0 does "
     "not match the shape of the indexed tensor [3, 4] at index 0"),
    (lambda x: torch.gather(x, 1, torch.tensor([[4]])), RuntimeError,
     "index 4 is out of bounds for dimension 1 with size 4"),
    (lambda x: torch.index_select(x, 0, torch.tensor([3])), IndexError,
     "index out of range in self"),
    (lambda x: torch.topk(x, 5), RuntimeError, "selected index k out of range"),
])
def test_errors(fn, error, message):
    with pytest.raises(error) as info:
        fn(torch.zeros(3, 4))
    assert str(info.value) == message


def test_inplace_on_leaf_errors():
    x = torch.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="^a view of a leaf Variable"):
        x[0] = 1.
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad"):
        x[[0]] = 1.
    with torch.no_grad():
        x[0] = 1.
    assert x.tolist() == [1., 0., 0.]


# ---------------------------------------------------------------------------- properties
@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-4, 3), min_size=1, max_size=6), st.integers(1, 3))
def test_index_gradient_counts_occurrences(indices, cols):
    x = torch.zeros(4, cols, dtype=torch.float64, requires_grad=True)
    x[indices].sum().backward()
    counts = np.bincount(np.array(indices) % 4, minlength=4)
    np.testing.assert_array_equal(x.grad.numpy(), np.repeat(counts[:, None], cols, 1))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5, allow_nan=False), min_size=1, max_size=8), st.booleans())
def test_sort_matches_numpy_and_is_a_permutation(values, descending):
    x = torch.tensor(np.array(values))
    out, idx = torch.sort(x, descending=descending)
    expected = np.sort(values)[::-1] if descending else np.sort(values)
    np.testing.assert_array_equal(out.numpy(), expected)
    np.testing.assert_array_equal(x.numpy()[idx.numpy()], out.numpy())
    assert sorted(idx.tolist()) == list(range(len(values)))


# ---------------------------------------------------------------------------- select, bins
def test_select_is_a_differentiable_view():
    x = leaf(3, 4)
    check(lambda t: t.select(1, -1), x)
    check(lambda t: torch.select(t, 0, 2), x)
    s = x.select(1, 2)
    assert s._base is x and s.grad_fn.name() == "SelectBackward0"
    y = torch.zeros(2, 3)
    y.select(1, 0).fill_(5)
    assert y.tolist() == [[5, 0, 0], [5, 0, 0]]
    with pytest.raises(IndexError, match=r"index 3 out of range for tensor of size \[3, 4\] at "
                                         r"dimension 0"):
        x.select(0, 3)


def test_bincount_values():
    x = torch.tensor([1, 2, 2, 5])
    assert x.bincount().tolist() == [0, 1, 2, 0, 0, 1]
    assert torch.bincount(x, minlength=7).tolist() == [0, 1, 2, 0, 0, 1, 0]
    w = torch.bincount(x, torch.tensor([.5, 1, 2, 4]))
    assert w.dtype == torch.float32 and w.tolist() == [0, .5, 3, 0, 0, 4]
    assert torch.bincount(x, torch.tensor([1, 1, 1, 1])).dtype == torch.float64
    assert torch.bincount(torch.tensor([], dtype=torch.int64), minlength=2).tolist() == [0, 0]
    with pytest.raises(RuntimeError, match="1-d non-negative integral"):
        torch.bincount(torch.tensor([-1]))
    weights = torch.tensor([1., 2, 3, 4], requires_grad=True)
    with pytest.raises(RuntimeError, match="derivative for aten::bincount is not implemented"):
        torch.bincount(x, weights).sum().backward()


def test_searchsorted_and_bucketize_values():
    seq = torch.tensor([1, 3, 5, 7, 9])
    v = torch.tensor([3, 6, 9])
    assert torch.searchsorted(seq, v).tolist() == [1, 3, 4]
    assert torch.searchsorted(seq, v, right=True).tolist() == [2, 3, 5]
    assert torch.searchsorted(seq, v, side="right", out_int32=True).dtype == torch.int32
    assert torch.searchsorted(seq, 6).tolist() == 3
    rows = torch.tensor([[1, 3, 5], [2, 4, 6]])
    assert torch.searchsorted(rows, torch.tensor([[3, 6], [1, 7]])).tolist() == [[1, 3], [0, 3]]
    assert torch.searchsorted(torch.tensor([5, 1, 3]), torch.tensor([3, 6]),
                              sorter=torch.tensor([1, 2, 0])).tolist() == [1, 3]
    assert torch.bucketize(v, seq).tolist() == [1, 3, 4]
    assert torch.bucketize(v, seq, right=True).tolist() == [2, 3, 5]
    with pytest.raises(RuntimeError, match="side and right can't be set to opposites"):
        torch.searchsorted(seq, v, side="left", right=True)
    with pytest.raises(RuntimeError, match=r"boundaries tensor must be 1 dimension, but got "
                                           r"dim\(2\)"):
        torch.bucketize(v, rows)
