"""chainrule.summary prints torchsummary's table."""
import numpy as np
import pytest

import chainrule as torch
import chainrule.nn as nn

# The seed program's model (its forward reads the global X, as the seed's does).
N, D_in, H, D_out = 64, 1000, 100, 10
X = torch.randn(N, D_in)


class TwoLayerNet(torch.nn.Module):
    def __init__(self, D_in, H, D_out):
        super(TwoLayerNet, self).__init__()
        self.linear1 = torch.nn.Linear(D_in, H, bias=False)
        self.linear2 = torch.nn.Linear(H, D_out, bias=False)

    def forward(self, x):
        y_hat = self.linear2(self.linear1(X).clamp(min=0))
        return y_hat


SEED_TABLE = """\
----------------------------------------------------------------
        Layer (type)               Output Shape         Param #
================================================================
            Linear-1                  [-1, 100]         100,000
            Linear-2                   [-1, 10]           1,000
       TwoLayerNet-3                   [-1, 10]               0
================================================================
Total params: 101,000
Trainable params: 101,000
Non-trainable params: 0
----------------------------------------------------------------
Input size (MB): 0.24
Forward/backward pass size (MB): 0.00
Params size (MB): 0.39
Estimated Total Size (MB): 0.63
----------------------------------------------------------------
"""


def test_seed_two_layer_net(capsys):
    model = TwoLayerNet(D_in, H, D_out)
    print(torch.summary(model, (64, 1000)))
    out = capsys.readouterr().out
    assert out == SEED_TABLE + "\n(tensor(101000), tensor(101000))\n"


def test_sequential_counts_bias_and_skips_containers(capsys):
    model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
    total, trainable = torch.summary(model, (1000,))
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[3] == "            Linear-1                  [-1, 100]         100,100"
    assert lines[4] == "              ReLU-2                  [-1, 100]               0"
    assert lines[5] == "            Linear-3                   [-1, 10]           1,010"
    assert lines[6] == "=" * 64 and "Sequential" not in out
    assert "Total params: 101,110" in lines and "Non-trainable params: 0" in lines
    assert (total.item(), trainable.item()) == (101110, 101110)


def test_frozen_parameters_batch_size_and_string_form():
    from chainrule.summary import summary_string
    model = nn.Sequential(nn.Linear(4, 3), nn.Linear(3, 2))
    model[0].weight.requires_grad_(False)
    text, (total, trainable) = summary_string(model, (4,), batch_size=8)
    assert "                   [8, 3]" in text
    assert "Trainable params: 8" in text and "Non-trainable params: 15" in text
    assert (total.item(), trainable.item()) == (23, 8)
    # sizes: 4 bytes per number, the output counted twice (values and gradients)
    assert "Input size (MB): 0.00" in text and "Params size (MB): 0.00" in text


def test_parameterless_model_returns_plain_zeros(capsys):
    assert torch.summary(nn.ReLU(), (3,)) == (0, 0)
    row = capsys.readouterr().out.splitlines()[3]
    assert row == "{:>20}  {:>25} {:>15}".format("ReLU-1", "[-1, 3]", "0")


def test_hooks_are_removed():
    model = nn.Sequential(nn.Linear(2, 2))
    torch.summary(model, (2,))
    assert not model[0]._forward_hooks and not model._forward_hooks


def test_parity_with_pytorch_hook_algorithm(capsys):
    """The same hook algorithm run on real PyTorch modules gives the same rows."""
    real = pytest.importorskip("torch")

    def rows(lib, model, size):
        rows = []

        def hook(module, inp, out):
            params = sum(int(np.prod(getattr(module, n).shape)) for n in ("weight", "bias")
                         if getattr(module, n, None) is not None)
            rows.append((type(module).__name__, [-1] + list(out.shape)[1:], params))
        handles = []
        model.apply(lambda m: handles.append(m.register_forward_hook(hook))
                    if not isinstance(m, (lib.nn.Sequential, lib.nn.ModuleList)) else None)
        model(lib.rand(2, *size))
        for h in handles:
            h.remove()
        return rows

    def build(lib):
        return lib.nn.Sequential(lib.nn.Conv2d(1, 4, 3), lib.nn.ReLU(), lib.nn.MaxPool2d(2),
                                 lib.nn.Flatten(), lib.nn.Linear(36, 5))

    expected = rows(real, build(real), (1, 8, 8))
    torch.summary(build(torch), (1, 8, 8))
    lines = capsys.readouterr().out.splitlines()[3:3 + len(expected)]
    for line, (name, shape, params) in zip(lines, expected):
        assert line.split() == [f"{name}-{expected.index((name, shape, params)) + 1}",
                                *str(shape).split(), f"{params:,}"]
