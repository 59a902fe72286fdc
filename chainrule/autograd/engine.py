"""The backward engine: one iterative walk over the graph.

Nodes run in decreasing sequence number (a node is always newer than the nodes of its inputs,
so this is a reverse topological order, and the one PyTorch's engine follows); a leaf's
AccumulateGrad runs right after the last node that feeds it, as in PyTorch. This is the only place
where gradients are summed, reduced to their input's shape (undoing broadcasting) and cast to
their input's dtype.
"""
import operator
import sys
import warnings

import numpy as np

from . import anomaly_mode, function as _function, grad_mode
from .function import _SAME_AS_OUTPUT
from .graph import AccumulateGrad, accumulator_of

__all__ = ["run_backward"]

_state = grad_mode._state
_getrefcount = sys.getrefcount
_ndarray = np.ndarray
Tensor = None  # chainrule.Tensor, bound by _tensor.py once the class exists
_make = None   # Tensor._make, bound by ops/_common.py
_warned_cycle = False


def _size(shape):
    return "torch.Size([" + ", ".join(str(d) for d in shape) + "])"


def _root_gradients(tensors, grad_tensors, create_graph):
    roots, grads = [], []
    for i, (t, g) in enumerate(zip(tensors, grad_tensors)):
        if g is not None:
            if not isinstance(g, Tensor):
                raise TypeError(f"gradients can be either Tensors or None, but got "
                                f"{type(g).__name__}")
            if g._data.shape != t._data.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                                   f"{_size(g.shape)} and output[{i}] has a shape of "
                                   f"{_size(t.shape)}.")
            if (g._data.dtype.kind == "c") != (t._data.dtype.kind == "c"):
                raise RuntimeError(f"For complex Tensors, both grad_output and output are "
                                   f"required to have the same dtype. Mismatch in dtype: "
                                   f"grad_output[{i}] has a dtype of {g.dtype} and output[{i}] "
                                   f"has a dtype of {t.dtype}.")
        if not t._requires_grad or t.grad_fn is None and accumulator_of(t) is None:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a "
                               "grad_fn")
        if g is None:
            if t._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if t._data.dtype.kind not in "fc":
                raise RuntimeError("grad can be implicitly created only for real scalar outputs "
                                   f"but got {t.dtype}")
            g = np.ones_like(t._data)
            if create_graph:
                g = Tensor._make(g)
        else:
            if g._data.dtype != t._data.dtype:
                g = g.to(t.dtype)
            if not create_graph:
                g = g._data
        fn = t.grad_fn
        roots.append((fn, t._output_nr) if fn is not None else (accumulator_of(t), 0))
        grads.append(g)
    return roots, grads


_seq_key = operator.attrgetter("_seq")
# NumPy scalar types -> their dtype (a backward on 0-d values computes with NumPy scalars)
_SCALAR_DTYPES = {t: np.dtype(t) for t in (np.float16, np.float32, np.float64, np.longdouble,
                                           np.complex64, np.complex128, np.bool_, np.int8,
                                           np.int16, np.int32, np.int64, np.uint8)}


def _graph_order(roots):
    """Every node reachable from the roots, in execution order: non-leaf nodes by decreasing
    sequence number, each AccumulateGrad right after the last node that feeds it."""
    seen = set()
    stack = []
    leaf_roots = []
    for node, _ in roots:
        if type(node) is AccumulateGrad:
            leaf_roots.append(node)
        else:
            stack.append(node)
    nodes = []
    last = {}  # AccumulateGrad -> its consumer with the smallest sequence number
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        nodes.append(node)
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            if type(nxt) is AccumulateGrad:
                prev = last.get(nxt)
                if prev is None or node._seq < prev._seq:
                    last[nxt] = node
            elif nxt not in seen:
                stack.append(nxt)
    nodes.sort(key=_seq_key, reverse=True)
    if last:
        feeders = set(last.values())
        order = []
        for node in nodes:
            order.append(node)
            if node in feeders:
                for nxt, _ in node.next_functions:
                    if nxt is not None and last.get(nxt) is node:
                        order.append(nxt)
                        del last[nxt]
    else:
        order = nodes
    for leaf in leaf_roots:
        if leaf not in order:
            order.append(leaf)
    return order


