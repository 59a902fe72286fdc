"""Higher-order gradients, autograd.grad, autograd.functional, the Function API, hooks,
anomaly mode, saved-tensor hooks and gradcheck, with known values (no PyTorch needed)."""
import warnings

import numpy as np
import pytest

import chainrule as torch
from chainrule.autograd import Function, gradcheck, gradgradcheck
from chainrule.autograd import functional as F
from chainrule.autograd.function import once_differentiable


def leaf(values):
    return torch.tensor(values, dtype=torch.float64, requires_grad=True)


def close(t, expected):
    np.testing.assert_allclose(t.detach().numpy(), expected, rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------------ any order
def test_third_derivative_of_a_composition():
    x = leaf([0.5, 1.5])
    y = (x ** 3 * x.exp()).sum()  # f = x^3 e^x
    g, = torch.autograd.grad(y, x, create_graph=True)
    h, = torch.autograd.grad(g.sum(), x, create_graph=True)
    t, = torch.autograd.grad(h.sum(), x)
    v, e = np.array([0.5, 1.5]), np.exp([0.5, 1.5])
    close(g, (v ** 3 + 3 * v ** 2) * e)
    close(h, (v ** 3 + 6 * v ** 2 + 6 * v) * e)
    close(t, (v ** 3 + 9 * v ** 2 + 18 * v + 6) * e)
    assert g.grad_fn is not None and not t.requires_grad


def test_backward_create_graph_and_grad_of_grad():
    x = leaf([1.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch warns (once) about the x <-> x.grad cycle
        (x * x * x).sum().backward(create_graph=True)
    gx = x.grad
    assert gx.requires_grad and gx.grad_fn.name() == "CopyBackwards"
    x.grad = None
    gx.sum().backward()
    close(x.grad, [6.0, 12.0])


def test_gradient_penalty():
    w = leaf([0.5, -1.0])
    inp = leaf([[1.0, 2.0], [3.0, -1.0]])
    out = torch.tanh(inp.mm(w.reshape(2, 1))).sum()
    g, = torch.autograd.grad(out, inp, create_graph=True)
    penalty = (g.pow(2).sum(1) - 1).pow(2).mean()
    penalty.backward()
    assert w.grad is not None and inp.grad is not None

    def pen(w_, inp_):
        o = torch.tanh(inp_.mm(w_.reshape(2, 1))).sum()
        g_, = torch.autograd.grad(o, inp_, create_graph=True)
        return (g_.pow(2).sum(1) - 1).pow(2).mean()

    assert gradcheck(pen, (w.detach().requires_grad_(), inp.detach().requires_grad_()))


@pytest.mark.parametrize("fn", [
    lambda a, b: (a * b).exp().sum(1),
    lambda a, b: (a / (b * b + 1)).tanh(),
    lambda a, b: a.mm(b.t()).sigmoid(),
    lambda a, b: (a - b).pow(3).mean(0),
])
def test_gradgradcheck_compositions(fn):
    rng = np.random.default_rng(0)
    a = torch.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    b = torch.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    assert gradcheck(fn, (a, b))
    assert gradgradcheck(fn, (a, b))


# ------------------------------------------------------------------ autograd.grad
def test_grad_errors_and_options():
    a, b = leaf(1.0), leaf(2.0)
    with pytest.raises(RuntimeError, match="The differentiated Tensor at index 1 appears to not "
                                           "have been used in the graph"):
        torch.autograd.grad(a * 2, [a, b])
    ga, gb = torch.autograd.grad(a * 2, [a, b], allow_unused=True)
    assert ga.item() == 2.0 and gb is None
    ga, gb = torch.autograd.grad(a * 2, [a, b], materialize_grads=True)
    assert gb.item() == 0.0
    with pytest.raises(ValueError, match="Expected allow_unused to be True or not passed when "
                                         "materialize_grads=True"):
        torch.autograd.grad(a * 2, [a], materialize_grads=True, allow_unused=False)
    with pytest.raises(RuntimeError, match="`inputs` argument to `grad\\(\\)` cannot be empty."):
        torch.autograd.grad(a * 2, [])
    with pytest.raises(RuntimeError, match="One of the differentiated Tensors does not require "
                                           "grad"):
        torch.autograd.grad(a * 2, torch.ones(1))
    with pytest.raises(RuntimeError, match="got 2 tensors and 1 gradients"):
        torch.autograd.grad([a * 2, b * 2], [a], grad_outputs=[torch.tensor(1.)])
    assert a.grad is None and b.grad is None


def test_grad_of_non_leaf_and_retain_graph():
    x = leaf([1.0, 2.0])
    y = x * 3
    z = (y * y).sum()
    gy, = torch.autograd.grad(z, y, retain_graph=True)
    close(gy, [6.0, 12.0])
    gx, = torch.autograd.grad(z, x)
    close(gx, [18.0, 36.0])
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        torch.autograd.grad(z, x)


def test_grad_dict_inputs_and_batched():
    x = leaf([1.0, 2.0])
    out = torch.autograd.grad((x * x).sum(), {"x": x})
    close(out["x"], [2.0, 4.0])
    y = x * torch.tensor([1.0, 10.0], dtype=torch.float64)
    eye = torch.tensor([[1.0, 0.0], [0.0, 1.0]], dtype=torch.float64)
    jac, = torch.autograd.grad(y, x, eye, is_grads_batched=True)
    close(jac, [[1.0, 0.0], [0.0, 10.0]])


# ------------------------------------------------------------------ functional
def test_functional_shapes_and_values():
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    y = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    j = F.jacobian(lambda a: a ** 3, x)
    close(j, np.diag(3 * x.numpy() ** 2))
    jt = F.jacobian(lambda a, b: ((a * b).sum(), a.exp()), (x, y))
    assert len(jt) == 2 and len(jt[0]) == 2 and jt[0][0].shape == (3,)
    assert jt[1][1].shape == (3, 3)
    h = F.hessian(lambda a: (a ** 3).sum(), x)
    close(h, np.diag(6 * x.numpy()))
    ht = F.hessian(lambda a, b: (a * a * b).sum(), (x, y))
    close(ht[0][1], np.diag(2 * x.numpy()))
    out, v = F.vjp(lambda a: a ** 2, x, torch.ones(3, dtype=torch.float64))
    close(v, 2 * x.numpy())
    out, v = F.jvp(lambda a: a ** 2, x, torch.ones(3, dtype=torch.float64))
    close(v, 2 * x.numpy())
    out, v = F.hvp(lambda a: (a ** 3).sum(), x, torch.ones(3, dtype=torch.float64))
    close(out, 36.0)
    close(v, 6 * x.numpy())
    out, v = F.vhp(lambda a: (a ** 3).sum(), (x,), (torch.ones(3, dtype=torch.float64),))
    assert isinstance(v, tuple) and len(v) == 1
    with pytest.raises(RuntimeError, match="The vector v can only be None if the user-provided "
                                           "function returns a single Tensor with a single "
                                           "element."):
        F.vjp(lambda a: a ** 2, x)
    with pytest.raises(RuntimeError, match="Output 0 of the user-provided function is "
                                           "independent of input 1"):
        F.jacobian(lambda a, b: a * 2, (x, y), strict=True)
    with pytest.raises(TypeError, match="The inputs given to jacobian must be either a Tensor or "
                                        "a tuple of Tensors"):
        F.jacobian(lambda a: a, [x])


def test_functional_create_graph():
    x = leaf([1.0, 2.0])
    j = F.jacobian(lambda a: a ** 2, x, create_graph=True)
    assert j.requires_grad
    j.sum().backward()
    close(x.grad, [2.0, 2.0])


# ------------------------------------------------------------------ Function
class Exp(Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        return grad_output * result


class LinearFunction(Function):
    @staticmethod
    def forward(input, weight, bias):
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def setup_context(ctx, inputs, output):
        input, weight, bias = inputs
        ctx.save_for_backward(input, weight, bias)

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)
        return grad_input, grad_weight, grad_bias


class MulConstant(Function):
    @staticmethod
    def forward(ctx, tensor, constant):
        ctx.constant = constant
        return tensor * constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None


def test_documented_functions_double_backward():
    x = leaf([0.5, 1.0])
    y = Exp.apply(x)
    assert y.grad_fn.name() == "ExpBackward"
    assert repr(y.grad_fn).startswith("<torch.autograd.function.ExpBackward object at")
    assert gradcheck(Exp.apply, (x,)) and gradgradcheck(Exp.apply, (x,))
    rng = np.random.default_rng(1)
    args = (torch.tensor(rng.standard_normal((3, 2)), requires_grad=True),
            torch.tensor(rng.standard_normal((4, 2)), requires_grad=True),
            torch.tensor(rng.standard_normal(4), requires_grad=True))
    assert gradcheck(LinearFunction.apply, args) and gradgradcheck(LinearFunction.apply, args)
    out = LinearFunction.apply(args[0], args[1], None)
    assert len(out.grad_fn.next_functions) == 2  # edges only for Tensor arguments
    y = MulConstant.apply(x, 5.5)
    assert len(y.grad_fn.next_functions) == 1
    assert y.grad_fn.needs_input_grad == (True, False)
    y.sum().backward()
    close(x.grad, [5.5, 5.5])
    close(MulConstant.apply(x, constant=2.0), [1.0, 2.0])


def test_function_errors():
    class Bad(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return g, g

    with pytest.raises(RuntimeError, match="function BadBackward returned an incorrect number of "
                                           "gradients \\(expected 1, got 2\\)"):
        Bad.apply(leaf([1.0])).sum().backward()


def test_function_mark_dirty_non_differentiable_materialize():
    class Dirty(Function):
        @staticmethod
        def forward(ctx, a):
            a.mul_(2)
            ctx.mark_dirty(a)
            return a

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = leaf([1.0, 2.0])
    z = x * 1
    r = Dirty.apply(z)
    assert r is z and r.grad_fn.name() == "DirtyBackward"
    r.sum().backward()
    close(x.grad, [2.0, 2.0])
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad has been used in "
                                           "an in-place operation."):
        Dirty.apply(x)

    seen = []

    class Two(Function):
        @staticmethod
        def forward(ctx, a, materialize):
            ctx.set_materialize_grads(materialize)
            out2 = a * 3
            ctx.mark_non_differentiable(out2)
            return a * 2, out2

        @staticmethod
        def backward(ctx, g1, g2):
            seen.append(g2)
            return g1 * 2, None

    p, q = Two.apply(x, True)
    assert p.requires_grad and not q.requires_grad
    p.sum().backward()
    p, q = Two.apply(x, False)
    p.sum().backward()
    assert seen[0].tolist() == [0.0, 0.0] and seen[1] is None


def test_function_returning_input_makes_an_alias():
    class Ident(Function):
        @staticmethod
        def forward(ctx, a):
            return a

        @staticmethod
        def backward(ctx, g):
            return g

    x = leaf([1.0])
    y = Ident.apply(x)
    assert y is not x and x.is_leaf and y.grad_fn.name() == "IdentBackward"


def test_saved_tensor_version_check_in_function():
    class Save(Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a * 2

        @staticmethod
        def backward(ctx, g):
            a, = ctx.saved_tensors
            return g * a

    z = leaf([1.0, 2.0]) * 1
    y = Save.apply(z)
    z.add_(1)
    with pytest.raises(RuntimeError, match="which is output 0 of Add, is at version 1; expected "
                                           "version 0 instead"):
        y.sum().backward()


def test_once_differentiable():
    class Sq(Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a ** 2

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            a, = ctx.saved_tensors
            return 2 * a * g

    x = leaf([1.0, 2.0])
    g, = torch.autograd.grad(Sq.apply(x).sum(), x, create_graph=True)
    close(g, [2.0, 4.0])
    v = leaf([1.0, 1.0])
    g, = torch.autograd.grad(Sq.apply(x), x, v, create_graph=True)
    assert g.requires_grad
    with pytest.raises(RuntimeError, match="trying to differentiate twice a function that was "
                                           "marked with @once_differentiable"):
        g.sum().backward()


# ------------------------------------------------------------------ hooks
def test_hook_order_and_replacement():
    log = []
    x = leaf([1.0, 2.0])
    x.register_hook(lambda g: log.append(("x", g.tolist())))
    x.register_post_accumulate_grad_hook(lambda t: log.append(("post", t.grad.tolist())))
    y = x * 2
    y.register_hook(lambda g: g * 10)
    y.retain_grad()
    y.register_hook(lambda g: log.append(("y", g.tolist())))
    y.grad_fn.register_prehook(lambda go: log.append(("pre", go[0].tolist())))
    y.grad_fn.register_hook(lambda gi, go: log.append(("node", gi[0].tolist(), len(gi))))
    y.sum().backward()
    assert log == [("y", [10.0, 10.0]), ("pre", [10.0, 10.0]), ("node", [20.0, 20.0], 2),
                   ("x", [20.0, 20.0]), ("post", [20.0, 20.0])]
    assert y.grad.tolist() == [10.0, 10.0]


def test_leaf_hooks_run_in_grad_and_remove():
    x = leaf([1.0, 2.0])
    h = x.register_hook(lambda g: g * 100)
    g, = torch.autograd.grad((x * 1).sum(), x)
    assert g.tolist() == [100.0, 100.0] and x.grad is None
    h.remove()
    (x * 1).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't "
                                           "require gradient"):
        torch.ones(1).register_hook(lambda g: g)


def test_accumulate_grad_runs_after_its_last_consumer():
    order = []
    a, b, c = leaf(1.0), leaf(2.0), leaf(3.0)
    for n, t in zip("abc", (a, b, c)):
        t.register_hook(lambda g, n=n: order.append(n))
    y = a * b
    y.register_hook(lambda g: order.append("y"))
    z = y * c
    z.register_hook(lambda g: order.append("z"))
    w = z + a.exp()
    (w * b).sum().backward()
    assert order == ["z", "c", "y", "a", "b"]  # PyTorch's order


def test_hooks_with_create_graph():
    x = leaf([1.0, 2.0])
    y = x ** 2
    y.register_hook(lambda g: g * 2)
    gx, = torch.autograd.grad(y.sum(), x, create_graph=True)
    close(gx, [4.0, 8.0])
    gg, = torch.autograd.grad(gx.sum(), x)
    close(gg, [4.0, 4.0])


# ------------------------------------------------------------------ anomaly mode
def test_detect_anomaly_reports_nan():
    x = leaf([0.0, 1.0])
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        ctx = torch.autograd.detect_anomaly()
    with ctx, np.errstate(all="ignore"):
        y = torch.sqrt(x) * 0
        with pytest.warns(UserWarning, match="Error detected in SqrtBackward0. Traceback of "
                                             "forward call that caused the error"):
            with pytest.raises(RuntimeError, match="Function 'SqrtBackward0' returned nan values "
                                                   "in its 0th output."):
                y.sum().backward()
    assert not torch.autograd.anomaly_mode.is_anomaly_enabled()
    with torch.autograd.set_detect_anomaly(True):
        assert torch.autograd.anomaly_mode.is_anomaly_enabled()
    assert not torch.autograd.anomaly_mode.is_anomaly_enabled()


# ------------------------------------------------------------------ saved tensors hooks
def test_saved_tensors_hooks_pack_and_unpack():
    log = []

    def pack(t):
        log.append("pack")
        return ("packed", t)

    def unpack(p):
        log.append("unpack")
        return p[1]

    x = leaf([1.0, 2.0])
    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = (x * x).exp()
    assert log == ["pack", "pack", "pack"]
    y.sum().backward()
    assert log[3:] == ["unpack"] * 3
    close(x.grad, 2 * np.array([1.0, 2.0]) * np.exp([1.0, 4.0]))
    x.grad = None
    with torch.autograd.graph.saved_tensors_hooks(lambda t: t * 0 + 7, lambda t: t):
        y = x * x
    y.sum().backward()
    close(x.grad, [14.0, 14.0])  # backward used what unpack returned


def test_saved_tensors_hooks_double_backward():
    x = leaf([1.0, 2.0])
    with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        y = (x * x * x).sum()
    g, = torch.autograd.grad(y, x, create_graph=True)
    h, = torch.autograd.grad(g.sum(), x)
    close(h, [6.0, 12.0])


# ------------------------------------------------------------------ gradcheck
def test_gradcheck_reports_mismatch():
    class Wrong(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return g * 3

    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="Jacobian mismatch for output 0 with respect to input "
                                           "0,\nnumerical:tensor\\(\\[\\[2.0000, 0.0000\\]"):
        gradcheck(Wrong.apply, (x,))
    assert gradcheck(Wrong.apply, (x,), raise_exception=False) is False
    with pytest.raises(ValueError, match="none of them have requires_grad=True"):
        gradcheck(Wrong.apply, (x.detach(),))
    m = leaf([[1.0, 2.0], [3.0, 4.0]])
    assert gradcheck(lambda a: (a * a).sum(0), (m.t(),))  # non-contiguous input
