"""In-place random fills without PyTorch: distributions, ranges, seeding, graph behaviour."""
import numpy as np
import pytest

import chainrule as torch


def test_fills_draw_from_their_distributions():
    torch.manual_seed(0)
    n = 40000
    u = torch.empty(n, dtype=torch.float64).uniform_(-2, 3).numpy()
    assert u.min() >= -2 and u.max() < 3 and abs(u.mean() - 0.5) < 0.05
    z = torch.empty(n).normal_(1, 2).numpy()
    assert abs(z.mean() - 1) < 0.05 and abs(z.std() - 2) < 0.05
    e = torch.empty(n).exponential_(4).numpy()
    assert e.min() >= 0 and abs(e.mean() - 0.25) < 0.01
    g = torch.empty(n, dtype=torch.int64).geometric_(0.25).numpy()
    assert g.min() >= 1 and abs(g.mean() - 4) < 0.1
    b = torch.zeros(n, dtype=torch.int64).bernoulli_(0.3).numpy()
    assert set(np.unique(b)) <= {0, 1} and abs(b.mean() - 0.3) < 0.01
    r = torch.empty(n, dtype=torch.int64).random_(-3, 4).numpy()
    assert set(np.unique(r)) == set(range(-3, 4))
    assert torch.empty(10, dtype=torch.uint8).random_().dtype == torch.uint8


def test_fills_repeat_under_a_seed_and_follow_a_generator():
    torch.manual_seed(3)
    a = torch.empty(5).normal_()
    torch.manual_seed(3)
    assert torch.empty(5).normal_().tolist() == a.tolist()
    g1, g2 = torch.Generator().manual_seed(7), torch.Generator().manual_seed(7)
    assert torch.empty(4).uniform_(generator=g1).tolist() == \
        torch.empty(4).uniform_(generator=g2).tolist()


def test_fill_is_in_place_with_a_zero_gradient():
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    assert y.uniform_() is y and y.grad_fn.name() == "UniformBackward0" and y._version == 1
    (y * 5).sum().backward()
    assert x.grad.tolist() == [0., 0., 0.]
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad"):
        x.normal_()
    with torch.no_grad():
        x.normal_()   # re-initialising a parameter
    base = torch.zeros(2, 3)
    base[0].fill_(1)
    base[1].uniform_(5, 6)
    assert base[0].tolist() == [1., 1., 1.] and (base[1] >= 5).all()
