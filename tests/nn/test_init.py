"""nn.init distributions checked statistically, without PyTorch."""
import math

import numpy as np
import pytest

import chainrule
import chainrule.nn as nn
from chainrule.nn import init


def big(*shape):
    return chainrule.empty(*shape)


def values(t):
    return t.detach().numpy().astype(np.float64)


def test_calculate_gain():
    assert init.calculate_gain("relu") == math.sqrt(2)
    assert init.calculate_gain("tanh") == 5 / 3
    assert init.calculate_gain("leaky_relu", 0.2) == math.sqrt(2 / 1.04)
    assert init.calculate_gain("conv2d") == 1 and init.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError, match="Unsupported nonlinearity foo"):
        init.calculate_gain("foo")


def test_fans():
    assert init._calculate_fan_in_and_fan_out(big(8, 3, 5, 5)) == (75, 200)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init._calculate_fan_in_and_fan_out(big(3))


def test_uniform_normal_constant():
    v = values(init.uniform_(big(400, 250), -2, 3))
    assert v.min() >= -2 and v.max() <= 3 and abs(v.mean() - 0.5) < 0.02
    assert abs(v.std() - 5 / math.sqrt(12)) < 0.02
    v = values(init.normal_(big(400, 250), 1.0, 2.0))
    assert abs(v.mean() - 1) < 0.02 and abs(v.std() - 2) < 0.02
    assert (values(init.constant_(big(3, 3), 0.5)) == 0.5).all()
    assert (values(init.ones_(big(2))) == 1).all() and (values(init.zeros_(big(2))) == 0).all()


def test_trunc_normal():
    v = values(init.trunc_normal_(big(300, 300), mean=0.5, std=1.0, a=-1.0, b=1.0))
    assert v.min() >= -1 and v.max() <= 1 and v.mean() > 0.05


def test_xavier_and_kaiming():
    t = big(300, 500)
    bound = math.sqrt(6 / 800)
    v = values(init.xavier_uniform_(t, gain=1.0))
    assert v.max() <= bound and v.max() > 0.99 * bound
    v = values(init.xavier_normal_(t, gain=2.0))
    assert abs(v.std() - 2 * math.sqrt(2 / 800)) < 0.002
    v = values(init.kaiming_uniform_(t, a=0, nonlinearity="relu"))
    bound = math.sqrt(2) * math.sqrt(3 / 500)
    assert v.max() <= bound and v.max() > 0.99 * bound
    v = values(init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"))
    assert abs(v.std() - math.sqrt(2 / 300)) < 0.002
    with pytest.raises(ValueError, match="Mode fan_x not supported"):
        init.kaiming_normal_(t, mode="fan_x")


def test_eye_dirac_orthogonal():
    np.testing.assert_array_equal(values(init.eye_(big(3, 4))), np.eye(3, 4))
    w = values(init.dirac_(big(4, 2, 3, 3)))
    assert w[0, 0, 1, 1] == 1 and w[1, 1, 1, 1] == 1 and w.sum() == 2
    q = values(init.orthogonal_(big(6, 4), gain=2.0))
    np.testing.assert_allclose(q.T @ q, 4 * np.eye(4), atol=1e-5)
    q = values(init.orthogonal_(big(3, 7)))
    np.testing.assert_allclose(q @ q.T, np.eye(3), atol=1e-5)


def test_generator_and_seed():
    g = chainrule.Generator().manual_seed(5)
    a = values(init.normal_(big(10), generator=g))
    g.manual_seed(5)
    b = values(init.normal_(big(10), generator=g))
    np.testing.assert_array_equal(a, b)


def test_default_layer_init_distributions():
    lin = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    w = values(lin.weight)
    assert w.max() <= bound and w.max() > 0.99 * bound and abs(w.mean()) < 0.002
    assert abs(w.std() - bound / math.sqrt(3)) < 0.002
    assert np.abs(values(lin.bias)).max() <= bound
    conv = nn.Conv2d(16, 32, 3)
    bound = 1 / math.sqrt(16 * 9)
    assert np.abs(values(conv.weight)).max() <= bound
    assert np.abs(values(conv.bias)).max() <= bound
    emb = nn.Embedding(1000, 50)
    assert abs(values(emb.weight).std() - 1) < 0.02
    bn = nn.BatchNorm2d(4)
    assert (values(bn.weight) == 1).all() and (values(bn.bias) == 0).all()
    assert nn.PReLU().weight.item() == pytest.approx(0.25)
    assert lin.weight.dtype == chainrule.float32


def test_random_fills_check_their_arguments():
    with pytest.raises(RuntimeError, match=r"^uniform_ expects to return a \[from, to\) range, "
                                           r"but found from=3.5 > to=2$"):
        init.uniform_(chainrule.empty(3), 3.5, 2)
    with pytest.raises(RuntimeError, match="^normal expects std >= 0.0, but found std -1$"):
        init.normal_(chainrule.empty(3), 0, -1)
    with pytest.raises(NotImplementedError, match="\"normal_kernel_cpu\" not implemented for 'Long'"):
        init.kaiming_normal_(chainrule.empty(3, 3, dtype=chainrule.int64))
