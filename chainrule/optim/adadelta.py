"""Adadelta."""
import numpy as np

from .optimizer import (Optimizer, _check_capturable, _check_lr, _closure_loss, _real, _scalar,
                        _step_tensor, _update_square_avg, _zeros_like)

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    r"""Implements the Adadelta algorithm (`ADADELTA: An Adaptive Learning Rate Method`).

    .. math::
        v_t \leftarrow \rho v_{t-1} + (1-\rho) g_t^2,\quad
        \Delta x_t \leftarrow \frac{\sqrt{u_{t-1}+\epsilon}}{\sqrt{v_t+\epsilon}} g_t,\quad
        u_t \leftarrow \rho u_{t-1} + (1-\rho)\Delta x_t^2,\quad
        \theta_t \leftarrow \theta_{t-1} - \gamma\Delta x_t

    Args:
        params (iterable): iterable of parameters or dicts defining parameter groups.
        lr (float, Tensor, optional): coefficient that scales delta before it is applied to the
            parameters (default: 1.0)
        rho (float, optional): coefficient used for computing a running average of squared
            gradients (default: 0.9)
        eps (float, optional): term added to the denominator (default: 1e-6)
        weight_decay (float, optional): weight decay (L2 penalty) (default: 0)
        maximize (bool, optional): maximize the objective instead of minimizing (default: False)
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        _check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "capturable": capturable, "foreach": foreach,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    _group_defaults_on_load = {"foreach": None, "maximize": False, "differentiable": False,
                               "capturable": False}
    _tensor_step = True

    def step(self, closure=None):
        """Perform a single optimization step.

        Args:
            closure (Callable, optional): a closure that reevaluates the model and returns the
                loss.
        """
        loss = _closure_loss(closure)
        for group in self.param_groups:
            lr = _scalar(group["lr"])
            rho, eps = group["rho"], group["eps"]
            weight_decay, maximize = group["weight_decay"], group["maximize"]
            decay_grad = weight_decay != 0 or maximize
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _step_tensor()
                    state["square_avg"] = _zeros_like(p)
                    state["acc_delta"] = _zeros_like(p)
                _check_capturable(group, supports_xla=False)
                d, g = _real(p._data), _real(grad._data)
                state["step"]._data += 1
                if decay_grad:
                    g = self._decayed_grad(d, g, weight_decay, maximize)
                sq = _real(state["square_avg"]._data)
                acc = _real(state["acc_delta"]._data)
                std = self._buffer(d, 1)
                delta = self._buffer(d, 2)
                _update_square_avg(sq, g, rho, std)
                np.sqrt(np.add(sq, eps, out=std), out=std)
                np.sqrt(np.add(acc, eps, out=delta), out=delta)
                delta /= std
                delta *= g
                _update_square_avg(acc, delta, rho, std)
                delta *= -lr
                d += delta
                p._version_counter[0] += 1
        return loss
