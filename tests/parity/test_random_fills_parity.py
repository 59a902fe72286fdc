"""In-place random fills against PyTorch: grad_fn names, versions, dtypes, errors; values are
random, so only their ranges are compared."""
import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")

FILLS = [("uniform_", ()), ("normal_", ()), ("exponential_", ()), ("random_", (0, 5)),
         ("bernoulli_", (0.5,)), ("geometric_", (0.5,)), ("log_normal_", ()), ("cauchy_", ())]


def _outcome(lib, expression):
    scope = {"torch": lib, "np": np}
    try:
        r = eval(expression, scope)
    except Exception as exc:  # noqa: BLE001 - the error is the observation
        return type(exc).__name__, str(exc)
    if isinstance(r, (lib.Tensor,)):
        return str(r.dtype), tuple(r.shape), r.requires_grad
    return r


@pytest.mark.parametrize("name,args", FILLS)
def test_fill_in_a_graph(name, args):
    seen = []
    for lib in (chainrule, torch):
        x = lib.ones(3, dtype=lib.float64, requires_grad=True)
        y = x * 2
        out = getattr(y, name)(*args)
        (y * 3).sum().backward()
        seen.append((out is y, y.grad_fn.name(), y._version, str(y.dtype), x.grad.tolist()))
    assert seen[0] == seen[1]


@pytest.mark.parametrize("expression", [
    "torch.ones(3, requires_grad=True).uniform_()",
    "torch.zeros(5, dtype=torch.int64).uniform_()",
    "torch.zeros(5, dtype=torch.int64).normal_()",
    "bool(torch.zeros(50, dtype=torch.int64).random_(3).max() < 3)",
    "bool(torch.zeros(50, dtype=torch.int64).random_(2, 5).min() >= 2)",
    "torch.zeros(5, dtype=torch.int64).bernoulli_(0.3)",
    "torch.zeros(5, dtype=torch.int64).exponential_()",
    "bool(torch.zeros(50).random_().max() <= 2 ** 24)",
    "torch.zeros(3, dtype=torch.uint8).random_(300)",
    "torch.zeros(3).uniform_(2, 1)",
    "torch.zeros(3).normal_(0, -1)",
    "torch.zeros(3).exponential_(-1)",
    "torch.zeros(3).geometric_(0)",
    "torch.zeros(3).bernoulli_(1.5)",
    "torch.zeros(3).bernoulli_(torch.tensor([0.5, 2., 0.]))",
    "torch.zeros(3).random_(5, 2)",
    "torch.zeros(3, dtype=torch.bool).random_()",
    "torch.zeros(3).uniform_(generator=1)",
    "torch.zeros(2).bernoulli()",
    "torch.zeros(2).bernoulli_(torch.tensor([0., 1.])).tolist()",
    "torch.zeros(3, dtype=torch.float16).uniform_()",
    "bool(torch.zeros(2, 30).uniform_(-1, 1).abs().max() <= 1)",
    "bool(torch.zeros(40).geometric_(0.5).min() >= 1)",
    "torch.zeros(3, dtype=torch.int8).random_(-128, 128)",
    "torch.zeros(3, dtype=torch.int8).random_(-129, 0)",
    "torch.zeros(2).log_normal_(std=0)",
    "torch.zeros(2, dtype=torch.int32).cauchy_()",
    "torch.zeros(2, dtype=torch.int64).cauchy_()",
    "torch.zeros(2, dtype=torch.int32).log_normal_()",
    "torch.zeros(2, dtype=torch.int32).geometric_(0.5)",
])
def test_fill_outcomes_match_pytorch(expression):
    assert _outcome(chainrule, expression) == _outcome(torch, expression)