def _prune(order, targets):
    """Keep only the nodes on a path to a target; return (order, nodes to execute)."""
    execute = set()
    keep = set()
    for node in reversed(order):
        if any(nxt in keep for nxt, _ in node.next_functions):
            execute.add(node)
            keep.add(node)
        elif node in targets:
            keep.add(node)
    return [n for n in order if n in keep], execute


def _sum_to(xp, g, shape, node, index):
    """Reduce a gradient to ``shape`` by summing the axes that broadcasting added or stretched."""
    gshape = tuple(g.shape)
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    if lead < 0 or any(s != 1 and s != gs for s, gs in zip(shape, gshape[lead:])):
        if int(np.prod(gshape)) == int(np.prod(shape)):
            return xp.reshape(g, shape)
        raise RuntimeError(
            f"Function {node.name()} returned an invalid gradient at index {index} - got "
            f"[{', '.join(map(str, gshape))}] but expected shape compatible with "
            f"[{', '.join(map(str, shape))}]")
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(shape) if s == 1 and gshape[lead + i] != 1)
    if axes:
        g = xp.sum(g, axis=axes, keepdims=True)
    return xp.reshape(g, shape) if lead else g


def _tensor_xp():
    from ..ops import tensor_xp
    _function._TENSOR_XP = tensor_xp
    return tensor_xp


