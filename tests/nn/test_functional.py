"""nn.functional on known values: loss reductions, weights and checks, norms, activations."""
import math

import numpy as np
import pytest

import chainrule as torch
import chainrule.nn.functional as F


def test_reduction_is_checked():
    x = torch.ones(2, 3)
    for fn in (F.mse_loss, F.l1_loss, F.smooth_l1_loss, F.soft_margin_loss):
        with pytest.raises(ValueError, match="^batchmean is not a valid value for reduction$"):
            fn(x, x, reduction="batchmean")
    with pytest.raises(ValueError, match="^foo is not a valid value for reduction$"):
        F.cross_entropy(x, torch.tensor([0, 1]), reduction="foo")
    with pytest.warns(UserWarning, match="elementwise_mean"):
        assert F.l1_loss(x, x * 3, reduction="elementwise_mean").item() == 2.0


def test_weighted_mse_and_l1_average_over_the_weights():
    x, y = torch.tensor([1.0, 2.0, 3.0]), torch.zeros(3)
    w = torch.tensor([1.0, 0.0, 3.0])
    assert F.mse_loss(x, y, weight=w).item() == pytest.approx(28 / 4)
    assert F.l1_loss(x, y, weight=w).item() == pytest.approx(10 / 4)
    assert F.huber_loss(x, y, weight=w).item() == pytest.approx((0.5 + 7.5) / 3)
    with pytest.raises(ValueError, match="Weights and input must have the same size."):
        F.mse_loss(x, y, weight=torch.ones(1))


def test_hinge_embedding_loss_target_neither_one_nor_minus_one():
    # a 0 target takes both the input and the margin term
    out = F.hinge_embedding_loss(torch.tensor([0.25, 0.25, 0.25]), torch.tensor([1.0, -1.0, 0.0]),
                                 reduction="none")
    np.testing.assert_allclose(out.numpy(), [0.25, 0.75, 1.0])


def test_gaussian_nll_loss_variance_shapes():
    x, y = torch.zeros(2, 3), torch.ones(2, 3)
    expected = 0.5 * (math.log(2.0) + 1 / 2.0)
    for var in (torch.full((2, 3), 2.0), torch.full((2,), 2.0), torch.full((2, 1), 2.0), 2.0):
        assert F.gaussian_nll_loss(x, y, var).item() == pytest.approx(expected)
    with pytest.raises(ValueError, match="var is of incorrect size"):
        F.gaussian_nll_loss(x, y, torch.ones(3, 3))
    with pytest.raises(ValueError, match="var has negative entry/entries"):
        F.gaussian_nll_loss(x, y, -torch.ones(2, 3))
    # the clamp to eps does not stop the gradient
    var = torch.zeros(2, 3, requires_grad=True)
    F.gaussian_nll_loss(x, y, var, eps=0.5, reduction="sum").backward()
    np.testing.assert_allclose(var.grad.numpy(), np.full((2, 3), 0.5 * (1 / 0.5 - 1 / 0.25)))


def test_binary_cross_entropy_checks():
    with pytest.raises(RuntimeError, match="^Found dtype Double but expected Float$"):
        F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([1.0], dtype=torch.float64))
    with pytest.raises(RuntimeError, match="all elements of target should be between 0 and 1"):
        F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([2.0]))
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Long"):
        F.binary_cross_entropy_with_logits(torch.tensor([0.5]), torch.tensor([1]))
    out = F.binary_cross_entropy_with_logits(torch.tensor([0.5], dtype=torch.float64),
                                             torch.tensor([1.0]))
    assert out.dtype == torch.float32


def test_normalize_and_cosine_similarity_of_a_zero_vector_have_finite_gradients():
    x = torch.zeros(1, 2, requires_grad=True)
    F.normalize(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[1e12, 1e12]], rtol=1e-6)
    x.grad = None
    F.cosine_similarity(x, torch.tensor([[3.0, 4.0]])).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0.6e8, 0.8e8]], rtol=1e-6)


def test_activation_dtypes():
    with pytest.raises(NotImplementedError, match="\"elu_cpu\" not implemented for 'Long'"):
        F.elu(torch.tensor([1, 2]))
    assert F.relu6(torch.tensor([-1, 8])).tolist() == [0, 6]
    with pytest.raises(RuntimeError, match="Bool inputs not supported for hardtanh"):
        F.hardtanh(torch.tensor([True]))


def test_class_index_targets():
    logits = torch.zeros(2, 3)
    with pytest.raises(RuntimeError, match="0D or 1D target tensor expected"):
        F.cross_entropy(logits, torch.zeros(2, 1, dtype=torch.int64))
    # a 1-element target of an unbatched input is read as a scalar
    assert F.cross_entropy(torch.zeros(3), torch.tensor([1])).item() == pytest.approx(math.log(3))
    with pytest.raises(RuntimeError, match="Expected floating point type for target with class"):
        F.cross_entropy(logits, torch.zeros(2, 3, dtype=torch.int64))
    with pytest.raises(RuntimeError, match="expected scalar type Float but found Double"):
        F.nll_loss(logits, torch.tensor([0, 1]), weight=torch.ones(3, dtype=torch.float64))


def test_embedding_scale_grad_by_freq_divides_each_row_by_its_count():
    w = torch.ones(4, 2, requires_grad=True)
    idx = torch.tensor([[0, 2, 0], [1, 0, 3]])
    F.embedding(idx, w, scale_grad_by_freq=True).sum().backward()
    assert w.grad.tolist() == [[1., 1.]] * 4          # row 0: three lookups, each 1/3
    w.grad = None
    F.embedding(idx, w).sum().backward()
    assert w.grad.tolist() == [[3., 3.], [1., 1.], [1., 1.], [1., 1.]]
