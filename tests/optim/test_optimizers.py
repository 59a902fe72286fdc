"""Optimizer base behaviour and the update rules (without PyTorch: closed forms by hand)."""
import copy
import warnings

import numpy as np
import pytest

import chainrule as torch
from chainrule.optim import (SGD, Adam, AdamW, Adadelta, Adagrad, LBFGS, NAdam, Optimizer, RAdam,
                             RMSprop)


def leaf(values):
    return torch.tensor(np.asarray(values, dtype=np.float32), requires_grad=True)


def set_grad(p, values):
    p.grad = torch.tensor(np.asarray(values, dtype=np.float32))


# ---------------------------------------------------------------------- construction / errors
@pytest.mark.parametrize("cls,kwargs,message", [
    (SGD, {"lr": -1.0}, "Invalid learning rate: -1.0"),
    (SGD, {"lr": 0.1, "momentum": -0.5}, "Invalid momentum value: -0.5"),
    (SGD, {"lr": 0.1, "weight_decay": -1}, "Invalid weight_decay value: -1"),
    (SGD, {"lr": 0.1, "nesterov": True}, "Nesterov momentum requires a momentum and zero "
                                         "dampening"),
    (Adam, {"lr": -0.1}, "Invalid learning rate: -0.1"),
    (Adam, {"eps": -1e-8}, "Invalid epsilon value: -1e-08"),
    (Adam, {"betas": (1.0, 0.999)}, "Invalid beta parameter at index 0: 1.0"),
    (Adam, {"betas": (0.9, -0.1)}, "Invalid beta parameter at index 1: -0.1"),
    (AdamW, {"weight_decay": -0.1}, "Invalid weight_decay value: -0.1"),
    (RMSprop, {"alpha": -0.1}, "Invalid alpha value: -0.1"),
    (Adagrad, {"lr_decay": -0.1}, "Invalid lr_decay value: -0.1"),
    (Adadelta, {"rho": 1.5}, "Invalid rho value: 1.5"),
    (LBFGS, {"lr": -2}, "Invalid learning rate: -2"),
])
def test_argument_validation(cls, kwargs, message):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")
                       .replace(".", r"\.") + "$"):
        cls([leaf([1.0])], **kwargs)


def test_params_errors():
    p = leaf([1.0, 2.0])
    with pytest.raises(TypeError, match="should be an iterable of Tensors or dicts, but got "
                                        "torch.FloatTensor"):
        SGD(p, lr=0.1)
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="optimizer can only optimize Tensors, but one of the "
                                        "params is int"):
        SGD([1], lr=0.1)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        SGD([p * 2], lr=0.1)
    with pytest.raises(TypeError, match="ordered collections"):
        SGD([{"params": {p}}], lr=0.1)


def test_param_groups_defaults_and_duplicates():
    a, b, c = leaf([1.0]), leaf([2.0]), leaf([3.0])
    opt = SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.9)
    assert opt.param_groups[0]["lr"] == 0.1 and opt.param_groups[1]["lr"] == 0.5
    assert opt.param_groups[1]["params"] == [b]
    assert opt.param_groups[1]["momentum"] == 0.9
    assert sorted(opt.param_groups[0]) == ["dampening", "differentiable", "foreach", "fused",
                                           "lr", "maximize", "momentum", "nesterov", "params",
                                           "weight_decay"]
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter "
                                         "group"):
        opt.add_param_group({"params": [c, a]})
    opt.add_param_group({"params": [c], "momentum": 0.0})
    assert opt.param_groups[2]["lr"] == 0.1 and opt.param_groups[2]["momentum"] == 0.0
    with pytest.raises(TypeError, match="param_group must be a dict, but got <class 'list'>"):
        opt.add_param_group([c])
    with pytest.warns(UserWarning, match="duplicate parameters"):
        SGD([a, a], lr=0.1)


def test_required_lr_in_custom_optimizer():
    from chainrule.optim.optimizer import required

    class Custom(Optimizer):
        def __init__(self, params, lr=required):
            super().__init__(params, {"lr": lr})

    with pytest.raises(ValueError, match="parameter group didn't specify a value of required "
                                         "optimization parameter lr"):
        Custom([leaf([1.0])])
    assert repr(required) == "<required parameter>"


def test_repr():
    opt = SGD([leaf([1.0])], lr=0.1)
    assert repr(opt) == ("SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n"
                         "    foreach: None\n    fused: None\n    lr: 0.1\n    maximize: False\n"
                         "    momentum: 0\n    nesterov: False\n    weight_decay: 0\n)")


