"""Function and its context: the one mechanism every differentiable operation goes through.

A built-in op is a ``Function`` subclass with ``_raw = True``: its ``forward(ctx, *args)`` gets raw
arrays (Tensors unwrapped, other arguments as given) and its ``backward(ctx, *grads)`` is written
with arithmetic operators and the NumPy-named functions of ``ctx.xp``. The engine calls that
backward with raw arrays and ``ctx.xp`` = NumPy for a plain ``backward()``, and with Tensors and
``ctx.xp`` = :mod:`chainrule.ops.tensor_xp` under ``create_graph=True``, which makes every
gradient differentiable again without a second derivative rule.

A user's Function (PyTorch's API) is the same class with ``_raw = False``: forward and backward
see Tensors, exactly as in PyTorch.
"""
import traceback

import numpy as np

from .graph import Node, _sequence, accumulator_of, saved_tensors_hooks
from . import grad_mode
from . import anomaly_mode

__all__ = ["Function", "FunctionCtx", "BackwardCFunction", "once_differentiable", "InplaceFunction"]

_state = grad_mode._state

_FREED = ("Trying to backward through the graph a second time (or directly access saved tensors "
          "after they have already been freed). Saved intermediate values of the graph are freed "
          "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
          "backward through the graph a second time or if you need to access saved tensors after "
          "calling backward.")

# Kinds of saved values, resolved once in apply().
_INPUT, _OUTPUT, _CONST = 0, 1, 2


class FunctionCtx:
    """What ``forward`` and ``backward`` receive as ``ctx``: saved tensors and flags."""

    def save_for_backward(self, *tensors):
        """Save tensors (inputs or outputs of forward) for use in backward."""
        self._to_save = tensors

    def save_for_forward(self, *tensors):
        self._to_save_forward = tensors

    def mark_dirty(self, *tensors):
        """Declare the inputs that forward modified in place."""
        self._dirty = tensors

    def mark_non_differentiable(self, *outputs):
        """Declare outputs that never get a gradient (indices, masks)."""
        self._non_differentiable = tuple(id(o) for o in outputs)

    def set_materialize_grads(self, value):
        """With ``False``, backward may receive ``None`` for outputs that got no gradient."""
        self._materialize = value


class _NullContext(FunctionCtx):
    """The ctx handed to forward when no graph is recorded: saving is a no-op."""
    xp = np
    needs_input_grad = (False,) * 16

    def save_for_backward(self, *tensors):
        pass

    def mark_dirty(self, *tensors):
        pass

    def mark_non_differentiable(self, *outputs):
        pass

    def set_materialize_grads(self, value):
        pass

    def __setattr__(self, name, value):
        pass  # forward may stash values for backward; without a graph nobody reads them


_NULL_CTX = _NullContext()


class BackwardCFunction(Node, FunctionCtx):
    """Base of every op's backward node; the node is also the op's ``ctx``."""

    __slots__ = ("_saved", "needs_input_grad", "_input_meta", "_n_outputs", "_output_meta",
                 "_to_save", "_dirty", "_non_differentiable", "_materialize", "xp", "_freed",
                 "__dict__")

    _forward_cls = None

    @property
    def saved_tensors(self):
        """The values saved by forward, checked against in-place modification since then."""
        saved = self._saved
        if saved is None:
            if self._freed:
                raise RuntimeError(_FREED)
            return ()
        graph = self.xp is not np and (self.xp is not _cupy_module())
        out = []
        for value, kind, tensor, counter, version in saved:
            if counter is not None and counter[0] != version:
                _raise_modified(self, value, kind, tensor, counter[0], version)
            if kind == _CONST:
                out.append(value)
            elif graph or not self._forward_cls._raw:
                out.append(_saved_as_tensor(self, value, kind, tensor))
            else:
                out.append(value)
        return tuple(out)

    saved_variables = saved_tensors

    def _free(self):
        if self._saved is not None:
            self._saved = None
            self._freed = True

    def __call__(self, *grads):
        return self._forward_cls.backward(self, *grads)

    def apply(self, *grads):
        return self._forward_cls.backward(self, *grads)


