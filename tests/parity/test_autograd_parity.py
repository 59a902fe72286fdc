"""Autograd behaviour against real PyTorch: each scenario runs once with chainrule and once with
torch and must record the same values, printed tensors, node names and error messages."""
import warnings

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")

SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


class Log(list):
    """What a scenario saw: printed values and (type, message) of errors."""

    def out(self, *values):
        self.append(" ".join(v if isinstance(v, str) else repr(v) for v in values))

    def attempt(self, fn):
        try:
            self.out(fn())
        except Exception as e:  # noqa: BLE001 - the exception is the observation
            self.append((type(e).__name__, str(e)))


def run(fn, m):
    log = Log()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            fn(m, log)
    return log


# ------------------------------------------------------------------ scenarios
@scenario
def leaves_and_names(m, log):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = y.mean()
    log.out(x, y, z, x.is_leaf, y.is_leaf, x.grad_fn, y.grad_fn.name(), z.grad_fn.name())
    log.out([type(f).__name__ for f, _ in y.grad_fn.next_functions])
    log.attempt(lambda: y.requires_grad_(False))
    log.attempt(lambda: m.tensor([1, 2]).requires_grad_())
    log.attempt(lambda: m.tensor(1.0).backward())


@scenario
def backward_arguments(m, log):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x ** 2
    log.attempt(lambda: y.backward())
    log.attempt(lambda: y.backward(m.ones(3)))
    y.backward(m.tensor([0.1, 0.01]), retain_graph=True)
    log.out(x.grad)
    y.backward(m.tensor([1.0, 1.0]))
    log.out(x.grad)
    log.attempt(lambda: y.backward(m.tensor([1.0, 1.0])))
    w = x + 1
    w.sum().backward()
    w.sum().backward()
    log.out(x.grad)
    a, b = m.tensor(1.0, requires_grad=True), m.tensor(2.0, requires_grad=True)
    log.attempt(lambda: m.autograd.backward([a * 2, b * 3], [m.tensor(1.0)]))
    log.attempt(lambda: (a * b).backward(inputs=[]))
    log.attempt(lambda: (a * b).backward(inputs=[m.tensor(1.0)]))
    (a * b).backward(inputs=[a])
    log.out(a.grad, b.grad)


@scenario
def autograd_grad_errors(m, log):
    a, b = m.tensor(1.0, requires_grad=True), m.tensor(2.0, requires_grad=True)
    for kwargs in ({}, {"allow_unused": True}, {"materialize_grads": True},
                   {"materialize_grads": True, "allow_unused": False}):
        log.attempt(lambda: m.autograd.grad(a * 2, [a, b], **kwargs))
    log.attempt(lambda: m.autograd.grad(a * 2, []))
    log.attempt(lambda: m.autograd.grad([a * 2, b * 2], [a]))
    log.attempt(lambda: m.autograd.grad(a * 2, a, grad_outputs=[1.0]))
    log.attempt(lambda: m.autograd.grad(m.ones(2) * a, a))
    log.attempt(lambda: m.autograd.grad(a * 2, m.tensor([1.0])))
    e = a * 2
    log.attempt(lambda: m.autograd.grad(e, a))
    log.attempt(lambda: m.autograd.grad(e, a))


@scenario
def non_leaf_grad_and_retain(m, log):
    x = m.tensor(2.0, requires_grad=True)
    y = m.pow(x, 2)
    z = m.add(y, 3)
    z.backward()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        log.out(x.grad, y.grad)
    log.out([(c.category.__name__, str(c.message).split(" (Triggered internally")[0]) for c in w])
    b = x.exp()
    b.retain_grad()
    (b * 2).backward()
    log.out(b.grad, b.retains_grad, x.retains_grad)


@scenario
def detach_and_data(m, log):
    x = m.ones(3, requires_grad=True)
    y = x.exp()
    y.detach().add_(1)
    log.attempt(lambda: y.sum().backward())
    x = m.ones(3, requires_grad=True)
    y = x.exp()
    y.data.add_(1)
    y.sum().backward()
    log.out(x.grad, y.data.requires_grad, y.detach().is_leaf)
    z = x * 1
    w = z * z
    z.mul_(2)
    log.attempt(lambda: w.sum().backward())


@scenario
def higher_order(m, log):
    x = m.tensor([0.5, 1.5], requires_grad=True, dtype=m.float64)
    y = (m.tanh(x) * m.exp(x) / (1 + x * x)).sum()
    g, = m.autograd.grad(y, x, create_graph=True)
    h, = m.autograd.grad(g.sum(), x, create_graph=True)
    t, = m.autograd.grad(h.sum(), x)
    log.out(g, h, t)
    x = m.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward(create_graph=True)
    log.out(x.grad)
    (x * x).sum().backward(create_graph=True)
    log.out(x.grad)
    y = x * 3
    y.retain_grad()
    (y * y).sum().backward(create_graph=True)
    log.out(y.grad)


