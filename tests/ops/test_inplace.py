"""In-place semantics without PyTorch: version counters, the leaf error, no_grad updates,
augmented assignment, rebasing a non-leaf onto the in-place op's node, saved-tensor checks."""
import numpy as np
import pytest

import chainrule as cr

LEAF_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."


def leaf(values=(1.0, 2.0, 3.0)):
    return cr.tensor(np.array(values), requires_grad=True)


def test_version_counter_counts_every_inplace_op():
    x = cr.zeros(3)
    assert x._version == 0
    x.add_(1)
    x.mul_(2)
    x += 1
    x.zero_()
    x.fill_(4)
    x.copy_(cr.ones(3))
    x.exp_()
    assert x._version == 7


def test_views_and_detach_share_the_version_counter():
    x = cr.zeros(4)
    v, d = x[:2], x.detach()
    v.add_(1)
    assert x._version == d._version == v._version == 1
    assert x.tolist() == [1.0, 1.0, 0.0, 0.0]  # the view wrote into x's memory


@pytest.mark.parametrize("op", [lambda t: t.add_(1), lambda t: t.mul_(2), lambda t: t.zero_(),
                                lambda t: t.fill_(1), lambda t: t.copy_(cr.ones(3)),
                                lambda t: t.clamp_(0, 1), lambda t: t.sigmoid_(),
                                lambda t: t.__iadd__(1), lambda t: t.__imul__(2)])
def test_leaf_requiring_grad_refuses_inplace(op):
    with pytest.raises(RuntimeError, match=LEAF_ERROR):
        op(leaf())


def test_view_of_leaf_refuses_inplace():
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        leaf()[:2].mul_(2)


def test_optimizer_update_under_no_grad():
    w = leaf()
    (w * w).sum().backward()
    before = w._version
    with cr.no_grad():
        w -= 0.1 * w.grad
        w.mul_(0.5)
    assert w.is_leaf and w.requires_grad and w.grad_fn is None
    assert w._version == before + 2
    np.testing.assert_allclose(w.detach().numpy(), [0.4, 0.8, 1.2])


def test_augmented_assignment_keeps_identity():
    x = cr.tensor([1.0, 2.0])
    y = x
    x += 1
    x -= 0.5
    x *= 4
    x /= 2
    assert x is y
    assert x.tolist() == [3.0, 5.0]
    i = cr.tensor([7, -7])
    i //= 2
    assert i.tolist() == [3, -4]
    i %= 3
    assert i.tolist() == [0, 2]


def test_rebase_non_leaf():
    x = leaf()
    y = x * 1
    out = y.add_(1)
    assert out is y
    assert y.grad_fn.name() == "AddBackward0"
    assert y.grad_fn.next_functions[0][0].name() == "MulBackward0"
    assert y.tolist() == [2.0, 3.0, 4.0]
    (y * y).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * (x.detach().numpy() + 1))


def test_rebase_chain_gradients():
    x = leaf()
    y = x * 2
    y.mul_(x)           # 2x^2
    y.sub_(x, alpha=3)  # 2x^2 - 3x
    y.pow_(2)           # (2x^2 - 3x)^2
    y.sum().backward()
    xv = x.detach().numpy()
    np.testing.assert_allclose(x.grad.numpy(), 2 * (2 * xv ** 2 - 3 * xv) * (4 * xv - 3))


def test_inplace_on_plain_tensor_with_grad_operand():
    """``y.add_(x)`` with ``y`` not requiring grad makes ``y`` part of the graph."""
    x = leaf()
    y = cr.zeros(3, dtype=cr.float64)
    y.add_(x)
    assert y.requires_grad and y.grad_fn.name() == "AddBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 1.0]