def _cupy_module():
    from .._backend import cupy_module
    return cupy_module()


def _saved_as_tensor(node, value, kind, tensor):
    """A saved value as a Tensor: an input is returned as itself; a saved output is re-attached
    to the node that made it, so that double backward flows through it."""
    if kind == _INPUT:
        return tensor
    from .._tensor import Tensor
    out = Tensor._make(value)
    out._requires_grad = True
    out.grad_fn = node
    out._output_nr = tensor  # for an output, the slot holds its output index
    return out


def _raise_modified(node, value, kind, output_nr, now, expected):
    from .._tensor_str import legacy_type_name
    shape = ", ".join(str(d) for d in np.shape(value))
    desc = f"[{legacy_type_name(value.dtype)} [{shape}]]"
    if kind == _OUTPUT:
        desc += f", which is output {output_nr} of {node.name().replace('Backward0', '')},"
    raise RuntimeError(
        f"one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {desc} is at version {now}; expected version {expected} instead. Hint: enable "
        "anomaly detection to find the operation that failed to compute its gradient, with "
        "torch.autograd.set_detect_anomaly(True, check_nan=False).")


class _FunctionMeta(type):
    """Gives each Function subclass its own backward node class, named like PyTorch's."""

    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        node_name = attrs.get("node_name") or name + "Backward"
        cls._backward_cls = type(node_name, (BackwardCFunction,), {"_forward_cls": cls,
                                                                  "__slots__": ()})


class Function(metaclass=_FunctionMeta):
    """Base class for differentiable operations (``torch.autograd.Function``).

    Subclasses define ``forward(ctx, *args)`` and ``backward(ctx, *grad_outputs)`` as static
    methods (or ``forward(*args)`` plus ``setup_context(ctx, inputs, output)``) and are called
    through ``apply``.
    """

    _raw = False        # built-in ops set True: forward/backward on raw arrays (see module doc)
    _n_inputs = None    # built-ins: the first N arguments get next_functions entries
    _view = False       # built-ins: output 0 is a view of input 0 (shares its version counter)
    node_name = None

    def __init__(self, *args, **kwargs):
        pass

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your "
                                  "custom autograd.Function to use it with backward mode AD.")

    vjp = backward
    setup_context = None

    @classmethod
    def apply(cls, *args, **kwargs):
        from .._tensor import Tensor
        n = cls._n_inputs if cls._n_inputs is not None else len(args)
        needs = _state.enabled and any(
            type(a) is Tensor and a._requires_grad or isinstance(a, Tensor) and a.requires_grad
            for a in args[:n])
        if cls._raw:
            raw = [a._data if isinstance(a, Tensor) else a for a in args]
            if not needs:
                return _wrap_outputs(cls.forward(_NULL_CTX, *raw), None, args, cls)
            ctx = cls._backward_cls()
            _init_node(ctx, args, n)
            ctx.xp = np if type(raw[0]) is not _cupy_type() else _cupy_module()
            out = cls.forward(ctx, *raw)
        else:
            ctx = cls._backward_cls() if needs else FunctionCtx()
            if needs:
                _init_node(ctx, args, n)
            with grad_mode.no_grad():
                if cls.setup_context is not None and not _forward_takes_ctx(cls):
                    out = cls.forward(*args, **kwargs)
                    cls.setup_context(ctx, args, out)
                else:
                    out = cls.forward(ctx, *args, **kwargs)
            if not needs:
                return _plain_outputs(out)
            raw = args
        return _wrap_outputs(out, ctx, args, cls, raw)


def _cupy_type():
    return _cupy_type.value


_cupy_type.value = None


def _forward_takes_ctx(cls):
    import inspect
    params = list(inspect.signature(cls.forward).parameters)
    return bool(params) and params[0] == "ctx"