@scenario
def hooks(m, log):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: log.out("x-hook", g))
    x.register_post_accumulate_grad_hook(lambda t: log.out("x-post", t.grad))
    y = x * 2
    y.register_hook(lambda g: g * 10)
    y.retain_grad()
    y.register_hook(lambda g: log.out("y-hook", g))
    y.grad_fn.register_prehook(lambda go: log.out("pre", list(go)))
    y.grad_fn.register_hook(lambda gi, go: log.out("post", list(gi), list(go)))
    acc = y.grad_fn.next_functions[0][0]
    acc.register_prehook(lambda go: log.out("acc-pre", list(go)))
    acc.register_hook(lambda gi, go: log.out("acc-post", gi, list(go)))
    y.sum().backward()
    log.out(y.grad, x.grad)
    log.out(m.autograd.grad((x * 3).sum(), x), x.grad)
    h = x.register_hook(lambda g: g * 0)
    h.remove()
    log.attempt(lambda: m.ones(2).register_hook(lambda g: g))
    log.attempt(lambda: (x * 2).register_post_accumulate_grad_hook(lambda t: None))
    a, b, c = (m.tensor(v, requires_grad=True) for v in (1.0, 2.0, 3.0))
    for n, t in zip("abc", (a, b, c)):
        t.register_hook(lambda g, n=n: log.out("leaf", n))
    p = a * b
    p.register_hook(lambda g: log.out("p"))
    q = p * c + a.exp()
    q.register_hook(lambda g: log.out("q"))
    (q * b).backward()


@scenario
def functions(m, log):
    class Exp(m.autograd.Function):
        @staticmethod
        def forward(ctx, i):
            result = i.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            result, = ctx.saved_tensors
            return grad_output * result

    class MulConstant(m.autograd.Function):
        @staticmethod
        def forward(ctx, tensor, constant):
            ctx.constant = constant
            return tensor * constant

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * ctx.constant, None

    class Bad(m.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g

    x = m.tensor([0.5, 1.0], requires_grad=True, dtype=m.float64)
    y = Exp.apply(x)
    log.out(y, y.grad_fn.name(), len(y.grad_fn.next_functions))
    g, = m.autograd.grad(y.sum(), x, create_graph=True)
    log.out(g, m.autograd.grad(g.sum(), x))
    y = MulConstant.apply(x, 5.5)
    log.out(y, y.grad_fn.needs_input_grad, MulConstant.apply(x, constant=2.0))
    log.attempt(lambda: Bad.apply(x, x).sum().backward())
    log.attempt(lambda: m.autograd.gradcheck(Bad.apply, (x.detach(), x.detach())))


@scenario
def functional(m, log):
    F = m.autograd.functional
    x = m.tensor([1.0, 2.0, 3.0], dtype=m.float64)
    y = m.tensor([0.5, -1.0, 2.0], dtype=m.float64)
    v = m.ones(3, dtype=m.float64)
    log.out(F.jacobian(lambda a: a ** 3 * 2, x))
    log.out(F.jacobian(lambda a, b: ((a * b).sum(), a.exp()), (x, y)))
    log.out(F.hessian(lambda a, b: (a ** 2 * b).sum() + b.sum() ** 2, (x, y)))
    log.out(F.vjp(lambda a: a ** 2, x, v), F.jvp(lambda a: a.exp(), (x,), (v,)))
    log.out(F.hvp(lambda a: (a ** 3).sum(), x, v), F.vhp(lambda a: (a ** 3).sum(), x, v))
    log.attempt(lambda: F.vjp(lambda a: a * 2, x))
    log.attempt(lambda: F.hessian(lambda a: (a * 2).sum(), x, strict=True))
    log.attempt(lambda: F.vjp(lambda a: a * 2, x, m.ones(2)))


@scenario
def saved_tensor_hooks_and_anomaly(m, log):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    with m.autograd.graph.saved_tensors_hooks(lambda t: log.out("pack", t) or t,
                                              lambda t: log.out("unpack", t) or t):
        y = (x * x).exp()
    y.sum().backward()
    log.out(x.grad)
    x = m.tensor([0.0, 1.0], requires_grad=True)
    with m.autograd.detect_anomaly():
        y = m.sqrt(x) * 0
        log.attempt(lambda: y.sum().backward())


@pytest.mark.parametrize("fn", SCENARIOS, ids=lambda f: f.__name__)
def test_matches_pytorch(fn):
    ours, theirs = run(fn, chainrule), run(fn, torch)
    assert len(ours) == len(theirs), (ours, theirs)
    for a, b in zip(ours, theirs):
        assert a == b