def test_zero_fill_copy_graph():
    x = leaf()
    y = x * 3
    y.zero_()
    assert y.grad_fn.name() == "ZeroBackward0"
    y = x * 3
    y.fill_(2)
    assert y.grad_fn.name() == "FillBackward2"
    (y * x).sum().backward()  # y no longer depends on x
    assert x.grad.tolist() == [2.0, 2.0, 2.0]
    x.grad = None
    z = cr.zeros(2, 3, dtype=cr.float32)
    z.copy_(x)  # broadcast along rows, float64 -> float32
    assert z.grad_fn.name() == "torch::autograd::CopyBackwards"
    assert z.dtype == cr.float32
    z.sum().backward()
    assert x.grad.dtype == cr.float64 and x.grad.tolist() == [2.0, 2.0, 2.0]


def test_copy_converts_dtype_without_cast_error():
    y = cr.zeros(3, dtype=cr.int64)
    y.copy_(cr.tensor([1.7, -2.7, 3.2]))
    assert y.tolist() == [1, -2, 3]
    y.fill_(2.9)
    assert y.tolist() == [2, 2, 2]


def test_inplace_type_and_shape_errors():
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired "
                                           "output type Long"):
        cr.tensor([1, 2]).add_(1.5)
    with pytest.raises(RuntimeError, match="result type Float can't be cast"):
        cr.tensor([1, 2]).sqrt_()
    with pytest.raises(RuntimeError, match=r"output with shape \[3\] doesn't match the "
                                           r"broadcast shape \[2, 3\]"):
        cr.zeros(3).add_(cr.zeros(2, 3))
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of "
                                           r"tensor b \(2\) at non-singleton dimension 0"):
        cr.zeros(3).mul_(cr.zeros(2))


def test_failed_inplace_leaves_tensor_unchanged():
    x = cr.tensor([1, 2])
    with pytest.raises(RuntimeError):
        x.div_(2)
    assert x.tolist() == [1, 2] and x._version == 0


def _modified_message(detail, now=1, expected=0):
    return (f"one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: {detail} is at version {now}; expected version {expected} "
            f"instead. Hint: enable anomaly detection to find the operation that failed to "
            f"compute its gradient, with torch.autograd.set_detect_anomaly(True, "
            f"check_nan=False).")


def test_modified_saved_output_is_reported():
    x = leaf()
    y = x.exp()  # saves its output
    y.add_(1)
    with pytest.raises(RuntimeError) as err:
        y.sum().backward()
    assert str(err.value) == _modified_message(
        "[torch.DoubleTensor [3]], which is output 0 of Exp,")


def test_modified_saved_input_is_reported():
    x = leaf()
    c = cr.ones(3, dtype=cr.float64)
    z = x * c  # saves c for x's gradient
    c.mul_(2)
    with pytest.raises(RuntimeError) as err:
        z.sum().backward()
    assert str(err.value) == _modified_message("[torch.DoubleTensor [3]]")


def test_modification_under_no_grad_is_still_detected():
    x = leaf()
    y = x.tanh()
    with cr.no_grad():
        y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_unsaved_tensor_may_be_modified():
    x = leaf()
    y = x + 1  # add saves nothing
    z = y * 2
    y.add_(1)
    z.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


@pytest.mark.parametrize("name,args", [("add_", (2,)), ("sub_", (2,)), ("mul_", (2,)),
                                       ("div_", (2,)), ("pow_", (2,)), ("exp_", ()),
                                       ("log_", ()), ("sqrt_", ()), ("sin_", ()), ("cos_", ()),
                                       ("tanh_", ()), ("sigmoid_", ()), ("erf_", ()),
                                       ("abs_", ()), ("neg_", ()), ("reciprocal_", ()),
                                       ("clamp_", (1.5, 2.5)), ("floor_", ()), ("round_", ()),
                                       ("frac_", ()), ("atan2_", (cr.ones(3),)),
                                       ("lerp_", (cr.zeros(3), 0.5)), ("remainder_", (1.5,)),
                                       ("addcmul_", (cr.ones(3), cr.ones(3)))])
def test_inplace_matches_out_of_place(name, args):
    base = np.array([1.2, 2.5, 3.7], np.float32)
    y = cr.tensor(base)
    expected = getattr(cr.tensor(base), name[:-1])(*args)
    assert getattr(y, name)(*args) is y
    np.testing.assert_allclose(y.numpy(), expected.numpy(), rtol=1e-6)
    assert y._version == 1
