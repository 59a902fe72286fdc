"""Function and its context: the one mechanism every differentiable operation goes through.

A built-in op is a ``Function`` subclass with ``_raw = True``: its ``forward(ctx, *args)`` gets raw
arrays (Tensors unwrapped, other arguments as given) and its ``backward(ctx, *grads)`` is written
with arithmetic operators and the NumPy-named functions of ``ctx.xp``. The engine calls that
backward with raw arrays and ``ctx.xp`` = NumPy for a plain ``backward()``, and with Tensors and
``ctx.xp`` = :mod:`chainrule.ops.tensor_xp` under ``create_graph=True``, which makes every
gradient differentiable again without a second derivative rule.

A user's Function (PyTorch's API) is the same class with ``_raw = False``: forward and backward
see Tensors, exactly as in PyTorch; ``next_functions`` has one entry per Tensor argument and
backward returns one gradient per argument (``None`` for non-Tensors).
"""
import functools
import inspect
import linecache
import re
import traceback
import weakref

import numpy as np

from . import anomaly_mode, grad_mode
from .graph import Node, _hook_state, _sequence, accumulator_of

__all__ = ["Function", "FunctionCtx", "BackwardCFunction", "once_differentiable",
           "InplaceFunction", "NestedIOFunction"]

_state = grad_mode._state
_ndarray = np.ndarray
_generic = np.generic   # NumPy scalars: what NumPy returns for 0-d results
_asarray = np.asarray
_weakref = weakref.ref
Tensor = None           # chainrule.Tensor, bound by _tensor.py once the class exists
_make = None            # Tensor._make, bound by ops/_common.py
_TENSOR_XP = None       # chainrule.ops.tensor_xp, bound by the engine on first create_graph use

_FREED = ("Trying to backward through the graph a second time (or directly access saved tensors "
          "after they have already been freed). Saved intermediate values of the graph are freed "
          "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
          "backward through the graph a second time or if you need to access saved tensors after "
          "calling backward.")

# Kinds of saved values, resolved once when forward returns. An entry of ctx._saved is
# (value, kind, tensor_or_index, version_counter, version).
_INPUT, _OUTPUT, _CONST, _PACKED = 0, 1, 2, 3
_NONE_ENTRY = (None, _CONST, None, None, 0)
_NO_EDGE = (None, 0)
_SAME_AS_OUTPUT = "same as the output"  # an input's meta, see _APPLY_TEMPLATE


class _Freed(tuple):
    """The type of ``_FREED_SAVED``, what a node's saved values become once backward has
    freed them: empty and false like no saved values, but recognisable."""


_FREED_SAVED = _Freed()


class FunctionCtx:
    """What ``forward`` and ``backward`` receive as ``ctx``: saved tensors and flags."""

    def save_for_backward(self, *tensors):
        """Save tensors (inputs or outputs of forward) for use in backward, where
        ``ctx.saved_tensors`` returns them after checking they were not modified in place."""
        self._to_save = tensors

    def save_for_forward(self, *tensors):
        self._to_save_forward = tensors

    def mark_dirty(self, *tensors):
        """Declare the inputs that forward modified in place (they must be returned)."""
        self._dirty = tensors

    def mark_non_differentiable(self, *outputs):
        """Declare outputs that never get a gradient (indices, masks)."""
        self._non_differentiable = outputs

    def set_materialize_grads(self, value):
        """With ``False``, backward may receive ``None`` for outputs that got no gradient."""
        self._materialize = value


class _NullContext(FunctionCtx):
    """The ctx handed to a built-in forward when no graph is recorded: saving is a no-op."""
    xp = np
    needs_input_grad = (False,) * 16

    def save_for_backward(self, *tensors):
        pass

    def __setattr__(self, name, value):
        pass  # forward may stash values for backward; without a graph nobody reads them


_NULL_CTX = _NullContext()


