"""Matrix products and einsum without PyTorch: float64 gradcheck / gradgradcheck in every
batched and broadcast case, known values, grad_fn names, errors."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import chainrule as torch
from chainrule.autograd import gradcheck, gradgradcheck

RNG = np.random.default_rng(0)


def leaf(*shape):
    return torch.tensor(RNG.standard_normal(shape), requires_grad=True)


def check(fn, *inputs):
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


@pytest.mark.parametrize("a,b", [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((2, 2, 3), (2, 3, 2)),
    ((2, 2, 3), (3, 2)), ((2, 3), (2, 3, 2)), ((3,), (2, 3, 2)), ((2, 2, 3), (3,)),
    ((2, 1, 2, 3), (2, 3, 2)), ((1, 2, 3), (2, 3, 2)),
], ids=str)
def test_matmul_gradients(a, b):
    check(torch.matmul, leaf(*a), leaf(*b))


@pytest.mark.parametrize("fn,shapes", [
    (torch.mm, [(2, 3), (3, 2)]), (torch.bmm, [(2, 2, 3), (2, 3, 2)]),
    (torch.mv, [(2, 3), (3,)]), (torch.dot, [(3,), (3,)]), (torch.outer, [(3,), (2,)]),
    (lambda c, a, b: torch.addmm(c, a, b, beta=0.5, alpha=2), [(2,), (2, 3), (3, 2)]),
    (lambda c, a, b: torch.baddbmm(c, a, b, alpha=-1), [(2, 1, 2), (2, 2, 3), (2, 3, 2)]),
    (lambda a, b: a.t() @ b[:, ::2], [(3, 2), (3, 4)]),
])
def test_product_gradients(fn, shapes):
    check(fn, *(leaf(*s) for s in shapes))


@pytest.mark.parametrize("equation,shapes", [
    ("ij,jk->ik", [(2, 3), (3, 2)]), ("ii->i", [(3, 3)]), ("ii", [(3, 3)]),
    ("i,j", [(2,), (3,)]), ("...ij,...jk", [(2, 2, 3), (3, 2)]), ("ij->", [(2, 3)]),
    ("ijk,ikl,ilm->ijm", [(2, 2, 3), (2, 3, 2), (2, 2, 2)]), ("iji->j", [(2, 3, 2)]),
    ("ij,k->ik", [(2, 3), (2,)]), ("ij,ij->ij", [(1, 3), (2, 3)]),
])
def test_einsum_gradients(equation, shapes):
    check(lambda *ops: torch.einsum(equation, *ops), *(leaf(*s) for s in shapes))


def test_known_values_and_names():
    a = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    v = torch.tensor([1., -1.], requires_grad=True)
    assert (a @ a).tolist() == [[7., 10.], [15., 22.]]
    assert (a @ v).tolist() == [-1., -1.] and (v @ a).tolist() == [-2., -2.]
    assert torch.einsum("ii", a).item() == 5.
    assert torch.einsum("ij->j", a).tolist() == [4., 6.]
    assert torch.outer(v, v).tolist() == [[1., -1.], [-1., 1.]]
    names = {"MmBackward0": a @ a, "MvBackward0": a @ v, "DotBackward0": v @ v,
             "SqueezeBackward4": v @ a, "UnsafeViewBackward0": a[None] @ a,
             "CloneBackward0": a @ a[None].expand(2, 2, 2), "BmmBackward0": torch.bmm(a[None], a[None]),
             "AddmmBackward0": torch.addmm(v, a, a), "MulBackward0": torch.outer(v, v),
             "ViewBackward0": torch.einsum("ij,jk", a, a), "PermuteBackward0": torch.einsum("ji", a),
             "SumBackward1": torch.einsum("ij->", a)}
    for name, out in names.items():
        assert out.grad_fn.name() == name


def test_batch_broadcast_gradient_sums_over_batch():
    a = torch.ones(3, 2, 2, dtype=torch.float64, requires_grad=True)
    b = torch.ones(2, 2, dtype=torch.float64, requires_grad=True)
    (a @ b).sum().backward()
    assert b.grad.tolist() == [[6., 6.], [6., 6.]]
    assert a.grad.shape == (3, 2, 2)


@pytest.mark.parametrize("fn,message", [
    (lambda: torch.mm(torch.ones(2, 3), torch.ones(4, 5)),
     "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"),
    (lambda: torch.matmul(torch.ones(5, 2, 3), torch.ones(4, 2)),
     "mat1 and mat2 shapes cannot be multiplied (10x3 and 4x2)"),
    (lambda: torch.matmul(torch.ones(2, 3), torch.ones(4)),
     "size mismatch, got input (2), mat (2x3), vec (4)"),
    (lambda: torch.bmm(torch.ones(2, 3), torch.ones(2, 3)), "batch1 must be a 3D tensor"),
    (lambda: torch.einsum("ij->ik", torch.ones(2, 3)),
     "einsum(): output subscript k does not appear in the equation for any input operand"),
])
def test_errors(fn, message):
    with pytest.raises(RuntimeError) as info:
        fn()
    assert str(info.value) == message


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3),
       st.lists(st.integers(1, 2), max_size=2), st.lists(st.integers(1, 2), max_size=2))
def test_matmul_matches_numpy(m, k, n, batch_a, batch_b):
    a = RNG.standard_normal(tuple(batch_a) + (m, k))
    b = RNG.standard_normal(tuple(batch_b) + (k, n))
    np.testing.assert_allclose((torch.tensor(a) @ torch.tensor(b)).numpy(), a @ b)
    np.testing.assert_allclose(torch.einsum("...ij,...jk", torch.tensor(a), torch.tensor(b))
                               .numpy(), a @ b)


# ---------------------------------------------------------------------------- kron, cross, ...
@pytest.mark.parametrize("fn,shapes", [
    (torch.kron, [(2, 3), (3, 2)]), (torch.kron, [(3,), (2, 2)]),
    (lambda a, b: torch.cross(a, b, dim=1), [(4, 3), (1, 3)]),
    (lambda a, b: torch.cross(a, b, 0), [(3, 2), (3, 2)]),
    (torch.tensordot, [(2, 3, 4), (3, 4, 2)]), (lambda a, b: torch.tensordot(a, b, 0), [(2,), (3,)]),
    (lambda a, b: torch.tensordot(a, b, ([1, 0], [0, 1])), [(2, 3, 4), (3, 2)]),
    (lambda a, b: torch.tensordot(a, b, ([0, 1], [1, 0])), [(2, 3), (3, 2)]),
    (lambda a, b: torch.tensordot(a, b, ([1], [0])), [(2, 3), (1, 4)]),
    (torch.inner, [(2, 3), (4, 3)]), (torch.inner, [(3,), (3,)]), (torch.inner, [(3,), ()]),
    (torch.cdist, [(3, 2), (4, 2)]), (torch.cdist, [(30, 2), (2, 4, 2)]),
    (lambda a, b: torch.cdist(a, b, 1), [(2, 3, 2), (4, 2)]),
    (lambda a, b: torch.cdist(a, b, 3.5), [(3, 2), (4, 2)]),
    (lambda a, b: torch.cdist(a, b, float("inf")), [(3, 2), (4, 2)]),
], ids=str)
def test_product_family_gradients(fn, shapes):
    check(fn, *[leaf(*s) for s in shapes])


def test_product_family_values():
    a, b = torch.tensor([[1, 2], [3, 4]]), torch.tensor([[0, 5], [6, 7]])
    assert torch.kron(a, b).tolist() == [[0, 5, 0, 10], [6, 7, 12, 14],
                                         [0, 15, 0, 20], [18, 21, 24, 28]]
    assert torch.kron(a, b).grad_fn is None
    x, y = torch.tensor([[1., 0, 0]]), torch.tensor([[0., 1, 0]])
    assert torch.cross(x, y, dim=1).tolist() == [[0, 0, 1]]
    assert torch.cross(y, x, -1).tolist() == [[0, 0, -1]]
    assert torch.tensordot(a, b, 1).tolist() == torch.mm(a, b).tolist()
    assert torch.tensordot(a, b).tolist() == 56
    assert torch.inner(a, b).tolist() == [[10, 20], [20, 46]]
    d = torch.cdist(torch.tensor([[0., 0], [1, 1]]), torch.tensor([[0., 0], [1, 0]]), p=1)
    assert d.tolist() == [[0, 1], [2, 1]] and d.grad_fn is None
    big = torch.tensor(RNG.standard_normal((30, 3)))
    np.testing.assert_allclose(torch.cdist(big, big[:4]).numpy(),
                               torch.cdist(big, big[:4], compute_mode="donot_use_mm_for_euclid_dist")
                               .numpy(), atol=1e-7)
    with pytest.raises(RuntimeError, match="inputs dimension 1 must have length 3. Got 2 and 2"):
        torch.cross(torch.zeros(3, 2), torch.zeros(3, 2), dim=1)
    with pytest.raises(RuntimeError, match="contracted dimensions need to match"):
        torch.tensordot(torch.zeros(2, 3), torch.zeros(4, 3), 1)
    with pytest.raises(RuntimeError, match="cdist only supports non-negative p values"):
        torch.cdist(torch.zeros(2, 3), torch.zeros(2, 3), -1)
