"""Learning-rate schedulers: known sequences, state_dict, warnings and errors."""
import math
import warnings

import pytest

import chainrule as torch
from chainrule.optim import SGD, Adam
from chainrule.optim import lr_scheduler as S


def make_opt(lr=0.1, **kw):
    return SGD([torch.zeros(2, requires_grad=True)], lr=lr, **kw)


def lrs(opt, sched, n):
    out = []
    for _ in range(n):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr()[0])
    return out


def test_step_lr_sequence():
    opt = make_opt(1.0)
    sched = S.StepLR(opt, step_size=2, gamma=0.5)
    assert sched.get_last_lr() == [1.0]
    assert lrs(opt, sched, 6) == [1.0, 0.5, 0.5, 0.25, 0.25, 0.125]
    assert opt.param_groups[0]["initial_lr"] == 1.0


def test_multistep_and_exponential():
    opt = make_opt(1.0)
    sched = S.MultiStepLR(opt, milestones=[2, 4, 4], gamma=0.5)
    assert lrs(opt, sched, 5) == [1.0, 0.5, 0.5, 0.125, 0.125]
    opt = make_opt(1.0)
    sched = S.ExponentialLR(opt, gamma=0.5)
    assert lrs(opt, sched, 3) == [0.5, 0.25, 0.125]


def test_cosine_matches_closed_form():
    opt = make_opt(0.1)
    sched = S.CosineAnnealingLR(opt, T_max=10, eta_min=0.01)
    got = lrs(opt, sched, 10)
    want = [0.01 + 0.09 * (1 + math.cos(math.pi * t / 10)) / 2 for t in range(1, 11)]
    assert got == pytest.approx(want, rel=1e-12)


def test_lambda_linear_onecycle_plateau():
    opt = make_opt(0.1)
    sched = S.LambdaLR(opt, lambda epoch: 1 / (epoch + 1))
    assert lrs(opt, sched, 3) == pytest.approx([0.05, 0.1 / 3, 0.025])
    opt = make_opt(0.1)
    sched = S.LinearLR(opt, start_factor=0.5, total_iters=4)
    assert sched.get_last_lr() == [0.05]
    assert lrs(opt, sched, 5) == pytest.approx([0.0625, 0.075, 0.0875, 0.1, 0.1])
    opt = make_opt(0.1, momentum=0.9)
    sched = S.OneCycleLR(opt, max_lr=1.0, total_steps=10)
    assert sched.get_last_lr() == [pytest.approx(0.04)]
    seq = lrs(opt, sched, 9)
    assert max(seq) == pytest.approx(1.0) and seq[-1] == pytest.approx(0.04 / 1e4)
    sched.step()
    with pytest.raises(ValueError, match="Tried to step 11 times. The specified number of "
                                         "total steps is 10"):
        sched.step()
    opt = make_opt(1.0)
    sched = S.ReduceLROnPlateau(opt, patience=1, factor=0.5)
    for metric in (1.0, 1.0, 1.0, 0.5, 0.5, 0.5):
        sched.step(metric)
    assert sched.get_last_lr() == [0.25]


def test_sequential_lr():
    opt = make_opt(1.0)
    warm = S.LinearLR(opt, start_factor=0.5, total_iters=2)
    decay = S.ExponentialLR(opt, gamma=0.5)
    sched = S.SequentialLR(opt, [warm, decay], milestones=[2])
    assert sched.get_last_lr() == [0.5]
    assert lrs(opt, sched, 4) == [0.75, 1.0, 0.5, 0.25]
    with pytest.raises(ValueError, match="Sequential Schedulers expects number of schedulers "
                                         "provided to be one more than the number of milestone "
                                         "points"):
        S.SequentialLR(opt, [warm, decay], milestones=[2, 3])


def test_state_dict_round_trip():
    opt = make_opt(1.0)
    sched = S.StepLR(opt, step_size=3, gamma=0.1)
    lrs(opt, sched, 4)
    sd = sched.state_dict()
    assert "optimizer" not in sd and sd["last_epoch"] == 4 and sd["step_size"] == 3
    opt2 = make_opt(1.0)
    sched2 = S.StepLR(opt2, step_size=1, gamma=0.5)
    sched2.load_state_dict(sd)
    assert sched2.last_epoch == 4 and sched2.step_size == 3 and sched2.get_last_lr() == \
        sched.get_last_lr()
    lam = S.LambdaLR(make_opt(), lambda e: 1.0)
    assert lam.state_dict()["lr_lambdas"] == [None]


def test_warnings_and_errors():
    opt = make_opt()
    sched = S.StepLR(opt, 1)
    with pytest.warns(UserWarning, match=r"Detected call of `lr_scheduler.step\(\)` before "
                                         r"`optimizer.step\(\)`"):
        sched.step()
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        sched.get_lr()
    with pytest.raises(TypeError, match="^list is not an Optimizer$"):
        S.StepLR([], 1)
    with pytest.raises(KeyError, match="param 'initial_lr' is not specified in "
                                       "param_groups\\[0\\]"):
        S.StepLR(make_opt(), 1, last_epoch=3)
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
        S.OneCycleLR(torch.optim.Adagrad([torch.zeros(1, requires_grad=True)]), 1.0,
                     total_steps=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt = make_opt()
        sched = S.StepLR(opt, 1)
        opt.step()
        sched.step()                      # the right order: no warning


def test_onecycle_cycles_adam_betas():
    opt = Adam([torch.zeros(1, requires_grad=True)], lr=0.1)
    sched = S.OneCycleLR(opt, max_lr=0.5, total_steps=4)
    assert opt.param_groups[0]["betas"][0] == pytest.approx(0.95)
    opt.step()
    sched.step()
    assert opt.param_groups[0]["betas"][0] < 0.95
