"""Backward graph nodes: the Node base shared by every op's backward, and AccumulateGrad."""
import itertools
import weakref

__all__ = ["Node", "AccumulateGrad", "RemovableHandle", "saved_tensors_hooks"]

# Nodes are numbered in creation order; a node is always created after the nodes of its inputs,
# so decreasing sequence numbers give a valid reverse topological order for the engine.
_sequence = itertools.count()


class RemovableHandle:
    """Returned by ``register_*hook``; ``remove()`` unregisters the hook."""

    __slots__ = ("_hooks", "_key")
    _ids = itertools.count()

    def __init__(self, hooks):
        self._hooks = hooks
        self._key = next(RemovableHandle._ids)

    def remove(self):
        self._hooks.pop(self._key, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _add_hook(hooks, fn):
    handle = RemovableHandle(hooks)
    hooks[handle._key] = fn
    return handle


class Node:
    """A node of the backward graph (what ``tensor.grad_fn`` returns).

    ``next_functions`` holds one ``(node, output_nr)`` pair per differentiable input (``None`` for an
    input that needs no gradient). Hooks registered here run when the engine reaches the node.
    """

    __slots__ = ("next_functions", "_seq", "_pre_hooks", "_hooks", "_tensor_pre_hooks",
                 "_retained", "metadata", "_anomaly_trace", "__weakref__")

    def name(self):
        """The node's class name, e.g. ``'MulBackward0'``."""
        return type(self).__name__

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after the node; it may return new grad_inputs."""
        if self._hooks is None:
            self._hooks = {}
        return _add_hook(self._hooks, fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before the node; it may return new grad_outputs."""
        if self._pre_hooks is None:
            self._pre_hooks = {}
        return _add_hook(self._pre_hooks, fn)

    def _register_tensor_hook(self, output_nr, fn):
        if self._tensor_pre_hooks is None:
            self._tensor_pre_hooks = {}
        return _add_hook(self._tensor_pre_hooks, (output_nr, fn))

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    def __call__(self, *grads):
        raise NotImplementedError


class AccumulateGrad(Node):
    """The sink of a leaf tensor: adds the incoming gradient into ``variable.grad``."""

    __slots__ = ("variable", "_post_hooks")

    def __init__(self, variable):
        self.variable = variable
        self.next_functions = ()
        self._seq = -1
        self._pre_hooks = self._hooks = self._tensor_pre_hooks = self._retained = None
        self._post_hooks = None
        self.metadata = {}
        self._anomaly_trace = None


def accumulator_of(tensor):
    """The one AccumulateGrad node of a leaf, created on first use and cached weakly on it."""
    ref = tensor._accumulator
    node = ref() if ref is not None else None
    if node is None:
        node = AccumulateGrad(tensor)
        tensor._accumulator = weakref.ref(node)
    return node


class saved_tensors_hooks:
    """Context manager: ``pack_hook(tensor)`` runs when an op saves a tensor for backward and
    ``unpack_hook(packed)`` when backward reads it back."""

    _stack = []

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self):
        saved_tensors_hooks._stack.append((self.pack_hook, self.unpack_hook))

    def __exit__(self, *exc):
        saved_tensors_hooks._stack.pop()
