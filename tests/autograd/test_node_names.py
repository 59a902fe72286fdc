"""Names PyTorch gives graph nodes in messages and ``name()``."""
import pytest

import chainrule as torch


def test_accumulate_grad_name():
    x = torch.ones(2, requires_grad=True)
    node = (x * 1).grad_fn.next_functions[0][0]
    assert node.name() == "torch::autograd::AccumulateGrad"
    assert repr(node).startswith("<AccumulateGrad object at ")


@pytest.mark.parametrize("make, producer", [
    (lambda x: x.pow(torch.full((2,), 2.0)), "Pow1"),
    (lambda x: x * 3, "Mul"),
])
def test_modified_tensor_named_after_its_producer(make, producer):
    x = torch.ones(2, requires_grad=True)
    y = make(x)
    z = y * y
    with torch.no_grad():
        y.add_(1)
    with pytest.raises(RuntimeError, match=f"which is output 0 of {producer}, is at version 1"):
        z.sum().backward()