def run_backward(tensors, grad_tensors, retain_graph=False, create_graph=False, inputs=None,
                 accumulate=True):
    """Backpropagate from ``tensors``. With ``accumulate`` the gradients of the leaves (or of
    ``inputs``) are added into ``.grad``; without it they are returned, in ``inputs`` order
    (this is ``autograd.grad``); both only run the nodes that lead to ``inputs``."""
    global _warned_cycle
    roots, root_grads = _root_gradients(tensors, grad_tensors, create_graph)
    order = _graph_order(roots)
    buffers = {}
    for (node, nr), g in zip(roots, root_grads):
        _add_to_buffer(buffers, node, nr, g)

    captures = execute = None
    if inputs is not None:
        captures = {}
        for k, t in enumerate(inputs):
            if isinstance(t, tuple):  # a GradientEdge
                key = (t[0], t[1])
            else:
                if accumulate:
                    t.retain_grad()
                key = (t.grad_fn, t._output_nr) if t.grad_fn is not None else \
                    (accumulator_of(t), 0)
            captures.setdefault(key, []).append(k)
        order, execute = _prune(order, {node for node, _ in captures})
        if accumulate:
            captures = None
    captured = [None] * (len(inputs) if inputs is not None and not accumulate else 0)
    if create_graph and accumulate and not _warned_cycle:
        _warned_cycle = True
        warnings.warn("Using backward() with create_graph=True will create a reference cycle "
                      "between the parameter and its gradient which can cause a memory leak. We "
                      "recommend using autograd.grad when creating the graph to avoid this. If "
                      "you have to use this function, make sure to reset the .grad fields of "
                      "your parameters to None after use to break the cycle and avoid the leak.",
                      UserWarning, stacklevel=4)

    xp = _tensor_xp() if create_graph else None
    anomaly = anomaly_mode._enabled
    # The common case -- raw arrays, no anomaly mode, every node run -- calls each built-in
    # node's backward directly; everything else goes through _call.
    simple = xp is None and not anomaly and captures is None and execute is None
    _freed = _function._FREED_SAVED
    prev_mode = _state.enabled
    _state.enabled = create_graph
    try:
        for node in order:
            grads = buffers.pop(node, None)
            if grads is None:
                continue
            if type(node) is AccumulateGrad:
                # Drop the loop's own references first: a gradient no one else holds can become
                # the leaf's .grad without a copy, as PyTorch steals an unshared buffer.
                g = grads[0]
                grads = results = slots = None
                owned = _getrefcount(g) == 2  # this frame's `g` and the call's argument
                _leaf(node, g, captures, captured, accumulate, create_graph, owned)
                continue
            if simple and not node._hooked and node._n_outputs == 1 and not node._user and \
                    node._saved is not _freed:
                results = node._forward_cls.backward(node, *grads)
                if type(results) is not tuple:
                    results = (results,)
                if len(results) != len(node.needs_input_grad):
                    results = _check_count(node, results)
            else:
                results = _run_node(node, grads, xp, anomaly, captures, captured, execute,
                                    create_graph)
                if results is None:  # not on a path to autograd.grad's inputs
                    continue
            if not retain_graph and node._saved is not None:
                node._saved = _freed
            meta = node._input_meta
            i = -1
            for nxt, nr in node.next_functions:
                i += 1
                if nxt is None:
                    continue
                g = results[i]
                if g is None:
                    continue
                m = meta[i]
                shape, dtype = node._out_meta if m is _SAME_AS_OUTPUT else m
                tg = type(g)
                if tg is _ndarray:
                    if g.shape != shape:
                        g = _sum_to(np, g, shape, node, i)
                    gd = g.dtype
                    if gd is not dtype and gd != dtype:
                        g = g.astype(dtype)
                elif tg in _SCALAR_DTYPES:  # a NumPy scalar (0-d results are scalars)
                    if shape:
                        g = _sum_to(np, np.asarray(g), shape, node, i)
                    gd = _SCALAR_DTYPES[tg]
                    if gd is not dtype and gd != dtype:
                        g = g.astype(dtype)
                elif tg is Tensor or isinstance(g, Tensor):
                    if g._data.shape != shape:
                        g = _sum_to(xp or _tensor_xp(), g, shape, node, i)
                    if g._data.dtype != dtype:
                        g = g.to(dtype=_tensor_dtype(dtype))
                else:  # a NumPy scalar, a Python number or another array type
                    if not isinstance(g, np.generic) and not _function._is_device_array(g):
                        g = np.asarray(g, dtype)
                    if shape and tuple(g.shape) != shape:
                        g = _sum_to(_array_module(g), g, shape, node, i)
                    gd = g.dtype
                    if gd is not dtype and gd != dtype:
                        g = g.astype(dtype)
                slots = buffers.get(nxt)
                if slots is None:
                    if nr == 0 and nxt._n_outputs == 1:
                        buffers[nxt] = [g]
                    else:
                        slots = buffers[nxt] = [None] * nxt._n_outputs
                        slots[nr] = g
                else:
                    prev = slots[nr]
                    slots[nr] = g if prev is None else prev + g
    finally:
        _state.enabled = prev_mode
    return captured


def _run_node(node, grads, xp, anomaly, captures, captured, execute, create_graph):
    """One node, the general way: tensor hooks and retained gradients, autograd.grad's
    captures and pruning, pre-hooks, the backward call and post-hooks. None if the node is not
    to run."""
    hooked = node._hooked
    if hooked:
        grads = _tensor_hooks(node, grads, create_graph)
    if captures is not None:
        for nr, g in enumerate(grads):
            for k in captures.get((node, nr), ()):
                captured[k] = g
    if execute is not None and node not in execute:
        return None
    if hooked and node._pre_hooks:
        grads = _run_pre_hooks(node, grads)
    results = _call(node, grads, xp, anomaly)
    if hooked and node._hooks:
        results = _run_post_hooks(node, results, grads)
    return results


def _check_count(node, results):
    """A backward returned more or fewer gradients than its node has inputs: extra ``None``
    values are dropped, anything else is an error."""
    expected = len(node.needs_input_grad)
    if len(results) < expected or any(r is not None for r in results[expected:]):
        raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients "
                           f"(expected {expected}, got {len(results)})")
    return results


