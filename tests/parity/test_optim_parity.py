"""Optimizers and schedulers against PyTorch: same initial parameters and gradient sequence,
then compare parameters, state and learning rates."""
import copy
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import chainrule as cr  # noqa: E402

SHAPES = [(4, 3), (3,), ()]

OPTIMIZERS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.2, "weight_decay": 0.05}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "maximize": True}),
    ("SGD", {"lr": 0.05, "weight_decay": 0.1, "maximize": True}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.01, "amsgrad": True}),
    ("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.05, "maximize": True}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.3, "amsgrad": True, "maximize": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9, "centered": True}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "weight_decay": 0.1, "maximize": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.1,
                 "initial_accumulator_value": 0.1}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.8, "weight_decay": 0.1, "maximize": True}),
    ("NAdam", {}),
    ("NAdam", {"lr": 0.01, "betas": (0.8, 0.99), "momentum_decay": 0.01, "weight_decay": 0.1}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True,
               "maximize": True}),
    ("RAdam", {"lr": 0.01}),
    ("RAdam", {"lr": 0.01, "betas": (0.5, 0.7), "weight_decay": 0.1}),
    ("RAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True,
               "maximize": True}),
]


def _ids(case):
    name, kw = case
    return name + "-" + "-".join(f"{k}={v}" for k, v in kw.items())


def _to_np(value):
    if isinstance(value, torch.Tensor):
        return value.detach().numpy()
    if isinstance(value, cr.Tensor):
        return value.detach().numpy()
    return value


def _assert_state_equal(cr_state, torch_state):
    assert set(cr_state) == set(torch_state)
    for key, tv in torch_state.items():
        cv = cr_state[key]
        assert type(cv).__name__ == type(tv).__name__ == "Tensor", key
        assert str(cv.dtype) == str(tv.dtype), key
        assert tuple(cv.shape) == tuple(tv.shape), key
        np.testing.assert_allclose(_to_np(cv), _to_np(tv), rtol=2e-5, atol=1e-6, err_msg=key)


@pytest.mark.parametrize("case", OPTIMIZERS, ids=[_ids(c) for c in OPTIMIZERS])
def test_optimizer_matches_pytorch(case):
    name, kwargs = case
    rng = np.random.default_rng(42)
    init = [rng.standard_normal(s).astype(np.float32) for s in SHAPES]
    tp = [torch.tensor(a, requires_grad=True) for a in init]
    cp = [cr.tensor(a, requires_grad=True) for a in init]
    topt = getattr(torch.optim, name)(tp, **kwargs)
    copt = getattr(cr.optim, name)(cp, **kwargs)
    for step in range(8):
        for t, c, s in zip(tp, cp, SHAPES):
            g = rng.standard_normal(s).astype(np.float32)
            t.grad = torch.tensor(g)
            c.grad = cr.tensor(g)
        if step == 5:                    # a parameter without gradient is skipped by both
            tp[2].grad = None
            cp[2].grad = None
        topt.step()
        copt.step()
    for t, c in zip(tp, cp):
        np.testing.assert_allclose(c.detach().numpy(), t.detach().numpy(), rtol=2e-5, atol=1e-6)
        assert c._version == t._version
    for t, c in zip(tp, cp):
        _assert_state_equal(copt.state[c], topt.state[t])
    tsd, csd = topt.state_dict(), copt.state_dict()
    assert csd["param_groups"] == tsd["param_groups"]
    assert set(csd["state"]) == set(tsd["state"])


@pytest.mark.parametrize("name,kwargs", [("Adam", {"amsgrad": True}), ("AdamW", {}),
                                         ("RMSprop", {"centered": True, "momentum": 0.5}),
                                         ("Adagrad", {}), ("Adadelta", {}),
                                         ("SGD", {"lr": 0.1, "momentum": 0.9})])
def test_complex_parameters_match_pytorch(name, kwargs):
    rng = np.random.default_rng(3)
    init = (rng.standard_normal((3, 2)) + 1j * rng.standard_normal((3, 2))).astype(np.complex64)
    grads = (rng.standard_normal((6, 3, 2))
             + 1j * rng.standard_normal((6, 3, 2))).astype(np.complex64)
    out = []
    for lib in (torch, cr):
        p = lib.tensor(init, requires_grad=True)
        opt = getattr(lib.optim, name)([p], **kwargs)
        for g in grads:
            p.grad = lib.tensor(g)
            opt.step()
        out.append(p.detach().numpy())
    np.testing.assert_allclose(out[1], out[0], rtol=1e-5, atol=1e-6)


