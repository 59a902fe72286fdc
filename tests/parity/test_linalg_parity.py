"""Matrix products and einsum against PyTorch: values, grad_fn names, gradients with random
upstream gradients (batched and broadcast cases, vectors, non-contiguous inputs), double
backward and error messages."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
import chainrule as cr  # noqa: E402

RNG = np.random.default_rng(1)
DTYPES = [np.float32, np.float64]


def _tol(dtype):
    return dict(rtol=1e-4, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)


def check(fn, *shapes, dtype=np.float64, grads=None):
    """``fn(lib, *leaves)``: same values, grad_fn name and input gradients. ``grads`` says which
    inputs require grad (default all)."""
    arrays = [RNG.standard_normal(s).astype(dtype) for s in shapes]
    grads = grads or [True] * len(arrays)
    outs, ins = [], []
    for lib in (cr, torch):
        leaves = [lib.tensor(a, requires_grad=g) for a, g in zip(arrays, grads)]
        ins.append(leaves)
        outs.append(fn(lib, *leaves))
    c, t = outs
    assert tuple(c.shape) == tuple(t.shape) and str(c.dtype) == str(t.dtype)
    np.testing.assert_allclose(c.detach().numpy(), t.detach().numpy(), **_tol(dtype))
    assert c.grad_fn.name() == t.grad_fn.name()
    g = RNG.standard_normal(tuple(t.shape)).astype(dtype)
    c.backward(cr.tensor(g))
    t.backward(torch.tensor(g))
    for a, b in zip(*ins):
        if b.requires_grad:
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **_tol(dtype))


MATMUL_SHAPES = [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (5, 3, 4)),
    ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((3,), (5, 3, 4)), ((5, 2, 3), (3,)),
    ((2, 1, 3, 4), (5, 4, 2)), ((1, 2, 3), (5, 3, 4)), ((2, 5, 2, 3), (5, 3, 4)),
    ((4, 2, 3), (1, 3, 4)), ((1, 2, 3), (1, 3, 4)), ((1, 1, 2, 3), (5, 3, 4)),
    ((2, 1, 3, 4), (2, 4, 2)), ((5, 1, 3), (5, 3, 1)), ((2, 3), (1, 3, 4)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
@pytest.mark.parametrize("grads", [[True, True], [True, False], [False, True]], ids=str)
def test_matmul(shapes, grads, dtype):
    check(lambda T, a, b: T.matmul(a, b), *shapes, dtype=dtype, grads=grads)


def test_matmul_operator_and_non_contiguous():
    check(lambda T, a, b: a.transpose(-1, -2) @ b[..., ::2], (5, 3, 2), (5, 3, 8))
    check(lambda T, a, b: a.mT @ b.t(), (4, 3, 2), (5, 3))
    check(lambda T, a, b: a[::2] @ b, (6, 3), (3,))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn,shapes", [
    (lambda T, a, b: T.mm(a, b), [(2, 3), (3, 4)]),
    (lambda T, a, b: a.mm(b.t()), [(2, 3), (4, 3)]),
    (lambda T, a, b: T.bmm(a, b), [(5, 2, 3), (5, 3, 4)]),
    (lambda T, a, b: T.mv(a, b), [(2, 3), (3,)]),
    (lambda T, a, b: a.dot(b), [(3,), (3,)]),
    (lambda T, a, b: T.outer(a, b), [(3,), (4,)]),
    (lambda T, a, b: T.ger(a, b), [(3,), (4,)]),
    (lambda T, c, a, b: T.addmm(c, a, b), [(2, 4), (2, 3), (3, 4)]),
    (lambda T, c, a, b: T.addmm(c, a, b, beta=0.5, alpha=2), [(4,), (2, 3), (3, 4)]),
    (lambda T, c, a, b: c.addmm(a, b, beta=0), [(2, 1), (2, 3), (3, 4)]),
    (lambda T, c, a, b: T.baddbmm(c, a, b), [(5, 2, 4), (5, 2, 3), (5, 3, 4)]),
    (lambda T, c, a, b: T.baddbmm(c, a, b, beta=2, alpha=-1), [(1, 4), (5, 2, 3), (5, 3, 4)]),
])
def test_products(fn, shapes, dtype):
    check(fn, *shapes, dtype=dtype)


EINSUM = [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(5, 2, 3), (5, 3, 4)]), ("ii->i", [(3, 3)]), ("ii", [(3, 3)]),
    ("i,i->", [(3,), (3,)]), ("i,j->ij", [(3,), (4,)]), ("...ij,...jk->...ik", [(5, 2, 3), (5, 3, 4)]),
    ("ij->ji", [(2, 3)]), ("ij->", [(2, 3)]), ("ijk,ikl,ilm->ijm", [(2, 3, 4), (2, 4, 5), (2, 5, 6)]),
    ("ij", [(2, 3)]), ("ji", [(2, 3)]), ("bi,bi->b", [(2, 3), (2, 3)]), ("i j", [(2, 3)]),
    ("...ij->...ji", [(2, 3, 4)]), ("i...->...", [(2, 3, 4)]), ("b...a", [(2, 3, 4)]),
    ("ij,ij->ij", [(1, 3), (2, 3)]), ("iij,jk->ik", [(3, 3, 2), (2, 4)]),
    ("ij,k->ik", [(2, 3), (4,)]), ("...i,i->...", [(2, 3, 4), (4,)]), ("iji->j", [(2, 3, 2)]),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("equation,shapes", EINSUM, ids=[e for e, _ in EINSUM])
def test_einsum(equation, shapes, dtype):
    check(lambda T, *ops: T.einsum(equation, *ops), *shapes, dtype=dtype)


def test_einsum_operand_list():
    check(lambda T, a, b: T.einsum("ij,jk", [a, b]), (2, 3), (3, 4))


@pytest.mark.parametrize("fn", [
    lambda T, a, b: (a @ b).sin(), lambda T, a, b: T.einsum("ij,jk->ik", a, b).sin(),
    lambda T, a, b: T.einsum("ii,ij->j", a[:, :3] ** 2, b).sin(),
    lambda T, a, b: T.addmm(b[:, :1], a, b, alpha=0.5).sin(),
])
def test_double_backward(fn):
    a, b = RNG.standard_normal((3, 3)), RNG.standard_normal((3, 4))
    res = []
    for lib in (cr, torch):
        x, y = lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)
        gx, gy = lib.autograd.grad(fn(lib, x, y).sum(), (x, y), create_graph=True)
        hx, hy = lib.autograd.grad((gx ** 2).sum() + (gy ** 3).sum(), (x, y))
        res.append([t.detach().numpy() for t in (gx, gy, hx, hy)])
    for p, q in zip(*res):
        np.testing.assert_allclose(p, q, rtol=1e-10, atol=1e-12)


ERRORS = [
    "T.mm(x,x)", "T.mm(x,T.randn(4))", "T.mm(T.randn(4),x)", "T.matmul(x,x)",
    "T.matmul(T.randn(3),T.randn(4))", "T.matmul(T.randn(2,3),T.randn(4))",
    "T.matmul(T.randn(3),T.randn(4,5))", "T.matmul(T.randn(5,2,3),T.randn(5,4,2))",
    "T.matmul(T.randn(5,2,3),T.randn(4,3,2))", "T.matmul(T.randn(5,2,3),T.randn(4,2))",
    "T.matmul(T.randn(3,4),T.randn(5,3,2))", "T.matmul(T.tensor(1.),x)", "T.bmm(x,x)",
    "T.bmm(T.randn(2,3,4),T.randn(3,4,5))", "T.bmm(T.randn(2,3,4),T.randn(2,5,5))",
    "T.mv(x,T.randn(3))", "T.mv(x,x)", "T.dot(T.randn(3),T.randn(4))",
    "T.mm(x,T.randn(4,2,dtype=T.float64))", "T.matmul(T.randn(2,2,3),T.randn(2,3,dtype=T.float64))",
    "T.bmm(T.randn(2,3,4),T.randn(2,4,5,dtype=T.float64))", "T.mv(x,T.randn(4,dtype=T.float64))",
    "T.dot(T.randn(3),T.randn(3,dtype=T.float64))", "T.addmm(T.randn(3,3),x,T.randn(4,2))",
    "T.addmm(T.randn(3),x,T.randn(4,2))", "T.outer(x,x)",
    'T.einsum("ij,jk->ik",x,x)', 'T.einsum("ij,jk",x)', 'T.einsum("ij->ik",x)',
    'T.einsum("ijk",x)', 'T.einsum("ii",x)', 'T.einsum("ij",x,x)', 'T.einsum("i1",x)',
    'T.einsum("ij->ii",x)', 'T.einsum("ij,jk",x,T.randn(4,5,dtype=T.float64))',
]


@pytest.mark.parametrize("stmt", ERRORS)
def test_errors(stmt):
    errors = []
    for lib in (cr, torch):
        with pytest.raises(Exception) as info:
            eval(stmt, {"T": lib, "x": lib.randn(3, 4)})
        errors.append(info.value)
    assert type(errors[0]) is type(errors[1])
    assert str(errors[0]) == str(errors[1])


def test_integer_matmul():
    a = np.arange(6).reshape(2, 3)
    c = cr.tensor(a) @ cr.tensor(a.T)
    t = torch.tensor(a) @ torch.tensor(a.T)
    assert c.dtype == cr.int64
    np.testing.assert_array_equal(c.numpy(), t.numpy())


# ---------------------------------------------------------------------------- kron, cross, ...
from test_shape_parity import compare_inputs, test_errors  # noqa: E402

PRODUCTS = [
    (lambda m, a, b: m.kron(a, b), [(2, 3), (3, 2)]),
    (lambda m, a, b: a.kron(b), [(3,), (2, 2)]), (lambda m, a, b: m.kron(a, b), [(), (3,)]),
    (lambda m, a, b: m.kron(a, b), [(2, 1, 2), (3, 2)]),
    (lambda m, a, b: m.cross(a, b, dim=1), [(4, 3), (4, 3)]),
    (lambda m, a, b: a.cross(b, -1), [(2, 1, 3), (4, 3)][:1] + [(2, 4, 3)]),
    (lambda m, a, b: m.cross(a, b, 0), [(3, 2), (3, 1)]),
    (lambda m, a, b: m.tensordot(a, b), [(2, 3, 4), (3, 4, 5)]),
    (lambda m, a, b: m.tensordot(a, b, 1), [(3, 4), (4,)]),
    (lambda m, a, b: m.tensordot(a, b, 0), [(3,), (2, 2)]),
    (lambda m, a, b: m.tensordot(a, b, ([1, 0], [0, 1])), [(2, 3, 4), (3, 2)]),
    (lambda m, a, b: m.tensordot(a, b, dims=[[0, 1], [1, 0]]), [(2, 3), (3, 2)]),
    (lambda m, a, b: m.tensordot(a, b, dims=([0, 1], [0, 1])), [(2, 3), (2, 3)]),
    (lambda m, a, b: m.tensordot(a, b, ([1, 2], [0, 1])), [(2, 1, 4), (3, 4)]),
    (lambda m, a, b: m.tensordot(a, b, ([1, 2], [1, 0])), [(5, 2, 3), (3, 2)]),
    (lambda m, a, b: m.tensordot(a, b, ([-1], [0])), [(2, 3), (1, 3)]),
    (lambda m, a, b: m.tensordot(a, b, 1), [(3,), (3,)]),
    (lambda m, a, b: m.inner(a, b), [(3, 4), (2, 4)]), (lambda m, a, b: a.inner(b), [(3,), (3,)]),
    (lambda m, a, b: m.inner(a, b), [(2, 3, 4), (4,)]), (lambda m, a, b: m.inner(a, b), [(3,), ()]),
    (lambda m, a, b: m.inner(a.t(), b), [(3, 2), (5, 3)]),
]


@pytest.mark.parametrize("fn,shapes", PRODUCTS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_kron_cross_tensordot_inner(fn, shapes, dtype):
    compare_inputs(fn, shapes, dtype, rtol=1e-5 if dtype == "float32" else 1e-10)


def test_tensordot_dims_as_tensor_and_integers():
    def outcome(lib):
        a = lib.arange(6).reshape(2, 3)
        return [lib.tensordot(a, a.t(), dims=lib.tensor(1)).tolist(),
                lib.tensordot(a, a, dims=lib.tensor([[0, 1], [0, 1]])).tolist(),
                lib.kron(a, lib.tensor([1.5, 2])).tolist(), lib.cross(a.T, a.T + 1, 0).tolist()]
    assert outcome(cr) == outcome(torch)


CDISTS = [
    (lambda m, a, b: m.cdist(a, b), [(3, 4), (5, 4)]),
    (lambda m, a, b: m.cdist(a, b, p=1), [(2, 3, 4), (5, 4)]),
    (lambda m, a, b: m.cdist(a, b, 0), [(3, 4), (5, 4)]),
    (lambda m, a, b: m.cdist(a, b, 3), [(3, 4), (2, 5, 4)]),
    (lambda m, a, b: m.cdist(a, b, 0.5), [(3, 4), (5, 4)]),
    (lambda m, a, b: m.cdist(a, b, float("inf")), [(3, 4), (5, 4)]),
    (lambda m, a, b: m.cdist(a, b), [(30, 4), (5, 4)]),
    (lambda m, a, b: m.cdist(a, b), [(2, 30, 4), (5, 4)]),
    (lambda m, a, b: m.cdist(a, b, compute_mode="use_mm_for_euclid_dist"), [(3, 4), (5, 4)]),
    (lambda m, a, b: m.cdist(a, b, compute_mode="donot_use_mm_for_euclid_dist"),
     [(30, 4), (5, 4)]),
    (lambda m, a, b: m.cdist(a, b), [(0, 4), (5, 4)]),
]


@pytest.mark.parametrize("fn,shapes", CDISTS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cdist(fn, shapes, dtype):
    compare_inputs(fn, shapes, dtype, rtol=1e-4 if dtype == "float32" else 1e-10)


def test_cdist_subgradients_at_ties_and_zero_distance():
    a = np.array([[0., 0], [1, 1]])
    b = np.array([[0., 0], [1, 0]])
    for p in (2., 1., 0., 3., float("inf"), 0.5):
        compare_inputs(lambda m, x, y: m.cdist(x, y, p), None, arrays=[a, b])


@pytest.mark.parametrize("make", [
    lambda m, x: m.cross(x[0, :, :3], x[0, :, :3].double(), dim=1),
    lambda m, x: m.cross(x[0, :, :3], x[:, :, :3], dim=-1),
    lambda m, x: m.cross(x[0], x[0], dim=1), lambda m, x: m.cross(x[0], x[0], dim=-1),
    lambda m, x: m.cross(x[0], x[0], dim=2), lambda m, x: m.cross(x[0, :2], x[:2, 0]),
    lambda m, x: m.cross(x[:, :, :3], x[:1, :2, :3], dim=2),
    lambda m, x: m.tensordot(x, x, 1), lambda m, x: m.tensordot(x, x, -1),
    lambda m, x: m.tensordot(x, x, 4), lambda m, x: m.tensordot(x, x, ([1], [0, 1])),
    lambda m, x: m.tensordot(x, x.double(), 0), lambda m, x: m.tensordot(x, x, 1.5),
    lambda m, x: m.tensordot(x, x, (1, 0)),
    lambda m, x: m.inner(x, x[0, 0, :3]), lambda m, x: m.inner(x, x.double()),
    lambda m, x: m.cdist(x, x, p=-1), lambda m, x: m.cdist(x, x[..., :3]),
    lambda m, x: m.cdist(x[0, 0], x), lambda m, x: m.cdist(x, x.double()),
    lambda m, x: m.cdist(x.long(), x.long()), lambda m, x: m.cdist(x, x, compute_mode="foo"),
    lambda m, x: m.cdist(x, x[:1].expand(3, 3, 4)),
])
def test_product_errors(make):
    test_errors(make)


def test_cross_without_dim_warns_once_and_uses_the_first_size_3_dimension():
    import warnings
    import chainrule.ops.linalg as linalg_ops
    linalg_ops._cross_warned = False
    a = RNG.standard_normal((2, 3, 3))
    for lib in (cr, torch):  # PyTorch warns once per process: it may have warned already
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            r = lib.cross(lib.tensor(a), lib.tensor(a[::-1].copy()))
            lib.cross(lib.tensor(a), lib.tensor(a))
        np.testing.assert_allclose(r.numpy(), np.cross(a, a[::-1], axis=1))
        assert len(caught) <= 1
        if lib is cr:
            assert str(caught[0].message) == (
                "Using torch.cross without specifying the dim arg is deprecated.\nPlease either "
                "pass the dim explicitly or simply use torch.linalg.cross.\nThe default value of "
                "dim will change to agree with that of linalg.cross in a future release.")