class BackwardCFunction(Node, FunctionCtx):
    """Base of every op's backward node; the node is also the op's ``ctx``."""

    # Attributes the common ops set on their ctx are slots too: no per-node dict for them.
    __slots__ = ("needs_input_grad", "_input_meta", "_out_meta", "_saved", "_to_save",
                 "__dict__", "alpha", "shape", "dims", "keepdim", "count", "lo", "hi", "dim",
                 "exponent", "ndims")

    xp = np                 # the array module of backward (set per node for other devices)
    _forward_cls = None
    _user = False           # a user's Function: backward sees Tensors
    _grad_pos = None        # user Functions: positions of the Tensor arguments
    _dirty = _non_differentiable = _output_meta = None
    _materialize = True

    @property
    def saved_tensors(self):
        """The values saved by forward, checked against in-place modification since then."""
        saved = self._saved
        if saved is None:
            return ()
        if saved is _FREED_SAVED:
            raise RuntimeError(_FREED)
        if not self._user and self.xp is not _TENSOR_XP:  # a built-in op's plain backward
            out = []
            for value, kind, tensor, counter, version in saved:
                if counter is not None and counter[0] != version:
                    _raise_modified(self, value, kind, tensor, counter[0], version)
                if kind == _PACKED:
                    value = _unpack(self, value, tensor, False)
                if type(value) is _ndarray and not value.shape:
                    # A 0-d array as a NumPy scalar: same dtype and promotion (NEP 50), and
                    # arithmetic on scalars costs a tenth of a 0-d array's.
                    value = value[()]
                out.append(value)
            return tuple(out)
        out = []
        for value, kind, tensor, counter, version in saved:
            if counter is not None and counter[0] != version:
                _raise_modified(self, value, kind, tensor, counter[0], version)
            if kind == _INPUT:
                out.append(tensor)
            elif kind == _OUTPUT:
                out.append(_saved_output(self, value, tensor))
            elif kind == _CONST:
                out.append(value)
            else:
                out.append(_unpack(self, value, tensor, True))
        return tuple(out)

    saved_variables = saved_tensors

    def _free(self):
        if self._saved is not None:
            self._saved = _FREED_SAVED

    def __call__(self, *grads):
        return self._forward_cls.backward(self, *grads)

    def apply(self, *grads):
        return self._forward_cls.backward(self, *grads)

    def __repr__(self):
        if self._user:
            return f"<torch.autograd.function.{type(self).__name__} object at {hex(id(self))}>"
        return f"<{type(self).__name__} object at {hex(id(self))}>"


def _saved_output(node, value, output_nr):
    """A saved output as a Tensor re-attached to the node that made it, so that double backward
    flows through it."""
    out = Tensor._make(value)
    out._requires_grad = True
    out.grad_fn = node
    out._output_nr = output_nr
    return out


def _pack(tensor, kind, index):
    """Run the innermost ``saved_tensors_hooks`` pack hook on a tensor being saved."""
    pack, unpack = _hook_state.stack[-1]
    if kind == _INPUT:
        ident = (kind, tensor.grad_fn, tensor._output_nr, tensor._requires_grad,
                 tensor._accumulator)
    else:
        ident = (kind, None, index, True, None)
    return (pack(tensor), _PACKED, (unpack, ident), None, 0)


def _unpack(node, packed, info, as_tensors):
    unpack, (kind, grad_fn, output_nr, requires_grad, accumulator) = info
    value = unpack(packed)
    if not isinstance(value, Tensor):
        raise TypeError(f"Output of saved tensor unpack_hook expected to be a Tensor but got "
                        f"result of type {type(value).__name__}")
    if not as_tensors:
        return value._data
    if kind == _OUTPUT:
        return _saved_output(node, value._data, output_nr)
    t = Tensor._make(value._data)
    t._requires_grad = requires_grad
    t.grad_fn, t._output_nr, t._accumulator = grad_fn, output_nr, accumulator
    return t


