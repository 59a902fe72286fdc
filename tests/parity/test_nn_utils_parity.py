"""nn.utils against PyTorch: gradient clipping and parameter vectors."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule  # noqa: E402
import chainrule.nn as cnn  # noqa: E402

import nn_helpers as H  # noqa: E402

H.set_torch(torch)
RNG = np.random.default_rng(11)


def _pair():
    pt = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Linear(3, 2))
    cm = cnn.Sequential(cnn.Linear(4, 3), cnn.Linear(3, 2))
    H.copy_weights(pt, cm)
    for p, c in zip(pt.parameters(), cm.parameters()):
        g = RNG.standard_normal(tuple(p.shape)).astype(np.float32) * 3
        p.grad = torch.tensor(g)
        c.grad = chainrule.tensor(g)
    return pt, cm


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
@pytest.mark.parametrize("max_norm", [0.5, 1000.0])
def test_clip_grad_norm(norm_type, max_norm):
    pt, cm = _pair()
    a = torch.nn.utils.clip_grad_norm_(pt.parameters(), max_norm, norm_type)
    b = cnn.utils.clip_grad_norm_(cm.parameters(), max_norm, norm_type)
    assert b.dtype == chainrule.float32 and b.ndim == 0
    H.close(a, b)
    for p, c in zip(pt.parameters(), cm.parameters()):
        H.close(p.grad, c.grad)


def test_clip_grad_value_and_nonfinite():
    pt, cm = _pair()
    torch.nn.utils.clip_grad_value_(pt.parameters(), 0.7)
    cnn.utils.clip_grad_value_(cm.parameters(), 0.7)
    for p, c in zip(pt.parameters(), cm.parameters()):
        H.close(p.grad, c.grad)
    c = next(cm.parameters())
    c.grad._data[0, 0] = np.inf
    p = next(pt.parameters())
    p.grad[0, 0] = float("inf")
    with pytest.raises(RuntimeError) as e1:
        torch.nn.utils.clip_grad_norm_(pt.parameters(), 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError) as e2:
        cnn.utils.clip_grad_norm_(cm.parameters(), 1.0, error_if_nonfinite=True)
    assert str(e1.value) == str(e2.value)


def test_parameters_vector_round_trip():
    pt, cm = _pair()
    a = torch.nn.utils.parameters_to_vector(pt.parameters())
    b = cnn.utils.parameters_to_vector(cm.parameters())
    H.close(a, b)
    assert b.grad_fn.name() == "CatBackward0"
    new = RNG.standard_normal(b.shape[0]).astype(np.float32)
    torch.nn.utils.vector_to_parameters(torch.tensor(new), pt.parameters())
    cnn.utils.vector_to_parameters(chainrule.tensor(new), cm.parameters())
    for p, c in zip(pt.parameters(), cm.parameters()):
        H.close(p, c)


def test_vector_to_parameters_too_short():
    errors = []
    for lib in (torch, chainrule):
        try:
            lib.nn.utils.vector_to_parameters(lib.ones(3), lib.nn.Linear(3, 2).parameters())
        except RuntimeError as e:
            errors.append(str(e))
    assert len(errors) == 2 and errors[0] == errors[1]
