"""Autograd semantics with known values (no PyTorch needed): requires_grad, leaves, backward's
arguments and errors, .grad, retain_grad, detach/.data, grad modes, control flow, Variable."""
import threading
import warnings

import numpy as np
import pytest

import chainrule as torch
from chainrule.autograd import Variable
from chainrule.autograd.graph import AccumulateGrad


def leaf(values, dtype=torch.float64):
    return torch.tensor(values, dtype=dtype, requires_grad=True)


# ------------------------------------------------------------------ requires_grad and leaves
def test_requires_grad_propagates_and_leaf_rules():
    x = leaf([1.0, 2.0])
    c = torch.tensor([3.0, 4.0], dtype=torch.float64)
    y = x * c
    assert y.requires_grad and not y.is_leaf and y.grad_fn.name() == "MulBackward0"
    assert x.is_leaf and x.grad_fn is None
    z = c * 2
    assert not z.requires_grad and z.is_leaf and z.grad_fn is None


def test_requires_grad_only_on_leaves():
    x = leaf([1.0])
    y = x * 2
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf "
                                           "variables. If you want to use a computed variable"):
        y.requires_grad_(False)
    assert y.requires_grad_(True) is y


def test_only_floating_point_can_require_grad():
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require "
                                           "gradients"):
        torch.tensor([1, 2]).requires_grad_()


def test_next_functions_and_accumulate_grad_identity():
    x = leaf([1.0, 2.0])
    y = x * 2
    z = x + 1
    (acc, nr), (none, _) = y.grad_fn.next_functions
    assert type(acc) is AccumulateGrad and acc.name() == "torch::autograd::AccumulateGrad" and nr == 0
    assert acc.variable is x and none is None
    assert z.grad_fn.next_functions[0][0] is acc  # one AccumulateGrad per leaf while it lives
    w = y * z
    assert [f for f, _ in w.grad_fn.next_functions] == [y.grad_fn, z.grad_fn]
    assert repr(acc).startswith("<AccumulateGrad object at 0x")
    assert repr(y.grad_fn).startswith("<MulBackward0 object at 0x")
    assert y.grad_fn.metadata == {}
    y.grad_fn.metadata["k"] = 1
    assert y.grad_fn.metadata == {"k": 1}


# ------------------------------------------------------------------ backward
def test_backward_scalar_and_accumulation():
    x = torch.tensor(2.0, requires_grad=True)
    z = torch.add(torch.pow(x, 2), 3)
    z.backward()
    assert x.grad.item() == 4.0
    torch.add(torch.pow(x, 2), 3).backward()
    assert x.grad.item() == 8.0  # .grad accumulates


def test_implicit_gradient_only_for_scalars():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="^grad can be implicitly created only for scalar "
                                           "outputs$"):
        (x ** 2).backward()


def test_gradient_weights_and_shape_check():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x ** 2
    with pytest.raises(RuntimeError, match=r"Mismatch in shape: grad_output\[0\] has a shape of "
                                           r"torch.Size\(\[3\]\) and output\[0\] has a shape of "
                                           r"torch.Size\(\[2\]\)."):
        y.backward(torch.ones(3))
    y.backward(gradient=torch.tensor([0.1, 0.01]))
    np.testing.assert_allclose(x.grad.numpy(), [0.2, 0.04], rtol=1e-6)


def test_backward_through_freed_graph():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()
    z = (x + 1).sum()  # nothing saved: a second backward is fine, as in PyTorch
    z.backward()
    z.backward()


def test_backward_errors():
    with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad and does "
                                           "not have a grad_fn"):
        torch.tensor(1.0).backward()
    x = leaf([1.0])
    with pytest.raises(TypeError, match="gradients can be either Tensors or None, but got float"):
        torch.autograd.backward([x * 2], [1.0])
    with pytest.raises(RuntimeError, match="got 2 tensors and 1 gradients"):
        torch.autograd.backward([x * 2, x * 3], [torch.ones(1, dtype=torch.float64)])
    with pytest.raises(RuntimeError, match="`inputs` argument to `backward\\(\\)` cannot be "
                                           "empty."):
        (x * 2).sum().backward(inputs=[])


