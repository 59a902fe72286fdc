"""NAdam: Adam with Nesterov momentum."""
import numpy as np

from .._tensor import Tensor
from .optimizer import (Optimizer, _check_adam_args, _check_capturable, _closure_loss, _real,
                        _scalar, _step_tensor, _update_moments, _zeros_like)

__all__ = ["NAdam"]


class NAdam(Optimizer):
    r"""Implements the NAdam algorithm (`Incorporating Nesterov Momentum into Adam`).

    .. math::
        \mu_t \leftarrow \beta_1\big(1 - \tfrac12 0.96^{t\psi}\big),\quad
        \theta_t \leftarrow \theta_{t-1} - \gamma\Big(\frac{(1-\mu_t) g_t}{1-\prod_{i\le t}\mu_i}
        + \frac{\mu_{t+1} m_t}{1-\prod_{i\le t+1}\mu_i}\Big) \Big/
        \big(\sqrt{v_t/(1-\beta_2^t)} + \epsilon\big)

    Args:
        params (iterable): iterable of parameters or dicts defining parameter groups.
        lr (float, Tensor, optional): learning rate (default: 2e-3)
        betas (Tuple[float, float], optional): coefficients used for computing running averages
            of gradient and its square (default: (0.9, 0.999))
        eps (float, optional): term added to the denominator (default: 1e-8)
        weight_decay (float, optional): weight decay (L2 penalty) (default: 0)
        momentum_decay (float, optional): momentum decay :math:`\psi` (default: 4e-3)
        decoupled_weight_decay (bool, optional): decay the parameters themselves, as AdamW
            does (NAdamW) (default: False)
        maximize (bool, optional): maximize the objective instead of minimizing (default: False)

    The per-parameter state holds ``step``, ``mu_product`` (0-d tensors), ``exp_avg`` and
    ``exp_avg_sq``, as in PyTorch.
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        _check_adam_args(lr, eps, betas, weight_decay)
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay,
                    "decoupled_weight_decay": decoupled_weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    _group_defaults_on_load = {"maximize": False, "foreach": None, "capturable": False,
                               "differentiable": False, "decoupled_weight_decay": False}
    _tensor_step = True

    def __setstate__(self, state):
        super().__setstate__(state)
        for p_state in self.state.values():
            if "mu_product" in p_state and not isinstance(p_state["mu_product"], Tensor):
                p_state["mu_product"] = _step_tensor(float(p_state["mu_product"]))

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
            weight_decay, eps = group["weight_decay"], group["eps"]
            momentum_decay, maximize = group["momentum_decay"], group["maximize"]
            decoupled = group["decoupled_weight_decay"] and weight_decay != 0
            grad_decay = 0 if decoupled else weight_decay
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _step_tensor()
                    state["mu_product"] = _step_tensor(1.0)
                    state["exp_avg"] = _zeros_like(p)
                    state["exp_avg_sq"] = _zeros_like(p)
                _check_capturable(group, tensors="params, mu_products and state_steps")
                d, g = _real(p._data), _real(grad._data)
                step_t = state["step"]._data
                step_t += 1
                step = float(step_t)
                bias_correction2 = 1 - beta2 ** step
                if decoupled:
                    d *= 1 - lr * weight_decay
                    p._version_counter[0] += 1
                if grad_decay != 0 or maximize:
                    g = self._decayed_grad(d, g, grad_decay, maximize)
                mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
                mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
                mu_product_t = state["mu_product"]._data
                mu_product_t *= mu
                mu_product = float(mu_product_t)
                m = _real(state["exp_avg"]._data)
                v = _real(state["exp_avg_sq"]._data)
                denom = self._buffer(d, 1)
                _update_moments(m, v, g, beta1, beta2, denom)
                np.divide(v, bias_correction2, out=denom)
                np.sqrt(denom, out=denom)
                denom += eps
                t = self._buffer(d, 2)
                # p.addcdiv_(g, denom, value=...) then p.addcdiv_(m, denom, value=...)
                for x, value in ((g, -lr * (1.0 - mu) / (1.0 - mu_product)),
                                 (m, -lr * mu_next / (1.0 - mu_product * mu_next))):
                    np.multiply(x, value, out=t)
                    t /= denom
                    d += t
                    p._version_counter[0] += 1
        return loss