def test_zero_grad():
    p = leaf([1.0, 2.0])
    opt = SGD([p], lr=0.1)
    set_grad(p, [3.0, 4.0])
    g = p.grad
    opt.zero_grad(set_to_none=False)
    assert p.grad is g and p.grad.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert p.grad is None


def test_params_without_grad_are_skipped():
    a, b = leaf([1.0]), leaf([2.0])
    opt = Adam([a, b], lr=0.1)
    set_grad(a, [1.0])
    opt.step()
    assert b.tolist() == [2.0] and b not in opt.state and a in opt.state


# ---------------------------------------------------------------------- update rules
def test_sgd_plain_updates_in_place_and_bumps_version():
    p = leaf([1.0, 2.0])
    data = p._data
    v = p._version
    opt = SGD([p], lr=0.5)
    set_grad(p, [1.0, -2.0])
    assert opt.step() is None
    assert p._data is data
    np.testing.assert_allclose(p.tolist(), [0.5, 3.0])
    assert p._version == v + 1
    assert p.grad.tolist() == [1.0, -2.0]          # the gradient is left untouched


def test_sgd_momentum_nesterov_weight_decay_by_hand():
    w = np.array([1.0, -1.0], np.float32)
    p = leaf(w)
    opt = SGD([p], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)
    buf = None
    for g in ([1.0, 2.0], [0.5, -1.0], [0.0, 3.0]):
        set_grad(p, g)
        opt.step()
        d = np.asarray(g, np.float32) + 0.01 * w
        buf = d.copy() if buf is None else 0.9 * buf + d
        w = w - 0.1 * (d + 0.9 * buf)
    np.testing.assert_allclose(p.tolist(), w, rtol=1e-6)
    np.testing.assert_allclose(opt.state[p]["momentum_buffer"].tolist(), buf, rtol=1e-6)


def test_adam_first_step_is_lr_times_sign():
    p = leaf([1.0, 1.0, 1.0])
    opt = Adam([p], lr=0.01)
    set_grad(p, [3.0, -0.5, 0.0])
    opt.step()
    np.testing.assert_allclose(p.tolist(), [0.99, 1.01, 1.0], rtol=1e-6)
    state = opt.state[p]
    assert sorted(state) == ["exp_avg", "exp_avg_sq", "step"]
    assert state["step"].dtype is torch.float32 and state["step"].ndim == 0
    assert state["step"].item() == 1.0


def test_adamw_decouples_weight_decay():
    p = leaf([2.0])
    opt = AdamW([p], lr=0.1, weight_decay=0.5)
    set_grad(p, [1.0])
    opt.step()
    # p * (1 - lr * wd) then the Adam step of size lr
    np.testing.assert_allclose(p.tolist(), [2.0 * (1 - 0.05) - 0.1], rtol=1e-6)
    assert opt.param_groups[0]["decoupled_weight_decay"] is True


def test_adagrad_creates_state_up_front():
    p = leaf([1.0, 2.0])
    opt = Adagrad([p], lr=0.1, initial_accumulator_value=0.5)
    assert opt.state[p]["sum"].tolist() == [0.5, 0.5]
    assert opt.state[p]["step"].item() == 0.0


def test_maximize_moves_uphill():
    for cls in (SGD, Adam, RMSprop, Adagrad, Adadelta):
        p = leaf([0.0])
        opt = cls([p], lr=0.1, maximize=True)
        set_grad(p, [1.0])
        opt.step()
        assert p.item() > 0.0, cls.__name__


def test_closure_runs_with_grad_enabled():
    p = leaf([1.0])
    opt = SGD([p], lr=0.1)

    def closure():
        assert torch.is_grad_enabled()
        set_grad(p, [2.0])
        return 42.0

    with torch.no_grad():
        assert opt.step(closure) == 42.0
    np.testing.assert_allclose(p.tolist(), [0.8], rtol=1e-6)


def test_lbfgs_minimises_a_quadratic():
    target = np.array([1.0, -2.0, 3.0], np.float32)
    for line_search in (None, "strong_wolfe"):
        p = leaf([0.0, 0.0, 0.0])
        opt = LBFGS([p], lr=1, max_iter=20, line_search_fn=line_search)

        def closure():
            x = p.detach().numpy()
            set_grad(p, 2 * (x - target))
            return float(np.sum((x - target) ** 2))

        opt.step(closure)
        np.testing.assert_allclose(p.tolist(), target, atol=1e-4)
    with pytest.raises(ValueError, match="doesn't support per-parameter options"):
        LBFGS([{"params": [leaf([1.0])]}, {"params": [leaf([1.0])]}])


