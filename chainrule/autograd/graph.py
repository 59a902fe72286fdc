"""Backward graph nodes: the Node base shared by every op's backward, AccumulateGrad, handles for
hooks, and ``saved_tensors_hooks`` (``torch.autograd.graph``)."""
import collections
import itertools
import threading
import weakref

__all__ = ["Node", "AccumulateGrad", "RemovableHandle", "saved_tensors_hooks",
           "save_on_cpu", "disable_saved_tensors_hooks", "GradientEdge", "get_gradient_edge"]

# Nodes are numbered in creation order; a node is always created after the nodes of its inputs,
# so decreasing sequence numbers give a valid reverse topological order for the engine.
_sequence = itertools.count()


class RemovableHandle:
    """Returned by ``register_*hook``; ``remove()`` unregisters the hook."""

    __slots__ = ("_hooks", "_key", "id")
    _ids = itertools.count()

    def __init__(self, hooks):
        self._hooks = hooks
        self._key = self.id = next(RemovableHandle._ids)

    def remove(self):
        """Unregister the hook (a second call does nothing)."""
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

    ``next_functions`` holds one ``(node, output_nr)`` pair per differentiable input (``(None, 0)``
    for an input that needs no gradient). Hooks registered here run when the engine reaches the
    node. Rarely used state (hooks, retained gradients, metadata, anomaly traces) lives in class
    defaults until first set, so that creating a node stays cheap.
    """

    __slots__ = ("next_functions", "_seq", "__weakref__")

    # Set per instance only when used. ``_hooked`` tells the engine to look at the hook tables.
    _hooked = False
    _pre_hooks = _hooks = _tensor_pre_hooks = _retained = None
    _anomaly_trace = None
    _n_outputs = 1

    def name(self):
        """The node's class name, e.g. ``'MulBackward0'``."""
        return type(self).__name__

    @property
    def metadata(self):
        """A dict for the user's own annotations of this node."""
        d = self.__dict__.get("_metadata")
        if d is None:
            d = self.__dict__["_metadata"] = {}
        return d

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after the node has computed the gradients of its
        inputs; it may return new ``grad_inputs``. Returns a handle with ``remove()``."""
        if self._hooks is None:
            self._hooks = {}
        self._hooked = True
        return _add_hook(self._hooks, fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before the node; it may return new ``grad_outputs``."""
        if self._pre_hooks is None:
            self._pre_hooks = {}
        self._hooked = True
        return _add_hook(self._pre_hooks, fn)

    def _register_tensor_hook(self, output_nr, fn):
        if self._tensor_pre_hooks is None:
            self._tensor_pre_hooks = {}
        self._hooked = True
        return _add_hook(self._tensor_pre_hooks, (output_nr, fn))

    def _retain(self, output_nr, tensor):
        if self._retained is None:
            self._retained = []
        self._hooked = True
        self._retained.append((output_nr, weakref.ref(tensor)))

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    def __call__(self, *grads):
        raise NotImplementedError


class AccumulateGrad(Node):
    """The sink of a leaf tensor: adds the incoming gradient into ``variable.grad``."""

    __slots__ = ("variable", "__dict__")

    def __init__(self, variable):
        self.variable = variable
        self.next_functions = ()
        self._seq = -1

    def __repr__(self):
        return f"<AccumulateGrad object at {hex(id(self))}>"

    def name(self):
        """PyTorch's C++ name of the node, ``'torch::autograd::AccumulateGrad'``."""
        return "torch::autograd::AccumulateGrad"


def accumulator_of(tensor):
    """The one AccumulateGrad node of a leaf, created on first use and cached weakly on it: the
    same object for as long as some graph holds it. None for a view made while grad mode was
    off (``function.mark_unrecorded_view``): its gradient goes nowhere, as in PyTorch."""
    if tensor.__dict__.get("_unrecorded_view"):
        return None
    ref = tensor._accumulator
    node = ref() if ref is not None else None
    if node is None:
        node = AccumulateGrad(tensor)
        tensor._accumulator = weakref.ref(node)
    return node


class _HookState(threading.local):
    def __init__(self):
        self.stack = []
        self.disabled = None


_hook_state = _HookState()


class saved_tensors_hooks:
    """Context manager setting a pair of pack / unpack hooks for saved tensors.

    Inside it, every tensor an operation saves for backward is passed to ``pack_hook(tensor)``
    and what that returns is stored instead; when backward needs the tensor,
    ``unpack_hook(packed)`` must give back a tensor with the same content. In-place changes of a
    packed tensor are not detected.
    """

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self):
        if _hook_state.disabled is not None:
            raise RuntimeError(_hook_state.disabled)
        _hook_state.stack.append((self.pack_hook, self.unpack_hook))
        return self

    def __exit__(self, *exc):
        _hook_state.stack.pop()


class save_on_cpu(saved_tensors_hooks):
    """Saved tensors are copied to the CPU when packed and moved back when unpacked."""

    def __init__(self, pin_memory=False, device_type="cuda"):
        def pack(tensor):
            return tensor.device, tensor.detach().cpu().clone()

        def unpack(packed):
            device, tensor = packed
            return tensor.to(device)

        super().__init__(pack, unpack)


class disable_saved_tensors_hooks:
    """Context manager under which ``saved_tensors_hooks`` raises ``RuntimeError(error_message)``."""

    def __init__(self, error_message):
        self.error_message = error_message

    def __enter__(self):
        self.prev = _hook_state.disabled
        _hook_state.disabled = self.error_message

    def __exit__(self, *exc):
        _hook_state.disabled = self.prev


GradientEdge = collections.namedtuple("GradientEdge", ("node", "output_nr"))
GradientEdge.__doc__ = "A node of the graph and which of its outputs, usable as an input of grad()."


def get_gradient_edge(tensor):
    """The :class:`GradientEdge` through which ``tensor``'s gradient flows."""
    if not tensor.requires_grad:
        raise RuntimeError("It is not possible to get the gradient edge for a Tensor that does "
                           "not require gradients")
    if tensor.grad_fn is not None:
        return GradientEdge(tensor.grad_fn, tensor._output_nr)
    return GradientEdge(accumulator_of(tensor), 0)

from .dot import to_dot, render  # noqa: E402  (graph pictures)