def _array_module(g):
    from .._backend import array_module
    return array_module(g)


def _call(node, grads, xp, anomaly):
    """Run one node's backward; returns one gradient per ``next_functions`` entry."""
    if node._saved is _function._FREED_SAVED:
        raise RuntimeError(_function._FREED)
    if node._n_outputs > 1 and node._materialize and any(g is None for g in grads):
        grads = _materialize(node, grads, xp)
    user = node._user
    if user and xp is None:
        grads = [None if g is None else Tensor._make(g) for g in grads]
    try:
        if xp is not None and not user:
            fxp = node.xp
            node.xp = xp
            try:
                results = node(*grads)
            finally:
                node.xp = fxp
        else:
            results = node(*grads)
    except Exception:
        if anomaly and node._anomaly_trace:
            _warn_trace(node)
        raise
    if type(results) is not tuple:
        results = (results,)
    if len(results) != len(node.needs_input_grad):
        results = _check_count(node, results)
    if user:
        results = _user_results(node, results, xp)
    elif xp is not None:
        results = tuple(r if r is None or isinstance(r, Tensor) else Tensor._make(np.asarray(r))
                        for r in results)
    if anomaly and anomaly_mode._check_nan:
        anomaly_mode.check_nan(node, results)
    return results


def _user_results(node, results, xp):
    """A user's backward returns one gradient per forward argument: keep those of the Tensor
    arguments, raw arrays unless a graph is being built."""
    pos = node._grad_pos
    for i, r in enumerate(results[:len(node.needs_input_grad)]):
        if r is not None and i not in pos:
            raise RuntimeError(f"function {node.name()} returned a gradient different than None "
                               f"at position {i + 1}, but the corresponding forward input was "
                               "not a Variable")
    out = []
    for i in pos:
        r = results[i]
        if r is not None and not isinstance(r, Tensor):
            raise TypeError(f"function {node.name()} returned a gradient of type "
                            f"{type(r).__name__}; expected a Tensor or None")
        out.append(r if r is None or xp is not None else r._data)
    return out


def _warn_trace(node):
    warnings.warn(f"Error detected in {node.name()}. Traceback of forward call that caused the "
                  "error:\n" + "".join(node._anomaly_trace), UserWarning, stacklevel=2)


def _tensor_dtype(np_dtype):
    from .._dtype import from_numpy_dtype
    return from_numpy_dtype(np_dtype)


def _add_to_buffer(buffers, node, nr, g):
    slots = buffers.get(node)
    if slots is None:
        slots = buffers[node] = [None] * node._n_outputs
    prev = slots[nr]
    slots[nr] = g if prev is None else prev + g


def _materialize(node, grads, xp):
    """Outputs that received no gradient get zeros (unless the Function opted out)."""
    out = list(grads)
    for i, g in enumerate(grads):
        if g is None and node._output_meta is not None and node._output_meta[i] is not None:
            shape, dtype = node._output_meta[i]
            zeros = np.zeros(shape, dtype)
            out[i] = zeros if xp is None else Tensor._make(zeros)
    return out


def _as_tensor(g):
    return g if isinstance(g, Tensor) else Tensor._make(np.asarray(g))


def _as_raw(new, old):
    """A hook's result in the representation the engine is using (Tensor or raw array)."""
    if isinstance(old, Tensor):
        return new
    return new._data if isinstance(new, Tensor) else new


def _tensor_hooks(node, grads, create_graph):
    """Hooks registered with ``Tensor.register_hook`` on the node's outputs (each sees a Tensor
    and may replace it), then the ``retain_grad()`` tensors get their gradient."""
    if node._tensor_pre_hooks:
        grads = list(grads)
        for output_nr, fn in list(node._tensor_pre_hooks.values()):
            g = grads[output_nr]
            if g is None:
                continue
            new = fn(_as_tensor(g))
            if new is not None:
                grads[output_nr] = _as_raw(new, g)
    if node._retained:
        for output_nr, ref in node._retained:
            t = ref()
            g = grads[output_nr]
            if t is None or g is None or t.grad_fn is not node:
                continue
            _retain(t, g, create_graph)
    return grads


