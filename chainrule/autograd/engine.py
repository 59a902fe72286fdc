"""The backward engine: one iterative walk over the graph, in decreasing sequence number.

This is the only place where gradients are summed, reduced to their input's shape (undoing
broadcasting) and cast to their input's dtype.
"""
import numpy as np

from . import anomaly_mode, grad_mode
from .function import BackwardCFunction
from .graph import AccumulateGrad, accumulator_of

__all__ = ["run_backward"]


def _size(shape):
    return "torch.Size([" + ", ".join(str(d) for d in shape) + "])"


def _root_gradients(tensors, grad_tensors, create_graph):
    from .._tensor import Tensor
    roots, grads = [], []
    for i, (t, g) in enumerate(zip(tensors, grad_tensors)):
        if not t._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a "
                               "grad_fn")
        if g is None:
            if t._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not t._data.dtype.kind in "fc":
                raise RuntimeError("grad can be implicitly created only for real scalar outputs "
                                   f"but got {t.dtype}")
            g = np.ones_like(t._data)
            if create_graph:
                g = Tensor._make(g)
        else:
            if not isinstance(g, Tensor):
                raise TypeError(f"gradients can be either Tensors or None, but got "
                                f"{type(g).__name__}")
            if g.shape != t.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                                   f"{_size(g.shape)} and output[{i}] has a shape of "
                                   f"{_size(t.shape)}.")
            if g._data.dtype != t._data.dtype:
                g = g.to(t.dtype)
            if not create_graph:
                g = g._data
        node = t.grad_fn if t.grad_fn is not None else accumulator_of(t)
        roots.append((node, t._output_nr if t.grad_fn is not None else 0))
        grads.append(g)
    return roots, grads


def _reachable(roots):
    """Every node reachable from the roots, sorted so that a node comes before its inputs."""
    seen = set()
    stack = [node for node, _ in roots]
    order = []
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        for nxt, _ in node.next_functions:
            if nxt is not None and nxt not in seen:
                stack.append(nxt)
    order.sort(key=_seq_key, reverse=True)
    return order


def _seq_key(node):
    return node._seq


def _sum_to(xp, g, shape, node, index):
    """Reduce a gradient to ``shape`` by summing the axes that broadcasting added or stretched."""
    gshape = g.shape
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
    return tensor_xp


def run_backward(tensors, grad_tensors, retain_graph=False, create_graph=False, inputs=None,
                 allow_unused=True, accumulate=True):
    """Backpropagate from ``tensors``. With ``accumulate`` the gradients of the leaves (or of
    ``inputs``) are added into ``.grad``; without it they are returned, in ``inputs`` order
    (this is ``autograd.grad``)."""
    from .._tensor import Tensor
    roots, root_grads = _root_gradients(tensors, grad_tensors, create_graph)
    order = _reachable(roots)
    buffers = {}
    for (node, nr), g in zip(roots, root_grads):
        _add_to_buffer(buffers, node, nr, g)

    # Where gradients are captured instead of (or as well as) accumulated.
    captures = None
    if inputs is not None:
        captures = {}
        for k, t in enumerate(inputs):
            key = (t.grad_fn, t._output_nr) if t.grad_fn is not None else (accumulator_of(t), 0)
            captures.setdefault(key, []).append(k)
    captured = [None] * (len(inputs) if inputs is not None else 0)

    xp = _tensor_xp() if create_graph else np
    with grad_mode.set_grad_enabled(create_graph):
        for node in order:
            grads = buffers.pop(node, None)
            if grads is None:
                continue
            if node._tensor_pre_hooks:
                grads = _run_tensor_hooks(node, grads)
            if node._retained:
                _update_retained(node, grads, create_graph)
            if captures is not None:
                for nr, g in enumerate(grads):
                    for k in captures.get((node, nr), ()):
                        captured[k] = g
            if type(node) is AccumulateGrad:
                if accumulate and (captures is None or (node, 0) in captures):
                    _accumulate(node, grads[0], create_graph)
                continue
            if node._pre_hooks:
                grads = _run_pre_hooks(node, grads)
            grads = _materialize(node, grads, xp)
            node.xp = xp
            if node._saved is None and node._freed:
                node.saved_tensors  # raises the "backward through the graph a second time" error
            results = node(*grads)
            if type(results) is not tuple:
                results = (results,)
            if len(results) != len(node.needs_input_grad):
                if len(results) < len(node.next_functions) or any(
                        r is not None for r in results[len(node.needs_input_grad):]):
                    raise RuntimeError(
                        f"function {node.name()} returned an incorrect number of gradients "
                        f"(expected {len(node.needs_input_grad)}, got {len(results)})")
            if node._hooks:
                results = _run_post_hooks(node, results, grads)
            if anomaly_mode._enabled:
                anomaly_mode.check_nan(node, results)
            if not retain_graph:
                node._free()
            for i, ((nxt, nr), g) in enumerate(zip(node.next_functions, results)):
                if nxt is None or g is None:
                    continue
                shape, dtype = node._input_meta[i]
                if type(g) is Tensor:
                    if g._data.shape != shape:
                        g = _sum_to(xp, g, shape, node, i)
                    if g._data.dtype != dtype:
                        g = g.to(dtype=_tensor_dtype(dtype))
                else:
                    if np.shape(g) != shape:
                        g = _sum_to(np, g, shape, node, i)
                    if g.dtype != dtype:
                        g = g.astype(dtype)
                _add_to_buffer(buffers, nxt, nr, g)
    return captured


