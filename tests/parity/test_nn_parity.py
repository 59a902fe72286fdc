"""nn layers and losses against PyTorch: same weights in, same outputs, input gradients,
parameter gradients, state_dict keys and reprs out."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule  # noqa: E402
import chainrule.nn as cnn  # noqa: E402
import chainrule.nn.functional as CF  # noqa: E402
import torch.nn.functional as TF  # noqa: E402

import nn_helpers as H  # noqa: E402

H.set_torch(torch)

RNG = np.random.default_rng(1234)


def randn(*shape):
    return RNG.standard_normal(shape)


def both(name, *args, **kwargs):
    return getattr(torch.nn, name)(*args, **kwargs), getattr(cnn, name)(*args, **kwargs)


# (layer name, constructor args, constructor kwargs, input shapes)
LAYERS = [
    ("Linear", (5, 3), {}, [(4, 5)]),
    ("Linear", (5, 3), {"bias": False}, [(4, 5)]),
    ("Linear", (5, 3), {}, [(2, 4, 5)]),
    ("Linear", (5, 3), {"bias": False}, [(2, 4, 5)]),
    ("Linear", (5, 3), {}, [(5,)]),
    ("Bilinear", (4, 3, 2), {}, [(5, 4), (5, 3)]),
    ("Identity", (), {}, [(3, 4)]),
    ("ReLU", (), {}, [(4, 6)]),
    ("ReLU6", (), {}, [(4, 6)]),
    ("LeakyReLU", (0.2,), {}, [(4, 6)]),
    ("PReLU", (), {}, [(4, 6)]),
    ("PReLU", (3,), {}, [(4, 3, 5)]),
    ("ELU", (), {"alpha": 0.7}, [(4, 6)]),
    ("CELU", (), {"alpha": 0.7}, [(4, 6)]),
    ("SELU", (), {}, [(4, 6)]),
    ("GELU", (), {}, [(4, 6)]),
    ("GELU", (), {"approximate": "tanh"}, [(4, 6)]),
    ("SiLU", (), {}, [(4, 6)]),
    ("Mish", (), {}, [(4, 6)]),
    ("Sigmoid", (), {}, [(4, 6)]),
    ("Tanh", (), {}, [(4, 6)]),
    ("Hardtanh", (-0.5, 0.7), {}, [(4, 6)]),
    ("Softplus", (), {"beta": 2.0, "threshold": 1.0}, [(4, 6)]),
    ("Softsign", (), {}, [(4, 6)]),
    ("Hardswish", (), {}, [(4, 6)]),
    ("Hardsigmoid", (), {}, [(4, 6)]),
    ("LogSigmoid", (), {}, [(4, 6)]),
    ("Tanhshrink", (), {}, [(4, 6)]),
    ("Softshrink", (0.3,), {}, [(4, 6)]),
    ("Hardshrink", (0.3,), {}, [(4, 6)]),
    ("Threshold", (0.1, -2.0), {}, [(4, 6)]),
    ("Softmax", (1,), {}, [(4, 6)]),
    ("Softmax", (-1,), {}, [(2, 3, 6)]),
    ("LogSoftmax", (1,), {}, [(4, 6)]),
    ("Softmin", (0,), {}, [(4, 6)]),
    ("Flatten", (), {}, [(2, 3, 4, 5)]),
    ("Flatten", (0, 2), {}, [(2, 3, 4, 5)]),
    ("Unflatten", (1, (2, 3)), {}, [(4, 6)]),
    ("Conv1d", (3, 4, 3), {}, [(2, 3, 9)]),
    ("Conv1d", (4, 6, 3), {"stride": 2, "padding": 1, "groups": 2}, [(2, 4, 9)]),
    ("Conv2d", (3, 4, 3), {}, [(2, 3, 7, 8)]),
    ("Conv2d", (3, 4, (3, 2)), {"stride": (2, 1), "padding": (1, 2), "bias": False},
     [(2, 3, 7, 8)]),
    ("Conv2d", (4, 6, 3), {"dilation": 2, "groups": 2}, [(2, 4, 9, 9)]),
    ("Conv2d", (3, 4, 3), {"padding": "same"}, [(2, 3, 6, 6)]),
    ("Conv2d", (3, 4, 4), {"padding": "same"}, [(2, 3, 6, 7)]),
    ("Conv2d", (3, 4, 3), {"padding": "valid"}, [(2, 3, 6, 6)]),
    ("Conv2d", (3, 4, 3), {"padding": 1, "padding_mode": "reflect"}, [(2, 3, 6, 6)]),
    ("Conv2d", (3, 4, 3), {"padding": 1, "padding_mode": "circular"}, [(2, 3, 6, 6)]),
    ("Conv2d", (3, 4, 3), {"padding": 1, "padding_mode": "replicate"}, [(2, 3, 6, 6)]),
    ("Conv2d", (3, 4, 3), {}, [(3, 7, 8)]),
    ("ConvTranspose2d", (3, 4, 3), {}, [(2, 3, 5, 5)]),
    ("ConvTranspose2d", (4, 6, 3), {"stride": 2, "padding": 1, "output_padding": 1,
                                    "groups": 2}, [(2, 4, 5, 4)]),
    ("ConvTranspose2d", (3, 2, (2, 3)), {"stride": (2, 1), "dilation": 2, "bias": False},
     [(2, 3, 4, 5)]),
    ("MaxPool2d", (2,), {}, [(2, 3, 6, 8)]),
    ("MaxPool2d", (3,), {"stride": 2, "padding": 1}, [(2, 3, 7, 8)]),
    ("MaxPool2d", (3,), {"stride": 2, "ceil_mode": True}, [(2, 3, 8, 8)]),
    ("MaxPool2d", (2,), {"stride": 1, "dilation": 2}, [(2, 3, 7, 7)]),
    ("MaxPool2d", (2,), {}, [(2, 3, 7, 9)]),
    ("MaxPool1d", (3,), {"stride": 2}, [(2, 3, 9)]),
    ("AvgPool2d", (2,), {}, [(2, 3, 6, 8)]),
    ("AvgPool2d", (3,), {"stride": 2, "padding": 1}, [(2, 3, 7, 8)]),
    ("AvgPool2d", (3,), {"stride": 2, "padding": 1, "count_include_pad": False},
     [(2, 3, 7, 8)]),
    ("AvgPool2d", (3,), {"stride": 2, "ceil_mode": True}, [(2, 3, 8, 8)]),
    ("AvgPool2d", (2,), {"divisor_override": 3}, [(2, 3, 6, 6)]),
    ("AvgPool1d", (3,), {"stride": 2, "padding": 1}, [(2, 3, 9)]),
    ("AdaptiveAvgPool2d", ((1, 1),), {}, [(2, 3, 5, 6)]),
    ("AdaptiveAvgPool2d", (3,), {}, [(2, 3, 7, 8)]),
    ("AdaptiveAvgPool2d", ((2, None),), {}, [(2, 3, 5, 6)]),
    ("AdaptiveAvgPool1d", (4,), {}, [(2, 3, 9)]),
    ("LayerNorm", (6,), {}, [(4, 6)]),
    ("LayerNorm", ((3, 4),), {}, [(2, 3, 4)]),
    ("LayerNorm", (6,), {"elementwise_affine": False}, [(4, 6)]),
    ("LayerNorm", (6,), {"bias": False}, [(4, 6)]),
    ("GroupNorm", (2, 4), {}, [(3, 4, 5, 2)]),
    ("GroupNorm", (4, 4), {"affine": False}, [(3, 4, 5)]),
    ("BatchNorm1d", (4,), {}, [(8, 4)]),
    ("BatchNorm1d", (4,), {"affine": False}, [(8, 4, 3)]),
    ("BatchNorm2d", (3,), {}, [(4, 3, 5, 5)]),
    ("BatchNorm2d", (3,), {"momentum": None}, [(4, 3, 5, 5)]),
    ("BatchNorm2d", (3,), {"track_running_stats": False}, [(4, 3, 5, 5)]),
]


def _layer_id(case):
    name, args, kwargs, _ = case
    return f"{name}{args}{kwargs}"


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", LAYERS, ids=[_layer_id(c) for c in LAYERS])
def test_layer(case, dtype):
    name, args, kwargs, shapes = case
    pt, cm = both(name, *args, **kwargs)
    inputs = [randn(*s) for s in shapes]
    H.check_module(pt, cm, *inputs, dtype=dtype)


@pytest.mark.parametrize("name", ["BatchNorm1d", "BatchNorm2d"])
def test_batchnorm_running_stats_and_eval(name):
    pt, cm = both(name, 3, momentum=0.3)
    shape = (6, 3) if name == "BatchNorm1d" else (6, 3, 4, 4)
    H.copy_weights(pt, cm)
    for _ in range(3):
        x = randn(*shape).astype(np.float32) * 2 + 1
        H.run_both(pt, cm, [x])
    for (k, v), (k2, v2) in zip(pt.state_dict().items(), cm.state_dict().items()):
        H.close(v, v2, what=k)
    assert int(cm.num_batches_tracked) == 3
    pt.eval()
    cm.eval()
    H.run_both(pt, cm, [randn(*shape).astype(np.float32)], pt_params=list(pt.named_parameters()),
               cr_params=list(cm.parameters()))


def test_embedding():
    pt, cm = both("Embedding", 10, 4, padding_idx=2)
    H.copy_weights(pt, cm)
    assert repr(pt) == repr(cm)
    idx = np.array([[1, 2, 3], [2, 2, 9]])
    pt_out = pt(torch.tensor(idx))
    cr_out = cm(chainrule.tensor(idx))
    H.close(pt_out, cr_out)
    cot = randn(2, 3, 4).astype(np.float32)
    pt_out.backward(torch.tensor(cot))
    cr_out.backward(chainrule.tensor(cot))
    H.close(pt.weight.grad, cm.weight.grad)
    assert cr_out.grad_fn.name() == "EmbeddingBackward0"
    assert not cm.weight._data[2].any()


def test_dropout_train_and_eval():
    cm = cnn.Dropout(0.25)
    assert repr(cm) == repr(torch.nn.Dropout(0.25))
    x = chainrule.ones(2000, requires_grad=True)
    y = cm(x)
    vals = set(np.unique(y.detach().numpy()).tolist())
    assert vals <= {0.0, np.float32(1 / 0.75)}
    assert abs((y.detach().numpy() == 0).mean() - 0.25) < 0.05
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())
    cm.eval()
    assert cm(x) is x


LOSSES = [
    ("MSELoss", {}, "reg"), ("L1Loss", {}, "reg"), ("SmoothL1Loss", {"beta": 0.5}, "reg"),
    ("HuberLoss", {"delta": 0.7}, "reg"), ("CrossEntropyLoss", {}, "cls"),
    ("CrossEntropyLoss", {"label_smoothing": 0.2}, "cls"),
    ("CrossEntropyLoss", {"ignore_index": 1}, "cls"),
    ("CrossEntropyLoss", {"label_smoothing": 0.1, "ignore_index": 1}, "cls"),
    ("CrossEntropyLoss", {}, "prob"), ("CrossEntropyLoss", {"label_smoothing": 0.3}, "prob"),
    ("CrossEntropyLoss", {}, "cls2d"), ("NLLLoss", {}, "nll"), ("NLLLoss", {}, "nll2d"),
    ("NLLLoss", {"ignore_index": 0}, "nll"),
    ("BCELoss", {}, "bce"), ("BCEWithLogitsLoss", {}, "bcel"),
    ("KLDivLoss", {"reduction": "batchmean"}, "kl"),
    ("KLDivLoss", {"reduction": "batchmean", "log_target": True}, "kllog"),
    ("CosineEmbeddingLoss", {"margin": 0.2}, "cos"), ("MarginRankingLoss", {"margin": 0.1}, "mr"),
]


def _loss_inputs(kind):
    n, c = 6, 5
    if kind == "reg":
        return [randn(n, c), randn(n, c)], ()
    if kind == "cls":
        return [randn(n, c), RNG.integers(0, c, n)], ()
    if kind == "cls2d":
        return [randn(n, c, 3, 2), RNG.integers(0, c, (n, 3, 2))], ()
    if kind == "prob":
        p = RNG.random((n, c))
        return [randn(n, c), p / p.sum(1, keepdims=True)], (1,)
    if kind == "nll":
        return [randn(n, c), RNG.integers(0, c, n)], ()
    if kind == "nll2d":
        return [randn(n, c, 3, 2), RNG.integers(0, c, (n, 3, 2))], ()
    if kind == "bce":
        return [RNG.random((n, c)) * 0.98 + 0.01, RNG.random((n, c))], ()
    if kind == "bcel":
        return [randn(n, c) * 3, RNG.random((n, c))], ()
    if kind == "kl":
        lp = randn(n, c)
        p = RNG.random((n, c))
        return [lp, p / p.sum(1, keepdims=True)], ()
    if kind == "kllog":
        return [randn(n, c), randn(n, c)], ()
    if kind == "cos":
        return [randn(n, c), randn(n, c), RNG.choice([-1.0, 1.0], n)], (2,)
    if kind == "mr":
        return [randn(n), randn(n), RNG.choice([-1.0, 1.0], n)], (2,)
    raise ValueError(kind)


# Cases that fix their own reduction run once; the others run with each reduction.
LOSS_CASES = [(case, reduction) for case in LOSSES
              for reduction in (("mean",) if "reduction" in case[1] else ("mean", "sum", "none"))]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case, reduction", LOSS_CASES,
                         ids=[f"{n}{k}{t}-{r}" for (n, k, t), r in LOSS_CASES])
def test_loss(case, reduction, dtype):
    name, kwargs, kind = case
    kwargs = dict(kwargs)
    kwargs.setdefault("reduction", reduction)
    pt, cm = both(name, **kwargs)
    inputs, non_diff = _loss_inputs(kind)
    inputs = [a.astype(dtype) if a.dtype.kind == "f" else a for a in inputs]
    assert repr(pt) == repr(cm)
    H.run_both(pt, cm, inputs, dtype, non_diff=non_diff)


@pytest.mark.parametrize("name", ["CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss"])
def test_weighted_losses(name):
    w = RNG.random(5).astype(np.float32) + 0.5
    kwargs = {"weight": w}
    kind = {"CrossEntropyLoss": "cls", "NLLLoss": "nll", "BCELoss": "bce",
            "BCEWithLogitsLoss": "bcel"}[name]
    extra = {}
    if name == "BCEWithLogitsLoss":
        extra["pos_weight"] = RNG.random(5).astype(np.float32) * 3
    if name == "CrossEntropyLoss":
        extra["label_smoothing"] = 0.1
    for reduction in ("mean", "sum", "none"):
        pt = getattr(torch.nn, name)(weight=torch.tensor(w), reduction=reduction,
                                     **{k: torch.tensor(v) if isinstance(v, np.ndarray) else v
                                        for k, v in extra.items()})
        cm = getattr(cnn, name)(weight=chainrule.tensor(w), reduction=reduction,
                                **{k: chainrule.tensor(v) if isinstance(v, np.ndarray) else v
                                   for k, v in extra.items()})
        assert list(pt.state_dict()) == list(cm.state_dict())
        inputs, non_diff = _loss_inputs(kind)
        inputs = [a.astype(np.float32) if a.dtype.kind == "f" else a for a in inputs]
        H.run_both(pt, cm, inputs, non_diff=non_diff)
    if name == "CrossEntropyLoss":  # class weights with class probabilities
        inputs, non_diff = _loss_inputs("prob")
        inputs = [a.astype(np.float32) for a in inputs]
        H.run_both(torch.nn.CrossEntropyLoss(weight=torch.tensor(w)),
                   cnn.CrossEntropyLoss(weight=chainrule.tensor(w)), inputs, non_diff=non_diff)


def test_loss_target_gradients():
    for name in ("mse_loss", "smooth_l1_loss", "huber_loss", "l1_loss",
                 "binary_cross_entropy_with_logits"):
        a, b = randn(4, 3), RNG.random((4, 3))
        H.run_both(getattr(TF, name), getattr(CF, name), [a, b], "float64")


def test_grad_fn_names():
    x = chainrule.randn(4, 5, requires_grad=True)
    w = cnn.Linear(5, 3)
    assert w(x).grad_fn.name() == "AddmmBackward0"
    assert CF.linear(x, w.weight).grad_fn.name() == "MmBackward0"
    assert w(x.view(2, 2, 5)).grad_fn.name() == "ViewBackward0"
    y = chainrule.tensor([0, 1, 2, 0])
    ce = CF.cross_entropy(x, y)
    assert ce.grad_fn.name() == "NllLossBackward0"
    assert ce.grad_fn.next_functions[0][0].name() == "LogSoftmaxBackward0"
    assert CF.mse_loss(x, x.detach()).grad_fn.name() == "MseLossBackward0"
    img = chainrule.randn(1, 3, 6, 6, requires_grad=True)
    conv = cnn.Conv2d(3, 2, 3)
    out = conv(img)
    assert out.grad_fn.name() == "ConvolutionBackward0"
    assert len(out.grad_fn.next_functions) == 3
    assert CF.max_pool2d(img, 2).grad_fn.name() == "MaxPool2DWithIndicesBackward0"
    assert CF.max_pool2d(img, 3, 2).grad_fn.name() == "MaxPool2DWithIndicesBackward0"
    assert CF.avg_pool2d(img, 2).grad_fn.name() == "AvgPool2DBackward0"
    assert cnn.BatchNorm2d(3)(img).grad_fn.name() == "NativeBatchNormBackward0"
    assert cnn.LayerNorm(6)(img).grad_fn.name() == "NativeLayerNormBackward0"
    assert cnn.GroupNorm(1, 3)(img).grad_fn.name() == "NativeGroupNormBackward0"
    assert CF.softmax(x, 1).grad_fn.name() == "SoftmaxBackward0"
    assert CF.gelu(x).grad_fn.name() == "GeluBackward0"
    assert CF.pad(x, (1, 1)).grad_fn.name() == "ConstantPadNdBackward0"
    assert CF.pad(img, (1, 1, 1, 1), mode="reflect").grad_fn.name() == "ReflectionPad2DBackward0"


def test_functional_misc():
    a, b = randn(4, 6), randn(4, 6)
    H.run_both(lambda x, y: TF.cosine_similarity(x, y), lambda x, y: CF.cosine_similarity(x, y),
               [a, b], "float64")
    H.run_both(lambda x: TF.normalize(x, dim=1), lambda x: CF.normalize(x, dim=1), [a],
               "float64")
    H.run_both(TF.pairwise_distance, CF.pairwise_distance, [a, b], "float64")
    H.run_both(lambda x: TF.dropout(x, 0.3, training=False),
               lambda x: CF.dropout(x, 0.3, training=False), [a], "float64")
    for mode in ("constant", "reflect", "replicate", "circular"):
        img = randn(2, 3, 5, 6)
        H.run_both(lambda x: TF.pad(x, (1, 2, 2, 1), mode=mode),
                   lambda x: CF.pad(x, (1, 2, 2, 1), mode=mode), [img], "float64")
    H.run_both(lambda x: TF.pad(x, (1, -1), value=2.5), lambda x: CF.pad(x, (1, -1), value=2.5),
               [a], "float64")
    idx = RNG.integers(0, 5, (3, 4))
    assert (TF.one_hot(torch.tensor(idx), 6).numpy() ==
            CF.one_hot(chainrule.tensor(idx), 6).numpy()).all()
    assert CF.one_hot(chainrule.tensor(idx)).dtype == chainrule.int64


@pytest.mark.parametrize("args", [dict(), dict(stride=2, padding=1), dict(stride=1, dilation=2)])
def test_max_pool_indices(args):
    x = randn(2, 3, 7, 7)
    pv, pi = TF.max_pool2d(torch.tensor(x), 3, return_indices=True, **args)
    cv, ci = CF.max_pool2d(chainrule.tensor(x), 3, return_indices=True, **args)
    H.close(pv, cv, "float64")
    np.testing.assert_array_equal(pi.numpy(), ci.numpy())


def test_max_pool_ties_route_to_first():
    x = np.zeros((1, 1, 4, 4))
    for k, s in ((2, 2), (3, 1)):
        H.run_both(lambda t: TF.max_pool2d(t, k, s), lambda t: CF.max_pool2d(t, k, s), [x],
                   "float64")


def test_module_reprs():
    def build(nn):
        return nn.Sequential(
            nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Sequential(nn.Linear(3, 4), nn.Dropout(0.1)),
            nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.Tanh()]),
            nn.ModuleDict({"a": nn.BatchNorm2d(3), "b": nn.LayerNorm(4)}),
            nn.Embedding(10, 3, padding_idx=0), nn.GELU(approximate="tanh"),
            nn.LeakyReLU(0.2, inplace=True), nn.Softmax(dim=1), nn.Flatten(),
            nn.AvgPool2d(2), nn.AvgPool1d(3), nn.AdaptiveAvgPool2d((1, 1)),
            nn.GroupNorm(2, 4), nn.ConvTranspose2d(2, 3, 3, stride=2, output_padding=1),
            nn.Conv2d(4, 4, 3, padding="same", groups=2, bias=False, padding_mode="reflect"),
            nn.CrossEntropyLoss(label_smoothing=0.1), nn.Hardtanh(-2, 2), nn.ReLU6(),
            nn.ELU(alpha=0.5), nn.Softplus(), nn.PReLU(3), nn.Identity(), nn.Unflatten(1, (2, 2)),
            nn.Bilinear(2, 3, 4), nn.BatchNorm1d(5, affine=False), nn.SiLU(inplace=True),
            nn.Conv1d(2, 2, 3, stride=2), nn.MaxPool1d(2), nn.Threshold(0.1, 20),
            nn.Softshrink(), nn.ParameterList([nn.Parameter(torch_like(nn, (2, 3)))]),
            nn.Hardswish(inplace=True), nn.Hardsigmoid(inplace=True),
        )
    assert repr(build(torch.nn)) == repr(build(cnn))


def torch_like(nn, shape):
    mod = torch if nn is torch.nn else chainrule
    return mod.zeros(*shape)


def test_parameter_repr_and_state_dict_order():
    p = torch.nn.Parameter(torch.tensor([[1.0, 2.5], [3.0, -4.0]]))
    q = cnn.Parameter(chainrule.tensor([[1.0, 2.5], [3.0, -4.0]]))
    assert repr(p) == repr(q)
    assert repr(torch.nn.Parameter(torch.tensor([1.0]), requires_grad=False)) == \
        repr(cnn.Parameter(chainrule.tensor([1.0]), requires_grad=False))

    def build(nn):
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(1, 2, 3)
                self.bn = nn.BatchNorm2d(2)
                self.register_buffer("steps", (torch if nn is torch.nn else chainrule).zeros(1))
                self.head = nn.Sequential(nn.Flatten(), nn.Linear(8, 3))
                self.register_buffer("tmp", (torch if nn is torch.nn else chainrule).zeros(1),
                                     persistent=False)

        return Net()
    a, b = build(torch.nn), build(cnn)
    assert list(a.state_dict()) == list(b.state_dict())
    assert [n for n, _ in a.named_parameters()] == [n for n, _ in b.named_parameters()]
    assert [n for n, _ in a.named_buffers()] == [n for n, _ in b.named_buffers()]
    assert [n for n, _ in a.named_modules()] == [n for n, _ in b.named_modules()]
    assert repr(a) == repr(b)


def test_default_init_matches_torch_distribution():
    """Default initialisation: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases,
    the same bounds PyTorch's values respect."""
    for make in (lambda nn: nn.Linear(50, 40), lambda nn: nn.Conv2d(6, 8, 5),
                 lambda nn: nn.Conv1d(4, 3, 2), lambda nn: nn.ConvTranspose2d(5, 4, 3)):
        pt, cm = make(torch.nn), make(cnn)
        fan_in = cm.weight.shape[1] * int(np.prod(cm.weight.shape[2:]))
        bound = 1 / np.sqrt(fan_in)
        for (name, p), c in zip(pt.named_parameters(), cm.parameters()):
            assert np.abs(p.detach().numpy()).max() <= bound
            values = np.abs(c.detach().numpy())
            assert values.max() <= bound, name
            if values.size >= 100:
                assert values.max() > 0.9 * bound and abs(values.mean() - bound / 2) < 0.1 * bound


