"""Reverse-mode automatic differentiation (``torch.autograd``)."""
from .. import _tensor
from .anomaly_mode import detect_anomaly, set_detect_anomaly, is_anomaly_enabled
from .engine import run_backward
from .function import Function, FunctionCtx, once_differentiable
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, no_grad,
                        set_grad_enabled)
from .variable import Variable
from . import graph
from .gradcheck import gradcheck, gradgradcheck

__all__ = ["backward", "grad", "Function", "Variable", "no_grad", "enable_grad",
           "set_grad_enabled", "inference_mode", "is_grad_enabled", "detect_anomaly",
           "set_detect_anomaly", "once_differentiable", "graph", "FunctionCtx", "gradcheck",
           "gradgradcheck"]


def _as_tuple(x):
    if x is None:
        return None
    if isinstance(x, _tensor.Tensor):
        return (x,)
    return tuple(x)


def _grads_for(tensors, grad_tensors):
    if grad_tensors is None:
        return (None,) * len(tensors)
    grads = _as_tuple(grad_tensors) if not isinstance(grad_tensors, (list, tuple)) else \
        tuple(grad_tensors)
    if len(grads) != len(tensors):
        raise RuntimeError(f"got {len(grads)} tensors and {len(tensors)} gradients")
    return grads


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None,
             inputs=None):
    """Accumulate into ``.grad`` the gradients of ``tensors`` w.r.t. the graph leaves (or only
    ``inputs``), weighting each output by ``grad_tensors`` (required for non-scalar outputs)."""
    tensors = _as_tuple(tensors)
    if grad_tensors is None:
        grad_tensors = grad_variables
    grads = _grads_for(tensors, grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    inputs = _as_tuple(inputs)
    if inputs is not None and len(inputs) == 0:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    run_backward(tensors, grads, retain_graph, create_graph, inputs=inputs)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The gradients of ``outputs`` w.r.t. ``inputs``, returned as a tuple (``.grad`` is left
    alone). With ``create_graph=True`` the results are differentiable."""
    outputs = _as_tuple(outputs)
    inputs_t = _as_tuple(inputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads="
                         "True, but got: allow_unused=False.")
    for i, t in enumerate(inputs_t):
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    grads = _grads_for(outputs, grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    result = run_backward(outputs, grads, retain_graph, create_graph, inputs=inputs_t,
                          accumulate=False)
    out = []
    for t, g in zip(inputs_t, result):
        if g is None:
            if materialize_grads:
                from .._creation import zeros_like
                g = zeros_like(t)
            elif not allow_unused:
                raise RuntimeError("One of the differentiated Tensors appears to not have been "
                                   "used in the graph. Set allow_unused=True if this is the "
                                   "desired behavior.")
        elif not isinstance(g, _tensor.Tensor):
            import numpy as np
            g = _tensor.Tensor._make(np.array(g, copy=True))
        out.append(g)
    return tuple(out)