def _raise_modified(node, value, kind, output_nr, now, expected):
    from .._tensor_str import legacy_type_name
    shape = ", ".join(str(d) for d in np.shape(value))
    desc = f"[{legacy_type_name(value.dtype)} [{shape}]]"
    if kind == _OUTPUT:
        desc += f", which is output {output_nr} of {_op_name(node)},"
    elif kind == _INPUT and output_nr.grad_fn is not None:
        desc += f", which is output {output_nr._output_nr} of {_op_name(output_nr.grad_fn)},"
    raise RuntimeError(
        f"one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {desc} is at version {now}; expected version {expected} instead. Hint: enable "
        "anomaly detection to find the operation that failed to compute its gradient, with "
        "torch.autograd.set_detect_anomaly(True, check_nan=False).")


def _op_name(node):
    """``MulBackward0`` -> ``Mul``, ``PowBackward1`` -> ``Pow1``: how PyTorch names the producer
    of a modified tensor."""
    return re.sub(r"Backward(\d*)$", lambda m: "" if m.group(1) == "0" else m.group(1),
                  node.name())


class _FunctionMeta(type):
    """Gives each Function subclass its own backward node class, named like PyTorch's
    (``<Name>Backward`` for a user's Function, ``node_name`` for a built-in op)."""

    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        node_name = attrs.get("node_name") or name + "Backward"
        if "backward" not in attrs and "vjp" in attrs:
            cls.backward = attrs["vjp"]
        cls._setup_style = (cls.__dict__.get("setup_context") is not None or any(
            getattr(b, "_setup_style", False) for b in bases)) and not _takes_ctx(cls.forward)
        cls._backward_cls = type(node_name, (BackwardCFunction,), {
            "_forward_cls": cls, "_user": not cls._raw, "__slots__": (),
            "__module__": "torch.autograd.function" if not cls._raw else "builtins"})
        if cls._raw and "apply" not in attrs:
            fast = _specialised_apply(cls)
            if fast is not None:
                cls.apply = fast


def _takes_ctx(forward):
    try:
        params = list(inspect.signature(forward).parameters)
    except (TypeError, ValueError):
        return True
    return bool(params) and params[0] == "ctx"


