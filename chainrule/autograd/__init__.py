"""Reverse-mode automatic differentiation (``torch.autograd``)."""
import warnings

import numpy as np

from .. import _tensor
from .anomaly_mode import (detect_anomaly, set_detect_anomaly, is_anomaly_enabled,
                           is_anomaly_check_nan_enabled)
from .engine import run_backward
from .function import Function, FunctionCtx, once_differentiable, InplaceFunction
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, no_grad,
                        set_grad_enabled, is_inference_mode_enabled)
from .variable import Variable
from . import graph
from . import function
from .gradcheck import gradcheck, gradgradcheck
from . import functional

__all__ = ["backward", "grad", "Function", "Variable", "no_grad", "enable_grad",
           "set_grad_enabled", "inference_mode", "is_grad_enabled", "detect_anomaly",
           "set_detect_anomaly", "once_differentiable", "graph", "FunctionCtx", "gradcheck",
           "gradgradcheck", "functional", "is_inference_mode_enabled"]


def _tensors_tuple(x):
    if isinstance(x, (_tensor.Tensor, graph.GradientEdge)):
        return (x,)
    return tuple(x)


def _inputs_tuple(inputs):
    if inputs is None:
        return ()
    if isinstance(inputs, (_tensor.Tensor, graph.GradientEdge)):
        return (inputs,)
    if type(inputs) is dict:
        return tuple(inputs.values())
    return tuple(inputs)


def _grads_tuple(grads, n):
    if grads is None:
        return (None,) * n
    if isinstance(grads, _tensor.Tensor):
        return (grads,)
    return tuple(grads)


def _check_count(tensors, grads):
    for g in grads[:len(tensors)]:  # PyTorch checks the gradients' types first
        if g is not None and not isinstance(g, _tensor.Tensor):
            raise TypeError(f"gradients can be either Tensors or None, but got "
                            f"{type(g).__name__}")
    if len(tensors) != len(grads):
        raise RuntimeError(f"got {len(tensors)} tensors and {len(grads)} gradients")


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    """Compute the sum of gradients of ``tensors`` w.r.t. the graph leaves and accumulate them
    into the leaves' ``.grad``.

    Non-scalar tensors need a ``grad_tensors`` entry (the vector of the vector-Jacobian
    product); ``None`` is fine for one-element tensors. The graph is freed afterwards unless
    ``retain_graph`` (default: ``create_graph``) is true; with ``create_graph=True`` the
    gradients are themselves differentiable. With ``inputs``, only those tensors accumulate
    a gradient, and only the part of the graph leading to them runs.
    """
    if grad_variables is not None:
        warnings.warn("`grad_variables` is deprecated. Use `grad_tensors` instead.",
                      FutureWarning, stacklevel=2)
        if grad_tensors is None:
            grad_tensors = grad_variables
        else:
            raise RuntimeError("`grad_tensors` and `grad_variables` (deprecated) arguments both "
                               "passed to `backward()`. Please only use `grad_tensors`.")
    inputs_tuple = _inputs_tuple(inputs)
    if inputs is not None and len(inputs_tuple) == 0:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    tensors = _tensors_tuple(tensors)
    grads = _grads_tuple(grad_tensors, len(tensors))
    _check_count(tensors, grads)
    if retain_graph is None:
        retain_graph = create_graph
    run_backward(tensors, grads, retain_graph, create_graph,
                 inputs=inputs_tuple if inputs is not None else None)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Compute and return the sum of gradients of ``outputs`` w.r.t. ``inputs`` (``.grad`` is
    left alone).

    ``grad_outputs`` are the vectors of the vector-Jacobian product (needed for non-scalar
    outputs). With ``create_graph=True`` the results are differentiable, for higher-order
    derivatives. An input that the outputs do not depend on raises an error unless
    ``allow_unused=True`` (its gradient is then ``None``) or ``materialize_grads=True`` (zeros).
    Only the part of the graph that leads to ``inputs`` runs.
    """
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads="
                         "True, but got: allow_unused=False.")
    if allow_unused is None:
        allow_unused = materialize_grads
    outputs = _tensors_tuple(outputs)
    inputs_tuple = _inputs_tuple(inputs)
    if len(inputs_tuple) == 0:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if not only_inputs:
        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to True). "
                      "To accumulate gradient for other parts of the graph, please use "
                      "torch.autograd.backward.", FutureWarning, stacklevel=2)
    grads = _grads_tuple(grad_outputs, len(outputs))
    if retain_graph is None:
        retain_graph = create_graph
    if is_grads_batched:
        result = _batched_grad(outputs, inputs_tuple, grads, create_graph)
    else:
        result = _grad(outputs, inputs_tuple, grads, retain_graph, create_graph)
    out = []
    for i, (t, g) in enumerate(zip(inputs_tuple, result)):
        if g is None:
            if materialize_grads:
                from .._creation import zeros_like
                g = zeros_like(t, requires_grad=create_graph)
            elif not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have "
                                   "been used in the graph. Set allow_unused=True if this is the "
                                   "desired behavior.")
        out.append(g)
    if type(inputs) is dict:
        return dict(zip(inputs.keys(), out))
    return tuple(out)


def _grad(outputs, inputs, grads, retain_graph, create_graph):
    _check_count(outputs, grads)
    for t in inputs:
        if isinstance(t, _tensor.Tensor) and not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    result = run_backward(outputs, grads, retain_graph, create_graph, inputs=inputs,
                          accumulate=False)
    return [g if g is None or isinstance(g, _tensor.Tensor) else
            _tensor.Tensor._make(np.array(g, copy=True)) for g in result]


def _batched_grad(outputs, inputs, grads, create_graph):
    """``is_grads_batched``: the first dimension of each grad_output is a batch of vectors; one
    backward per vector, results stacked along a new first dimension."""
    from .. import stack
    n = None
    for out, g in zip(outputs, grads):
        if g is not None:
            if tuple(g.shape[1:]) != tuple(out.shape):
                raise RuntimeError(
                    f"If `is_grads_batched=True`, we interpret the first dimension of each "
                    f"grad_output as the batch dimension. The sizes of the remaining dimensions "
                    f"are expected to match the shape of corresponding output, but a mismatch "
                    f"was detected: grad_output[{grads.index(g)}] has a shape of "
                    f"{_tensor.Size(g.shape[1:])} and output[{outputs.index(out)}] has a shape "
                    f"of {out.shape}. If you only want some tensors in `grad_output` to be "
                    f"considered batched, consider using vmap.")
            n = g.shape[0]
    per_input = [[] for _ in inputs]
    for b in range(n or 1):
        gs = tuple(None if g is None else g[b] for g in grads)
        res = _grad(outputs, inputs, gs, True, create_graph)
        for lst, r in zip(per_input, res):
            lst.append(r)
    return [None if any(r is None for r in lst) else stack(lst) for lst in per_input]