def test_errors_match_torch():
    def err(fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            return type(e).__name__, str(e)
        return None

    cases = [
        lambda M, F, t: M.nn.Linear(3, 4)(t.randn(2, 5)),
        lambda M, F, t: F.cross_entropy(t.randn(2, 3), t.tensor([0, 5])),
        lambda M, F, t: F.nll_loss(t.randn(2, 3), t.tensor([0, 1, 1])),
        lambda M, F, t: F.conv2d(t.randn(2, 3, 5, 5), t.randn(4, 2, 3, 3)),
        lambda M, F, t: F.conv2d(t.randn(2, 3, 2, 2), t.randn(4, 3, 3, 3)),
        lambda M, F, t: F.embedding(t.tensor([5]), t.randn(3, 2)),
        lambda M, F, t: F.dropout(t.randn(3), 1.5),
        lambda M, F, t: M.nn.Dropout(-0.1),
        lambda M, F, t: M.nn.Linear(2, 2).foo,
        lambda M, F, t: M.nn.BatchNorm2d(3)(t.randn(2, 3)),
        lambda M, F, t: M.nn.Linear(2, 2).load_state_dict({"weight": t.zeros(2, 2)}),
        lambda M, F, t: M.nn.Linear(2, 2).load_state_dict(
            {"weight": t.zeros(3, 2), "bias": t.zeros(2), "extra": t.zeros(1)}),
        lambda M, F, t: M.nn.Sequential(M.nn.ReLU())[3],
        lambda M, F, t: M.nn.Conv2d(3, 4, 3, groups=2),
        lambda M, F, t: F.binary_cross_entropy_with_logits(t.randn(3), t.randn(2)),
        lambda M, F, t: M.nn.LayerNorm(4)(t.randn(2, 3)),
        lambda M, F, t: F.one_hot(t.tensor([1, 5]), 3),
        lambda M, F, t: M.nn.Module().register_buffer("a.b", None),
        lambda M, F, t: setattr(M.nn.Linear(2, 2), "weight", t.zeros(2, 2)),
        lambda M, F, t: M.nn.init.kaiming_uniform_(t.zeros(3), mode="fan_in"),
        lambda M, F, t: M.nn.init.kaiming_uniform_(t.zeros(3, 3), mode="fan_x"),
        lambda M, F, t: M.nn.init.calculate_gain("foo"),
        lambda M, F, t: M.nn.Linear(3, 4)(t.tensor([[1, 2, 3]])),
        lambda M, F, t: F.linear(t.randn(2, 3, dtype=t.float64), t.randn(4, 3)),
        lambda M, F, t: F.linear(t.randn(2, 3), t.randn(4, 3), t.randn(4, dtype=t.float64)),
        lambda M, F, t: F.linear(t.tensor(1.0), t.randn(2, 1)),
        lambda M, F, t: F.cross_entropy(t.randn(2, 3), t.tensor([0.0, 1.0])),
        lambda M, F, t: F.cross_entropy(t.randn(2, 3), t.tensor([0, 1], dtype=t.int32)),
        lambda M, F, t: F.nll_loss(t.randn(2, 3, 4), t.zeros(3, 4, dtype=t.int64)),
        lambda M, F, t: F.softmax(t.tensor([1, 2]), 0),
        lambda M, F, t: F.mse_loss(t.tensor([1, 2]), t.tensor([1, 2])),
        lambda M, F, t: M.nn.Unflatten(1, (2, 2))(t.randn(3, 5)),
        lambda M, F, t: F.max_pool2d(t.randn(1, 1, 2, 2), 3),
        lambda M, F, t: M.nn.BatchNorm1d(3)(t.randn(1, 3)),
        lambda M, F, t: M.nn.Embedding(3, 2)(t.tensor([1.0])),
        lambda M, F, t: M.nn.Conv2d(1, 2, 3)(t.randn(5, 5)),
        lambda M, F, t: M.nn.GroupNorm(3, 4),
        lambda M, F, t: M.nn.Parameter(t.ones(2, dtype=t.int64)),
        lambda M, F, t: M.nn.Parameter([1.0, 2.0]),
        lambda M, F, t: M.nn.init.uniform_(t.empty(3), 3.5, 2),
        lambda M, F, t: M.nn.init.uniform_(t.empty(3, dtype=t.int64)),
        lambda M, F, t: M.nn.init.normal_(t.empty(3, dtype=t.int64), 0, -1),
        lambda M, F, t: M.nn.init.orthogonal_(t.empty(3, 3, dtype=t.int64)),
    ]
    for case in cases:
        expected = err(lambda: case(torch, TF, torch))
        got = err(lambda: case(chainrule, CF, chainrule))
        assert expected is not None
        assert got is not None and got[0] == expected[0], (expected, got)
        assert got[1] == expected[1], (expected, got)


def test_load_state_dict_result():
    a, b = torch.nn.Linear(2, 2), cnn.Linear(2, 2)
    r1 = a.load_state_dict({"weight": torch.zeros(2, 2)}, strict=False)
    r2 = b.load_state_dict({"weight": chainrule.zeros(2, 2)}, strict=False)
    assert repr(r1) == repr(r2)
    sd = {k: H.cr(v) for k, v in a.state_dict().items()}
    assert repr(b.load_state_dict(sd)) == repr(a.load_state_dict(a.state_dict()))


def test_full_backward_hooks():
    def run(lib, nn):
        lin = nn.Linear(3, 2)
        seen = []
        lin.register_full_backward_pre_hook(lambda m, go: seen.append(("pre", go[0].shape)))
        lin.register_full_backward_hook(
            lambda m, gi, go: seen.append(("post", gi[0].shape, go[0].shape)) or (gi[0] * 2,))
        x = lib.ones(4, 3, requires_grad=True)
        lin(x).sum().backward()
        return seen, x.grad.numpy() / lin.weight.detach().numpy().sum(0)

    a, ga = run(torch, torch.nn)
    b, gb = run(chainrule, cnn)
    assert [tuple(map(str, e)) for e in a] == [tuple(map(str, e)) for e in b]
    np.testing.assert_allclose(ga, gb)
    np.testing.assert_allclose(gb, 2.0)


def _outcome(fn):
    """What a call gives: its exception's type and message, or its value and dtype."""
    try:
        out = fn()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    return str(out.dtype).split(".")[-1], out.detach().numpy().astype(np.float64)


def _same_outcomes(cases):
    for case in cases:
        expected = _outcome(lambda: case(torch, TF))
        got = _outcome(lambda: case(chainrule, CF))
        assert expected[0] == got[0], (expected, got)
        if isinstance(expected[1], str):
            assert expected[1] == got[1]
        else:
            np.testing.assert_allclose(got[1], expected[1], rtol=1e-6)


def test_loss_reductions_checked():
    """Only 'none', 'mean' and 'sum' (and kl_div's 'batchmean'); weighted mse and l1 average
    over the weights; the deprecated flags and 'elementwise_mean' still work."""
    x, y = randn(2, 3), randn(2, 3)
    w = RNG.random((2, 3)) + 0.5
    cases = [lambda t, F, fn=fn, r=r: getattr(F, fn)(t.tensor(x), t.tensor(y), reduction=r)
             for fn in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "soft_margin_loss",
                        "kl_div", "poisson_nll_loss", "hinge_embedding_loss")
             for r in ("batchmean", "foo", "elementwise_mean")]
    idx = np.array([0, 2])
    cases += [lambda t, F, fn=fn: getattr(F, fn)(t.tensor(x), t.tensor(idx), reduction="batchmean")
              for fn in ("cross_entropy", "nll_loss")]
    cases += [lambda t, F, fn=fn, r=r: getattr(F, fn)(t.tensor(x), t.tensor(y), reduction=r,
                                                       weight=t.tensor(w))
              for fn in ("mse_loss", "l1_loss", "huber_loss") for r in ("mean", "sum", "none", "x")]
    cases += [
        lambda t, F: F.mse_loss(t.tensor(x), t.tensor(y), weight=t.tensor(w[0])),
        lambda t, F: F.l1_loss(t.tensor(x), t.tensor(y), size_average=False, weight=t.tensor(w)),
        lambda t, F: F.mse_loss(t.tensor(x), t.tensor(y), reduce=False),
        lambda t, F: F.kl_div(t.tensor(x), t.tensor(y), size_average=False),
        lambda t, F: F.kl_div(t.tensor(x[0, 0]), t.tensor(y[0, 0]), reduction="batchmean"),
        lambda t, F: F.mse_loss(t.tensor(x), t.tensor(y[:, :2])),
        lambda t, F: F.smooth_l1_loss(t.tensor(x), t.tensor(y[:1])),
    ]
    _same_outcomes(cases)


