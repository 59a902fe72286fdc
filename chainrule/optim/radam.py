"""RAdam: Adam with a rectified adaptive learning rate."""
import numpy as np

from .optimizer import (Optimizer, _check_adam_args, _check_capturable, _closure_loss, _real,
                        _scalar, _step_tensor, _update_moments, _zeros_like)

__all__ = ["RAdam"]


class RAdam(Optimizer):
    r"""Implements the RAdam algorithm (`On the variance of the adaptive learning rate and
    beyond`).

    While the variance of the adaptive learning rate is intractable (:math:`\rho_t \le 5`) the
    step is plain momentum SGD on the bias-corrected :math:`m_t`; afterwards it is Adam's step
    scaled by the rectification term :math:`r_t`.

    Args:
        params (iterable): iterable of parameters or dicts defining parameter groups.
        lr (float, Tensor, optional): learning rate (default: 1e-3)
        betas (Tuple[float, float], optional): coefficients used for computing running averages
            of gradient and its square (default: (0.9, 0.999))
        eps (float, optional): term added to the denominator (default: 1e-8)
        weight_decay (float, optional): weight decay (L2 penalty) (default: 0)
        decoupled_weight_decay (bool, optional): decay the parameters themselves, as AdamW
            does (RAdamW) (default: False)
        maximize (bool, optional): maximize the objective instead of minimizing (default: False)
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False):
        _check_adam_args(lr, eps, betas, weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "decoupled_weight_decay": decoupled_weight_decay,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    _group_defaults_on_load = {"foreach": None, "maximize": False, "differentiable": False,
                               "decoupled_weight_decay": False, "capturable": False}
    _tensor_step = True

    def step(self, closure=None):
        """Perform a single optimization step.

        Args:
            closure (Callable, optional): a closure that reevaluates the model and returns the
                loss.
        """
        loss = _closure_loss(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr = _scalar(group["lr"])
            weight_decay, eps, maximize = group["weight_decay"], group["eps"], group["maximize"]
            decoupled = group["decoupled_weight_decay"] and weight_decay != 0
            grad_decay = 0 if decoupled else weight_decay
            rho_inf = 2 / (1 - beta2) - 1
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _step_tensor()
                    state["exp_avg"] = _zeros_like(p)
                    state["exp_avg_sq"] = _zeros_like(p)
                _check_capturable(group)
                d, g = _real(p._data), _real(grad._data)
                step_t = state["step"]._data
                step_t += 1
                step = float(step_t)
                if decoupled:
                    d *= 1 - lr * weight_decay
                    p._version_counter[0] += 1
                if grad_decay != 0 or maximize:
                    g = self._decayed_grad(d, g, grad_decay, maximize)
                m = _real(state["exp_avg"]._data)
                v = _real(state["exp_avg_sq"]._data)
                t = self._buffer(d, 1)
                _update_moments(m, v, g, beta1, beta2, t)
                bias_correction1 = 1 - beta1 ** step
                bias_correction2 = 1 - beta2 ** step
                rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
                np.divide(m, bias_correction1, out=t)
                t *= lr
                if rho_t > 5.0:               # the variance is tractable: rectified Adam step
                    rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                            / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
                    adaptive = np.sqrt(v, out=self._buffer(d, 2))
                    adaptive += eps
                    np.divide(bias_correction2 ** 0.5, adaptive, out=adaptive)
                    t *= adaptive
                    t *= rect
                d -= t
                p._version_counter[0] += 1
        return loss
