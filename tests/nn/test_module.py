"""nn.Module machinery without PyTorch: registration, iteration, state_dict, hooks,
containers, modes, conversions and error messages."""
import copy
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import chainrule
import chainrule.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 3)
        self.act = nn.ReLU()
        self.block = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3))
        self.scale = nn.Parameter(chainrule.ones(1))
        self.register_buffer("count", chainrule.zeros(1))
        self.register_buffer("cache", chainrule.zeros(2), persistent=False)

    def forward(self, x):
        return self.block(self.act(self.fc1(x))) * self.scale


def test_registration_and_names():
    net = Net()
    assert [n for n, _ in net.named_parameters()] == [
        "scale", "fc1.weight", "fc1.bias", "block.0.weight", "block.0.bias", "block.1.weight",
        "block.1.bias"]
    assert [n for n, _ in net.named_buffers()] == [
        "count", "cache", "block.1.running_mean", "block.1.running_var",
        "block.1.num_batches_tracked"]
    assert list(net.state_dict()) == [
        "scale", "count", "fc1.weight", "fc1.bias", "block.0.weight", "block.0.bias",
        "block.1.weight", "block.1.bias", "block.1.running_mean", "block.1.running_var",
        "block.1.num_batches_tracked"]
    assert [n for n, _ in net.named_children()] == ["fc1", "act", "block"]
    assert [n for n, _ in net.named_modules()] == ["", "fc1", "act", "block", "block.0",
                                                   "block.1"]
    assert net.get_submodule("block.0") is net.block[0]
    assert net.get_parameter("block.0.bias") is net.block[0].bias
    assert len(list(net.parameters(recurse=False))) == 1
    assert "fc1" in dir(net) and "scale" in dir(net) and "count" in dir(net)


def test_shared_parameters_counted_once():
    lin = nn.Linear(2, 2)
    seq = nn.Sequential(lin, nn.ReLU(), lin)
    assert len(list(seq.parameters())) == 2
    assert len(list(seq.named_modules())) == 3


def test_setattr_replaces_and_deletes():
    net = Net()
    net.fc1 = None
    assert net._modules["fc1"] is None
    net.scale = None
    assert net._parameters["scale"] is None
    del net.count
    assert "count" not in net._buffers
    net.plain = 3
    assert net.plain == 3 and "plain" in net.__dict__
    with pytest.raises(TypeError, match="cannot assign 'chainrule.FloatTensor'|cannot assign"):
        net.block = chainrule.zeros(1)


def test_getattr_error_message():
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'foo'"):
        nn.Linear(2, 2).foo


def test_state_dict_round_trip_and_strict():
    a, b = Net(), Net()
    sd = a.state_dict()
    assert isinstance(sd, OrderedDict)
    assert all(not v.requires_grad for v in sd.values())
    assert a.state_dict(keep_vars=True)["fc1.weight"] is a.fc1.weight
    assert repr(b.load_state_dict(sd)) == "<All keys matched successfully>"
    for k, v in b.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), sd[k].numpy())
    assert sd["fc1.weight"]._data is not b.fc1.weight._data  # copied, not aliased
    del sd["scale"]
    sd["extra"] = chainrule.zeros(1)
    with pytest.raises(RuntimeError) as info:
        b.load_state_dict(sd)
    assert str(info.value).startswith('Error(s) in loading state_dict for Net:\n\tMissing '
                                      'key(s) in state_dict: "scale". \n\tUnexpected key(s) in '
                                      'state_dict: "extra". ')
    result = b.load_state_dict(sd, strict=False)
    assert result.missing_keys == ["scale"] and result.unexpected_keys == ["extra"]
    assert sd.get("prefix") is None
    prefixed = a.state_dict(prefix="model.")
    assert next(iter(prefixed)) == "model.scale"


def test_hooks():
    lin = nn.Linear(2, 2)
    calls = []
    h1 = lin.register_forward_pre_hook(lambda m, args: calls.append("pre") or (args[0] * 2,))
    h2 = lin.register_forward_hook(lambda m, args, out: calls.append("post") or out + 1)
    x = chainrule.ones(1, 2)
    expected = lin.weight.detach().numpy().sum(1) * 2 + lin.bias.detach().numpy() + 1
    np.testing.assert_allclose(lin(x).detach().numpy()[0], expected, rtol=1e-6)
    assert calls == ["pre", "post"]
    h1.remove()
    h2.remove()
    calls.clear()
    lin(x)
    assert calls == []
    h = lin.register_forward_pre_hook(lambda m, a, k: (a, {}), with_kwargs=True)
    lin(x)
    h.remove()


def test_train_eval_apply_zero_grad_requires_grad():
    net = Net()
    assert net.training and net.block[1].training
    net.eval()
    assert not net.training and not net.block[1].training
    net.train()
    assert net.block[1].training
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        net.train("yes")
    out = net(chainrule.randn(5, 4)).sum()
    out.backward()
    assert net.fc1.weight.grad is not None
    net.zero_grad(set_to_none=False)
    assert not net.fc1.weight.grad.numpy().any()
    net.zero_grad()
    assert net.fc1.weight.grad is None
    seen = []
    net.apply(lambda m: seen.append(type(m).__name__))
    assert seen[-1] == "Net" and seen[0] == "Linear"
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_dtype_conversion_keeps_parameter_identity():
    net = Net()
    w = net.fc1.weight
    net.double()
    assert net.fc1.weight is w and w.dtype == chainrule.float64
    assert net.block[1].num_batches_tracked.dtype == chainrule.int64
    assert net(chainrule.randn(3, 4, dtype=chainrule.float64)).dtype == chainrule.float64
    net.to(chainrule.float32)
    assert w.dtype == chainrule.float32
    net.float().cpu()
    with pytest.raises(TypeError, match="nn.Module.to only accepts floating point"):
        net.to(chainrule.int64)