def test_loss_dtype_rules():
    """Mixed and integer dtypes: binary_cross_entropy wants one dtype, huber and
    soft_margin keep the input's, binary_cross_entropy_with_logits the target's; kl_div
    refuses integers; mse promotes."""
    x, y = np.array([0.2, 0.7]), np.array([1, 0])
    dtypes = ("float32", "float64", "int64", "bool")
    cases = [lambda t, F, fn=fn, a=a, b=b: getattr(F, fn)(
        t.tensor(x).to(getattr(t, a)), t.tensor(y).to(getattr(t, b)))
        for fn in ("binary_cross_entropy", "binary_cross_entropy_with_logits", "huber_loss",
                   "soft_margin_loss", "kl_div", "mse_loss", "smooth_l1_loss")
        for a in dtypes[:3] for b in dtypes]
    cases += [
        lambda t, F: F.binary_cross_entropy(t.tensor([0.2, float("nan")]), t.tensor([1.0, 0.0])),
        lambda t, F: F.binary_cross_entropy(t.tensor([0.2, 0.5]), t.tensor([1.0, 2.0])),
        lambda t, F: F.binary_cross_entropy(t.tensor([0.2, 0.5]), t.tensor([1.0, 0.0]),
                                            weight=t.tensor([1.0, 2.0], dtype=t.float64)),
        lambda t, F: F.binary_cross_entropy_with_logits(
            t.tensor([0.2, 0.5]), t.tensor([1.0, 0.0]), weight=t.tensor([1.0, 2.0]).double(),
            pos_weight=t.tensor([3.0, 2.0]).double()),
    ]
    _same_outcomes(cases)