def test_float64_params_keep_their_dtype():
    p = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    opt = Adam([p], lr=0.1)
    p.grad = torch.tensor([1.0, 1.0], dtype=torch.float64)
    opt.step()
    assert p.dtype is torch.float64 and opt.state[p]["exp_avg"].dtype is torch.float64


# ---------------------------------------------------------------------- state dict
def _train(opt, params, grads):
    for g in grads:
        for p, gv in zip(params, g):
            set_grad(p, gv)
        opt.step()


@pytest.mark.parametrize("make", [
    lambda ps: SGD(ps, lr=0.1, momentum=0.9),
    lambda ps: Adam(ps, lr=0.01, amsgrad=True),
    lambda ps: RMSprop(ps, lr=0.01, momentum=0.5, centered=True),
    lambda ps: Adagrad(ps, lr=0.1),
    lambda ps: Adadelta(ps),
])
def test_state_dict_round_trip(make):
    rng = np.random.default_rng(0)
    grads = [[rng.standard_normal(3), rng.standard_normal(2)] for _ in range(6)]
    a = [leaf([1.0, 2.0, 3.0]), leaf([4.0, 5.0])]
    b = [leaf([1.0, 2.0, 3.0]), leaf([4.0, 5.0])]
    opt_a, opt_b = make(a), make(b)
    _train(opt_a, a, grads[:3])
    _train(opt_b, b, grads[:3])
    sd = opt_a.state_dict()
    assert set(sd) == {"state", "param_groups"}
    assert sd["param_groups"][0]["params"] == [0, 1]
    assert set(sd["state"]) <= {0, 1}
    # a fresh optimizer on b's parameters continues exactly like a
    for p, q in zip(a, b):
        q._data[...] = p._data
    opt_c = make(b)
    opt_c.load_state_dict(copy.deepcopy(sd))
    assert opt_c.state_dict()["param_groups"] == sd["param_groups"]
    _train(opt_a, a, grads[3:])
    _train(opt_c, b, grads[3:])
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p._data, q._data)


def test_load_state_dict_errors_and_group_options():
    p = leaf([1.0])
    opt = SGD([p], lr=0.1)
    sd = opt.state_dict()
    sd["param_groups"][0]["lr"] = 0.7
    other = SGD([leaf([1.0])], lr=0.1)
    other.load_state_dict(sd)
    assert other.param_groups[0]["lr"] == 0.7
    with pytest.raises(ValueError, match="loaded state dict contains a parameter group that "
                                         "doesn't match the size of optimizer's group"):
        SGD([leaf([1.0]), leaf([2.0])], lr=0.1).load_state_dict(sd)
    with pytest.raises(ValueError, match="loaded state dict has a different number of parameter "
                                         "groups"):
        SGD([{"params": [leaf([1.0])]}, {"params": [leaf([1.0])]}], lr=0.1).load_state_dict(sd)


def test_step_hooks():
    p = leaf([1.0])
    opt = SGD([p], lr=0.1)
    calls = []
    h1 = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append(("pre", args)))
    h2 = opt.register_step_post_hook(lambda o, args, kwargs: calls.append(("post", args)))
    set_grad(p, [1.0])
    opt.step()
    assert calls == [("pre", (opt,)), ("post", (opt,))]   # args include the optimizer
    h1.remove()
    h2.remove()
    opt.step()
    assert len(calls) == 2


def test_step_pre_hook_may_replace_arguments():
    p = leaf([1.0])
    opt = SGD([p], lr=0.1)
    opt.register_step_pre_hook(lambda o, args, kwargs: (args, {"closure": lambda: 7}))
    assert opt.step() == 7


@pytest.mark.parametrize("cls", [SGD, Adam, AdamW, Adagrad])
def test_fused_option_conflicts(cls):
    with pytest.raises(RuntimeError, match="^`fused` and `foreach` cannot be `True` together"):
        cls([leaf([1.0])], fused=True, foreach=True)
    with pytest.raises(RuntimeError, match="^`fused` does not support `differentiable`$"):
        cls([leaf([1.0])], fused=True, differentiable=True)


def test_adam_tensor_lr_with_foreach_is_refused():
    with pytest.raises(ValueError, match="^lr as a Tensor is not supported for capturable=False "
                                         "and foreach=True$"):
        Adam([leaf([1.0])], lr=torch.tensor(0.01), foreach=True)
    with pytest.raises(ValueError, match=r"^betas\[0\] as a Tensor is not supported"):
        Adam([leaf([1.0])], betas=(torch.tensor(0.9), torch.tensor(0.99)), foreach=True)