def _outcome(fn):
    try:
        fn()
    except Exception as e:               # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("name,kwargs", [
    ("SGD", {"fused": True, "foreach": True}), ("Adam", {"fused": True, "differentiable": True}),
    ("AdamW", {"fused": True, "foreach": True}), ("Adagrad", {"fused": True, "foreach": True}),
    ("Adam", {"lr": "tensor", "foreach": True}), ("Adam", {"capturable": True}),
    ("Adam", {"capturable": True, "foreach": True}), ("RMSprop", {"capturable": True}),
    ("Adadelta", {"capturable": True}), ("SGD", {"fused": True}), ("Adam", {"fused": True}),
])
def test_option_errors_match_pytorch(name, kwargs):
    def run(lib):
        kw = dict(kwargs, lr=lib.tensor(0.01)) if kwargs.get("lr") == "tensor" else kwargs
        p = lib.ones(2, requires_grad=True)
        opt = getattr(lib.optim, name)([p], **kw)
        p.grad = lib.ones(2)
        opt.step()
        return p.detach().numpy()
    assert _outcome(lambda: run(cr)) == _outcome(lambda: run(torch))


@pytest.mark.parametrize("name", ["Adam", "RMSprop", "Adagrad", "Adadelta"])
def test_plain_number_step_loads_as_in_pytorch(name):
    out = []
    for lib in (torch, cr):
        p = lib.ones(2, requires_grad=True)
        opt = getattr(lib.optim, name)([p])
        p.grad = lib.ones(2)
        opt.step()
        sd = opt.state_dict()
        sd["state"][0]["step"] = 3
        opt.load_state_dict(sd)
        out.append(repr(opt.state[p]["step"]))
    assert out[0] == out[1]


def test_sgd_tensor_weight_decay_matches_pytorch():
    out = []
    for lib in (torch, cr):
        p = lib.tensor([1.0, -2.0, 0.5], requires_grad=True)
        opt = lib.optim.SGD([p], lr=0.1, momentum=0.9, weight_decay=lib.tensor(0.25))
        for _ in range(3):
            p.grad = lib.tensor([0.5, -1.0, 2.0])
            opt.step()
        out.append((p.tolist(), repr(opt)))
    np.testing.assert_allclose(out[1][0], out[0][0], rtol=1e-6)
    assert out[1][1] == out[0][1]


def test_step_hook_arguments_match_pytorch():
    seen = []
    for lib in (torch, cr):
        opt = lib.optim.SGD([lib.ones(1, requires_grad=True)], lr=0.1)
        opt.register_step_pre_hook(lambda o, args, kwargs: seen.append(
            (args[0] is o, len(args), kwargs)))
        opt.step()
    assert seen[0] == seen[1] == (True, 1, {})


@pytest.mark.parametrize("kwargs", [
    {"lr": 0.1}, {"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.9, "dampening": 0.3},
    {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
    {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.1, "maximize": True},
])
def test_sgd_is_bit_for_bit_pytorch(kwargs):
    rng = np.random.default_rng(7)
    init = rng.standard_normal(2000).astype(np.float32)
    grads = rng.standard_normal((10, 2000)).astype(np.float32)
    out = []
    for lib in (torch, cr):
        p = lib.tensor(init, requires_grad=True)
        opt = lib.optim.SGD([p], **kwargs)
        for g in grads:
            p.grad = lib.tensor(g)
            opt.step()
        out.append(p.detach().numpy())
    np.testing.assert_array_equal(out[1], out[0])


def test_param_group_options_match_pytorch():
    for name, kwargs in OPTIMIZERS + [("LBFGS", {})]:
        t = getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)], **kwargs)
        c = getattr(cr.optim, name)([cr.zeros(1, requires_grad=True)], **kwargs)
        assert c.state_dict()["param_groups"] == t.state_dict()["param_groups"], name
        assert c.defaults == t.defaults, name


