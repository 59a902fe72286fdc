"""Stochastic gradient descent (optionally with momentum)."""
import numpy as np

from .._tensor import Tensor
from .optimizer import Optimizer, _check_fused, _check_tensor_lr, _closure_loss, _scalar

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Implements stochastic gradient descent (optionally with momentum).

    .. math::
        g_t \leftarrow \nabla_\theta f_t(\theta_{t-1}) + \lambda\theta_{t-1},\quad
        b_t \leftarrow \mu b_{t-1} + (1-\tau) g_t,\quad
        \theta_t \leftarrow \theta_{t-1} - \gamma\,(g_t + \mu b_t \text{ if nesterov else } b_t)

    Args:
        params (iterable): iterable of parameters or named parameters to optimize or iterable
            of dicts defining parameter groups.
        lr (float, Tensor, optional): learning rate (default: 1e-3)
        momentum (float, optional): momentum factor (default: 0)
        dampening (float, optional): dampening for momentum (default: 0)
        weight_decay (float, optional): weight decay (L2 penalty) (default: 0)
        nesterov (bool, optional): enables Nesterov momentum (default: False)
        maximize (bool, optional): maximize the objective with respect to the params, instead
            of minimizing (default: False)

    The first momentum step stores a copy of the gradient as ``momentum_buffer``, as PyTorch
    does. ``foreach``, ``differentiable`` and ``fused`` are accepted for compatibility.
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None):
        _check_tensor_lr(lr)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        _check_fused(defaults)

    _group_defaults_on_load = {"nesterov": False, "maximize": False, "foreach": None,
                               "differentiable": False, "fused": False}

    def step(self, closure=None):
        """Perform a single optimization step.

        Args:
            closure (Callable, optional): a closure that reevaluates the model and returns the
                loss.
        """
        loss = _closure_loss(closure)
        state = self.state
        for group in self.param_groups:
            lr = _scalar(group["lr"])
            weight_decay = _scalar(group["weight_decay"])
            momentum = group["momentum"]
            dampening = group["dampening"]
            nesterov = group["nesterov"]
            maximize = group["maximize"]
            decay_grad = weight_decay != 0 or maximize
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                d = p._data
                g = grad._data
                if decay_grad:
                    g = self._decayed_grad(d, g, weight_decay, maximize)
                if momentum != 0:
                    pstate = state[p]
                    buf = pstate.get("momentum_buffer")
                    if buf is None:
                        buf = pstate["momentum_buffer"] = Tensor._make(g.copy())
                        b = buf._data
                    else:
                        b = buf._data
                        b *= momentum
                        self._add_scaled(b, g, 1 - dampening, out=b)
                        buf._version_counter[0] += 1
                    if nesterov:
                        g = self._add_scaled(g, b, momentum, out=self._buffer(d, 1))
                    else:
                        g = b
                self._add_scaled(d, g, -lr, out=d)
                p._version_counter[0] += 1
        return loss
