"""Review follow-ups that need no PyTorch: backward twice, once_differentiable's Error node,
clamp/relu and -0.0, Python ints out of an integer dtype's range."""
import numpy as np
import pytest

import chainrule as cr
from chainrule.autograd.function import once_differentiable

_TWICE = "Trying to backward through the graph a second time"


@pytest.mark.parametrize("fn, ok", [
    (lambda x: x + 1, True), (lambda x: x.sum(), True), (lambda x: x - 2, True),
    (lambda x: x.view(-1), True), (lambda x: x[0], True), (lambda x: x.t(), True),
    (lambda x: x * 2.0, False),      # MulBackward0 saves the wrapped number as a tensor
    (lambda x: x.pow(2), False),     # PowBackward0 saves self
    (lambda x: x.exp(), False),      # saves the result
    (lambda x: x[cr.tensor([0, 1])], False),  # saves the index
    (lambda x: x.gather(0, cr.tensor([[0, 1]])), False),
])
def test_backward_twice_raises_only_for_nodes_that_saved_tensors(fn, ok):
    x = cr.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    y = fn(x)
    y.sum().backward()
    if ok:
        y.sum().backward()
        assert x.grad is not None
    else:
        with pytest.raises(RuntimeError, match=_TWICE):
            y.sum().backward()


def test_once_differentiable_result_is_an_error_node():
    class Square(cr.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 2

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 2 * x * g

    x = cr.tensor([1., 2.], requires_grad=True)
    v = cr.tensor([1., 1.], requires_grad=True)
    g, = cr.autograd.grad(Square.apply(x), x, v, create_graph=True)
    assert repr(g) == "tensor([2., 4.], grad_fn=<Error>)"
    assert g.grad_fn.name() == "torch::autograd::Error"
    assert type(g.grad_fn).__name__ == "Error"
    # its input is a detached alias of the result, as PyTorch's DelayedError: v is not reached
    (leaf, _), = g.grad_fn.next_functions
    assert type(leaf).__name__ == "AccumulateGrad" and leaf.variable is not v
    with pytest.raises(RuntimeError, match="^trying to differentiate twice a function that was "
                                           "marked with @once_differentiable$"):
        g.sum().backward()
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        cr.autograd.grad(g.sum(), v)


@pytest.mark.parametrize("dtype", [cr.float32, cr.float64, cr.float16])
def test_clamp_and_relu_keep_negative_zero(dtype):
    t = cr.tensor([-0.0, 0.0, -1.0, float("nan"), 2.0, float("-inf")], dtype=dtype)
    for r in (t.clamp(min=0), t.clamp_min(0), t.relu(), t.clamp(min=0, max=1),
              t.clamp(min=cr.tensor(0., dtype=dtype)), cr.nn.functional.relu(t)):
        a = r.numpy()
        assert r.dtype == dtype
        assert np.signbit(a).tolist() == [True, False, False, False, False, False]
        np.testing.assert_array_equal(a, [0., 0., 0., np.nan, min(2., a[4]), 0.])
    r = t.clamp(max=0).numpy()
    assert np.signbit(r).tolist() == [True, False, True, False, False, True]
    r = t.clamp(min=-0.0).numpy()  # the bound's -0.0 where the input is below it
    assert np.signbit(r).tolist() == [True, False, True, False, False, True]
    r = t.clone().clamp_(min=0).numpy()
    assert np.signbit(r).tolist()[:3] == [True, False, False]


def test_clamp_gradients_unchanged():
    x = cr.tensor([-1.0, -0.0, 0.5, 2.0], requires_grad=True)
    x.clamp(min=0, max=1).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0., 1., 1., 0.])
    i = cr.tensor([-3, 0, 4])
    assert i.clamp(min=0).tolist() == [0, 0, 4] and i.clamp(min=0).dtype == cr.int64
    assert i.relu().tolist() == [0, 0, 4]


@pytest.mark.parametrize("expr, dtype, values", [
    ("u8 * -1", cr.uint8, [255, 249]), ("-1 * u8", cr.uint8, [255, 249]),
    ("u8 + 256", cr.uint8, [1, 7]), ("u8 + 300", cr.uint8, [45, 51]),
    ("u8 - -1", cr.uint8, [2, 8]), ("300 - u8", cr.uint8, [43, 37]),
    ("u8 == 257", cr.bool, [True, False]), ("u8 >= -1", cr.bool, [False, False]),
    ("u8 // -1", cr.uint8, [0, 0]), ("u8 ^ -1", cr.uint8, [254, 248]),
    ("u8.add(-1, alpha=2)", cr.uint8, [255, 5]), ("u8.clone().add_(-1)", cr.uint8, [0, 6]),
    ("i8 + 200", cr.int8, [-55, -59]), ("i64 + 2**63", cr.int64, [-2**63 + 1]),
    ("u8 * -1.5", cr.float32, [-1.5, -10.5]), ("b * -1", cr.int64, [-1, 0]),
])
def test_python_ints_wrap_to_the_tensor_dtype(expr, dtype, values):
    env = {"u8": cr.tensor([1, 7], dtype=cr.uint8), "i8": cr.tensor([1, -3], dtype=cr.int8),
           "i64": cr.tensor([1]), "b": cr.tensor([True, False])}
    r = eval(expr, env)
    assert r.dtype == dtype and r.tolist() == values


def test_python_ints_beyond_64_bits_raise():
    with pytest.raises(OverflowError, match="^int too big to convert$"):
        cr.tensor([1], dtype=cr.uint8) * 2**70
    with pytest.raises(OverflowError, match="^can't convert negative int to unsigned$"):
        cr.tensor([1]) + (-2**63 - 1)


def test_add_alpha_keeps_the_input_dtype():
    x = cr.ones(2)
    assert x.add(2.5, alpha=0.1).dtype == cr.float32
    np.testing.assert_allclose(x.add(2.5, alpha=0.1).numpy(), [1.25, 1.25], rtol=1e-6)
    assert x.sub(2, alpha=3).dtype == cr.float32