def test_state_dict_loads_across_libraries_in_pytorch_format():
    rng = np.random.default_rng(0)
    init = rng.standard_normal(5).astype(np.float32)
    t = torch.tensor(init, requires_grad=True)
    topt = torch.optim.Adam([t], lr=0.01)
    c = cr.tensor(init, requires_grad=True)
    copt = cr.optim.Adam([c], lr=0.01)
    grads = rng.standard_normal((6, 5)).astype(np.float32)
    for g in grads[:3]:
        t.grad = torch.tensor(g)
        topt.step()
    sd = topt.state_dict()
    converted = {"state": {k: {n: cr.tensor(v.numpy()) for n, v in s.items()}
                           for k, s in sd["state"].items()},
                 "param_groups": copy.deepcopy(sd["param_groups"])}
    c._data[...] = t.detach().numpy()
    copt.load_state_dict(converted)
    for g in grads[3:]:
        t.grad = torch.tensor(g)
        c.grad = cr.tensor(g)
        topt.step()
        copt.step()
    np.testing.assert_allclose(c.detach().numpy(), t.detach().numpy(), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("line_search", [None, "strong_wolfe"])
def test_lbfgs_matches_pytorch(line_search):
    rng = np.random.RandomState(0)
    A = rng.randn(5, 5).astype(np.float32)
    A = (A @ A.T + 5 * np.eye(5)).astype(np.float32)
    b = rng.randn(5).astype(np.float32)
    results = []
    for lib in (torch, cr):
        x = lib.tensor(np.zeros(5, np.float32), requires_grad=True)
        opt = lib.optim.LBFGS([x], lr=1, max_iter=4, history_size=3,
                              line_search_fn=line_search)

        def closure():
            opt.zero_grad()
            xv = x.detach().numpy().astype(np.float64)
            x.grad = lib.tensor((A @ xv - b + 0.4 * xv ** 3).astype(np.float32))
            return lib.tensor(np.float32(0.5 * xv @ A @ xv - b @ xv + 0.1 * np.sum(xv ** 4)))

        losses = [float(opt.step(closure)) for _ in range(2)]
        state = opt.state[x]
        results.append((x.detach().numpy().copy(), losses, state["func_evals"],
                        state["n_iter"]))
    (tx, tl, tf, tn), (cx, cl, cf, cn) = results
    np.testing.assert_allclose(cx, tx, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(cl, tl, rtol=1e-5)
    assert (cf, cn) == (tf, tn)


# ---------------------------------------------------------------------- schedulers
def _scheduler_cases():
    return {
        "StepLR": lambda L, o: L.StepLR(o, step_size=7, gamma=0.5),
        "MultiStepLR": lambda L, o: L.MultiStepLR(o, milestones=[3, 10, 10, 25], gamma=0.3),
        "ExponentialLR": lambda L, o: L.ExponentialLR(o, gamma=0.93),
        "CosineAnnealingLR": lambda L, o: L.CosineAnnealingLR(o, T_max=13, eta_min=0.001),
        "LambdaLR": lambda L, o: L.LambdaLR(o, lambda e: 0.95 ** e + 0.01 * (e % 3)),
        "LinearLR": lambda L, o: L.LinearLR(o, start_factor=0.2, end_factor=0.9,
                                            total_iters=17),
        "OneCycleLR": lambda L, o: L.OneCycleLR(o, max_lr=1.0, total_steps=61),
        "OneCycleLR-3phase": lambda L, o: L.OneCycleLR(o, max_lr=[1.0, 2.0], epochs=7,
                                                       steps_per_epoch=10, three_phase=True,
                                                       anneal_strategy="linear"),
        "ReduceLROnPlateau": lambda L, o: L.ReduceLROnPlateau(o, patience=3, cooldown=2,
                                                              factor=0.5),
        "SequentialLR": lambda L, o: L.SequentialLR(
            o, [L.LinearLR(o, 0.1, total_iters=5), L.CosineAnnealingLR(o, 30),
                L.StepLR(o, 4)], milestones=[5, 35]),
        "CyclicLR": lambda L, o: L.CyclicLR(o, 0.01, 0.1, step_size_up=7, mode="triangular2"),
        "CosineAnnealingWarmRestarts": lambda L, o: L.CosineAnnealingWarmRestarts(o, 5, 2),
        "PolynomialLR": lambda L, o: L.PolynomialLR(o, total_iters=20, power=2.0),
        "ConstantLR": lambda L, o: L.ConstantLR(o, factor=0.5, total_iters=4),
        "MultiplicativeLR": lambda L, o: L.MultiplicativeLR(o, lambda e: 0.9),
    }


def _run_schedule(lib, make, epochs=60):
    p = lib.zeros(2, requires_grad=True)
    opt = lib.optim.SGD([{"params": [p]}, {"params": [lib.zeros(1, requires_grad=True)],
                                            "lr": 0.3}], lr=0.1, momentum=0.9)
    sched = make(lib.optim.lr_scheduler, opt)
    out = [list(sched.get_last_lr())]
    metric = 1.0
    for epoch in range(epochs):
        opt.step()
        if type(sched).__name__ == "ReduceLROnPlateau":
            metric = metric * 0.9 if epoch % 9 == 0 else metric
            sched.step(metric)
        else:
            sched.step()
        out.append((list(sched.get_last_lr()), [g["momentum"] for g in opt.param_groups]))
    return out, sched


@pytest.mark.parametrize("name", list(_scheduler_cases()))
def test_scheduler_sequence_matches_pytorch(name):
    make = _scheduler_cases()[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_seq, t_sched = _run_schedule(torch, make)
        c_seq, c_sched = _run_schedule(cr, make)
    assert c_seq == t_seq                     # bit-for-bit: the same float arithmetic
    t_sd, c_sd = t_sched.state_dict(), c_sched.state_dict()
    for key in ("last_epoch", "base_lrs", "_last_lr", "_step_count"):
        if key in t_sd:
            assert c_sd[key] == t_sd[key], key


def test_closed_form_with_epoch_argument_matches_pytorch():
    out = []
    for lib in (torch, cr):
        opt = lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=0.5)
        sched = lib.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.3)
        seq = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for epoch in (5, 2, 9, 0, 14):
                opt.step()
                sched.step(epoch)
                seq.append(sched.get_last_lr()[0])
        out.append(seq)
    assert out[0] == out[1]
