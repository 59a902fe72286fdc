"""Adagrad."""
import numpy as np

from .._tensor import Tensor
from .optimizer import Optimizer, _check_fused, _check_lr, _closure_loss, _real, _scalar, _step_tensor

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""Implements the Adagrad algorithm.

    .. math::
        \tilde\gamma \leftarrow \gamma / (1 + (t-1)\eta),\quad
        s_t \leftarrow s_{t-1} + g_t^2,\quad
        \theta_t \leftarrow \theta_{t-1} - \tilde\gamma\, g_t / (\sqrt{s_t} + \epsilon)

    Args:
        params (iterable): iterable of parameters or dicts defining parameter groups.
        lr (float, Tensor, optional): learning rate (default: 1e-2)
        lr_decay (float, optional): learning rate decay (default: 0)
        weight_decay (float, optional): weight decay (L2 penalty) (default: 0)
        initial_accumulator_value (float, optional): initial value of the sum of squares of
            gradients (default: 0)
        eps (float, optional): term added to the denominator (default: 1e-10)
        maximize (bool, optional): maximize the objective instead of minimizing (default: False)

    As in PyTorch, the state (``step`` and ``sum``) is created for every parameter up front.
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        _check_lr(lr)
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: "
                             f"{initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        _check_fused(defaults)
        for group in self.param_groups:
            for p in group["params"]:
                _init_state(self.state[p], p, initial_accumulator_value)

    _group_defaults_on_load = {"foreach": None, "maximize": False, "differentiable": False,
                               "fused": None}
    _tensor_step = True

    def share_memory(self):
        """Kept for compatibility: state tensors are ordinary arrays."""

    def step(self, closure=None):
        """Perform a single optimization step.

        Args:
            closure (Callable, optional): a closure that reevaluates the model and returns the
                loss.
        """
        loss = _closure_loss(closure)
        for group in self.param_groups:
            lr = _scalar(group["lr"])
            weight_decay, lr_decay = group["weight_decay"], group["lr_decay"]
            eps, maximize = group["eps"], group["maximize"]
            decay_grad = weight_decay != 0 or maximize
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    _init_state(state, p, self.defaults["initial_accumulator_value"])
                d, g = _real(p._data), _real(grad._data)
                step_t = state["step"]._data
                step_t += 1
                step = float(step_t)
                if decay_grad:
                    g = self._decayed_grad(d, g, weight_decay, maximize)
                clr = lr / (1 + (step - 1) * lr_decay)
                s = _real(state["sum"]._data)
                std = self._buffer(d, 1)
                s += np.multiply(g, g, out=std)
                np.sqrt(s, out=std)
                std += eps
                np.divide(g, std, out=std)
                std *= -clr
                d += std
                p._version_counter[0] += 1
        return loss


def _init_state(state, p, initial_accumulator_value):
    """Adagrad's per-parameter state: the step count and the running sum of squared grads."""
    state["step"] = _step_tensor()
    state["sum"] = Tensor._make(np.full_like(p._data, initial_accumulator_value))