def test_hinge_embedding_loss_other_targets():
    """A target that is neither 1 nor -1 adds both terms, as PyTorch's formula does."""
    x = randn(3, 4)
    t = RNG.choice([-1.0, 0.0, 1.0, 2.0], (3, 4))
    for r in ("mean", "sum", "none"):
        H.run_both(lambda a, b: TF.hinge_embedding_loss(a, b, margin=0.5, reduction=r),
                   lambda a, b: CF.hinge_embedding_loss(a, b, margin=0.5, reduction=r), [x, t],
                   "float64", non_diff=(1,))


def test_gaussian_nll_loss():
    """Variance of the input's shape, one dimension short, or shared along one dimension; the
    clamp to ``eps`` lets the gradient through; PyTorch's checks."""
    x, y = randn(4, 3), randn(4, 3)
    for var, kwargs in ((RNG.random((4, 3)), {}), (RNG.random(4) + 0.1, {"full": True}),
                        (RNG.random((4, 1)), {"reduction": "sum"}),
                        (np.array([[1e-9, 0.5, 2.0]] * 4), {"reduction": "none"}),
                        (np.zeros((4, 3)), {"eps": 0.1})):
        H.run_both(lambda a, b, v: TF.gaussian_nll_loss(a, b, v, **kwargs),
                   lambda a, b, v: CF.gaussian_nll_loss(a, b, v, **kwargs), [x, y, var],
                   "float64")
    _same_outcomes([
        lambda t, F: F.gaussian_nll_loss(t.tensor(x), t.tensor(y), 0.5),
        lambda t, F: F.gaussian_nll_loss(t.tensor(x), t.tensor(y), -0.5),
        lambda t, F: F.gaussian_nll_loss(t.tensor(x), t.tensor(y), -t.ones(4, 3)),
        lambda t, F: F.gaussian_nll_loss(t.tensor(x), t.tensor(y), t.ones(3, 3)),
        lambda t, F: F.gaussian_nll_loss(t.tensor(x), t.tensor(y), t.ones(4, 3), reduction="x"),
        lambda t, F: t.nn.GaussianNLLLoss(reduction="sum")(t.tensor(x), t.tensor(y), t.ones(4)),
    ])


