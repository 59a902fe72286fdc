"""RMSprop."""
import numpy as np

from .optimizer import (Optimizer, _check_capturable, _check_lr, _closure_loss, _real, _scalar,
                        _step_tensor, _update_square_avg, _zeros_like)

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""Implements the RMSprop algorithm.

    .. math::
        v_t \leftarrow \alpha v_{t-1} + (1-\alpha) g_t^2,\quad
        \theta_t \leftarrow \theta_{t-1} - \gamma\, g_t / (\sqrt{v_t} + \epsilon)

    With ``centered`` the running mean of the gradient is subtracted from :math:`v_t` first;
    with ``momentum`` the step goes through a momentum buffer.

    Args:
        params (iterable): iterable of parameters or dicts defining parameter groups.
        lr (float, Tensor, optional): learning rate (default: 1e-2)
        alpha (float, optional): smoothing constant (default: 0.99)
        eps (float, optional): term added to the denominator (default: 1e-8)
        weight_decay (float, optional): weight decay (L2 penalty) (default: 0)
        momentum (float, optional): momentum factor (default: 0)
        centered (bool, optional): normalize the gradient by an estimate of its variance
            (default: False)
        maximize (bool, optional): maximize the objective instead of minimizing (default: False)
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        _check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay,
                    "capturable": capturable, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    _group_defaults_on_load = {"momentum": 0, "centered": False, "foreach": None,
                               "maximize": False, "differentiable": False, "capturable": False}
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
            alpha, eps = group["alpha"], group["eps"]
            weight_decay, momentum = group["weight_decay"], group["momentum"]
            centered, maximize = group["centered"], group["maximize"]
            decay_grad = weight_decay != 0 or maximize
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _step_tensor()
                    state["square_avg"] = _zeros_like(p)
                    if momentum > 0:
                        state["momentum_buffer"] = _zeros_like(p)
                    if centered:
                        state["grad_avg"] = _zeros_like(p)
                _check_capturable(group)
                d, g = _real(p._data), _real(grad._data)
                state["step"]._data += 1
                if decay_grad:
                    g = self._decayed_grad(d, g, weight_decay, maximize)
                sq = _real(state["square_avg"]._data)
                avg = self._buffer(d, 1)
                _update_square_avg(sq, g, alpha, avg)
                if centered:                      # avg = sqrt(sq - mean(g)^2)
                    ga = _real(state["grad_avg"]._data)
                    ga += np.multiply(np.subtract(g, ga, out=avg), 1 - alpha, out=avg)
                    np.multiply(ga, ga, out=avg)
                    np.subtract(sq, avg, out=avg)
                    np.sqrt(avg, out=avg)
                else:
                    np.sqrt(sq, out=avg)
                avg += eps
                if momentum > 0:
                    buf = _real(state["momentum_buffer"]._data)
                    buf *= momentum
                    buf += np.divide(g, avg, out=avg)
                    d += np.multiply(buf, -lr, out=avg)
                else:
                    np.divide(g, avg, out=avg)
                    avg *= -lr
                    d += avg
                p._version_counter[0] += 1
        return loss
