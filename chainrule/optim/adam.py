"""Adam and AdamW."""
import numpy as np

from .._tensor import Tensor
from .optimizer import (Optimizer, _check_adam_args, _check_capturable, _check_fused,
                        _closure_loss, _real, _scalar, _step_tensor, _update_moments, _zeros_like)

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    r"""Implements the Adam algorithm (`Adam: A Method for Stochastic Optimization`).

    .. math::
        m_t \leftarrow \beta_1 m_{t-1} + (1-\beta_1) g_t,\quad
        v_t \leftarrow \beta_2 v_{t-1} + (1-\beta_2) g_t^2,\quad
        \theta_t \leftarrow \theta_{t-1} - \gamma\,\frac{m_t/(1-\beta_1^t)}
        {\sqrt{v_t/(1-\beta_2^t)} + \epsilon}

    Args:
        params (iterable): iterable of parameters or dicts defining parameter groups.
        lr (float, Tensor, optional): learning rate (default: 1e-3)
        betas (Tuple[float, float], optional): coefficients used for computing running averages
            of gradient and its square (default: (0.9, 0.999))
        eps (float, optional): term added to the denominator to improve numerical stability
            (default: 1e-8)
        weight_decay (float, optional): weight decay (L2 penalty) (default: 0)
        amsgrad (bool, optional): whether to use the AMSGrad variant (default: False)
        maximize (bool, optional): maximize the objective instead of minimizing (default: False)
        decoupled_weight_decay (bool, optional): if True, this optimizer is equivalent to AdamW
            (default: False)

    The per-parameter state holds ``step`` (a 0-d float tensor), ``exp_avg``, ``exp_avg_sq``
    and, with amsgrad, ``max_exp_avg_sq``, as in PyTorch.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        if isinstance(lr, Tensor) and foreach and not capturable:
            raise ValueError("lr as a Tensor is not supported for capturable=False and "
                             "foreach=True")
        _check_adam_args(lr, eps, betas, weight_decay)
        if not (isinstance(betas[0], float) and isinstance(betas[1], float)
                or isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor)):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, b in enumerate(betas):
            if isinstance(b, Tensor):
                if foreach and not capturable:
                    raise ValueError(f"betas[{i}] as a Tensor is not supported for "
                                     "capturable=False and foreach=True")
                if b.numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        _check_fused(defaults)

    _group_defaults_on_load = {"amsgrad": False, "maximize": False, "foreach": None,
                               "capturable": False, "differentiable": False,
                               "decoupled_weight_decay": False, "fused": None}
    _tensor_step = True

    def step(self, closure=None):
        """Perform a single optimization step.

        Args:
            closure (Callable, optional): a closure that reevaluates the model and returns the
                loss.
        """
        loss = _closure_loss(closure)
        state = self.state
        for group in self.param_groups:
            beta1, beta2 = (_scalar(b) for b in group["betas"])
            lr = _scalar(group["lr"])
            weight_decay = group["weight_decay"]
            eps = group["eps"]
            amsgrad = group["amsgrad"]
            maximize = group["maximize"]
            # AdamW shrinks the parameter itself; Adam adds the decay to the gradient
            decoupled = group["decoupled_weight_decay"] and weight_decay != 0
            grad_decay = 0 if decoupled else weight_decay
            decay_grad = grad_decay != 0 or maximize
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                pstate = state[p]
                if len(pstate) == 0:
                    pstate["step"] = _step_tensor()
                    pstate["exp_avg"] = _zeros_like(p)
                    pstate["exp_avg_sq"] = _zeros_like(p)
                    if amsgrad:
                        pstate["max_exp_avg_sq"] = _zeros_like(p)
                # PyTorch's foreach path does not list XLA among the capturable devices
                _check_capturable(group, supports_xla=not group["foreach"])
                d = _real(p._data)
                g = _real(grad._data)
                step_t = pstate["step"]._data
                step_t += 1
                step = float(step_t)
                if decoupled:
                    d *= 1 - lr * weight_decay
                    p._version_counter[0] += 1
                if decay_grad:
                    g = self._decayed_grad(d, g, grad_decay, maximize)
                m = _real(pstate["exp_avg"]._data)
                v = _real(pstate["exp_avg_sq"]._data)
                t = self._buffer(d, 1)
                _update_moments(m, v, g, beta1, beta2, t)
                bias_correction1 = 1 - beta1 ** step
                bias_correction2 = 1 - beta2 ** step
                step_size = lr / bias_correction1
                bias_correction2_sqrt = bias_correction2 ** 0.5
                if amsgrad:
                    vmax = _real(pstate["max_exp_avg_sq"]._data)
                    np.maximum(vmax, v, out=vmax)
                    v = vmax
                # p += -step_size * m / (sqrt(v) / bc2_sqrt + eps)
                np.sqrt(v, out=t)
                t /= bias_correction2_sqrt
                t += eps
                np.divide(m, t, out=t)
                t *= -step_size
                d += t
                p._version_counter[0] += 1
        return loss


class AdamW(Adam):
    r"""Implements AdamW: Adam with decoupled weight decay
    (`Decoupled Weight Decay Regularization`): :math:`\theta \leftarrow \theta - \gamma\lambda
    \theta` before the Adam update, so that the decay does not enter the moment estimates.

    Args are those of :class:`Adam`, with ``weight_decay`` defaulting to 1e-2.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
