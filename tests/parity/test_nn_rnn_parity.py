"""RNN, LSTM, GRU and their cells against PyTorch: same weights, same outputs, same gradients
of the input, the initial state and every parameter."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule  # noqa: E402
import chainrule.nn as cnn  # noqa: E402

import nn_helpers as H  # noqa: E402

H.set_torch(torch)
RNG = np.random.default_rng(5)

CASES = [
    ("RNN", {}), ("RNN", {"nonlinearity": "relu", "num_layers": 2}),
    ("LSTM", {}), ("LSTM", {"num_layers": 2, "bidirectional": True}),
    ("LSTM", {"batch_first": True, "bias": False}),
    ("GRU", {}), ("GRU", {"num_layers": 2, "batch_first": True, "bidirectional": True}),
]


def _flatten(out):
    if isinstance(out, tuple):
        return [t for o in out for t in _flatten(o)]
    return [out]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", CASES, ids=[f"{n}{k}" for n, k in CASES])
def test_rnn(case, dtype):
    name, kwargs = case
    pt = getattr(torch.nn, name)(3, 4, **kwargs)
    cm = getattr(cnn, name)(3, 4, **kwargs)
    if dtype == "float64":
        pt, cm = pt.double(), cm.double()
    H.copy_weights(pt, cm)
    assert repr(pt) == repr(cm)
    assert list(pt.state_dict()) == list(cm.state_dict())
    layers = kwargs.get("num_layers", 1) * (2 if kwargs.get("bidirectional") else 1)
    shape = (2, 5, 3) if kwargs.get("batch_first") else (5, 2, 3)
    x = RNG.standard_normal(shape).astype(dtype)
    h0 = RNG.standard_normal((layers, 2, 4)).astype(dtype)
    c0 = RNG.standard_normal((layers, 2, 4)).astype(dtype)
    pin = [torch.tensor(a, requires_grad=True) for a in (x, h0, c0)]
    cin = [chainrule.tensor(a, requires_grad=True) for a in (x, h0, c0)]
    if name == "LSTM":
        pout, cout = pt(pin[0], (pin[1], pin[2])), cm(cin[0], (cin[1], cin[2]))
    else:
        pout, cout = pt(pin[0], pin[1]), cm(cin[0], cin[1])
        pin, cin = pin[:2], cin[:2]
    pouts, couts = _flatten(pout), _flatten(cout)
    total_p, total_c = 0, 0
    for i, (p, c) in enumerate(zip(pouts, couts)):
        H.close(p, c, dtype, f"output {i}")
        w = RNG.standard_normal(tuple(p.shape)).astype(dtype)
        total_p = total_p + (p * torch.tensor(w)).sum()
        total_c = total_c + (c * chainrule.tensor(w)).sum()
    total_p.backward()
    total_c.backward()
    for i, (p, c) in enumerate(zip(pin, cin)):
        H.close(p.grad, c.grad, dtype, f"grad of input {i}")
    for (n, p), c in zip(pt.named_parameters(), cm.parameters()):
        H.close(p.grad, c.grad, dtype, f"grad of {n}")


def test_unbatched_and_default_state():
    pt, cm = torch.nn.GRU(3, 4), cnn.GRU(3, 4)
    H.copy_weights(pt, cm)
    x = RNG.standard_normal((6, 3)).astype(np.float32)
    po, ph = pt(torch.tensor(x))
    co, ch = cm(chainrule.tensor(x))
    H.close(po, co)
    H.close(ph, ch)


@pytest.mark.parametrize("name", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cells(name):
    pt, cm = getattr(torch.nn, name)(3, 4), getattr(cnn, name)(3, 4)
    H.copy_weights(pt, cm)
    assert repr(pt) == repr(cm)
    x = RNG.standard_normal((2, 3)).astype(np.float32)
    h = RNG.standard_normal((2, 4)).astype(np.float32)
    c = RNG.standard_normal((2, 4)).astype(np.float32)
    if name == "LSTMCell":
        H.run_both(lambda a, b, d: pt(a, (b, d))[1], lambda a, b, d: cm(a, (b, d))[1], [x, h, c],
                   pt_params=list(pt.named_parameters()), cr_params=list(cm.parameters()))
    else:
        H.run_both(pt, cm, [x, h], pt_params=list(pt.named_parameters()),
                   cr_params=list(cm.parameters()))


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    return None


def test_cell_size_checks_and_dropout_warning():
    import warnings
    for lib in (torch, chainrule):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            lib.nn.GRU(3, 4, dropout=0.5)
            lib.nn.GRU(3, 4, dropout=0.5, num_layers=2)
        assert [str(m.message) for m in w] == [
            "dropout option adds dropout after all but last recurrent layer, so non-zero "
            "dropout expects num_layers greater than 1, but got dropout=0.5 and num_layers=1"]
    cases = [
        lambda t: t.nn.GRUCell(3, 4)(t.ones(2, 4)),
        lambda t: t.nn.GRUCell(3, 4)(t.ones(2, 3), t.ones(2, 5)),
        lambda t: t.nn.RNNCell(3, 4)(t.ones(2, 3), t.ones(3, 4)),
        lambda t: t.nn.LSTMCell(3, 4)(t.ones(3), (t.ones(4), t.ones(5))),
    ]
    for case in cases:
        expected = _error(lambda: case(torch))
        assert expected is not None and _error(lambda: case(chainrule)) == expected
