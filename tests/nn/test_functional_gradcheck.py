"""float64 gradcheck (and gradgradcheck, through create_graph) of every nn primitive and
composite, without PyTorch."""
import numpy as np
import pytest

import chainrule
import chainrule.nn.functional as F
from chainrule.autograd import gradcheck, gradgradcheck

RNG = np.random.default_rng(7)


def t(*shape, scale=1.0, shift=0.0):
    return chainrule.tensor(RNG.standard_normal(shape) * scale + shift, dtype=chainrule.float64,
                            requires_grad=True)


def idx(high, *shape):
    return chainrule.tensor(RNG.integers(0, high, shape))


def away_from(x, points, gap=0.05):
    """Nudge values away from the kinks of piecewise functions (finite differences)."""
    a = x.detach().numpy()
    for p in points:
        near = np.abs(a - p) < gap
        a[near] += 2 * gap
    return x


W = t(3, 4)
B = t(3)
CONV_W = t(4, 2, 3, 3, scale=0.5)
CONV_B = t(4)
T4 = idx(5, 4)
T2D = idx(3, 2, 2, 2)

CASES = {
    "linear": (lambda x, w, b: F.linear(x, w, b), lambda: (t(5, 4), W, B)),
    "linear_nobias_3d": (lambda x, w: F.linear(x, w), lambda: (t(2, 3, 4), W)),
    "bilinear": (F.bilinear, lambda: (t(3, 2), t(3, 4), t(5, 2, 4), t(5))),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.1), lambda: (away_from(t(4, 5), [0]),)),
    "elu": (lambda x: F.elu(x, 0.7), lambda: (away_from(t(4, 5), [0]),)),
    "selu": (F.selu, lambda: (away_from(t(4, 5), [0]),)),
    "celu": (lambda x: F.celu(x, 0.6), lambda: (away_from(t(4, 5), [0]),)),
    "gelu": (F.gelu, lambda: (t(4, 5),)),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), lambda: (t(4, 5),)),
    "silu": (F.silu, lambda: (t(4, 5),)),
    "mish": (F.mish, lambda: (t(4, 5),)),
    "hardtanh": (lambda x: F.hardtanh(x, -0.5, 0.8), lambda: (away_from(t(4, 5), [-0.5, 0.8]),)),
    "softplus": (lambda x: F.softplus(x, 2.0, 3.0), lambda: (away_from(t(4, 5), [1.5]),)),
    "softsign": (F.softsign, lambda: (away_from(t(4, 5), [0]),)),
    "hardswish": (F.hardswish, lambda: (away_from(t(4, 5, scale=3), [-3, 3]),)),
    "hardsigmoid": (F.hardsigmoid, lambda: (away_from(t(4, 5, scale=3), [-3, 3]),)),
    "logsigmoid": (F.logsigmoid, lambda: (t(4, 5, scale=3),)),
    "softshrink": (F.softshrink, lambda: (away_from(t(4, 5), [-0.5, 0.5]),)),
    "hardshrink": (F.hardshrink, lambda: (away_from(t(4, 5), [-0.5, 0.5]),)),
    "threshold": (lambda x: F.threshold(x, 0.1, 2.0), lambda: (away_from(t(4, 5), [0.1]),)),
    "prelu": (F.prelu, lambda: (away_from(t(2, 3, 4), [0]), t(3))),
    "softmax": (lambda x: F.softmax(x, 1), lambda: (t(3, 5),)),
    "softmax_dim0": (lambda x: F.softmax(x, 0), lambda: (t(3, 2, 2),)),
    "log_softmax": (lambda x: F.log_softmax(x, -1), lambda: (t(3, 5),)),
    "mse": (F.mse_loss, lambda: (t(3, 4), t(3, 4))),
    "mse_sum": (lambda a, b: F.mse_loss(a, b, reduction="sum"), lambda: (t(3, 4), t(3, 4))),
    "l1": (F.l1_loss, lambda: (t(3, 4), t(3, 4))),
    "smooth_l1": (lambda a, b: F.smooth_l1_loss(a, b, beta=0.5), lambda: (t(3, 4), t(3, 4))),
    "huber": (lambda a, b: F.huber_loss(a, b, delta=0.7, reduction="none"),
              lambda: (t(3, 4), t(3, 4))),
    "cross_entropy": (lambda x: F.cross_entropy(x, T4), lambda: (t(4, 5),)),
    "cross_entropy_2d": (lambda x: F.cross_entropy(x, T2D, reduction="none"),
                         lambda: (t(2, 3, 2, 2),)),
    "cross_entropy_smooth": (lambda x: F.cross_entropy(x, T4, label_smoothing=0.2),
                             lambda: (t(4, 5),)),
    "cross_entropy_prob": (lambda x, p: F.cross_entropy(x, p), lambda: (t(4, 5), t(4, 5))),
    "nll_weighted": (lambda x: F.nll_loss(x, chainrule.tensor([0, 2, 1, 2]),
                                          weight=chainrule.tensor([1.0, 2.0, 0.5],
                                                                  dtype=chainrule.float64),
                                          ignore_index=1), lambda: (t(4, 3),)),
    "bce": (F.binary_cross_entropy, lambda: (
        chainrule.tensor(RNG.random((3, 4)) * 0.8 + 0.1, requires_grad=True),
        chainrule.tensor(RNG.random((3, 4)), requires_grad=True))),
    "bce_logits": (lambda x, y: F.binary_cross_entropy_with_logits(
        x, y, pos_weight=chainrule.tensor([1.0, 2.0, 0.5, 3.0], dtype=chainrule.float64)),
        lambda: (t(3, 4), chainrule.tensor(RNG.random((3, 4)), requires_grad=True))),
    "kl_div": (lambda a, b: F.kl_div(a, b, reduction="batchmean"),
               lambda: (t(3, 4), chainrule.tensor(RNG.random((3, 4)) + 0.1,
                                                  requires_grad=True))),
    "cosine_embedding": (lambda a, b: F.cosine_embedding_loss(
        a, b, chainrule.tensor([1.0, -1.0, 1.0]), margin=-0.9), lambda: (t(3, 4), t(3, 4))),
    "margin_ranking": (lambda a, b: F.margin_ranking_loss(
        a, b, chainrule.tensor([1.0, -1.0, 1.0, -1.0]), margin=0.1), lambda: (t(4), t(4))),
    "conv2d": (lambda x, w, b: F.conv2d(x, w, b, padding=1), lambda: (t(2, 2, 5, 5), CONV_W,
                                                                       CONV_B)),
    "conv2d_strided": (lambda x, w: F.conv2d(x, w, stride=2, dilation=(1, 2)),
                       lambda: (t(1, 2, 7, 8), CONV_W)),
    "conv2d_groups": (lambda x, w: F.conv2d(x, w, groups=2),
                      lambda: (t(1, 4, 5, 5), t(4, 2, 2, 2))),
    "conv1d": (lambda x, w: F.conv1d(x, w, padding=1), lambda: (t(2, 2, 6), t(3, 2, 3))),
    "conv_transpose2d": (lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1,
                                                            output_padding=1),
                         lambda: (t(1, 2, 3, 3), t(2, 3, 3, 3), t(3))),
    "max_pool2d": (lambda x: F.max_pool2d(x, 2), lambda: (t(2, 2, 4, 6),)),
    "max_pool2d_overlap": (lambda x: F.max_pool2d(x, 3, 2, padding=1), lambda: (t(1, 2, 5, 5),)),
    "max_pool1d": (lambda x: F.max_pool1d(x, 2), lambda: (t(2, 2, 6),)),
    "avg_pool2d": (lambda x: F.avg_pool2d(x, 3, 2, padding=1, count_include_pad=False),
                   lambda: (t(1, 2, 5, 5),)),
    "avg_pool1d": (lambda x: F.avg_pool1d(x, 2), lambda: (t(2, 2, 6),)),
    "adaptive_avg_pool2d": (lambda x: F.adaptive_avg_pool2d(x, (2, 3)), lambda: (t(1, 2, 5, 7),)),
    "batch_norm_train": (lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
                         lambda: (t(4, 3, 2, 2), t(3), t(3))),
    "batch_norm_eval": (lambda x, w, b: F.batch_norm(
        x, chainrule.tensor([0.1, -0.2, 0.3], dtype=chainrule.float64),
        chainrule.tensor([1.5, 0.5, 2.0], dtype=chainrule.float64), w, b),
        lambda: (t(4, 3), t(3), t(3))),
    "layer_norm": (lambda x, w, b: F.layer_norm(x, (4,), w, b), lambda: (t(3, 4), t(4), t(4))),
    "group_norm": (lambda x, w, b: F.group_norm(x, 2, w, b), lambda: (t(2, 4, 3), t(4), t(4))),
    "embedding": (lambda w: F.embedding(chainrule.tensor([[0, 2], [2, 3]]), w, padding_idx=4),
                  lambda: (t(5, 3),)),
    "pad_constant": (lambda x: F.pad(x, (1, 2, 0, 1), value=0.5), lambda: (t(2, 3, 3),)),
    "pad_reflect": (lambda x: F.pad(x, (2, 1, 1, 1), mode="reflect"), lambda: (t(1, 2, 4, 4),)),
    "pad_replicate": (lambda x: F.pad(x, (2, 1), mode="replicate"), lambda: (t(1, 2, 4),)),
    "normalize": (F.normalize, lambda: (t(3, 4),)),
    "cosine_similarity": (F.cosine_similarity, lambda: (t(3, 4), t(3, 4))),
    "dropout_eval": (lambda x: F.dropout(x, 0.5, training=False), lambda: (t(3, 4),)),
}

