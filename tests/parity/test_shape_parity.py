"""Shape ops against PyTorch: values, grad_fn names (and the chain behind reshape), gradients
with random upstream grads (also when only some outputs of split/unbind are used), errors."""
import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")

DATA = np.random.default_rng(2).standard_normal((2, 3, 4))


def leaves(array, dtype):
    array = np.asarray(array, dtype=dtype)
    return (chainrule.tensor(array.copy(), requires_grad=True),
            torch.tensor(array.copy(), requires_grad=True))


def chain(t):
    """grad_fn names along first inputs, up to the leaf."""
    names, fn = [], t.grad_fn
    while fn is not None and type(fn).__name__ != "AccumulateGrad":
        names.append(type(fn).__name__)
        fn = fn.next_functions[0][0] if fn.next_functions else None
    return names


def compare(fn, data, dtype, use=None):
    c, t = leaves(data, dtype)
    c_out, t_out = fn(chainrule, c), fn(torch, t)
    c_outs = list(c_out) if isinstance(c_out, (tuple, list)) else [c_out]
    t_outs = list(t_out) if isinstance(t_out, (tuple, list)) else [t_out]
    assert len(c_outs) == len(t_outs)
    rng = np.random.default_rng(0)
    c_loss = t_loss = 0
    for k, (co, to) in enumerate(zip(c_outs, t_outs)):
        assert tuple(co.shape) == tuple(to.shape) and str(co.dtype) == str(to.dtype)
        np.testing.assert_array_equal(co.detach().numpy(), to.detach().numpy())
        assert chain(co) == chain(to)
        assert co.is_contiguous() == to.is_contiguous() or co.numel() <= 1
        if use is None or k in use:
            w = rng.standard_normal(tuple(to.shape))
            c_loss = c_loss + (co * chainrule.tensor(w, dtype=co.dtype)).sum()
            t_loss = t_loss + (to * torch.tensor(w, dtype=to.dtype)).sum()
    c_loss.backward()
    t_loss.backward()
    np.testing.assert_allclose(c.grad.numpy(), t.grad.numpy(), rtol=1e-6, atol=1e-6)


SHAPE_OPS = [
    lambda m, x: x.view(6, 4), lambda m, x: x.reshape(-1), lambda m, x: x.reshape(4, -1),
    lambda m, x: x.transpose(0, 2).reshape(-1), lambda m, x: x.transpose(0, 1).reshape(3, 2, 4),
    lambda m, x: x.transpose(1, 2).reshape(2, 4, 3), lambda m, x: x.permute(2, 0, 1).flatten(),
    lambda m, x: x.flatten(1), lambda m, x: x.flatten(0, 1), lambda m, x: x.ravel(),
    lambda m, x: x.transpose(0, 2).ravel(), lambda m, x: x.unflatten(-1, (2, 2)),
    lambda m, x: x.transpose(1, 2).unflatten(1, (2, -1)), lambda m, x: x.view_as(x),
    lambda m, x: m.swapaxes(x, 0, 2), lambda m, x: x.swapdims(-1, 0), lambda m, x: x.mT,
    lambda m, x: x.movedim(0, -1), lambda m, x: m.moveaxis(x, (0, 2), (1, 0)),
    lambda m, x: x.unsqueeze(-1), lambda m, x: x.unsqueeze(1).squeeze(),
    lambda m, x: x.unsqueeze(0).squeeze(0), lambda m, x: x.unsqueeze(0).squeeze((0, -1)),
    lambda m, x: x.sum(1, keepdim=True).expand(2, 3, 4),
    lambda m, x: x.sum(1, keepdim=True).expand_as(x), lambda m, x: x.transpose(0, 1).contiguous(),
    lambda m, x: x.narrow(1, 1, 2), lambda m, x: x.narrow(-1, -2, 2),
    lambda m, x: x.repeat(2, 1, 2), lambda m, x: x.repeat(3, 1, 1, 1), lambda m, x: x.tile((2,)),
    lambda m, x: x.tile((2, 1, 1, 1)), lambda m, x: x.flip(0), lambda m, x: m.flip(x, (0, -1)),
    lambda m, x: x.roll(1), lambda m, x: x.roll(-2, 1), lambda m, x: m.roll(x, (1, 2), (0, 2)),
    lambda m, x: m.cat([x, x * 2]), lambda m, x: m.cat((x, x.narrow(1, 0, 1)), 1),
    lambda m, x: m.concat([x, x], -1), lambda m, x: m.concatenate([x, x], dim=2),
    lambda m, x: m.stack([x, x * 2]), lambda m, x: m.stack([x, x], -1),
    lambda m, x: m.hstack([x, x]), lambda m, x: m.vstack([x, x]), lambda m, x: m.dstack([x, x]),
    lambda m, x: m.hstack([x.unbind()[0]]), lambda m, x: m.vstack(x.unbind()[0].unbind()),
    lambda m, x: x.split(2, 2), lambda m, x: x.split([1, 2], 1), lambda m, x: m.split(x, 1),
    lambda m, x: x.chunk(2, -1), lambda m, x: x.chunk(3, 1), lambda m, x: x.unbind(1),
    lambda m, x: m.unbind(x, -1),
]