def test_buffer_is_a_marked_tensor():
    for lib in (torch, chainrule):
        b = lib.nn.Buffer(lib.ones(2, requires_grad=True), persistent=False)
        assert type(b) is lib.Tensor and b.requires_grad and b.is_leaf
        assert isinstance(b, lib.nn.Buffer) and not isinstance(lib.ones(1), lib.nn.Buffer)
        m = lib.nn.Module()
        m.b = b
        assert m.b is b and list(m.state_dict()) == [] and [n for n, _ in m.named_buffers()] == ["b"]
    assert repr(torch.nn.Buffer(torch.ones(2))) == repr(cnn.Buffer(chainrule.ones(2)))


def test_batchnorm_loads_state_without_num_batches_tracked():
    """A plain dict (no version metadata) may lack num_batches_tracked, as older checkpoints
    do; a versioned state_dict may not."""
    for lib in (torch, chainrule):
        m = lib.nn.BatchNorm1d(2)
        m(lib.ones(3, 2))
        sd = m.state_dict()
        del sd["num_batches_tracked"]
        assert repr(m.load_state_dict(dict(sd))) == \
            "<All keys matched successfully>"
        assert int(m.num_batches_tracked) == 1
        assert m.load_state_dict(sd, strict=False).missing_keys == ["num_batches_tracked"]


