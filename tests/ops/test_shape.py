"""Shape ops without PyTorch: float64 gradcheck / gradgradcheck, values, views, errors."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import chainrule as torch
from chainrule.autograd import gradcheck, gradgradcheck

RNG = np.random.default_rng(1)


def leaf(*shape):
    return torch.tensor(RNG.standard_normal(shape), dtype=torch.float64, requires_grad=True)


def check(fn, *inputs):
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


# ---------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("fn", [
    lambda t: t.reshape(6, 4), lambda t: t.view(-1), lambda t: t.transpose(0, 2).reshape(4, 6),
    lambda t: t.transpose(1, 2).reshape(2, 3, 4),
    lambda t: t.permute(2, 0, 1), lambda t: t.movedim(0, -1), lambda t: t.moveaxis((0, 1), (2, 0)),
    lambda t: t.flatten(1), lambda t: t.transpose(0, 1).flatten(), lambda t: t.ravel(),
    lambda t: t.unflatten(2, (2, -1)), lambda t: t.unsqueeze(1).squeeze(1),
    lambda t: t.unsqueeze(0).squeeze((0, 1)),
    lambda t: t.narrow(2, 1, 2), lambda t: t.narrow(0, -1, 1), lambda t: t.repeat(2, 1, 3),
    lambda t: t.repeat(2, 1, 1, 2), lambda t: t.tile((2,)), lambda t: t.flip(0, 2),
    lambda t: t.roll(1, 2), lambda t: t.roll((1, -2), (0, 1)), lambda t: t.roll(5),
    lambda t: t.sum(0, keepdim=True).expand(2, 3, 4),
    lambda t: t.swapaxes(0, 1).contiguous(),
    lambda t: torch.cat([t, t * 2], 1), lambda t: torch.cat([t, t.narrow(1, 0, 1)], 1),
    lambda t: torch.stack([t, t * 2], 3), lambda t: torch.stack([t, t], -1),
    lambda t: t.split(2, 1), lambda t: t.split([1, 3], -1)[1], lambda t: t.chunk(2, 2)[0],
    lambda t: t.unbind(1), lambda t: t.unbind(2)[1], lambda t: t.split(1)[0],
    lambda t: torch.hstack([t, t]), lambda t: torch.vstack([t, t]), lambda t: torch.dstack([t]),
    lambda t: t.tensor_split(3, 2), lambda t: t.tensor_split([1, -1], 1)[1],
    lambda t: torch.hsplit(t, [2]), lambda t: torch.vsplit(t, 2)[0], lambda t: t.dsplit(2),
    lambda t: t.diagonal(), lambda t: t.diagonal(-1, 2, 1), lambda t: torch.diag(t[0], 1),
    lambda t: torch.diag(t[1][2]), lambda t: torch.diag_embed(t, 1), lambda t: torch.diagflat(t),
    lambda t: t.tril(), lambda t: torch.triu(t, -1), lambda t: torch.trace(t[1]) ** 2,
])
def test_gradients(fn):
    check(fn, leaf(2, 3, 4))


def test_zero_dim_gradients():
    s = leaf()
    for fn in (lambda t: t.reshape(1, 1), lambda t: t.flatten(), lambda t: t.t(),
               lambda t: t.unsqueeze(0), lambda t: t.repeat(2, 3), lambda t: t.flip(0),
               lambda t: t.roll(1), lambda t: torch.stack([t, t]), lambda t: t.squeeze(0),
               lambda t: torch.hstack([t, t])):
        check(fn, s)


def test_tensor_split_pieces_are_views_of_numpy_array_split():
    x = torch.arange(10.)
    for arg in (3, 4, [2, 5], [7, 3], [-3]):
        pieces = torch.tensor_split(x, arg)
        expected = np.array_split(np.arange(10.), arg)
        assert [p.tolist() for p in pieces] == [e.tolist() for e in expected]
    first = torch.tensor_split(x, 2)[0]
    first.mul_(0)
    assert x[:5].tolist() == [0.0] * 5 and x._version == first._version


def test_diagonals_and_triangles_known_values():
    m = torch.arange(9.).reshape(3, 3)
    assert m.diagonal().tolist() == [0., 4., 8.] and m.diagonal(1).tolist() == [1., 5.]
    assert torch.diag(torch.tensor([1., 2.]), -1).tolist() == [[0., 0., 0.], [1., 0., 0.],
                                                               [0., 2., 0.]]
    assert torch.trace(m).item() == 12. and torch.trace(m.long()).dtype == torch.int64
    assert m.tril().tolist() == np.tril(np.arange(9.).reshape(3, 3)).tolist()
    assert m.triu(1).tolist() == np.triu(np.arange(9.).reshape(3, 3), 1).tolist()
    d = m.diagonal()
    d.zero_()
    assert m.diagonal().tolist() == [0., 0., 0.] and d._version == m._version == 1


def test_split_unused_outputs_get_no_gradient():
    x = leaf(5, 2)
    a, b, c = x.split(2)
    (b * 3).sum().backward()
    expected = np.zeros((5, 2))
    expected[2:4] = 3
    np.testing.assert_array_equal(x.grad.numpy(), expected)
    x = leaf(3, 2)
    x.unbind(0)[2].sum().backward()
    assert x.grad.tolist() == [[0, 0], [0, 0], [1, 1]]


# ---------------------------------------------------------------------------- values, views
def test_values():
    x = torch.arange(6.).reshape(2, 3)
    assert x.flip(1).tolist() == [[2, 1, 0], [5, 4, 3]]
    assert x.roll(1).tolist() == [[5, 0, 1], [2, 3, 4]]
    assert x.roll(1, 1).tolist() == [[2, 0, 1], [5, 3, 4]]
    assert x.repeat(1, 2).tolist() == [[0, 1, 2, 0, 1, 2], [3, 4, 5, 3, 4, 5]]
    assert x.narrow(1, 1, 2).tolist() == [[1, 2], [4, 5]]
    assert [t.shape for t in torch.arange(5.).chunk(3)] == [(2,), (2,), (1,)]
    assert [t.shape for t in torch.arange(6.).chunk(4)] == [(2,), (2,), (2,)]
    assert len(torch.zeros(0).chunk(4)) == 4
    assert [t.tolist() for t in x.unbind(1)] == [[0, 3], [1, 4], [2, 5]]
    assert torch.cat([x, torch.zeros(0)]).shape == (2, 3)
    assert torch.cat([x, x.double()]).dtype == torch.float64
    assert torch.stack([x, x.int()]).dtype == torch.float32
    assert torch.hstack([torch.arange(2), torch.arange(3)]).tolist() == [0, 1, 0, 1, 2]
    assert torch.vstack([torch.arange(2), torch.arange(2)]).shape == (2, 2)
    assert x.movedim(0, 1).shape == (3, 2) and x.unflatten(1, (3, 1)).shape == (2, 3, 1)


def test_views_share_memory_and_version():
    x = torch.zeros(4, 3)
    for v in (x.view(12), x.t(), x.narrow(0, 1, 2), x.unsqueeze(0), x.split(2)[1],
              x.unbind(0)[3], x.movedim(0, 1), x.unflatten(0, (2, 2))):
        before = x._version
        v.add_(1)
        assert x._version == before + 1
    y = x.flip(0)
    y.add_(1)
    assert not np.shares_memory(y.numpy(), x.numpy())


def test_reshape_grad_fn_names():
    x = leaf(3, 4)
    assert type(x.reshape(-1).grad_fn).__name__ == "ViewBackward0"
    r = x.t().reshape(-1)
    assert type(r.grad_fn).__name__ == "UnsafeViewBackward0"
    assert type(r.grad_fn.next_functions[0][0]).__name__ == "CloneBackward0"
    assert type(x.t().reshape(4, 1, 3).grad_fn).__name__ == "ReshapeAliasBackward0"
    assert x.contiguous() is x and x.flatten(0, 0) is x
    names = {lambda: x.split(2)[0]: "SplitBackward0", lambda: x.split([1, 2])[0]:
             "SplitWithSizesBackward0", lambda: x.chunk(2)[0]: "SplitBackward0",
             lambda: x.unbind()[0]: "UnbindBackward0", lambda: x.narrow(0, 0, 1): "SliceBackward0",
             lambda: torch.cat([x, x]): "CatBackward0", lambda: torch.stack([x]): "StackBackward0",
             lambda: x.repeat(2, 1): "RepeatBackward0", lambda: x.tile(2): "RepeatBackward0",
             lambda: x.flip(0): "FlipBackward0", lambda: x.roll(1): "RollBackward0",
             lambda: x.movedim(0, 1): "PermuteBackward0", lambda: x.squeeze(0): "SqueezeBackward1",
             lambda: x.squeeze((0,)): "SqueezeBackward2", lambda: x.unflatten(1, (2, 2)):
             "ViewBackward0", lambda: x.t(): "TBackward0"}
    for make, name in names.items():
        assert type(make().grad_fn).__name__ == name
    assert len(torch.cat([x, x, x]).grad_fn.next_functions) == 3


# ---------------------------------------------------------------------------- errors
@pytest.mark.parametrize("make,exc,message", [
    (lambda x: torch.cat([x, torch.zeros(2, 4)]), RuntimeError,
     "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for "
     "tensor number 1 in the list."),
    (lambda x: torch.cat([x, torch.zeros(2)]), RuntimeError,
     "Tensors must have same number of dimensions: got 2 and 1"),
    (lambda x: torch.cat([]), ValueError, "expected a non-empty list of Tensors"),
    (lambda x: torch.cat([torch.tensor(1.)]), RuntimeError,
     "zero-dimensional tensor (at position 0) cannot be concatenated"),
    (lambda x: torch.cat(x), TypeError, "must be tuple of Tensors, not Tensor"),
    (lambda x: torch.stack([x, torch.zeros(3, 3)]), RuntimeError,
     "stack expects each tensor to be equal size, but got [4, 3] at entry 0 and [3, 3] at "
     "entry 1"),
    (lambda x: x.split([1, 1]), RuntimeError,
     "split_with_sizes expects split_sizes to sum exactly to 4 (input tensor's size at "
     "dimension 0), but got split_sizes=[1, 1]"),
    (lambda x: x.split([5, -1]), RuntimeError, "have only non-negative entries"),
    (lambda x: x.split(0), RuntimeError, "split_size can only be 0 if dimension size is 0"),
    (lambda x: x.chunk(0), RuntimeError, "chunk expects `chunks` to be greater than 0, got: 0"),
    (lambda x: x.narrow(0, 3, 2), RuntimeError, "start (3) + length (2) exceeds dimension size "
                                                "(4)."),
    (lambda x: x.narrow(0, -5, 1), IndexError, "start out of range"),
    (lambda x: x.view(5), RuntimeError, "shape '[5]' is invalid for input of size 12"),
    (lambda x: x.view(-1, -1), RuntimeError, "only one dimension can be inferred"),
    (lambda x: x.t().view(-1), RuntimeError, "view size is not compatible"),
    (lambda x: x.repeat(2), RuntimeError, "Number of dimensions of repeat dims can not be "
                                          "smaller than number of dimensions of tensor"),
    (lambda x: x.flip(0, 0), RuntimeError, "dim 0 appears multiple times in the list of dims"),
    (lambda x: x.roll(1, (0, 1)), RuntimeError, "shifts and dimensions must align. shifts: 1, "
                                                "dims:2"),
    (lambda x: x.movedim((0, 0), (0, 1)), RuntimeError, "movedim: repeated dim in `source` "
                                                        "([0, 0])"),
    (lambda x: x.unflatten(1, (2, 2)), RuntimeError,
     "unflatten: Provided sizes [2, 2] don't multiply up to the size of dim 1 (3) in the input "
     "tensor"),
    (lambda x: x.transpose(0, 2), IndexError, "Dimension out of range (expected to be in range "
                                              "of [-2, 1], but got 2)"),
    (lambda x: x.unbind(2), IndexError, "Dimension out of range"),
    (lambda x: torch.tensor(1.).unbind(), IndexError, "Dimension specified as 0 but tensor has "
                                                      "no dimensions"),
    (lambda x: x.expand(3), RuntimeError, "expand(torch.FloatTensor{[4, 3]}, size=[3]): the "
                                          "number of sizes provided (1) must be greater or "
                                          "equal to the number of dimensions in the tensor (2)"),
])
def test_errors(make, exc, message):
    with pytest.raises(exc) as info:
        make(torch.zeros(4, 3))
    assert message in str(info.value)


# ---------------------------------------------------------------------------- properties
shapes = st.lists(st.integers(1, 4), min_size=0, max_size=4)


@settings(max_examples=40, deadline=None)
@given(shapes, st.data())
def test_reshape_permute_round_trip(shape, data):
    a = RNG.standard_normal(shape)
    x = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    order = data.draw(st.permutations(range(len(shape))))
    inverse = tuple(int(i) for i in np.argsort(order))
    y = x.permute(*order)
    np.testing.assert_array_equal(y.detach().numpy(), a.transpose(order))
    back = y.reshape(-1).reshape(y.shape).permute(*inverse)
    np.testing.assert_array_equal(back.detach().numpy(), a)
    g = RNG.standard_normal(shape)
    back.backward(torch.tensor(g, dtype=torch.float64))
    np.testing.assert_array_equal(x.grad.numpy(), g)


# ---------------------------------------------------------------------------- grids, joins, flips
@pytest.mark.parametrize("fn,shapes", [
    (lambda a, b: torch.meshgrid(a, b, indexing="ij"), [(3,), (2,)]),
    (lambda a, b, c: torch.meshgrid(a, b, c, indexing="xy"), [(3,), (2,), ()]),
    (torch.broadcast_tensors, [(3, 1), (2,)]), (torch.cartesian_prod, [(3,), (2,)]),
    (lambda a, b: torch.column_stack([a, b]), [(3,), (3, 2)]),
    (lambda a, b: torch.row_stack([a, b]), [(2,), (3, 2)]),
    (torch.fliplr, [(2, 3)]), (torch.flipud, [(3,)]), (torch.rot90, [(2, 3)]),
    (lambda a: a.rot90(-1, [2, 0]), [(2, 3, 4)]), (lambda a: a.rot90(2), [(2, 3)]),
    (lambda a: torch.diff(a, 2), [(2, 4)]), (lambda a, b: torch.diff(a, 1, 0, b), [(2, 3), (1, 3)]),
    (torch.block_diag, [(2, 3), (3,), ()]),
])
def test_grid_and_flip_gradients(fn, shapes):
    check(fn, *[leaf(*s) for s in shapes])


def test_grid_and_flip_values():
    x, y = torch.tensor([1, 2, 3]), torch.tensor([4, 5])
    gx, gy = torch.meshgrid(x, y, indexing="ij")
    assert gx.tolist() == [[1, 1], [2, 2], [3, 3]] and gy.tolist() == [[4, 5]] * 3
    assert gx._base is x and not gx.is_contiguous()  # an expanded view
    hx, hy = torch.meshgrid(x, y, indexing="xy")
    assert hx.tolist() == [[1, 2, 3]] * 2 and hy.tolist() == [[4, 4, 4], [5, 5, 5]]
    assert torch.cartesian_prod(x, y).tolist() == [[1, 4], [1, 5], [2, 4], [2, 5], [3, 4], [3, 5]]
    assert torch.cartesian_prod(x) is x
    a, b = torch.broadcast_tensors(torch.arange(3).view(1, 3), torch.arange(2).view(2, 1))
    assert a.tolist() == [[0, 1, 2]] * 2 and b.tolist() == [[0, 0, 0], [1, 1, 1]]
    assert torch.broadcast_shapes((2,), (3, 1), (1, 1, 1)) == torch.Size([1, 3, 2])
    assert torch.column_stack([x, torch.tensor(7).expand(3)]).tolist() == [[1, 7], [2, 7], [3, 7]]
    m = torch.arange(6).reshape(2, 3)
    assert torch.rot90(m).tolist() == [[2, 5], [1, 4], [0, 3]]
    assert torch.rot90(m, -1).tolist() == torch.rot90(m, 3).tolist() == [[3, 0], [4, 1], [5, 2]]
    assert torch.fliplr(m).tolist() == [[2, 1, 0], [5, 4, 3]]
    assert torch.flipud(m).tolist() == [[3, 4, 5], [0, 1, 2]]
    assert torch.diff(torch.tensor([1, 3, 6, 10]), 2).tolist() == [1, 1]
    assert torch.diff(torch.tensor([True, False, False])).tolist() == [True, False]
    assert torch.diff(x, prepend=torch.tensor([0]), append=torch.tensor([9])).tolist() == \
        [1, 1, 1, 6]
    assert torch.block_diag(torch.tensor([[1, 2]]), torch.tensor(3)).tolist() == \
        [[1, 2, 0], [0, 0, 3]]
    assert torch.tril_indices(3, 3).tolist() == [[0, 1, 1, 2, 2, 2], [0, 0, 1, 0, 1, 2]]
    assert torch.triu_indices(2, 3, 1).tolist() == [[0, 0, 1], [1, 2, 2]]
    assert torch.triu_indices(2, 2, dtype=torch.int32).dtype == torch.int32


@pytest.mark.parametrize("call,error,message", [
    (lambda: torch.meshgrid(indexing="ij"), RuntimeError, "non-empty TensorList"),
    (lambda: torch.rot90(torch.zeros(2, 3), 1, [0, -2]), RuntimeError, "dims to be different"),
    (lambda: torch.fliplr(torch.zeros(2)), RuntimeError, r"Input must be >= 2-d."),
    (lambda: torch.diff(torch.zeros(2), n=-1), RuntimeError, "order must be non-negative"),
    (lambda: torch.block_diag(torch.zeros(1, 1, 1)), RuntimeError, "2 or fewer dimensions"),
    (lambda: torch.broadcast_shapes((2,), (3,)), RuntimeError, "Attempting to broadcast"),
    (lambda: torch.tril_indices(2, 2, dtype=torch.float32), NotImplementedError, "'Float'"),
])
def test_grid_and_flip_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