class Function(metaclass=_FunctionMeta):
    """Base class for differentiable operations (``torch.autograd.Function``).

    Subclasses define ``forward(ctx, *args)`` and ``backward(ctx, *grad_outputs)`` as static
    methods (or ``forward(*args)`` plus ``setup_context(ctx, inputs, output)``) and are called
    through ``apply``. ``backward`` returns one gradient per ``forward`` argument (``None`` for
    arguments that are not Tensors or need no gradient)::

        class Exp(Function):
            @staticmethod
            def forward(ctx, i):
                result = i.exp()
                ctx.save_for_backward(result)
                return result

            @staticmethod
            def backward(ctx, grad_output):
                result, = ctx.saved_tensors
                return grad_output * result

        y = Exp.apply(x)
    """

    _raw = False        # built-in ops set True: forward/backward on raw arrays (see module doc)
    _n_inputs = None    # built-ins: the first N arguments get next_functions entries
    _view = False       # built-ins: output 0 is a view of input 0 (shares its version counter)
    node_name = None
    setup_context = None

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please use "
            "new-style autograd function with static forward method. (Example: https://pytorch.org"
            "/docs/stable/autograd.html#torch.autograd.Function)")

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your "
                                  "custom autograd.Function to use it with backward mode AD.")

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("You must implement the jvp function for custom "
                                  "autograd.Function to use it with forward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward`` on ``args`` and, if grad mode is on and an input requires grad, record
        the node that will run ``backward``.

        (A built-in op with a fixed argument list gets a specialised copy of this method, made by
        ``_specialised_apply``; this generic one serves the others.)"""
        if not cls._raw:
            return _apply_user(cls, args, kwargs)
        raw = []
        record = False
        n = cls._n_inputs
        inputs = len(args) if n is None else len(args[:n])
        for a in args:
            if isinstance(a, Tensor):
                raw.append(a._data)
                if inputs > 0 and a._requires_grad:
                    record = True
            else:
                raw.append(a)
            inputs -= 1
        if not (record and _state.enabled):
            return _plain_outputs(cls.forward(_NULL_CTX, *raw), cls, args)
        ctx = cls._backward_cls()
        _init_node(ctx, args, n)
        r0 = raw[0]
        if type(r0) is not _ndarray and _is_device_array(r0):
            ctx.xp = _array_module(r0)
        return _wrap_outputs(cls.forward(ctx, *raw), ctx, args, cls, raw)


# The body of a built-in op's ``apply`` for a fixed argument list (``{params}`` are a0, a1, ...;
# the first {n} are graph inputs). It is ``Function.apply`` unrolled: no argument lists to build,
# no loops, and the single-array result -- the common case -- wrapped inline. It also keeps the
# node small (fewer objects for the garbage collector to visit while the graph lives):
# ``needs_input_grad`` comes from a table, and an input whose shape and dtype are the output's
# records ``_SAME_AS_OUTPUT`` instead of its own (shape, dtype).
_APPLY_TEMPLATE = """
def make(_needs):
    def apply(cls, {params}):
{unwrap}
        if _state.enabled and ({requires}):
            ctx = cls._backward_cls()
            bits = 0
{edges}
            ctx.next_functions = ({nexts})
            ctx.needs_input_grad = _needs[bits]
            ctx._seq = next(_sequence)
            ctx._saved = ctx._to_save = None
            if anomaly_mode._enabled:
                ctx._anomaly_trace = traceback.format_stack()[:-2]
            if type(r0) is not _ndarray and _is_device_array(r0):
                ctx.xp = _array_module(r0)
            out = cls.forward(ctx, {raws})
            if type(out) is tuple{or_view}:
                ctx._input_meta = ({full_metas})
                return _wrap_outputs(out, ctx, ({params},), cls, ({raws},))
            if type(out) is _ndarray:
                arr = out
            elif isinstance(out, _generic):  # a 0-d result
                arr = _asarray(out)
            else:
                arr = _as_array(out)
            t = _make(arr)
            shape = arr.shape
            dtype = arr.dtype
            if dtype.kind in "fc":
                t._requires_grad = True
                t.grad_fn = ctx
            ctx._out_meta = (shape, dtype)
            ctx._input_meta = ({metas})
            to_save = ctx._to_save
            if to_save is not None:
                if _hook_state.stack:
                    _resolve_saved(ctx, ({params},), ({raws},), (out,), (t,))
                    return t
                ctx._to_save = None
                saved = []
                for obj in to_save:
                    if obj is None:
                        saved.append(_NONE_ENTRY)
{resolve}
                    elif obj is out:
                        c = t._version_counter
                        saved.append((arr, _OUTPUT, 0, c, c[0]))
                    else:
                        saved.append(_other_entry(obj))
                ctx._saved = tuple(saved)
            return t
        out = cls.forward(_NULL_CTX, {raws})
        {plain}
        return _plain_outputs(out, cls, ({params},))
    return apply
"""

_SAVED_INPUT_TEMPLATE = """                    elif obj is r{i}:
                        if t{i}:
                            c = a{i}._version_counter
                            saved.append((r{i}, _INPUT, a{i}, c, c[0]))
                        else:
                            saved.append((obj, _CONST, None, None, 0))"""

_EDGE_TEMPLATE = """            if t{i} and a{i}._requires_grad:
                fn = a{i}.grad_fn
                if fn is not None:
                    e{i} = (fn, a{i}._output_nr)
                else:  # a leaf: its AccumulateGrad (accumulator_of, inlined)
                    fn = a{i}._accumulator
                    fn = fn() if fn is not None else None
                    e{i} = (fn if fn is not None else accumulator_of(a{i}), 0)
                bits |= {bit}
            else:
                e{i} = _NO_EDGE"""

# the (shape, dtype) of input i, or _SAME_AS_OUTPUT
_META_TEMPLATE = ("(_SAME_AS_OUTPUT if r{i}.shape == shape and r{i}.dtype is dtype else "
                  "(r{i}.shape, r{i}.dtype)) if bits & {bit} else None")
_FULL_META_TEMPLATE = "(r{i}.shape, r{i}.dtype) if bits & {bit} else None"


def _specialised_apply(cls):
    """``apply`` unrolled for a built-in op whose forward takes a fixed number of positional
    arguments; None when it does not (defaults, ``*args``): those use ``Function.apply``."""
    try:
        params = list(inspect.signature(cls.forward).parameters.values())[1:]  # after ctx
    except (TypeError, ValueError):
        return None
    if not params or any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) or
                         p.default is not p.empty for p in params):
        return None
    k = len(params)
    n = len(range(k)[:cls._n_inputs]) if cls._n_inputs is not None else k
    if n == 0 or n > 8:
        return None
    args = [f"a{i}" for i in range(k)]
    raws = [f"r{i}" for i in range(k)]
    src = _APPLY_TEMPLATE.format(
        params=", ".join(args), raws=", ".join(raws),
        or_view=" or True" if cls._view else "",
        plain="pass" if cls._view else "if type(out) is _ndarray:\n            return _make(out)\n"
              "        if isinstance(out, _generic):\n            return _make(_asarray(out))",
        unwrap="\n".join(f"        t{i} = isinstance(a{i}, Tensor)\n        r{i} = a{i}._data if "
                         f"t{i} else a{i}" for i in range(k)),
        requires=" or ".join(f"t{i} and a{i}._requires_grad" for i in range(n)),
        edges="\n".join(_EDGE_TEMPLATE.format(i=i, bit=1 << i) for i in range(n)),
        resolve="\n".join(_SAVED_INPUT_TEMPLATE.format(i=i) for i in range(k)),
        nexts="".join(f"e{i}, " for i in range(n)),
        metas="".join(f"{_META_TEMPLATE.format(i=i, bit=1 << i)}, " for i in range(n)),
        full_metas="".join(f"{_FULL_META_TEMPLATE.format(i=i, bit=1 << i)}, " for i in range(n)))
    namespace = {}
    filename = f"<apply of {cls.__module__}.{cls.__qualname__}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)  # tracebacks
    exec(compile(src, filename, "exec"), globals(), namespace)
    # needs_input_grad for each set of inputs that require grad (bit i: input i)
    needs = tuple(tuple(bool(bits & (1 << i)) for i in range(n)) + (False,) * (k - n)
                  for bits in range(1 << n))
    fn = namespace["make"](needs)
    fn.__qualname__ = f"{cls.__qualname__}.apply"
    fn.__doc__ = Function.apply.__doc__
    return classmethod(fn)


def _array_module(array):
    from .._backend import array_module
    return array_module(array)


def _edge(a):
    fn = a.grad_fn
    return (fn, a._output_nr) if fn is not None else (accumulator_of(a), 0)


def _init_node(ctx, args, n):
    """Fill a built-in op's node: edges to the arguments ``args[:n]``, their shapes and dtypes."""
    nexts = []
    needs = []
    meta = []
    for a in args[:n]:
        if isinstance(a, Tensor) and a._requires_grad:
            fn = a.grad_fn
            nexts.append((fn, a._output_nr) if fn is not None else (accumulator_of(a), 0))
            needs.append(True)
            d = a._data
            meta.append((d.shape, d.dtype))
        else:
            nexts.append(_NO_EDGE)
            needs.append(False)
            meta.append(None)
    extra = len(args) - len(nexts)  # n may be negative: all but the last -n arguments
    ctx.next_functions = tuple(nexts)
    ctx.needs_input_grad = tuple(needs) + (False,) * extra if extra > 0 else tuple(needs)
    ctx._input_meta = tuple(meta)
    ctx._seq = next(_sequence)
    ctx._saved = ctx._to_save = None
    if anomaly_mode._enabled:
        ctx._anomaly_trace = traceback.format_stack()[:-3]


def _is_device_array(o):
    # (a module check: a failing hasattr() on NumPy scalars slowly leaks memory)
    return type(o).__module__.startswith("cupy")


def _as_array(o):
    """A forward's result as an array: NumPy gives 0-d results as scalars."""
    if isinstance(o, np.generic) or not _is_device_array(o):
        return np.asarray(o)
    return o


def _plain_outputs(out, cls, args):
    """Wrap a forward's raw result(s) as Tensors that are not part of any graph."""
    if type(out) is tuple:
        results = tuple(None if o is None else _make(
            o if type(o) is _ndarray else _as_array(o)) for o in out)
    else:
        results = _make(out if type(out) is _ndarray else _as_array(out))
    if cls._view:
        _share_view(results[0] if type(results) is tuple else results, args[0])
    return results


def _share_view(view, base):
    if view is not None and isinstance(base, Tensor) and view._data.base is not None:
        view._version_counter = base._version_counter
        view._base = base._base if base._base is not None else base
        if base._requires_grad and view.grad_fn is None:
            mark_unrecorded_view(view)


def mark_unrecorded_view(view):
    """A view made without recording (grad mode off) of a tensor that requires grad is, as in
    PyTorch, a leaf that requires grad but has no AccumulateGrad: ops on it are recorded with an
    edge to nothing, and modifying it in place with grad mode on is an error."""
    if view._base._requires_grad and view._data.dtype.kind in "fc":
        view._requires_grad = True
        view.__dict__["_unrecorded_view"] = True


def track_view(view):
    """Remember a view recorded in the graph on its base (only when the base is not a leaf: only
    such bases can be rebased by an in-place op), so that an in-place op on the base or on
    another view of it can give this view a grad_fn that reads the new base, as PyTorch does."""
    d = view._base.__dict__
    views = d.get("_views")
    if views is None:
        d["_views"] = [_weakref(view)]
        return
    views.append(_weakref(view))
    if not len(views) & 255:  # drop the views that are gone, now and then
        views[:] = [r for r in views if r() is not None]


def _track(view):
    base = view._base
    if base is not None and base.grad_fn is not None:
        track_view(view)


def _wrap_outputs(out, ctx, args, cls, raw):
    """Wrap a built-in forward's result(s) as Tensors attached to ``ctx``; resolve saved values."""
    if type(out) is not tuple:
        t = _make(out if type(out) is _ndarray else _as_array(out))
        if t._data.dtype.kind in "fc":
            t._requires_grad = True
            t.grad_fn = ctx
        if cls._view:
            _share_view(t, args[0])
            _track(t)
        if ctx._to_save is not None:
            _resolve_saved(ctx, args, raw, (out,), (t,))
        return t
    results = []
    for i, o in enumerate(out):
        if o is None:
            results.append(None)
            continue
        t = _make(o if type(o) is _ndarray else _as_array(o))
        if t._data.dtype.kind in "fc":
            t._requires_grad = True
            t.grad_fn = ctx
            t._output_nr = i
        results.append(t)
    if cls._view:
        _share_view(results[0], args[0])
        _track(results[0])
    ctx._n_outputs = len(out)
    ctx._output_meta = tuple(None if r is None else (r._data.shape, r._data.dtype)
                             for r in results)
    if ctx._to_save is not None:
        _resolve_saved(ctx, args, raw, out, results)
    return tuple(results)


def _resolve_saved(ctx, args, raw, outs, results):
    """Turn what forward passed to ``save_for_backward`` into saved entries: inputs keep a
    reference to their Tensor, outputs their index, with the version to check at unpack time."""
    to_save = ctx._to_save
    ctx._to_save = None
    hooked = bool(_hook_state.stack)
    saved = []
    for obj in to_save:
        if obj is None:
            saved.append(_NONE_ENTRY)
            continue
        i = 0
        for r in raw:
            if obj is r:
                t = args[i]
                if isinstance(t, Tensor):
                    counter = t._version_counter
                    saved.append(_pack(t, _INPUT, i) if hooked else
                                 (t._data, _INPUT, t, counter, counter[0]))
                else:
                    saved.append((obj, _CONST, None, None, 0))
                break
            i += 1
        else:
            j = 0
            for o in outs:
                if obj is o and results[j] is not None:
                    t = results[j]
                    counter = t._version_counter
                    saved.append(_pack(t, _OUTPUT, j) if hooked else
                                 (t._data, _OUTPUT, j, counter, counter[0]))
                    break
                j += 1
            else:
                saved.append(_other_entry(obj))
    ctx._saved = tuple(saved)


def _other_entry(obj):
    """The saved entry of a value that is neither an input nor an output."""
    if isinstance(obj, Tensor):  # an intermediate of a user's forward
        return (obj, _CONST, None, obj._version_counter, obj._version_counter[0])
    return (obj, _CONST, None, None, 0)


# ---------------------------------------------------------------------------- user Functions
def _apply_user(cls, args, kwargs):
    ctx = cls._backward_cls()
    needs = _state.enabled and any(isinstance(a, Tensor) and a._requires_grad for a in args)
    if needs:
        nexts, meta, pos, flags = [], [], [], []
        for i, a in enumerate(args):
            if isinstance(a, Tensor):
                pos.append(i)
                if a._requires_grad:
                    nexts.append(_edge(a))
                    meta.append((a._data.shape, a._data.dtype))
                    flags.append(True)
                    continue
                nexts.append(_NO_EDGE)
                meta.append(None)
            flags.append(False)
        ctx.next_functions = tuple(nexts)
        ctx._input_meta = tuple(meta)
        ctx._grad_pos = tuple(pos)
        ctx.needs_input_grad = tuple(flags)
        ctx._seq = next(_sequence)
        if anomaly_mode._enabled:
            ctx._anomaly_trace = traceback.format_stack()[:-3]
    else:
        ctx.next_functions = ()
        ctx.needs_input_grad = (False,) * len(args)
    ctx._saved = ctx._to_save = None
    prev = _state.enabled
    _state.enabled = False
    try:
        if cls._setup_style:
            out = cls.forward(*args, **kwargs)
            cls.setup_context(ctx, args, out)
        else:
            out = cls.forward(ctx, *args, **kwargs)
    finally:
        _state.enabled = prev
    multi = isinstance(out, tuple)
    outs = tuple(out) if multi else (out,)
    if ctx._dirty:
        _mark_dirty_outputs(ctx._dirty, outs, needs)
    if not needs:
        return out
    return _wrap_user_outputs(outs, multi, ctx, args)


def _mark_dirty_outputs(dirty, outs, recorded):
    """PyTorch's checks of the inputs a Function marked dirty, and their version bump.
    ``recorded``: the call is recorded in the graph (a view's base will be rebased)."""
    for d in dirty:
        if not any(d is o for o in outs):
            raise RuntimeError("Some elements marked as dirty during the forward method were not "
                               "returned as output. The inputs that are modified inplace must all "
                               "be outputs of the Function.")
    for d in dirty:
        base = d._base
        # (a view made under no_grad of a tensor that requires grad is, in PyTorch, a leaf that
        # requires grad)
        if d.grad_fn is None and (d._requires_grad or base is not None and base._requires_grad):
            raise RuntimeError("a leaf Variable that requires grad has been used in an in-place "
                               "operation.")
        if recorded and base is not None and base._requires_grad and base.grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
        d._version_counter[0] += 1


def _wrap_user_outputs(outs, multi, ctx, args):
    dirty = ctx._dirty or ()
    non_diff = ctx._non_differentiable or ()
    results = []
    for i, o in enumerate(outs):
        if not isinstance(o, Tensor):
            results.append(o)
            continue
        if any(o is d for d in dirty):
            t = o
        elif any(o is a for a in args) or o.grad_fn is not None:
            t = Tensor._make(o._data)  # an input returned as is: an alias of it
            t._version_counter = o._version_counter
            t._base = o._base if o._base is not None else o
        else:
            t = o
        if any(o is n for n in non_diff) or t._data.dtype.kind not in "fc":
            if t is o and t.grad_fn is None:
                t._requires_grad = False
        else:
            t._requires_grad = True
            t.grad_fn = ctx
            t._output_nr = i
        results.append(t)
    ctx._n_outputs = len(outs)
    ctx._output_meta = tuple((r._data.shape, r._data.dtype) if isinstance(r, Tensor) else None
                             for r in results)
    for d in dirty:
        if d._base is not None and d.grad_fn is ctx:
            _rebase_dirty_view(d, ctx, args)
    if ctx._to_save is not None:
        for obj in ctx._to_save:
            if obj is not None and not isinstance(obj, Tensor):
                raise TypeError(f"save_for_backward can only save variables, but argument "
                                f"{ctx._to_save.index(obj)} is of type {type(obj).__name__}")
        _resolve_saved(ctx, args, args, outs, results)
    return tuple(results) if multi else results[0]


def _rebase_dirty_view(view, ctx, args):
    """A view a user's Function modified in place: its base is rebased onto CopySlices and the
    view reads the new base, as for built-in in-place ops on views."""
    from ..ops.indexing import rebase_view, view_positions
    first = args[ctx._grad_pos[0]] if ctx._grad_pos else None
    rebase_view(view, view, view_positions(view._base._data, view._data),
                view_is_first_input=first is view)


_ONCE = "trying to differentiate twice a function that was marked with @once_differentiable"


class _DelayedError:
    """The forward class of the ``Error`` node: its backward raises the node's message."""

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError(ctx._message)


class _DelayedErrorBackward(BackwardCFunction):
    """PyTorch's ``Error`` node (``DelayedError``): it stands for values that must not be
    differentiated (a once-differentiable backward's result); running its backward raises."""
    __slots__ = ()
    _forward_cls = _DelayedError
    _message = _ONCE

    def name(self):
        return "torch::autograd::Error"


_DelayedErrorBackward.__name__ = _DelayedErrorBackward.__qualname__ = "Error"
_DelayedErrorBackward.__module__ = "builtins"


def error_node(tensors, message=_ONCE):
    """An ``Error`` node whose inputs are detached leaf aliases of ``tensors`` (None entries
    stay None), as PyTorch's ``DelayedError`` is applied to them: the node leads nowhere."""
    node = _DelayedErrorBackward()
    if message is not _ONCE:
        node._message = message
    nexts, metas = [], []
    for t in tensors:
        if isinstance(t, Tensor) and t._data.dtype.kind in "fc":
            fake = Tensor._make(t._data)
            fake._requires_grad = True
            nexts.append((accumulator_of(fake), 0))
            metas.append((t._data.shape, t._data.dtype))
        else:
            nexts.append(_NO_EDGE)
            metas.append(None)
    node.next_functions = tuple(nexts)
    node.needs_input_grad = tuple(e is not _NO_EDGE for e in nexts)
    node._input_meta = tuple(metas)
    node._seq = next(_sequence)
    node._saved = node._to_save = None
    node._n_outputs = len(nexts)
    return node


def once_differentiable(fn):
    """Decorator for a backward that cannot itself be differentiated: it runs under no_grad, and
    differentiating its result (with ``create_graph=True``) raises an error."""

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with grad_mode.no_grad():
            outputs = fn(ctx, *args)
        if not (_state.enabled and any(isinstance(a, Tensor) and a._requires_grad
                                       for a in args)):
            return outputs
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        node = error_node(outs)
        wrapped = []
        for i, o in enumerate(outs):
            if isinstance(o, Tensor) and o._data.dtype.kind in "fc":
                o = Tensor._make(o._data)
                o._requires_grad, o.grad_fn, o._output_nr = True, node, i
            wrapped.append(o)
        return wrapped[0] if single else tuple(wrapped)
    return wrapper


class InplaceFunction(Function):
    def __init__(self, inplace=False):
        self.inplace = inplace


class NestedIOFunction(Function):
    pass