def _init_node(ctx, args, n):
    from .._tensor import Tensor
    nexts = []
    needs_input_grad = []
    meta = []
    for a in args[:n]:
        if isinstance(a, Tensor) and a._requires_grad:
            fn = a.grad_fn
            nexts.append((fn, a._output_nr) if fn is not None else (accumulator_of(a), 0))
            needs_input_grad.append(True)
            meta.append(a._data)
        else:
            nexts.append((None, 0))
            needs_input_grad.append(False)
            meta.append(None)
    needs_input_grad.extend(False for _ in args[n:])
    ctx.next_functions = tuple(nexts)
    ctx.needs_input_grad = tuple(needs_input_grad)
    # Only shape and dtype are kept: the engine reduces each gradient to its input's shape.
    ctx._input_meta = tuple(None if m is None else (m.shape, m.dtype) for m in meta)
    ctx._seq = next(_sequence)
    ctx._pre_hooks = ctx._hooks = ctx._tensor_pre_hooks = ctx._retained = None
    ctx._saved = ctx._to_save = ctx._dirty = ctx._non_differentiable = None
    ctx._materialize = True
    ctx._freed = False
    ctx.metadata = {}
    ctx._anomaly_trace = traceback.format_stack()[:-3] if anomaly_mode._enabled else None


def _plain_outputs(out):
    return out


def _wrap_outputs(out, ctx, args, cls, raw=None):
    """Wrap forward's result(s) as Tensors; with a ctx, attach the node and resolve saved values."""
    from .._tensor import Tensor
    multi = type(out) is tuple
    outs = out if multi else (out,)
    results = []
    non_diff = ctx._non_differentiable if ctx is not None else None
    for i, o in enumerate(outs):
        if isinstance(o, Tensor):  # user Functions return Tensors
            t = o
            if ctx is not None and t.grad_fn is not None and ctx._dirty is None:
                t = t.detach()
        elif o is None:
            results.append(None)
            continue
        else:
            t = Tensor._make(o if type(o) is np.ndarray else np.asarray(o))
        if ctx is not None and t._data.dtype.kind in "fc" and (non_diff is None or id(o) not in non_diff):
            t._requires_grad = True
            t.grad_fn = ctx
            t._output_nr = i
        results.append(t)
    if cls._view and results[0] is not None and args and isinstance(args[0], Tensor):
        view = results[0]
        if view._data.base is not None:
            view._version_counter = args[0]._version_counter
            view._base = args[0]._base if args[0]._base is not None else args[0]
    if ctx is not None:
        _resolve_saved(ctx, args, raw, outs, results)
        ctx._n_outputs = len(outs)
        ctx._output_meta = tuple(None if r is None else (r._data.shape, r._data.dtype)
                                 for r in results)
        if ctx._dirty is not None:
            _apply_dirty(ctx, args, results)
    return tuple(results) if multi else results[0]


def _resolve_saved(ctx, args, raw, outs, results):
    from .._tensor import Tensor
    to_save = ctx._to_save
    if not to_save:
        return
    ctx._to_save = None
    saved = []
    for obj in to_save:
        if obj is None:
            saved.append((None, _CONST, None, None, 0))
            continue
        for i, r in enumerate(raw):
            if obj is r and isinstance(args[i], Tensor):
                t = args[i]
                saved.append((t._data, _INPUT, t, t._version_counter, t._version_counter[0]))
                break
        else:
            for j, o in enumerate(outs):
                if obj is o and results[j] is not None:
                    t = results[j]
                    saved.append((t._data, _OUTPUT, j, t._version_counter, t._version_counter[0]))
                    break
            else:
                if isinstance(obj, Tensor):  # an intermediate of a user's forward
                    saved.append((obj, _CONST, None, obj._version_counter, obj._version_counter[0]))
                else:
                    saved.append((obj, _CONST, None, None, 0))
    ctx._saved = tuple(saved)


def _apply_dirty(ctx, args, results):
    """A user forward that modified an input in place returns it: rebase that input on ctx."""
    for t in ctx._dirty:
        t._version_counter[0] += 1
        t.grad_fn = ctx
        t._requires_grad = True


def once_differentiable(fn):
    """Decorator for a backward that cannot itself be differentiated: it runs under no_grad."""
    import functools

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with grad_mode.no_grad():
            return fn(ctx, *args)
    return wrapper


class InplaceFunction(Function):
    def __init__(self, inplace=False):
        self.inplace = inplace