# ops whose second derivative goes through a primitive without a double-differentiable
# counterpart in finite differences (kinks) are still first-order checked
NO_GRADGRAD = {"bce", "kl_div"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradcheck(name):
    fn, make = CASES[name]
    assert gradcheck(fn, make(), eps=1e-6, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("name", sorted(set(CASES) - NO_GRADGRAD))
def test_gradgradcheck(name):
    fn, make = CASES[name]
    assert gradgradcheck(fn, make(), eps=1e-6, atol=1e-5, rtol=1e-4)


def test_known_values():
    x = chainrule.tensor([[1.0, 2.0, 3.0]])
    np.testing.assert_allclose(F.softmax(x, 1).numpy(), [[0.09003057, 0.24472847, 0.66524096]],
                               rtol=1e-6)
    assert F.cross_entropy(x, chainrule.tensor([2])).item() == pytest.approx(0.40760596, 1e-6)
    assert F.mse_loss(x, chainrule.zeros(1, 3)).item() == pytest.approx(14 / 3)
    big = chainrule.tensor([[1000.0, 0.0]])
    assert np.isfinite(F.log_softmax(big, 1).numpy()).all()
    assert F.binary_cross_entropy_with_logits(chainrule.tensor([100.0]),
                                              chainrule.tensor([0.0])).item() == 100.0
    img = chainrule.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(F.max_pool2d(img, 2).numpy().ravel(), [5, 7, 13, 15])
    np.testing.assert_array_equal(F.avg_pool2d(img, 2).numpy().ravel(), [2.5, 4.5, 10.5, 12.5])
    ones = chainrule.ones(1, 1, 3, 3)
    np.testing.assert_array_equal(F.conv2d(img, ones).numpy().ravel(),
                                  [45, 54, 81, 90])


def test_float32_stays_float32():
    x = chainrule.randn(4, 6, requires_grad=True)
    for fn in (F.relu, F.gelu, F.silu, F.elu, lambda v: F.softmax(v, 1),
               lambda v: F.leaky_relu(v, 0.2), F.hardswish, F.mish, F.softplus):
        out = fn(x)
        assert out.dtype == chainrule.float32
        out.sum().backward()
        assert x.grad.dtype == chainrule.float32
    loss = F.cross_entropy(x, chainrule.tensor([0, 1, 2, 3]))
    assert loss.dtype == chainrule.float32
    img = chainrule.randn(2, 3, 6, 6, requires_grad=True)
    w = chainrule.randn(4, 3, 3, 3, requires_grad=True)
    out = F.max_pool2d(F.conv2d(img, w, padding=1), 2)
    assert out.dtype == chainrule.float32
    out.sum().backward()
    assert img.grad.dtype == chainrule.float32 and w.grad.dtype == chainrule.float32


# The scatters and gathers of pooling, padding and embedding are each other's derivatives, so
# the third derivative runs the first op's kernel again: checked through the gradient function.
THIRD_ORDER = ["max_pool2d_overlap", "avg_pool2d", "pad_constant", "pad_reflect", "embedding"]


@pytest.mark.parametrize("name", THIRD_ORDER)
def test_third_order(name):
    fn, make = CASES[name]

    def grad_of_cube(*inputs):
        return chainrule.autograd.grad((fn(*inputs) ** 3).sum(), inputs, create_graph=True)

    assert gradgradcheck(grad_of_cube, make(), eps=1e-6, atol=1e-5, rtol=1e-4)