def test_norm_based_functions_on_zero_vectors():
    """normalize, cosine_similarity and pairwise_distance: finite gradients at zero vectors
    (cosine_similarity's clamp lets the norms' gradient through), broadcasting, p=0."""
    a = np.array([[0.0, 0.0], [1e-9, 0.0], [3.0, 4.0]])
    b = np.array([[1.0, 2.0], [0.0, 0.0], [1.0, 0.0]])
    H.run_both(lambda x, y: TF.cosine_similarity(x, y), lambda x, y: CF.cosine_similarity(x, y),
               [a, b], "float64")
    H.run_both(lambda x, y: TF.cosine_similarity(x, y), lambda x, y: CF.cosine_similarity(x, y),
               [a, b[2]], "float64")
    for p in (1, 2, 3, float("inf")):
        H.run_both(lambda x: TF.normalize(x, p=p), lambda x: CF.normalize(x, p=p), [b],
                   "float64")
    H.run_both(TF.pairwise_distance, CF.pairwise_distance, [a, b], "float64")
    H.run_both(lambda x, y: TF.pairwise_distance(x, y, p=0),
               lambda x, y: CF.pairwise_distance(x, y, p=0), [a, b], "float64", grad=False)
    _same_outcomes([
        lambda t, F: F.cosine_similarity(t.ones(2, 3), t.ones(2, 4)),
        lambda t, F: F.cosine_similarity(t.ones(2, 3, dtype=t.int64), t.ones(2, 3, dtype=t.int64)),
        lambda t, F: F.cosine_similarity(t.ones(2, 3, dtype=t.float64), t.ones(2, 3)),
    ])