@pytest.mark.parametrize("fn", SHAPE_OPS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_shape_op(fn, dtype):
    compare(fn, DATA, dtype)


@pytest.mark.parametrize("fn,use", [
    (lambda m, x: x.split(2, 2), {1}), (lambda m, x: x.split([1, 2], 1), {0}),
    (lambda m, x: x.chunk(3, 1), {0, 2}), (lambda m, x: x.unbind(2), {3}),
    (lambda m, x: x.unbind(0), {1}),
])
def test_some_outputs_unused(fn, use):
    compare(fn, DATA, "float64", use)


@pytest.mark.parametrize("fn", [
    lambda m, x: x.reshape(1, 1), lambda m, x: x.view(-1), lambda m, x: x.flatten(),
    lambda m, x: x.ravel(), lambda m, x: x.t(), lambda m, x: x.unsqueeze(0),
    lambda m, x: x.squeeze(), lambda m, x: x.squeeze(0), lambda m, x: x.repeat(2, 2),
    lambda m, x: x.flip(0), lambda m, x: x.roll(1), lambda m, x: m.stack([x, x]),
    lambda m, x: m.hstack([x, x]), lambda m, x: m.vstack([x]), lambda m, x: x.expand(3),
    lambda m, x: x.movedim(0, 0), lambda m, x: x.permute(()),
])
def test_zero_dim(fn):
    compare(fn, 1.5, "float64")


def test_cat_promotes_and_skips_legacy_empty():
    for c, t in ((chainrule, torch),):
        for tensors in (lambda m: [m.ones(2, 2), m.ones(1, 2, dtype=m.float64)],
                        lambda m: [m.ones(2, 2), m.ones(2, 2, dtype=m.int64)],
                        lambda m: [m.ones(2, 2, dtype=m.int32), m.ones(2, 2, dtype=m.bool)],
                        lambda m: [m.ones(2, 2), m.zeros(0)]):
            a, b = c.cat(tensors(c)), t.cat(tensors(t))
            assert str(a.dtype) == str(b.dtype) and a.tolist() == b.tolist()
            a, b = c.stack(tensors(c)[:1] * 2), t.stack(tensors(t)[:1] * 2)
            assert str(a.dtype) == str(b.dtype) and a.tolist() == b.tolist()


def test_chunk_and_split_sizes():
    for n in range(0, 8):
        for k in range(1, 5):
            a = [tuple(p.shape) for p in chainrule.zeros(n).chunk(k)]
            b = [tuple(p.shape) for p in torch.zeros(n).chunk(k)]
            assert a == b, (n, k)
            if k:
                a = [tuple(p.shape) for p in chainrule.zeros(n).split(k)]
                b = [tuple(p.shape) for p in torch.zeros(n).split(k)]
                assert a == b, (n, k)


@pytest.mark.parametrize("make", [
    lambda m, x: m.cat([x, m.zeros(2, 3, 5)]), lambda m, x: m.cat([x, m.zeros(2, 3)]),
    lambda m, x: m.cat([]), lambda m, x: m.cat([x, x], 3), lambda m, x: m.cat([m.tensor(1.)]),
    lambda m, x: m.cat(x), lambda m, x: m.cat([x, 1]), lambda m, x: m.stack([x, x[0]]),
    lambda m, x: m.stack([]), lambda m, x: m.stack([x], 4), lambda m, x: x.split([1, 2]),
    lambda m, x: x.split([3, -1], 1), lambda m, x: x.split(0), lambda m, x: x.split(-1),
    lambda m, x: m.tensor(1.).split(1), lambda m, x: x.chunk(0), lambda m, x: x.chunk(-2),
    lambda m, x: m.tensor(1.).chunk(2), lambda m, x: x.unbind(3), lambda m, x:
    m.tensor(1.).unbind(), lambda m, x: x.narrow(1, 2, 2), lambda m, x: x.narrow(1, -4, 1),
    lambda m, x: x.narrow(1, 0, -1), lambda m, x: m.tensor(1.).narrow(0, 0, 1),
    lambda m, x: x.view(5), lambda m, x: x.view(-1, -1), lambda m, x: x.transpose(0, 1).view(-1),
    lambda m, x: x.reshape(-2, 12), lambda m, x: m.zeros(0, 3).reshape(-1, 0),
    lambda m, x: x.repeat(2), lambda m, x: x.repeat(2, -1, 1), lambda m, x: x.flip(0, 0),
    lambda m, x: x.flip(3), lambda m, x: x.roll(1, (0, 1)), lambda m, x: x.roll((1, 2)),
    lambda m, x: m.tensor(1.).roll(1, 0),
    lambda m, x: x.movedim((0, 1), (1,)), lambda m, x: x.movedim((0, 0), (1, 2)),
    lambda m, x: x.movedim((0, 1), (2, 2)), lambda m, x: x.movedim(0, 3),
    lambda m, x: x.unflatten(1, (2, 2)), lambda m, x: x.unflatten(1, ()),
    lambda m, x: x.unflatten(3, (1,)), lambda m, x: x.squeeze(3), lambda m, x: x.unsqueeze(4),
    lambda m, x: x.permute(0, 1), lambda m, x: x.permute(0, 0, 1), lambda m, x: x.t(),
    lambda m, x: x.transpose(0, 3), lambda m, x: x.expand(3, 4), lambda m, x: x.expand(2, 2, 4),
    lambda m, x: x.expand(-1, 2, 3, 4), lambda m, x: x.double().expand(3, 4),
    lambda m, x: m.hstack([]), lambda m, x: x.flatten(2, 1),
])
def test_errors(make):
    with pytest.raises(Exception) as expected:
        make(torch, torch.zeros(2, 3, 4))
    with pytest.raises(type(expected.value)) as got:
        make(chainrule, chainrule.zeros(2, 3, 4))
    if not isinstance(expected.value, TypeError):  # overload listings are abbreviated
        assert str(got.value) == str(expected.value)


TENSOR_SPLITS = [
    lambda m, x: x.tensor_split(2), lambda m, x: x.tensor_split(3, 1),
    lambda m, x: m.tensor_split(x, 5, dim=-1), lambda m, x: x.tensor_split([1, 3], 2),
    lambda m, x: x.tensor_split((2, 1), 2), lambda m, x: x.tensor_split([-1, 9], 1),
    lambda m, x: x.tensor_split(m.tensor([1, 2]), 1), lambda m, x: x.tensor_split(m.tensor(3), 2),
    lambda m, x: m.hsplit(x, 3), lambda m, x: x.hsplit([1]), lambda m, x: m.vsplit(x, 2),
    lambda m, x: x.vsplit([1, 1]), lambda m, x: m.dsplit(x, 2), lambda m, x: x.dsplit([3]),
    lambda m, x: m.hsplit(x.flatten(), 4),
]


@pytest.mark.parametrize("fn", TENSOR_SPLITS)
def test_tensor_split_family(fn):
    compare(fn, DATA, "float64")


@pytest.mark.parametrize("fn,use", [(lambda m, x: x.tensor_split(3, 2), {1}),
                                    (lambda m, x: m.vsplit(x, [1]), {0})])
def test_tensor_split_some_outputs_unused(fn, use):
    compare(fn, DATA, "float64", use)


def test_tensor_split_sizes():
    for n in range(0, 8):
        for k in range(1, 5):
            a = [p.tolist() for p in chainrule.arange(n).tensor_split(k)]
            b = [p.tolist() for p in torch.arange(n).tensor_split(k)]
            assert a == b, (n, k)
    for cuts in ([5, 2], [3, 3], [0, 10], [-10, 2], [-2, 5], []):
        a = [p.tolist() for p in chainrule.arange(7).tensor_split(cuts)]
        assert a == [p.tolist() for p in torch.arange(7).tensor_split(cuts)], cuts


@pytest.mark.parametrize("make", [
    lambda m, x: m.tensor(1.).tensor_split(2), lambda m, x: x.tensor_split(0),
    lambda m, x: x.tensor_split(-1), lambda m, x: x.tensor_split(m.tensor([[1]])),
    lambda m, x: x.tensor_split(m.tensor([1.])), lambda m, x: x.tensor_split(2, dim=3),
    lambda m, x: x.tensor_split(2.5), lambda m, x: x.tensor_split((1.5,)),
    lambda m, x: m.hsplit(x, 4), lambda m, x: m.hsplit(m.tensor(1.), 2),
    lambda m, x: m.vsplit(x.flatten(), 2), lambda m, x: m.vsplit(x, 3),
    lambda m, x: m.dsplit(x[0], 2), lambda m, x: m.dsplit(x, 3), lambda m, x: m.hsplit(x, 0),
])
def test_tensor_split_errors(make):
    test_errors(make)


DIAGONALS = [
    lambda m, x: x.diagonal(), lambda m, x: x.diagonal(1, 1, 2), lambda m, x: x.diagonal(-1, 2, 0),
    lambda m, x: m.diagonal(x, 5), lambda m, x: m.diag(x[0]), lambda m, x: m.diag(x[1], -2),
    lambda m, x: m.diag(x[0][0]), lambda m, x: m.diag(x[1].t()[1], 2), lambda m, x: x[0].diag(1),
    lambda m, x: m.diag_embed(x), lambda m, x: m.diag_embed(x, 1, 0, 2),
    lambda m, x: m.diag_embed(x[0], -1, 1, 0), lambda m, x: m.diagflat(x[0]),
    lambda m, x: m.diagflat(x[:, 0], -1), lambda m, x: m.tril(x), lambda m, x: x.triu(1),
    lambda m, x: x[0].tril(-1), lambda m, x: m.triu(x[1], -5), lambda m, x: m.trace(x[0]),
    lambda m, x: x[1].t().trace(),
]


@pytest.mark.parametrize("fn", DIAGONALS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_diagonals_and_triangles(fn, dtype):
    compare(fn, DATA, dtype)


def test_diagonal_is_a_view_that_in_place_ops_see_through():
    for lib in (chainrule, torch):
        x = lib.zeros(3, 3)
        x.diagonal().fill_(1)
        x.diagonal(1).add_(2)
        assert x.tolist() == [[1., 2., 0.], [0., 1., 2.], [0., 0., 1.]]
    results = []
    for lib in (chainrule, torch):
        w = lib.tensor(np.arange(9.).reshape(3, 3), requires_grad=True)
        y = w * 1
        y.diagonal().mul_(w[0])
        (y * lib.tensor(np.arange(9.).reshape(3, 3))).sum().backward()
        results.append((w.grad.tolist(), type(y.grad_fn).__name__))
    assert results[0] == results[1]


@pytest.mark.parametrize("dtype", ["int64", "int32", "bool", "uint8"])
def test_trace_and_triangles_of_integers(dtype):
    def outcome(fn, lib):
        try:
            r = fn(lib, lib.tensor(np.arange(6).reshape(2, 3).astype(dtype)))
        except Exception as exc:  # noqa: BLE001 - the error is the observation
            return type(exc).__name__, str(exc)
        return str(r.dtype), r.tolist()
    for fn in (lambda m, x: m.trace(x), lambda m, x: m.tril(x), lambda m, x: x.triu(-1),
               lambda m, x: m.diag(x), lambda m, x: x.diagonal()):
        assert outcome(fn, chainrule) == outcome(fn, torch)


@pytest.mark.parametrize("make", [
    lambda m, x: m.diag(x), lambda m, x: m.diag(x[0, 0, 0]), lambda m, x: x.diagonal(0, 1, 1),
    lambda m, x: x.diagonal(0, 0, 3), lambda m, x: m.trace(x), lambda m, x: m.trace(x[0, 0]),
    lambda m, x: m.tril(x[0, 0]), lambda m, x: m.triu(x[0, 0, 0]),
    lambda m, x: m.diag_embed(x, 0, 1, 1), lambda m, x: m.diag_embed(x, 0, 0, 4),
])
def test_diagonal_errors(make):
    test_errors(make)


# ---------------------------------------------------------------------------- grids, joins, flips
def graph(t):
    """Every grad_fn name behind ``t``, depth first (None for an input with no edge)."""
    names = []

    def walk(fn):
        names.append(None if fn is None else type(fn).__name__)
        for nxt, _ in (fn.next_functions if fn is not None else ()):
            walk(nxt)
    walk(t.grad_fn)
    return names


def compare_inputs(fn, shapes, dtype="float64", rtol=1e-6, arrays=None, grads=None):
    """``fn(lib, *leaves)`` with leaves of ``shapes`` (or ``arrays``): the same outputs (shape,
    dtype, values, contiguity, view or copy, whole grad_fn graph) and the same gradients for a
    random weighting of the outputs. ``grads`` says which leaves require grad."""
    rng = np.random.default_rng(3)
    if arrays is None:
        arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    grads = grads or [np.asarray(a).dtype.kind == "f" for a in arrays]
    results = []
    for lib in (chainrule, torch):
        leaves = [lib.tensor(np.array(a), requires_grad=g) for a, g in zip(arrays, grads)]
        out = fn(lib, *leaves)
        results.append((leaves, list(out) if isinstance(out, (tuple, list)) else [out]))
    (c_in, c_out), (t_in, t_out) = results
    assert len(c_out) == len(t_out)
    weights = np.random.default_rng(4)
    c_loss = t_loss = 0
    for co, to in zip(c_out, t_out):
        assert tuple(co.shape) == tuple(to.shape) and str(co.dtype) == str(to.dtype)
        np.testing.assert_allclose(co.detach().numpy(), to.detach().numpy(), rtol=rtol,
                                   atol=rtol)
        assert graph(co) == graph(to)
        assert co.is_contiguous() == to.is_contiguous() or co.numel() <= 1
        assert (co._base is not None) == (to._base is not None)
        if to.requires_grad:
            w = weights.standard_normal(tuple(to.shape))
            c_loss = c_loss + (co * chainrule.tensor(w, dtype=co.dtype)).sum()
            t_loss = t_loss + (to * torch.tensor(w, dtype=to.dtype)).sum()
    if isinstance(t_loss, int):
        return
    c_loss.backward()
    t_loss.backward()
    for c, t in zip(c_in, t_in):
        if t.requires_grad:
            np.testing.assert_allclose(c.grad.numpy(), t.grad.numpy(), rtol=rtol, atol=rtol)


GRIDS = [
    (lambda m, a, b: m.meshgrid(a, b, indexing="ij"), [(3,), (4,)]),
    (lambda m, a, b: m.meshgrid(a, b, indexing="xy"), [(3,), (4,)]),
    (lambda m, a, b, c: m.meshgrid([a, b, c], indexing="xy"), [(3,), (2,), ()]),
    (lambda m, a: m.meshgrid((a,), indexing="xy"), [(3,)]),
    (lambda m, a, b: m.broadcast_tensors(a, b), [(3, 1), (4,)]),
    (lambda m, a, b: m.broadcast_tensors(a, b), [(2, 3), (3,)]),
    (lambda m, a, b, c: m.broadcast_tensors(a, b, c), [(), (2, 1, 3), (4, 1)]),
    (lambda m, a, b: m.cartesian_prod(a, b), [(3,), (4,)]),
    (lambda m, a, b, c: m.cartesian_prod(a, b, c), [(3,), (1,), (2,)]),
    (lambda m, a: m.cartesian_prod(a), [(3,)]),
    (lambda m, a, b: m.column_stack([a, b]), [(3,), (3, 2)]),
    (lambda m, a, b: m.column_stack((a, b)), [(), (1, 4)]),
    (lambda m, a, b: m.row_stack([a, b]), [(4,), (3, 4)]),
    (lambda m, a: m.fliplr(a), [(3, 4)]), (lambda m, a: a.fliplr(), [(2, 3, 4)]),
    (lambda m, a: m.flipud(a), [(3,)]), (lambda m, a: a.flipud(), [(3, 4)]),
    (lambda m, a: m.rot90(a), [(3, 4)]), (lambda m, a: a.rot90(2), [(3, 4)]),
    (lambda m, a: a.rot90(-1), [(3, 4)]), (lambda m, a: m.rot90(a, 0), [(3, 4)]),
    (lambda m, a: m.rot90(a, 7, [2, 0]), [(2, 3, 4)]),
    (lambda m, a: m.rot90(a.t(), 4, (1, 0)), [(3, 4)]),
    (lambda m, a: m.diff(a), [(3, 4)]), (lambda m, a: a.diff(2, 0), [(4, 3)]),
    (lambda m, a: m.diff(a, n=5), [(3, 4)]), (lambda m, a: m.diff(a, n=0), [(3, 4)]),
    (lambda m, a, b, c: m.diff(a, 1, 1, b, c), [(2, 3), (2, 1), (2, 2)]),
    (lambda m, a, b: m.diff(a, 2, dim=0, append=b), [(2, 3), (1, 3)]),
    (lambda m, a, b, c: m.block_diag(a, b, c), [(2, 3), (3,), ()]),
    (lambda m, a, b: m.block_diag(a, b), [(0, 2), (2, 0)]),
]


@pytest.mark.parametrize("fn,shapes", GRIDS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_grids_joins_flips(fn, shapes, dtype):
    compare_inputs(fn, shapes, dtype)


def test_meshgrid_warns_without_indexing():
    import warnings
    import chainrule.ops.shape as shape_ops
    shape_ops._meshgrid_warned = False
    for lib in (chainrule, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.meshgrid(lib.zeros(2), lib.zeros(3))
        assert [str(w.message).split(" (Triggered")[0] for w in caught] == [
            "torch.meshgrid: in an upcoming release, it will be required to pass the indexing "
            "argument."]
    assert chainrule.meshgrid(chainrule.zeros(2), chainrule.zeros(3))[0].shape == (2, 3)


def test_integer_and_bool_grids_and_differences():
    def outcome(fn, lib):
        try:
            r = fn(lib)
        except Exception as exc:  # noqa: BLE001 - the error is the observation
            return type(exc).__name__, str(exc)
        rs = r if isinstance(r, (tuple, list)) else [r]
        return [(str(x.dtype), x.tolist()) for x in rs]
    for fn in (lambda m: m.diff(m.tensor([True, False, False, True])),
               lambda m: m.diff(m.tensor([1, 3, 2], dtype=m.uint8)),
               lambda m: m.diff(m.tensor([1, 2]), prepend=m.tensor([1.5])),
               lambda m: m.diff(m.tensor([[1, 4], [2, 8]], dtype=m.int32), dim=0, n=3),
               lambda m: m.block_diag(m.tensor([[1, 2]]), m.tensor(True), m.tensor([2.5])),
               lambda m: m.block_diag(), lambda m: m.cartesian_prod(m.arange(2), m.arange(3)),
               lambda m: m.broadcast_tensors(m.tensor([1, 2]), m.tensor(1.)),
               lambda m: m.rot90(m.arange(6).reshape(2, 3), 1, [1, 0]),
               lambda m: m.tril_indices(3, 3), lambda m: m.tril_indices(3, 4, 1),
               lambda m: m.tril_indices(3, 4, -5), lambda m: m.triu_indices(3, 4, -1),
               lambda m: m.triu_indices(4, 3, 10, dtype=m.int32), lambda m: m.triu_indices(0, 3),
               lambda m: m.tril_indices(5, 2, offset=-1)):
        assert outcome(fn, chainrule) == outcome(fn, torch)


def test_broadcast_shapes():
    for shapes in [((2,), (3, 1), (1, 1, 1)), (), ((2, 0), (1,)), (3, (2, 1)), ((5,), None),
                   ([2, 1], (3,))]:
        assert tuple(chainrule.broadcast_shapes(*shapes)) == tuple(torch.broadcast_shapes(*shapes))
        assert type(chainrule.broadcast_shapes(*shapes)) is chainrule.Size
    for shapes in [((2, 3), (4,)), ((0,), (2,)), ((-1, 3),), ((2, 3), "a"), ((2, 3), (2.0,))]:
        with pytest.raises(Exception) as expected:
            torch.broadcast_shapes(*shapes)
        with pytest.raises(type(expected.value), match=None) as got:
            chainrule.broadcast_shapes(*shapes)
        assert str(got.value) == str(expected.value)


@pytest.mark.parametrize("make", [
    lambda m, x: m.meshgrid(indexing="ij"),
    lambda m, x: m.meshgrid(x[0, 0], x[0, 0].long(), indexing="ij"),
    lambda m, x: m.meshgrid(x[0, 0], indexing="foo"),
    lambda m, x: m.broadcast_tensors(x, x[0, 0, :3]), lambda m, x: m.cartesian_prod(x[0]),
    lambda m, x: m.cartesian_prod(x[0, 0, 0]), lambda m, x: m.cartesian_prod(),
    lambda m, x: m.column_stack([]), lambda m, x: m.row_stack([]),
    lambda m, x: m.fliplr(x[0, 0]), lambda m, x: m.flipud(x[0, 0, 0]),
    lambda m, x: m.rot90(x[0, 0]), lambda m, x: m.rot90(x, 1, [0, 0]),
    lambda m, x: m.rot90(x, 1, [0, 1, 2]), lambda m, x: m.rot90(x, 1, [0, 3]),
    lambda m, x: m.rot90(x, 1, [0, -3]), lambda m, x: m.rot90(x, 1, [2, -1]),
    lambda m, x: m.rot90(x[0], 1, [1, -1]),
    lambda m, x: m.diff(x[0, 0, 0]), lambda m, x: m.diff(x, n=-1),
    lambda m, x: m.diff(x, prepend=x[0]), lambda m, x: m.diff(x, dim=1, append=x[:1]),
    lambda m, x: m.diff(x, dim=3), lambda m, x: m.block_diag(x),
    lambda m, x: m.block_diag([x[0]]), lambda m, x: m.tril_indices(-1, 3),
    lambda m, x: m.triu_indices(3, -3), lambda m, x: m.tril_indices(3, 3, dtype=m.float32),
    lambda m, x: m.tril_indices(3, 3, dtype=m.int16),
])
def test_grid_errors(make):
    test_errors(make)


def test_meshgrid_of_a_matrix_names_it():
    # PyTorch prints the tensor in its C++ format there; the first line is what matters
    for lib in (chainrule, torch):
        with pytest.raises(RuntimeError, match="^torch.meshgrid: Expected 0D or 1D tensor in "
                                               "the tensor list but got:"):
            lib.meshgrid(lib.zeros(2, 2), indexing="ij")


@pytest.mark.parametrize("fn", [
    lambda m, x: m.stack([x[0].t(), x[1].t()]), lambda m, x: m.cat([x[0].t(), x[1].t()]),
    lambda m, x: m.cat([x[0].t(), x[1].t()], 1), lambda m, x: m.stack([x.transpose(0, 2)] * 2, 1),
])
def test_joining_transposed_tensors_gives_contiguous_results(fn):
    compare(fn, DATA, "float64")
    c, t = fn(chainrule, chainrule.tensor(DATA)), fn(torch, torch.tensor(DATA))
    assert c.stride() == t.stride()


UNFOLD_AND_REPEAT = [
    lambda m, x: x.unfold(2, 2, 1), lambda m, x: x.unfold(1, 2, 2), lambda m, x: x.unfold(0, 1, 1),
    lambda m, x: x.unfold(-1, 4, 3), lambda m, x: x[0].t().unfold(0, 3, 1),
    lambda m, x: x.repeat_interleave(2), lambda m, x: x.repeat_interleave(3, dim=1),
    lambda m, x: m.repeat_interleave(x, 2, -1), lambda m, x: x[0].t().repeat_interleave(2, 0),
    lambda m, x: x.repeat_interleave(m.tensor([1, 0, 2]), dim=1),
    lambda m, x: x.repeat_interleave(m.tensor([2]), dim=0),
    lambda m, x: x.repeat_interleave(m.tensor(2), dim=2),
]


@pytest.mark.parametrize("fn", UNFOLD_AND_REPEAT)
def test_unfold_and_repeat_interleave(fn):
    compare(fn, DATA, "float64")


def test_unfold_double_backward_and_in_place_through_windows():
    results = []
    for lib in (chainrule, torch):
        x = lib.tensor(DATA[0], requires_grad=True)
        g, = lib.autograd.grad(x.unfold(1, 2, 1).pow(3).sum(), x, create_graph=True)
        gg, = lib.autograd.grad(g.sum(), x)
        y = lib.zeros(6)
        y.unfold(0, 2, 2).add_(1)
        results.append((g.detach().numpy(), gg.numpy(), y.tolist()))
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize("make", [
    lambda m, x: x.unfold(1, 4, 1), lambda m, x: x.unfold(1, 2, 0), lambda m, x: x.unfold(3, 1, 1),
    lambda m, x: x.repeat_interleave(-1), lambda m, x: m.repeat_interleave(m.tensor([[1]])),
    lambda m, x: x.repeat_interleave(m.tensor([1, 2, 3]), dim=0),
    lambda m, x: x.repeat_interleave(m.tensor([1., 2.]), dim=0),
    lambda m, x: x.repeat_interleave(m.tensor([1, -1]), dim=0),
    lambda m, x: x.repeat_interleave(2, dim=0, output_size=5),
])
def test_unfold_and_repeat_interleave_errors(make):
    test_errors(make)


def test_repeat_interleave_of_counts_and_size_attributes():
    for counts in ([2, 0, 1], [3], []):
        a = chainrule.repeat_interleave(chainrule.tensor(counts, dtype=chainrule.int64))
        b = torch.repeat_interleave(torch.tensor(counts, dtype=torch.int64))
        assert a.tolist() == b.tolist() and str(a.dtype) == str(b.dtype)
    for lib_pair in ((chainrule.ones(2, 3), torch.ones(2, 3)),
                     (chainrule.ones(2, dtype=chainrule.uint8), torch.ones(2, dtype=torch.uint8))):
        c, t = lib_pair
        assert (c.nbytes, c.itemsize, c.is_signed()) == (t.nbytes, t.itemsize, t.is_signed())
