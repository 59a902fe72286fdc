"""PyTorch accepts NumPy's ``axis``/``keepdims`` keywords wherever it takes ``dim``/``keepdim``,
and ``range`` objects as indices; so does chainrule."""
import numpy as np
import pytest

import chainrule as torch

X = np.arange(12, dtype=np.float32).reshape(3, 4)


@pytest.mark.parametrize("call, expected", [
    (lambda x: x.sum(axis=1), X.sum(axis=1)),
    (lambda x: torch.sum(x, axis=0, keepdims=True), X.sum(axis=0, keepdims=True)),
    (lambda x: x.mean(axis=0, keepdims=True), X.mean(axis=0, keepdims=True)),
    (lambda x: x.argmax(axis=1), X.argmax(axis=1)),
    (lambda x: torch.max(x, axis=1).values, X.max(axis=1)),
    (lambda x: torch.cat([x, x], axis=0), np.concatenate([X, X], axis=0)),
])
def test_numpy_keyword_aliases(call, expected):
    np.testing.assert_allclose(call(torch.tensor(X)).numpy(), expected)


def test_range_index_gathers_and_backpropagates():
    # the seed's cross-entropy picks y_hat[range(len(y_hat)), y]
    y_hat = torch.tensor([[0.1, 0.9], [0.8, 0.2]], requires_grad=True)
    picked = y_hat[range(2), torch.tensor([1, 0])]
    assert picked.tolist() == pytest.approx([0.9, 0.8])
    picked.sum().backward()
    assert y_hat.grad.tolist() == [[0.0, 1.0], [1.0, 0.0]]