@pytest.mark.parametrize("cls", [Adam, AdamW, RMSprop, Adadelta])
def test_capturable_step_needs_an_accelerator(cls):
    p = leaf([1.0])
    opt = cls([p], capturable=True)
    opt.step()                                  # nothing to update: no error
    set_grad(p, [1.0])
    with pytest.raises(AssertionError, match="^If capturable=True, params and state_steps must "
                                             "be on supported devices: "):
        opt.step()


@pytest.mark.parametrize("cls", [Adam, RMSprop, Adagrad, Adadelta])
def test_complex_parameter_steps_as_its_real_view(cls):
    # real and imaginary parts are updated as two independent real parameters
    z = torch.tensor([1 + 2j, -3 + 0.5j], requires_grad=True)
    x = leaf([[1.0, 2.0], [-3.0, 0.5]])
    opt_z, opt_x = cls([z], lr=0.1), cls([x], lr=0.1)
    for g in ([0.5 - 1j, 2 + 0.25j], [-1 + 1j, 0.5 - 2j]):
        z.grad = torch.tensor(g, dtype=torch.complex64)
        set_grad(x, [[c.real, c.imag] for c in g])
        opt_z.step()
        opt_x.step()
    zv = z.detach().numpy()
    np.testing.assert_allclose(np.stack([zv.real, zv.imag], -1), x.detach().numpy(), rtol=1e-6)


def test_state_dict_hooks():
    p = leaf([1.0])
    opt = SGD([p], lr=0.1)
    opt.register_state_dict_post_hook(lambda o, sd: {**sd, "extra": 1})
    assert opt.state_dict()["extra"] == 1
    seen = []
    opt.register_load_state_dict_post_hook(lambda o: seen.append(o))
    opt.load_state_dict({"state": {}, "param_groups": opt.state_dict()["param_groups"]})
    assert seen == [opt]


@pytest.mark.parametrize("cls", [Adam, AdamW, RMSprop, Adagrad, Adadelta])
def test_plain_number_step_in_loaded_state_becomes_a_tensor(cls):
    p = leaf([1.0, 2.0])
    opt = cls([p])
    set_grad(p, [0.5, 0.5])
    opt.step()
    sd = opt.state_dict()
    sd["state"][0]["step"] = 3                  # as saved by older versions
    q = leaf([1.0, 2.0])
    other = cls([q])
    other.load_state_dict(sd)
    step = other.state[q]["step"]
    assert isinstance(step, torch.Tensor) and step.dtype == torch.float32 and step.item() == 3.0


def test_sgd_accepts_a_tensor_weight_decay():
    p = leaf([1.0, -2.0])
    opt = SGD([p], lr=0.1, weight_decay=torch.tensor(0.5))
    set_grad(p, [1.0, 1.0])
    opt.step()
    np.testing.assert_allclose(p.detach().numpy(), [1.0 - 0.1 * 1.5, -2.0 - 0.1 * 0.0])


def test_sgd_update_is_rounded_once_as_a_fused_multiply_add():
    # PyTorch's p.add_(g, alpha=-lr) rounds p - lr * g once; rounding the product first would
    # give 0.97000003 and 0.16999999 here
    p = leaf([1.0, 0.5])
    opt = SGD([p], lr=0.1)
    set_grad(p, [0.3, 3.3])
    opt.step()
    assert p.detach().numpy().tolist() == [0.9699999690055847, 0.17000000178813934]


@pytest.mark.parametrize("cls,kwargs,expected", [
    (NAdam, {"lr": 0.1}, [0.6125020384788513, -2.241853713989258]),
    # rho_t passes 5 at the sixth step: plain momentum steps first, rectified ones after
    (RAdam, {"lr": 0.1, "betas": (0.5, 0.9)}, [0.7217867970466614, -2.3693037033081055]),
])
def test_nadam_radam_known_values(cls, kwargs, expected):
    p = leaf([1.0, -2.0])
    opt = cls([p], **kwargs)
    for g in ([0.5, 1.0], [1.5, -0.5], [-1.0, 2.0], [0.25, 0.25], [1.0, 1.0], [2.0, -1.0],
              [0.5, 0.5]):
        set_grad(p, g)
        opt.step()
    np.testing.assert_allclose(p.detach().numpy(), expected, rtol=1e-6)
    assert opt.state[p]["step"].item() == 7.0


def test_nadam_rejects_a_negative_momentum_decay():
    with pytest.raises(ValueError, match="^Invalid momentum_decay value: -1$"):
        NAdam([leaf([1.0])], momentum_decay=-1)