def _run_pre_hooks(node, grads):
    for fn in list(node._pre_hooks.values()):
        new = fn(tuple(None if g is None else _as_tensor(g) for g in grads))
        if new is not None:
            grads = [None if n is None else _as_raw(n, g) for n, g in zip(new, grads)]
    return grads


def _run_post_hooks(node, results, grads):
    n = len(node.next_functions)
    results = tuple(results[:n])
    for fn in list(node._hooks.values()):
        new = fn(tuple(None if r is None else _as_tensor(r) for r in results),
                 tuple(None if g is None else _as_tensor(g) for g in grads))
        if new is not None:
            results = tuple(None if n_ is None else _as_raw(n_, r) for n_, r in zip(new, results))
    return results


def _retain(t, g, create_graph):
    """``retain_grad()``: a non-leaf's ``.grad`` gets a copy of (or accumulates) its gradient."""
    if create_graph:
        from ..ops.elementwise import clone
        g = clone(_as_tensor(g))
        t._grad = g if t._grad is None else t._grad + g
    elif t._grad is None:
        t._grad = Tensor._make(np.array(g._data if isinstance(g, Tensor) else g, copy=True))
    else:
        t._grad = t._grad + (g if isinstance(g, Tensor) else Tensor._make(g))


class _Copy(_function.Function):
    """The copy a leaf's ``.grad`` starts as under ``create_graph=True`` (``CopyBackwards``)."""
    _raw = True
    _n_inputs = 1
    node_name = "CopyBackwards"

    @staticmethod
    def forward(ctx, g):
        return g.copy()

    @staticmethod
    def backward(ctx, g):
        return g


def _accumulate_into(t, g, create_graph, owned=False):
    """Add ``g`` into ``t.grad`` (in place when there is one, as PyTorch does). ``owned``: no
    one else references the array ``g``, so it may become the new ``.grad`` itself."""
    if create_graph:
        g = _as_tensor(g)
        if t._grad is None:
            t._grad = _Copy.apply(g) if g._requires_grad else Tensor._make(g._data.copy())
        else:
            t._grad = t._grad + g
    elif t._grad is None:
        if owned and type(g) is _ndarray and g.flags.owndata and g.flags.writeable and \
                g.strides == t._data.strides:
            t._grad = Tensor._make(g)
        else:  # a copy: the array may be shared (with other gradients, saved values, views)
            t._grad = Tensor._make(np.array(g._data if isinstance(g, Tensor) else g, copy=True))
    else:
        t._grad._data += g._data if isinstance(g, Tensor) else g
        t._grad._version_counter[0] += 1


def _leaf(node, g, captures, captured, accumulate, create_graph, owned=False):
    """A leaf's AccumulateGrad: tensor hooks, capture (autograd.grad) or accumulation.
    ``owned``: the engine holds the only reference to the array ``g``."""
    t = node.variable
    hooks = t._backward_hooks
    if hooks:
        owned = False  # hooks see (and may keep) the gradient
        for fn in list(hooks.values()):
            new = fn(_as_tensor(g))
            if new is not None:
                g = _as_raw(new, g)
    if captures is not None:
        for k in captures.get((node, 0), ()):
            captured[k] = g
    if not accumulate:
        return
    if node._pre_hooks:
        owned = False
        g = _run_pre_hooks(node, [g])[0]
    _accumulate_into(t, g, create_graph, owned and not node._hooks)
    if t._post_accumulate_hooks:
        for fn in list(t._post_accumulate_hooks.values()):
            fn(t)
    if node._hooks:
        for fn in list(node._hooks.values()):
            fn((), (_as_tensor(g),))
