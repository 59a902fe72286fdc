"""The Optimizer base: parameter groups, per-parameter state, zero_grad, state_dict and hooks.

Concrete optimizers update parameters in place on the raw arrays (``p._data``) with ``out=``
ufuncs: no Tensor is created per step, nothing is recorded by autograd, and each in-place update
of a parameter bumps its version counter exactly as PyTorch's ``add_``/``addcdiv_`` would.
"""
import functools
from collections import OrderedDict, defaultdict
from copy import deepcopy
from itertools import chain

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.graph import _add_hook

__all__ = ["Optimizer", "required", "register_optimizer_step_pre_hook",
           "register_optimizer_step_post_hook"]


class _RequiredParameter:
    """Singleton class representing a required parameter for an Optimizer."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()

_global_step_pre_hooks = OrderedDict()
_global_step_post_hooks = OrderedDict()


def register_optimizer_step_pre_hook(hook):
    """Register ``hook(optimizer, args, kwargs)`` to run before every optimizer's ``step``."""
    return _add_hook(_global_step_pre_hooks, hook)


def register_optimizer_step_post_hook(hook):
    """Register ``hook(optimizer, args, kwargs)`` to run after every optimizer's ``step``."""
    return _add_hook(_global_step_post_hooks, hook)


def typename(obj):
    """``torch.typename``: ``'torch.FloatTensor'`` for tensors, the qualified type name otherwise."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module = obj.__class__.__module__ or ""
        qualname = obj.__class__.__qualname__
    return qualname if module in ("", "builtins") else f"{module}.{qualname}"


def _scalar(x):
    """A hyperparameter as a Python number (a one-element Tensor lr is allowed)."""
    return x.item() if isinstance(x, Tensor) else x


def _check_tensor_lr(lr):
    """A Tensor learning rate must hold one element."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")


def _check_adam_args(lr, eps, betas, weight_decay):
    """The hyper-parameter checks shared by Adam and its variants, in PyTorch's order."""
    _check_lr(lr)
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {eps}")
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")


def _check_lr(lr):
    """The learning-rate check of every optimizer but SGD (whose ``lr < 0`` lets NaN through)."""
    _check_tensor_lr(lr)
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def _step_tensor(value=0.0):
    """A ``state['step']``: a 0-d float tensor (float64 if that is the default dtype)."""
    dt = np.float64 if _dtype.get_default_dtype() is _dtype.float64 else np.float32
    return Tensor._make(np.array(value, dt))


def _zeros_like(p):
    """A fresh state tensor of zeros shaped like parameter ``p``."""
    return Tensor._make(np.zeros_like(p._data))


def _real(a):
    """``a`` itself, or for a complex array its real view (``torch.view_as_real``): PyTorch's
    adaptive optimizers treat real and imaginary parts as independent parameters."""
    if a.dtype.kind == "c":
        return a[..., None].view(a.real.dtype)
    return a


def _check_fused(defaults):
    """The option combinations PyTorch refuses for an optimizer with ``fused=True``."""
    if defaults["fused"]:
        if defaults["differentiable"]:
            raise RuntimeError("`fused` does not support `differentiable`")
        if defaults["foreach"]:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def _check_capturable(group, supports_xla=True, tensors="params and state_steps"):
    """``capturable=True`` steps need an accelerator; PyTorch refuses them for CPU tensors."""
    if group["capturable"]:
        devices = ["cuda", "xpu", "hpu", "privateuseone"] + (["xla"] if supports_xla else [])
        raise AssertionError(f"If capturable=True, {tensors} must be on supported devices: "
                             f"{devices}.")


def _update_square_avg(avg, x, decay, scratch):
    """``avg = decay * avg + (1 - decay) * x * x`` in place (PyTorch's
    ``avg.mul_(decay).addcmul_(x, x, value=1 - decay)``); ``scratch`` is overwritten."""
    avg *= decay
    np.multiply(x, x, out=scratch)
    scratch *= 1 - decay
    avg += scratch