def test_activation_dtype_checks():
    names = ["relu6", "hardtanh", "leaky_relu", "elu", "selu", "celu", "gelu", "silu", "mish",
             "softplus", "hardswish", "hardsigmoid", "logsigmoid", "softshrink", "hardshrink",
             "rrelu"]
    _same_outcomes([lambda t, F, n=n, d=d: getattr(F, n)(t.tensor([-1, 0, 2]).to(getattr(t, d)))
                    for n in names for d in ("int64", "bool")])
    _same_outcomes([lambda t, F, d=d, lambd=lambd: F.softshrink(t.ones(2, dtype=d), lambd)
                    for d in ("float32", "float64") for lambd in (-1, -0.5, 1e39)])


def test_feature_dropout_inputs():
    """dropout1d takes 2-d or 3-d inputs; dropout2d reads its first two dimensions as (N, C)
    whatever the rank, warning on other than 4-d; p=1 zeroes everything."""
    import warnings

    def outcome(lib, fn, shape, p=0.5):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                out = getattr(lib.nn.functional, fn)(lib.ones(*shape), p)
            except RuntimeError as e:
                return str(e), []
        x = out.numpy()
        lead = 2 if fn != "dropout1d" else len(shape) - 1
        # one draw per leading index: constant over the remaining dimensions
        assert (x == x.reshape(x.shape[:lead] + (-1,))[..., :1].reshape(
            x.shape[:lead] + (1,) * (x.ndim - lead))).all()
        return x.shape, [str(m.message) for m in w]

    for fn, shape in [("dropout1d", (2, 3, 4, 5)), ("dropout1d", (3, 4)), ("dropout1d", (2, 3, 4)),
                      ("dropout2d", (3, 4)), ("dropout2d", (2, 3, 4)), ("dropout2d", (2, 3, 4, 5)),
                      ("dropout2d", (2, 3, 4, 5, 6))]:
        assert outcome(torch, fn, shape) == outcome(chainrule, fn, shape), (fn, shape)
    for fn in ("dropout", "alpha_dropout", "dropout1d", "dropout2d"):
        H.run_both(lambda x: getattr(TF, fn)(x, 1.0, True), lambda x: getattr(CF, fn)(x, 1.0, True),
                   [randn(2, 3, 4)])


def test_embedding_padding_idx_checked():
    _same_outcomes([lambda t, F, i=i: F.embedding(t.tensor([[0, 1]]), t.ones(3, 2), padding_idx=i)
                    for i in (-4, -3, -1, 2, 3, 4)])