def _tensor_dtype(np_dtype):
    from .._dtype import from_numpy_dtype
    return from_numpy_dtype(np_dtype)


def _add_to_buffer(buffers, node, nr, g):
    slots = buffers.get(node)
    if slots is None:
        n = node._n_outputs if type(node) is not AccumulateGrad else 1
        slots = buffers[node] = [None] * n
    prev = slots[nr]
    slots[nr] = g if prev is None else prev + g


def _materialize(node, grads, xp):
    """Outputs that received no gradient get zeros (unless the Function opted out)."""
    if not node._materialize or all(g is not None for g in grads):
        return grads
    out = list(grads)
    for i, g in enumerate(grads):
        if g is None:
            shape, dtype = node._output_meta[i]
            zeros = np.zeros(shape, dtype)
            out[i] = zeros if xp is np else _wrap(zeros)
    return out


def _wrap(array):
    from .._tensor import Tensor
    return Tensor._make(array)


def _as_tensor(g):
    from .._tensor import Tensor
    return g if isinstance(g, Tensor) else Tensor._make(np.asarray(g))


def _as_raw(new, old):
    """A hook's result in the representation the engine is using (Tensor or raw array)."""
    from .._tensor import Tensor
    if isinstance(old, Tensor):
        return new
    return new._data if isinstance(new, Tensor) else new


def _run_tensor_hooks(node, grads):
    """Hooks registered with ``Tensor.register_hook`` on the node's outputs; each sees a Tensor."""
    grads = list(grads)
    for output_nr, fn in list(node._tensor_pre_hooks.values()):
        g = grads[output_nr]
        if g is None:
            continue
        new = fn(_as_tensor(g))
        if new is not None:
            grads[output_nr] = _as_raw(new, g)
    return grads


def _run_pre_hooks(node, grads):
    for fn in list(node._pre_hooks.values()):
        new = fn(tuple(None if g is None else _as_tensor(g) for g in grads))
        if new is not None:
            grads = [_as_raw(n, g) for n, g in zip(new, grads)]
    return grads


def _run_post_hooks(node, results, grads):
    for fn in list(node._hooks.values()):
        new = fn(tuple(None if r is None else _as_tensor(r) for r in results),
                 tuple(None if g is None else _as_tensor(g) for g in grads))
        if new is not None:
            results = tuple(_as_raw(n, r) for n, r in zip(new, results))
    return results


def _update_retained(node, grads, create_graph):
    for output_nr, ref in node._retained:
        t = ref()
        g = grads[output_nr]
        if t is None or g is None or t.grad_fn is not node:
            continue
        _add_into_grad(t, g, create_graph)


def _add_into_grad(t, g, create_graph):
    from .._tensor import Tensor
    if create_graph:
        g = _as_tensor(g)
        t._grad = g if t._grad is None else t._grad + g
    elif t._grad is None:
        # A fresh copy: the incoming array may be shared with other gradients.
        t._grad = Tensor._make(np.array(g._data if isinstance(g, Tensor) else g, copy=True))
    else:
        t._grad._data += g._data if isinstance(g, Tensor) else g
        t._grad._version_counter[0] += 1


def _accumulate(node, g, create_graph):
    t = node.variable
    hooks = t._backward_hooks
    if hooks:
        for fn in list(hooks.values()):
            new = fn(_as_tensor(g))
            if new is not None:
                g = _as_raw(new, g)
    if node._pre_hooks:
        g = _run_pre_hooks(node, [g])[0]
    _add_into_grad(t, g, create_graph)
    if t._post_accumulate_hooks:
        for fn in list(t._post_accumulate_hooks.values()):
            fn(t)