def test_backward_inputs_restricts_accumulation():
    a = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(2.0, requires_grad=True)
    (a * b).backward(inputs=[a])
    assert a.grad.item() == 2.0 and b.grad is None
    (a * b).backward(inputs=b)
    assert b.grad.item() == 1.0


def test_backward_inputs_prunes_unrelated_nodes():
    a = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(2.0, requires_grad=True)
    calls = []
    ea = a.exp()
    eb = b.exp()
    eb.grad_fn.register_prehook(lambda g: calls.append("b"))
    ea.grad_fn.register_prehook(lambda g: calls.append("a"))
    torch.autograd.grad(ea * eb, a)
    assert calls == ["a"]


def test_autograd_backward_function_with_grad_tensors():
    x = leaf([1.0, 2.0])
    torch.autograd.backward([x * 2, (x * 3).sum()],
                            [torch.tensor([1.0, 10.0], dtype=torch.float64), None])
    assert x.grad.tolist() == [5.0, 23.0]


# ------------------------------------------------------------------ .grad of non-leaves
def test_non_leaf_grad_warns_and_is_none():
    x = torch.tensor(2.0, requires_grad=True)
    y = x ** 2
    y.backward()
    with pytest.warns(UserWarning, match="The .grad attribute of a Tensor that is not a leaf "
                                         "Tensor is being accessed"):
        assert y.grad is None


def test_retain_grad():
    x = torch.tensor(3.0, requires_grad=True)
    b = x.exp()
    b.retain_grad()
    assert b.retains_grad and not x.retains_grad
    (b * 2).backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert b.grad.item() == 2.0
    assert abs(x.grad.item() - 2 * np.exp(3.0)) < 1e-4
    with pytest.raises(RuntimeError, match="can't retain_grad on Tensor that has "
                                           "requires_grad=False"):
        torch.ones(1).retain_grad()


# ------------------------------------------------------------------ detach and .data
def test_detach_shares_storage_and_version():
    x = leaf([1.0, 2.0, 3.0])
    y = x.exp()
    d = y.detach()
    assert not d.requires_grad and d.is_leaf and d.grad_fn is None
    d[0] = 5.0
    assert y[0].item() == 5.0  # shared storage
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()  # detach() shares the version counter: the change is caught


def test_data_bypasses_version_check():
    x = leaf([1.0, 2.0, 3.0])
    y = x.exp()
    y.data.add_(1)
    assert not y.data.requires_grad
    y.sum().backward()  # not detected: .data is outside autograd
    np.testing.assert_allclose(x.grad.numpy(), np.exp([1.0, 2.0, 3.0]) + 1)


def test_detach_in_place():
    x = leaf([1.0])
    y = x * 2
    assert y.detach_() is y and y.is_leaf and not y.requires_grad


def test_detach_stops_gradient():
    x = torch.arange(4.0, requires_grad=True)
    y = x * x
    u = y.detach()
    (u * x).backward(torch.ones_like(x))
    assert x.grad.tolist() == u.tolist()


# ------------------------------------------------------------------ grad modes
def test_no_grad_enable_grad_set_grad_enabled():
    x = leaf([1.0])
    assert torch.is_grad_enabled()
    with torch.no_grad():
        assert not torch.is_grad_enabled() and not (x * 2).requires_grad
        with torch.enable_grad():
            assert (x * 2).requires_grad
    with torch.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert torch.is_grad_enabled()
    torch.set_grad_enabled(False)
    try:
        assert not torch.is_grad_enabled()
    finally:
        torch.set_grad_enabled(True)


def test_grad_modes_as_decorators():
    x = leaf([1.0])

    @torch.no_grad()
    def f(t):
        return t * 2

    @torch.enable_grad()
    def g(t):
        return t * 2

    assert not f(x).requires_grad
    with torch.no_grad():
        assert g(x).requires_grad