def test_class_index_target_checks():
    """nll_loss and cross_entropy check targets as PyTorch does, in its order: (N, 1) targets
    are refused, a 1-element target of a 1-d input is a scalar, 4-d inputs have their own
    messages, a target of the input's shape holds probabilities."""
    cases = [("randn(3)", "tensor([1])"), ("randn(3)", "tensor([1, 2, 0])"),
             ("randn(3)", "tensor([[1]])"), ("randn(2, 3)", "tensor(1)"),
             ("randn(2, 3)", "zeros(2, 1, dtype=L.long)"), ("randn(2, 3)", "zeros(2, dtype=L.float32)"),
             ("randn(2, 3, 2, 2)", "zeros(2, 2, 3, dtype=L.long)"),
             ("randn(2, 3, 2, 2)", "zeros(2, 2, dtype=L.long)"),
             ("randn(2, 3, 2, 2)", "zeros(2, 2, 2, dtype=L.float32)"),
             ("randn(2, 3, 2)", "zeros(2, 3, dtype=L.long)"),
             ("randn(2, 3)", "tensor([[1, 2, 0], [0, 0, 0]])"), ("randn(3)", "tensor([1., 2, 0])"),
             ("randn(2, 3)", "tensor([1, 2], dtype=L.int32)")]
    options = [{}, {"weight": "ones(2)"}, {"weight": "ones(3, dtype=L.float64)"},
               {"ignore_index": 1}, {"label_smoothing": 0.2}, {"label_smoothing": -0.1},
               {"label_smoothing": 1.5}]
    calls = []
    for fn in ("nll_loss", "cross_entropy"):
        for x, y in cases:
            for opts in options:
                # PyTorch's label smoothing fails on a 1-d input with a 1-element target
                if "label_smoothing" in opts and (fn == "nll_loss" or y == "tensor([1])"):
                    continue
                calls.append(lambda L, F, fn=fn, x=x, y=y, opts=opts: getattr(F, fn)(
                    eval("L.manual_seed(0) and L." + x), eval("L." + y),
                    **{k: eval("L." + v) if isinstance(v, str) else v for k, v in opts.items()}))
    expected = [_outcome(lambda: c(torch, TF)) for c in calls]
    got = [_outcome(lambda: c(chainrule, CF)) for c in calls]
    for e, g in zip(expected, got):
        assert e[0] == g[0], (e, g)
        if isinstance(e[1], str):
            assert e[1] == g[1]
        else:
            assert e[1].shape == g[1].shape


def test_bilinear_checks():
    _same_outcomes([
        lambda t, F: F.bilinear(t.ones(2, 3), t.ones(2, 2, 4), t.ones(2, 3, 4)),
        lambda t, F: F.bilinear(t.ones(2, 4), t.ones(3, 3), t.ones(2, 3, 4)),
        lambda t, F: F.bilinear(t.ones(2, 4), t.ones(2, 4), t.ones(2, 3, 4)),
        lambda t, F: F.bilinear(t.ones(2, 3), t.ones(2, 5), t.ones(2, 3, 4)),
        lambda t, F: F.bilinear(t.ones(2, 3), t.ones(2, 4), t.ones(2, 3, 4), t.ones(3)),
        lambda t, F: F.bilinear(t.ones(3), t.ones(4), t.ones(2, 3, 4)),
    ])


@pytest.mark.parametrize("kwargs", [{}, {"scale_grad_by_freq": True},
                                    {"scale_grad_by_freq": True, "padding_idx": 2}])
def test_embedding_gradients_scaled_by_frequency_match_torch(kwargs):
    seen = []
    for lib in (chainrule, torch):
        w = lib.tensor(np.arange(12.).reshape(4, 3) / 10, requires_grad=True)
        idx = lib.tensor([[0, 2, 0], [1, 0, 3]])
        out = lib.nn.functional.embedding(idx, w, **kwargs)
        (out * lib.tensor(np.arange(18.).reshape(2, 3, 3))).sum().backward()
        first = w.grad.numpy().copy()
        g, = lib.autograd.grad((lib.nn.functional.embedding(idx, w, **kwargs) ** 2).sum(), w,
                               create_graph=True)
        gg, = lib.autograd.grad(g.pow(2).sum(), w)
        seen.append((first, gg.numpy()))
    for a, b in zip(*seen):
        np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize("call", [
    "F.dropout(torch.ones(3, dtype=torch.long))",
    "F.dropout(torch.ones(3, dtype=torch.long), training=False)",
    "F.max_pool2d(torch.ones(4), 2)", "F.max_pool2d(torch.ones(1, 4), 2)",
    "F.max_pool1d(torch.ones(4), 2)", "F.adaptive_avg_pool2d(torch.ones(4), 2)",
    "F.batch_norm(torch.ones(2, 3, 4), torch.zeros(4), torch.ones(4))",
    "F.batch_norm(torch.ones(2, 3), torch.zeros(2), torch.ones(2), training=True)",
    "F.batch_norm(torch.ones(2, 3, 4), torch.zeros(3), torch.ones(3), weight=torch.ones(4))",
    "F.batch_norm(torch.ones(2, 3, 4), torch.zeros(3), torch.ones(3), bias=torch.ones(2))",
    "F.layer_norm(torch.ones(2, 3), (3,), weight=torch.ones(4))",
    "F.layer_norm(torch.ones(2, 3), (3,), bias=torch.ones(2))",
    "F.group_norm(torch.ones(4), 2)", "F.group_norm(torch.ones(2, 4), 3)",
    "F.nll_loss(torch.zeros(3, 2), torch.tensor([0, -100, 1]), reduction='none')",
])
def test_functional_argument_checks_match_torch(call):
    def outcome(lib):
        try:
            r = eval(call, {"torch": lib, "F": lib.nn.functional})
        except Exception as exc:  # noqa: BLE001 - the error is the observation
            return type(exc).__name__, str(exc)
        return repr(r)
    assert outcome(chainrule) == outcome(torch)


@pytest.mark.parametrize("call", [
    "F.relu(y, inplace=True)", "F.elu(y, inplace=True)", "F.leaky_relu(y, inplace=True)",
    "F.selu(y, inplace=True)", "F.celu(y, inplace=True)", "F.threshold(y, 0.1, 0., inplace=True)",
    "F.rrelu(y, inplace=True)", "F.rrelu(y)", "F.rrelu(y, training=True)", "F.elu_(y)",
    "F.leaky_relu_(y)", "F.threshold_(y, 0.1, 0.)", "F.selu(y)", "F.celu(y)",
])
def test_activation_node_names_match_torch(call):
    """In-place activations record PyTorch's ``...Backward1`` nodes; rrelu its noise node."""
    names, grads = [], []
    for lib in (chainrule, torch):
        x = lib.tensor(np.linspace(-2, 2, 7), requires_grad=True)
        y = x * 1
        out = eval(call, {"F": lib.nn.functional, "y": y})
        names.append(out.grad_fn.name())
        if "training" not in call:
            (out * 2).sum().backward()
            grads.append(x.grad.numpy())
    assert names[0] == names[1]
    if grads:
        np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)