def _update_moments(m, v, g, beta1, beta2, scratch):
    """Adam's running moments in place: ``m.lerp_(g, 1 - beta1)`` and
    ``v = beta2 * v + (1 - beta2) * g * g``; ``scratch`` is overwritten."""
    np.subtract(g, m, out=scratch)
    scratch *= 1 - beta1
    m += scratch
    _update_square_avg(v, g, beta2, scratch)


def _with_hooks(step):
    """Wrap a subclass's ``step`` so that the registered step pre/post hooks run around it."""
    @functools.wraps(step)
    def wrapper(self, *args, **kwargs):
        if not (self._optimizer_step_pre_hooks or _global_step_pre_hooks
                or self._optimizer_step_post_hooks or _global_step_post_hooks):
            return step(self, *args, **kwargs)
        args = (self, *args)              # hooks see (and may replace) step's full arguments
        for hook in chain(_global_step_pre_hooks.values(),
                          self._optimizer_step_pre_hooks.values()):
            result = hook(self, args, kwargs)
            if result is not None:
                if isinstance(result, tuple) and len(result) == 2:
                    args, kwargs = result
                else:
                    raise RuntimeError(f"{hook} must return None or a tuple of (new_args, "
                                       f"new_kwargs), but got {result}.")
        out = step(*args, **kwargs)
        for hook in chain(self._optimizer_step_post_hooks.values(),
                          _global_step_post_hooks.values()):
            hook(self, args, kwargs)
        return out
    wrapper.hooked = True
    return wrapper