def test_grad_mode_is_thread_local():
    seen = {}

    def worker():
        seen["enabled"] = torch.is_grad_enabled()
        seen["req"] = (leaf([1.0]) * 2).requires_grad

    with torch.no_grad():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
    assert seen == {"enabled": True, "req": True}


def test_inference_mode():
    x = leaf([1.0])
    with torch.inference_mode():
        assert torch.is_inference_mode_enabled() and not torch.is_grad_enabled()
        assert not (x * 2).requires_grad
    with torch.inference_mode(False):
        assert (x * 2).requires_grad
    assert not torch.is_inference_mode_enabled()


# ------------------------------------------------------------------ control flow
def test_graph_through_loops_and_branches():
    def f(a):
        b = a * 2
        while b.norm() < 1000:
            b = b * 2
        c = b if b.sum() > 0 else 100 * b
        return c

    a = torch.tensor(-1.0, requires_grad=True)
    d = f(a)
    d.backward()
    assert a.grad.item() == 102400.0
    assert (a.grad == d / a).item()


# ------------------------------------------------------------------ Variable
def test_variable_returns_tensor():
    t = torch.ones(2)
    v = Variable(t, requires_grad=True)
    # a new leaf sharing t's data and version counter (PyTorch detaches): t is left alone
    assert v is not t and type(v) is torch.Tensor and v.requires_grad and not t.requires_grad
    with torch.no_grad():
        v.add_(1)
    assert t.tolist() == [2., 2.] and t._version == v._version == 1
    assert isinstance(v, Variable)
    assert not Variable(torch.ones(2)).requires_grad
    y = torch.ones(2, requires_grad=True) * 2
    assert Variable(y).grad_fn is None and not Variable(y).requires_grad
    with pytest.warns(UserWarning, match="volatile was removed and now has no effect. Use `with "
                                         "torch.no_grad\\(\\):` instead."):
        Variable(torch.ones(2), volatile=True)


def test_variable_mm_backward():
    a = Variable(torch.Tensor([[2, 3], [1, 2]]), requires_grad=True)
    w = Variable(torch.ones(2, 2), requires_grad=True)
    out = torch.mm(a, w)
    out.backward(torch.FloatTensor([[1, 1], [1, 1]]))
    assert w.grad.tolist() == [[3, 3], [5, 5]] and a.grad.tolist() == [[2, 2], [2, 2]]


def test_view_made_under_no_grad_requires_grad_but_collects_nothing():
    x = torch.ones(2, 3, requires_grad=True)
    with torch.no_grad():
        v = x[0]
    assert v.requires_grad and v.is_leaf and v.grad_fn is None
    y = (v * 2).sum()
    assert y.grad_fn.next_functions[0][0].next_functions == ((None, 0), (None, 0))
    y.backward()
    assert v.grad is None and x.grad is None
    with pytest.raises(RuntimeError, match="^A view was created in no_grad mode"):
        v.add_(1)
    with torch.no_grad():
        v.add_(1)   # allowed without recording
    assert x.tolist() == [[2.0] * 3, [1.0] * 3]
    d = x.detach()
    with torch.no_grad():
        assert not d[0].requires_grad   # the base does not require grad


def test_backward_checks_gradient_types_before_their_count():
    y = torch.ones(2, requires_grad=True) * 2
    with pytest.raises(TypeError, match="^gradients can be either Tensors or None, but got "
                                        "float$"):
        y.backward(gradient=[1., 1.])
    with pytest.raises(RuntimeError, match="^got 1 tensors and 2 gradients$"):
        y.backward(gradient=[torch.ones(2), torch.ones(2)])


def test_float_of_a_tensor_that_requires_grad_warns_once(monkeypatch):
    from chainrule import _tensor
    monkeypatch.setattr(_tensor, "_warned_float", False)
    x = torch.tensor(1.5, requires_grad=True)
    with pytest.warns(UserWarning, match="^Converting a tensor with requires_grad=True to a "
                                         "scalar may lead to unexpected behavior"):
        assert float(x * 2) == 3.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(x) == 1.5 and int(x) == 1 and x.item() == 1.5