def test_copy_and_pickle():
    net = Net()
    twin = copy.deepcopy(net)
    assert twin.fc1.weight is not net.fc1.weight
    assert isinstance(twin.fc1.weight, nn.Parameter)
    np.testing.assert_array_equal(twin.fc1.weight.detach().numpy(),
                                  net.fc1.weight.detach().numpy())
    again = pickle.loads(pickle.dumps(net))
    assert isinstance(again.scale, nn.Parameter) and again.scale.requires_grad


def test_parameter():
    p = nn.Parameter(chainrule.tensor([1.0, 2.0]))
    assert p.requires_grad and p.is_leaf and isinstance(p, chainrule.Tensor)
    assert repr(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    q = nn.Parameter(chainrule.tensor([1.0]), requires_grad=False)
    assert repr(q) == "Parameter containing:\ntensor([1.])"
    assert type(p * 2) is chainrule.Tensor
    assert nn.Parameter().shape == (0,)


def test_sequential_container_ops():
    a, b, c = nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1)
    seq = nn.Sequential(a, b)
    seq.append(c)
    assert len(seq) == 3 and seq[-1] is c and list(seq) == [a, b, c]
    assert isinstance(seq[:2], nn.Sequential) and len(seq[1:]) == 2
    seq.insert(0, nn.Identity())
    assert isinstance(seq[0], nn.Identity) and seq[1] is a
    del seq[0]
    assert seq[0] is a and list(seq._modules) == ["0", "1", "2"]
    seq.extend([nn.Tanh()])
    assert len(seq) == 4
    named = nn.Sequential(OrderedDict([("first", a), ("second", b)]))
    assert named.first is a and list(named.state_dict()) == ["first.weight", "first.bias"]
    with pytest.raises(IndexError, match="index 5 is out of range"):
        seq[5]
    assert len(seq + nn.Sequential(nn.ReLU())) == 5
    assert seq(chainrule.randn(3, 2)).shape == (3, 1)


def test_module_list_dict_parameter_containers():
    ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    ml.append(nn.ReLU())
    assert len(ml) == 4 and len(list(ml.parameters())) == 6
    assert isinstance(ml[1:], nn.ModuleList)
    assert repr(ml).startswith("ModuleList(\n  (0-2): 3 x Linear(")
    md = nn.ModuleDict({"a": nn.Linear(1, 1)})
    md["b"] = nn.ReLU()
    assert list(md.keys()) == ["a", "b"] and "a" in md and len(md) == 2
    pl = nn.ParameterList([chainrule.zeros(2), nn.Parameter(chainrule.ones(3))])
    assert all(isinstance(p, nn.Parameter) for p in pl) and len(list(pl.parameters())) == 2
    pd = nn.ParameterDict({"w": chainrule.zeros(2)})
    pd["v"] = chainrule.ones(1)
    assert isinstance(pd["w"], nn.Parameter) and list(pd.keys()) == ["w", "v"]
    assert [n for n, _ in pd.named_parameters()] == ["w", "v"]
    with pytest.raises(RuntimeError, match="ParameterList should not be called."):
        pl()


def test_register_errors():
    m = nn.Module()
    with pytest.raises(KeyError, match="buffer name can"):
        m.register_buffer("a.b", None)
    with pytest.raises(TypeError, match="cannot assign 'int' object to parameter 'p'"):
        m.register_parameter("p", 3)
    m.x = 1
    with pytest.raises(KeyError, match="attribute 'x' already exists"):
        m.register_buffer("x", None)
    with pytest.raises(TypeError, match="is not a Module subclass"):
        m.add_module("y", 3)


def test_training_loop_decreases_loss():
    chainrule.manual_seed(0)
    x = chainrule.randn(64, 4)
    y = (x[:, 0] > 0).long() if hasattr(x, "__getitem__") else None
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
    loss_fn = nn.CrossEntropyLoss()
    first = None
    for _ in range(60):
        model.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        with chainrule.no_grad():
            for p in model.parameters():
                p._data -= 0.5 * p.grad._data
        first = first if first is not None else loss.item()
    assert loss.item() < first * 0.5


def test_manual_seed_makes_init_repeatable():
    chainrule.manual_seed(3)
    a = nn.Linear(5, 4)
    chainrule.manual_seed(3)
    b = nn.Linear(5, 4)
    np.testing.assert_array_equal(a.weight.detach().numpy(), b.weight.detach().numpy())
    np.testing.assert_array_equal(a.bias.detach().numpy(), b.bias.detach().numpy())


def test_buffer_marks_a_plain_tensor():
    src = chainrule.ones(2)
    b = nn.Buffer(src)
    assert type(b) is chainrule.Tensor and isinstance(b, nn.Buffer)
    b[0] = 5.0  # shares storage with its data, as detach() does
    assert src[0].item() == 5.0
    m = nn.Module()
    m.b = b
    assert m.b is b and "b" in m.state_dict()


def test_parameter_of_integers_cannot_require_grad():
    with pytest.raises(RuntimeError, match="^Only Tensors of floating point and complex dtype"):
        nn.Parameter(chainrule.ones(2, dtype=chainrule.int64))
    assert not nn.Parameter(chainrule.ones(2, dtype=chainrule.int64), False).requires_grad