class Optimizer:
    r"""Base class for all optimizers.

    Args:
        params (iterable): an iterable of :class:`Tensor` s or :class:`dict` s. Specifies what
            Tensors should be optimized.
        defaults (dict): a dict containing default values of optimization options (used when a
            parameter group doesn't specify them).

    .. warning::
        Parameters need to be specified as collections that have a deterministic ordering that
        is consistent between runs (lists, not sets).
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "hooked", False):
            cls.step = _with_hooks(step)

    def __init__(self, params, defaults):
        self.defaults = defaults
        self._init_hooks()
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors or dicts, but got " + typename(params))
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def _init_hooks(self):
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._optimizer_state_dict_pre_hooks = OrderedDict()
        self._optimizer_state_dict_post_hooks = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks = OrderedDict()
        self._optimizer_load_state_dict_post_hooks = OrderedDict()
        self._scratch = {}

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state,
                "param_groups": self.param_groups}

    # Group options that state saved by older versions may lack, with the value each gets on
    # load; a subclass lists its own, in the order PyTorch adds them.
    _group_defaults_on_load = {}
    # Whether the per-parameter state holds a 'step' tensor (a plain number from older saved
    # state is turned into one on load).
    _tensor_step = False

    def __setstate__(self, state):
        self.__dict__.update(state)
        if "_optimizer_step_pre_hooks" not in self.__dict__:
            self._init_hooks()
        self._scratch = {}
        self.defaults.setdefault("differentiable", False)
        for group in self.param_groups:
            for name, value in self._group_defaults_on_load.items():
                group.setdefault(name, value)
            if self._tensor_step:
                for p in group["params"]:
                    p_state = self.state.get(p, {})
                    if len(p_state) != 0 and not isinstance(p_state["step"], Tensor):
                        p_state["step"] = _step_tensor(float(p_state["step"]))

    def __repr__(self):
        format_string = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            format_string += "\n"
            format_string += f"Parameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    format_string += f"    {key}: {group[key]}\n"
        format_string += ")"
        return format_string

    # ------------------------------------------------------------------ scratch memory
    def _buffer(self, like, slot=0, dtype=None):
        """A scratch array shaped like ``like`` (of ``dtype``, default ``like``'s) for
        intermediate results of a step.

        One flat buffer per dtype and slot, as large as the largest parameter, is reused by
        every parameter and every step, so a step allocates nothing. It is never part of the
        optimizer's state.
        """
        dtype = like.dtype if dtype is None else np.dtype(dtype)
        key = (dtype, slot)
        buf = self._scratch.get(key)
        n = like.size
        if buf is None or buf.size < n:
            buf = self._scratch[key] = np.empty(n, dtype)
        return buf[:n].reshape(like.shape)

    def _add_scaled(self, a, x, alpha, out):
        """``out = a + alpha * x`` rounded once, as PyTorch's ``a.add(x, alpha=alpha)``: a fused
        multiply-add with ``alpha`` cast to the tensors' dtype. float32 goes through float64,
        where the product is exact. ``out`` may be ``a`` or ``x``."""
        if a.dtype == np.float32:
            # same-dtype ufuncs after plain copies: mixed-dtype ufuncs are several times slower
            t = self._buffer(a, "fma", np.float64)
            u = self._buffer(a, "fma-addend", np.float64)
            t[...] = x
            t *= np.float64(np.float32(alpha))
            u[...] = a
            t += u
            out[...] = t
            return out
        t = np.multiply(x, alpha, out=self._buffer(a, "fma"))
        return np.add(a, t, out=out)

    def _decayed_grad(self, d, g, weight_decay, maximize):
        """The gradient a step follows: ``(-g if maximize else g) + weight_decay * d``.

        Steps call it only when ``weight_decay != 0 or maximize``, so it always writes the
        result into scratch slot 0 and never touches the parameter's own ``.grad``.
        """
        t = self._buffer(d, 0)
        if maximize:
            g = np.negative(g, out=t)
        if weight_decay != 0:
            return self._add_scaled(g, d, weight_decay, out=t)
        return g

    # ------------------------------------------------------------------ hooks
    def register_step_pre_hook(self, hook):
        """Register ``hook(optimizer, args, kwargs)`` to run before ``step``; it may return
        ``(new_args, new_kwargs)``."""
        return _add_hook(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook):
        """Register ``hook(optimizer, args, kwargs)`` to run after ``step``."""
        return _add_hook(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook, prepend=False):
        """Register ``hook(optimizer)`` to run before :meth:`state_dict`."""
        return _register(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        """Register ``hook(optimizer, state_dict)`` to run after :meth:`state_dict`; it may
        return a new state dict."""
        return _register(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        """Register ``hook(optimizer, state_dict)`` to run before :meth:`load_state_dict`; it
        may return the state dict to load."""
        return _register(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        """Register ``hook(optimizer)`` to run after :meth:`load_state_dict`."""
        return _register(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # ------------------------------------------------------------------ state dict
    def state_dict(self):
        r"""Return the state of the optimizer as a :class:`dict`.

        It contains two entries: ``state``, a dict mapping parameter ids (integers, in the order
        the parameters appear in the groups) to that parameter's state, and ``param_groups``, a
        list of dicts holding each group's options with ``params`` replaced by the ids.
        """
        for pre_hook in self._optimizer_state_dict_pre_hooks.values():
            pre_hook(self)
        param_mappings = {}
        start_index = 0

        def pack_group(group):
            nonlocal start_index
            packed = {k: v for k, v in group.items() if k != "params"}
            param_mappings.update({id(p): i for i, p in enumerate(group["params"], start_index)
                                   if id(p) not in param_mappings})
            packed["params"] = [param_mappings[id(p)] for p in group["params"]]
            start_index += len(packed["params"])
            return packed

        param_groups = [pack_group(g) for g in self.param_groups]
        packed_state = {(param_mappings[id(k)] if isinstance(k, Tensor) else k): v
                        for k, v in self.state.items()}
        state_dict = {"state": packed_state, "param_groups": param_groups}
        for post_hook in self._optimizer_state_dict_post_hooks.values():
            result = post_hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    @staticmethod
    def _process_value_according_to_param_policy(param, value, param_id, param_groups,
                                                 key=None):
        # ``step`` keeps its own dtype; other floating state follows the parameter's dtype.
        if key == "step":
            return value
        if param.is_floating_point():
            return value.to(dtype=param.dtype)
        return value

    def load_state_dict(self, state_dict):
        r"""Load the optimizer state.

        Args:
            state_dict (dict): optimizer state. Should be an object returned from a call to
                :meth:`state_dict`.
        """
        state_dict = state_dict.copy()
        for pre_hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = pre_hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))

        def _cast(param, value, param_id=None, key=None):
            if isinstance(value, Tensor):
                return Optimizer._process_value_according_to_param_policy(
                    param, value, param_id, state_dict["param_groups"], key)
            if isinstance(value, dict):
                return {k: _cast(param, v, param_id, key=k) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return type(value)(_cast(param, v, param_id) for v in value)
            return value

        state = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = _cast(param, v, param_id=k)
            else:
                state[k] = v

        def update_group(group, new_group):
            new_group["params"] = group["params"]
            if "param_names" in group and "param_names" not in new_group:
                new_group["param_names"] = group["param_names"]
            return new_group

        param_groups = [update_group(g, ng) for g, ng in zip(groups, saved_groups)]
        self.__setstate__({"state": state, "param_groups": param_groups})
        for post_hook in self._optimizer_load_state_dict_post_hooks.values():
            post_hook(self)

    # ------------------------------------------------------------------ gradients / groups
    def zero_grad(self, set_to_none=True):
        r"""Reset the gradients of all optimized tensors.

        Args:
            set_to_none (bool, optional): instead of setting to zero, set the grads to None
                (default: ``True``), which uses less memory; optimizers skip parameters whose
                grad is None, whereas a zero grad still takes part in the step.
        """
        for group in self.param_groups:
            for p in group["params"]:
                g = p._grad
                if g is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    if g.grad_fn is not None:
                        g.detach_()
                    else:
                        g._requires_grad = False
                    g._data[...] = 0
                    g._version_counter[0] += 1

    def step(self, closure=None):
        r"""Perform a single optimization step to update parameters.

        Args:
            closure (Callable): a closure that reevaluates the model and returns the loss.
                Optional for most optimizers.
        """
        raise NotImplementedError

    def add_param_group(self, param_group):
        r"""Add a param group to the :class:`Optimizer` s ``param_groups``.

        Useful when fine tuning a pre-trained network, as frozen layers can be made trainable
        and added to the optimizer as training progresses.

        Args:
            param_group (dict): specifies what Tensors should be optimized along with group
                specific optimization options.
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        else:
            param_group["params"] = list(params)
        tensors, names = [], []
        for param in param_group["params"]:
            if isinstance(param, tuple):
                names.append(param[0])
                tensors.append(param[1])
            else:
                tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param "
                                 "names are missing")
            param_group["param_names"] = names
        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + typename(param))
            if not self.defaults.get("differentiable", None) and not (
                    param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            param_group.setdefault(name, default)
        params = param_group["params"]
        if len(params) != len({id(p) for p in params}):
            import warnings
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in "
                          "future, this will cause an error; see github.com/pytorch/pytorch/"
                          "issues/40967 for more information", stacklevel=3)
        seen = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                txt = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {txt} to the optimizer")
        if not seen.isdisjoint(id(p) for p in param_group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)


def _register(hooks, hook, prepend):
    handle = _add_hook(hooks, hook)
    if prepend:
        hooks.move_to_end(handle._key, last=False)
    return handle


def _closure_loss(closure):
    """Evaluate ``closure`` with gradients enabled (the ``step(closure)`` convention)."""
    if closure is None:
        return None
    from ..autograd.grad_mode import enable_grad
    with enable_grad():
        return closure()
