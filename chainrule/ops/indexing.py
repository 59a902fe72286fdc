"""Indexing: ``x[...]`` reads and writes, gather/scatter, index_select/index_add, masks, take;
sorting and selection (sort, topk, kthvalue, median, mode, unique) and exact comparisons.

Every read is one op, :class:`Index`: it picks ``a[basic][adv]`` where ``basic`` is a NumPy basic
index (a view) and ``adv`` a tuple of integer arrays (a gather). Every write is one op,
:class:`IndexPut`: a copy of ``a`` with ``src`` written or added at the same kind of position.
The two are each other's derivative (the gradient of a read scatters-adds into zeros, the
gradient of a write gathers), so gather, take, masked_select, sort values and friends, and
scatter, index_add, ``__setitem__`` and friends, share these two classes and differ only in how
they build the positions and in their grad_fn names.
"""
import builtins
import warnings

import numpy as np

from .._backend import array_module
from .._tensor import Tensor
from ..autograd import anomaly_mode, engine as _engine, grad_mode
from ..autograd.function import (_SAME_AS_OUTPUT, Function, _init_node, error_node,
                                  mark_unrecorded_view)
from ._common import SCALAR_TYPE_NAMES, Op, apply_inplace, check_inplace, wrap_dim
from . import return_types

__all__ = ["gather", "scatter", "scatter_add", "index_select", "index_add", "index_put",
           "masked_fill", "masked_select", "take", "take_along_dim", "nonzero", "argwhere",
           "sort", "argsort", "msort", "topk", "kthvalue", "median", "mode", "unique",
           "equal", "allclose", "isclose", "return_types", "select", "bincount", "searchsorted",
           "bucketize"]
METHODS = ["__getitem__", "__setitem__", "gather", "scatter", "scatter_add", "index_select",
           "index_add", "index_put", "masked_fill", "masked_select", "take", "take_along_dim",
           "nonzero", "argwhere", "sort", "argsort", "msort", "topk", "kthvalue", "median",
           "mode", "unique", "equal", "allclose", "isclose", "select", "bincount"]

_state = grad_mode._state
_FULL = slice(None)


def _shape_str(shape):
    return "[" + ", ".join(str(d) for d in shape) + "]"


# ---------------------------------------------------------------------------- the two ops
def _take(a, spec):
    """``a[basic][adv]``: the read both :class:`Index` and the gradient of a write use."""
    basic, adv = spec
    if basic is not None:
        a = a[basic]
    if adv is None:
        return a
    # a gather is contiguous in PyTorch; NumPy may lay x[:, idx] out with the index axis first
    out = a[adv]
    return out if out.flags.c_contiguous else out.copy()


def _write(out, src, spec, accumulate):
    """Write (or add) ``src`` into ``out[spec]`` in place."""
    basic, adv = spec
    view = out if basic is None else out[basic]
    if adv is None:
        if accumulate:
            view += src
        else:
            view[...] = src
    elif accumulate:
        array_module(out).add.at(view, adv, src)
    else:
        view[adv] = src


def _spec_0d(shape):
    """Positions that read a 0-d tensor's one element ``shape``-many times (a copy)."""
    return (None, Ellipsis), (np.zeros(shape, np.intp),)


def _call(op, *args):
    """Run ``op`` inside a backward: recorded as a differentiable op when the gradients are
    Tensors (``create_graph=True``), else just its kernel on raw arrays (no graph cost)."""
    for a in args[:op._n_inputs]:
        if isinstance(a, Tensor):
            return op.apply(*args)
    return op.kernel(*args)


class Index(Op):
    """``a[spec]`` (see :func:`_take`); the gradient scatter-adds into zeros (repeated positions
    accumulate)."""
    node_name = "IndexBackward0"

    @staticmethod
    def kernel(a, spec):
        return _take(a, spec)

    @staticmethod
    def forward(ctx, a, spec):
        ctx.shape, ctx.spec = a.shape, spec
        if spec[1] is not None:
            # PyTorch saves the index tensors: a second backward needs retain_graph
            ctx.save_for_backward()
        return _take(a, spec)

    @staticmethod
    def backward(ctx, g):
        return _call(IndexPut, None, g, ctx.spec, True, ctx.shape), None


class _View(Index):
    """Basic indexing only: the result is a view sharing the input's version counter."""
    _view = True


class Select(_View):
    node_name = "SelectBackward0"


class Slice(_View):
    node_name = "SliceBackward0"


class Unsqueeze(_View):
    node_name = "UnsqueezeBackward0"


class Alias(_View):
    node_name = "AliasBackward0"


def _named(name):
    """An :class:`Index` that shows PyTorch's grad_fn name for the op built on it."""
    return type(name.replace("Backward0", "").replace("Backward1", ""), (Index,),
                {"node_name": name})


Gather = _named("GatherBackward0")
IndexSelect = _named("IndexSelectBackward0")
Take = _named("TakeBackward0")
MaskedSelect = _named("MaskedSelectBackward0")
Sort = _named("SortBackward0")
SortStable = _named("SortBackward1")  # sort(..., stable=...): PyTorch's other overload
Topk = _named("TopkBackward0")
Kthvalue = _named("KthvalueBackward0")
MedianAll = _named("MedianBackward0")
Median = _named("MedianBackward1")
Mode = _named("ModeBackward0")


class IndexPut(Op):
    """A copy of ``a`` (zeros of ``shape`` when ``a`` is None) with ``src`` written at ``spec``,
    or added there with ``accumulate`` (repeated positions add up). ``src`` broadcasts to the
    indexed shape. Gradients: ``a`` gets ``g`` (zeroed at the written positions unless
    accumulating), ``src`` gets ``g[spec]``."""
    node_name = "IndexPutBackward0"
    _n_inputs = 2

    @staticmethod
    def kernel(a, src, spec, accumulate, shape=None):
        if a is None:
            out = array_module(src).zeros(shape, src.dtype)
        else:
            out = a.copy()
        _write(out, src, spec, accumulate)
        return out

    @classmethod
    def forward(cls, ctx, a, src, spec, accumulate, shape=None):
        ctx.spec, ctx.accumulate = spec, accumulate
        if not accumulate or ctx.needs_input_grad[1] or cls is IndexPut:
            # PyTorch saves the index (CopySlices its view; scatter_add and index_add only for
            # the gradient of src): a second backward needs retain_graph
            ctx.save_for_backward()
        return cls.kernel(a, src, spec, accumulate, shape)

    @staticmethod
    def backward(ctx, g):
        ga = gs = None
        if ctx.needs_input_grad[0]:
            ga = g if ctx.accumulate else _call(IndexPut, g, 0, ctx.spec, False)
        if ctx.needs_input_grad[1]:
            gs = _call(Index, g, ctx.spec)
        return ga, gs, None, None, None


def _named_put(name, n_inputs=2):
    return type(name.replace("Backward0", "").replace("Backward1", "1"), (IndexPut,),
                {"node_name": name, "_n_inputs": n_inputs})


CopySlices = _named_put("CopySlices")
# a C++-only node in PyTorch: name() is namespaced, the class (and printed grad_fn) is not
CopySlices._backward_cls.name = lambda self: "torch::autograd::CopySlices"


class AsStrided(Index):
    """The grad_fn a view gets once an in-place op rebased its base: a read of the base at the
    view's positions (PyTorch regenerates such views with ``as_strided``)."""
    node_name = "AsStridedBackward0"


# ---------------------------------------------------------------------------- in-place on views
_OVERLAP = ("unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation.")


def _offsets(a, start, itemsize):
    """The memory offset (in elements, from address ``start``) of every element of ``a``."""
    off = np.asarray((a.__array_interface__["data"][0] - start) // itemsize, np.intp)
    for k, (n, s) in enumerate(zip(a.shape, a.strides)):
        step = [1] * a.ndim
        step[k] = n
        off = off + (np.arange(n, dtype=np.intp) * (s // itemsize)).reshape(step)
    return np.broadcast_to(off, a.shape)


def view_positions(base, view):
    """An :class:`Index` spec that reads the elements of the array ``view`` (which shares
    ``base``'s memory) out of an array shaped like ``base``: the geometry of the view, found from
    the two arrays' strides and addresses, so views record nothing when they are made."""
    itemsize = base.itemsize
    if view.itemsize != itemsize or builtins.any(s % itemsize for s in base.strides + view.strides):
        raise RuntimeError("in-place operations on a view with another element size than its base "
                           "are not supported inside the autograd graph")
    if builtins.any(s == 0 and n > 1 for s, n in zip(view.strides, view.shape)):
        raise RuntimeError(_OVERLAP)
    start = base.__array_interface__["data"][0]
    positions = _offsets(view, start, itemsize)
    if not base.flags.c_contiguous:  # map memory offsets to row-major positions of the base
        offsets = _offsets(base, start, itemsize)
        low = int(offsets.min()) if offsets.size else 0
        table = np.full(int(offsets.max()) - low + 1 if offsets.size else 1, -1, np.intp)
        table[(offsets - low).reshape(-1)] = np.arange(base.size, dtype=np.intp)
        positions = table[positions - low]
    if view.size and (positions.min() < 0 or positions.max() >= base.size):
        raise RuntimeError("in-place operation on a view that does not lie within its base")
    if not base.ndim:
        return _spec_0d(view.shape)
    return None, np.unravel_index(positions, base.shape)


class CopySlicesOfOp(Function):
    """PyTorch's ``CopySlices`` around the node ``fn`` of an in-place op applied to a view: the
    base's new node. Its edges are the old base's and those of ``fn``'s other inputs; backward
    runs ``fn``'s backward on the gradient at the view's positions ``spec`` and writes the
    gradient of the view's old value there (with :class:`Index` and :class:`IndexPut`, so it is
    differentiable again)."""
    _raw = True
    node_name = "CopySlices"

    @staticmethod
    def backward(ctx, g):
        fn = ctx.fn
        xp = None if ctx.xp is np else ctx.xp
        grads = _engine._call(fn, [_call(Index, g, ctx.spec)], xp, anomaly_mode._enabled)
        view_grad = 0 if grads[0] is None else grads[0]
        return (_call(IndexPut, g, view_grad, ctx.spec, False),) + tuple(grads[1:])


CopySlicesOfOp._backward_cls.name = CopySlices._backward_cls.name


def _copy_slices_of(base, fn):
    """The CopySlices node of ``base`` wrapping ``fn``, the node of the in-place op's result."""
    node = CopySlicesOfOp._backward_cls()
    _init_node(node, (base,), 1)
    node.fn = fn
    node.next_functions += fn.next_functions[1:]
    node.needs_input_grad += fn.needs_input_grad[1:]
    node._input_meta += tuple(fn._out_meta if m is _SAME_AS_OUTPUT else m
                              for m in fn._input_meta[1:])
    return node


def rebase_view(view, out, spec, view_is_first_input=True):
    """``view`` now holds the values of ``out``, the result of an op on it: its base becomes a
    ``CopySlices`` node, and the view an ``AsStridedBackward0`` read of the new base, as in
    PyTorch. The node wraps ``out``'s node (:class:`CopySlicesOfOp`) when that has one output
    and the view as its first input, as PyTorch's does; otherwise it writes ``out`` at the view's
    positions ``spec`` (an :class:`IndexPut` named CopySlices)."""
    base = view._base
    fn = out.grad_fn
    if view_is_first_input and fn._n_outputs == 1 and fn._input_meta is not None and \
            len(fn.next_functions) > 0:
        node = _copy_slices_of(base, fn)
        node.spec = spec
    else:
        node = CopySlices._backward_cls()
        _init_node(node, (base, out), 2)
        node.spec, node.accumulate = spec, False
    node._saved = ()  # freed by backward: a second pass needs retain_graph, as in PyTorch
    base.grad_fn = node
    base._requires_grad = True
    base._output_nr = 0
    regrow_view(view, spec)
    refresh_views(base, view)


_STALE_MULTI_VIEW = (
    "Output {} of {} is a view and its base or another view of its base has been modified "
    "inplace. This view is the output of a function that returns multiple views. Such functions "
    "do not allow the output views to be modified inplace. You should replace the inplace "
    "operation by an out-of-place one.")


def refresh_views(base, skip=None):
    """After an in-place op rebased ``base`` (or a view of it, ``skip``): the other views of
    ``base`` recorded in the graph (``function.track_view``) read the new base, so that their
    gradients see the change, as PyTorch regenerates them. Outputs of split/unbind cannot be
    regenerated: differentiating them raises PyTorch's error instead."""
    views = base.__dict__.get("_views")
    if not views:
        return
    live = []
    for ref in views:
        view = ref()
        if view is None or view._base is not base:
            continue
        live.append(ref)
        if view is skip:
            continue
        multi = view.__dict__.get("_multi_view")
        if multi is not None:
            view.grad_fn = error_node((view,), _STALE_MULTI_VIEW.format(multi[1], multi[0]))
            view._output_nr = 0
        else:
            regrow_view(view, view_positions(base._data, view._data))
    views[:] = live


def regrow_view(view, spec):
    """Give ``view`` a grad_fn reading its base's current node at positions ``spec``."""
    base = view._base
    node = AsStrided._backward_cls()
    _init_node(node, (base,), 1)
    node.shape, node.spec = base._data.shape, spec
    view.grad_fn = node
    view._requires_grad = True
    view._output_nr = 0
Scatter = _named_put("ScatterBackward0")
ScatterValue = _named_put("ScatterBackward1", 1)
ScatterAdd = _named_put("ScatterAddBackward0")
IndexAdd = _named_put("IndexAddBackward0")


# ---------------------------------------------------------------------------- parsing x[index]
_NONE, _ELLIPSIS, _INT, _SLICE, _BOOL, _MASK, _ARRAY = range(7)

_SEQUENCE_WARNING = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed "
    "in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be "
    "interpreted as tensor index, x[torch.tensor(seq)], which will result either in an error or "
    "a different result")


def _as_tuple(index):
    """PyTorch's legacy rule: a list holding tensors, sequences, slices, None or Ellipsis is a
    tuple of indices; any other list is one integer/bool index."""
    if type(index) is tuple:
        return index
    if type(index) is list and len(index) < 32 and builtins.any(
            isinstance(i, (Tensor, list, tuple, slice, np.ndarray, range)) or i is None or
            i is Ellipsis
            for i in index):
        warnings.warn(_SEQUENCE_WARNING, UserWarning, stacklevel=3)
        return tuple(index)
    return (index,)


def _index_array(item):
    """A tensor/array/list index as an ndarray, with PyTorch's refusal of other dtypes."""
    arr = item._data if isinstance(item, Tensor) else np.asarray(item)
    kind = arr.dtype.kind
    if kind in "iu" and arr.dtype != np.uint8:
        return arr
    if kind == "b" or arr.dtype == np.uint8:
        return arr.astype(bool, copy=False)
    if arr.size == 0 and not isinstance(item, Tensor):
        return arr.astype(np.int64)  # x[[]]
    raise IndexError("tensors used as indices must be long, int, byte or bool tensors")


def _classify(item):
    """(kind, value, number of dimensions consumed) of one element of an index."""
    t = type(item)
    if t is int:
        return _INT, item, 1
    if t is slice:
        return _SLICE, item, 1
    if item is None:
        return _NONE, None, 0
    if item is Ellipsis:
        return _ELLIPSIS, None, 0
    if t is bool or t is np.bool_:
        return _BOOL, bool(item), 0
    if isinstance(item, np.integer):
        return _INT, int(item), 1
    if isinstance(item, (Tensor, np.ndarray, list, tuple, range)):
        arr = _index_array(item)
        if arr.dtype == np.bool_:
            return (_BOOL, bool(arr), 0) if arr.ndim == 0 else (_MASK, arr, arr.ndim)
        if arr.ndim == 0:
            return _INT, int(arr), 1
        return _ARRAY, arr, 1
    raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                     f"Variables are valid indices (got {t.__name__})")


def _out_of_bounds(value, dim, size):
    return IndexError(f"index {value} is out of bounds for dimension {dim} with size {size}")


def _out_of_range(index, low, high):
    """The first element of the integer array ``index`` outside ``[low, high)``, or None."""
    if not index.size:
        return None
    if low == 0:  # one pass: negative values are huge when read as unsigned
        if index.view(f"u{index.itemsize}").max() < high:
            return None
    elif index.min() >= low and index.max() < high:
        return None
    return index[(index < low) | (index >= high)].flat[0]


def _check_bounds(arr, dim, size):
    bad = _out_of_range(arr, -size, size)
    if bad is not None:
        raise _out_of_bounds(bad, dim, size)


def _parse(shape, index, steps=None):
    """Split an index into PyTorch's steps: ints, slices and None act first, left to right, as a
    view (``basic``); then all tensor indices act together on that view (``adv``, where
    non-adjacent tensor indices put their dimensions first, as NumPy does).

    Returns ``((basic, adv), op)``: ``basic`` is a NumPy basic index ending in Ellipsis (a 0-d
    result stays a view) or None when it selects everything, ``adv`` a tuple of integer arrays
    and full slices or None, ``op`` the class named like PyTorch's outermost grad_fn. With
    ``steps``, also the list of ``(op, position, item)`` PyTorch records for the basic part, one
    node per int, non-full slice and None (see :func:`_record_basic`).
    """
    items = _as_tuple(index)
    classified = []
    consumed = 0
    for item in items:
        c = _classify(item)
        consumed += c[2]
        classified.append(c)
    ndim = len(shape)
    if consumed > ndim:
        if ndim == 0:
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    basic, adv = [], {}
    d = p = 0          # next input dimension / next dimension of the basic result
    op = Alias
    trivial = True     # the basic part selects everything
    for kind, value, _ in classified:
        if kind == _INT:
            size = shape[d]
            if not -size <= value < size:
                raise _out_of_bounds(value, d, size)
            basic.append(value)
            _step(steps, Select, p, value)
            d += 1
            op, trivial = Select, False
        elif kind == _SLICE:
            if value.step is not None and value.step <= 0:
                if value.step == 0:
                    raise ValueError("slice step cannot be zero")
                raise ValueError("step must be greater than zero")
            start, stop, step = value.indices(shape[d])
            if len(items) == 1 or not (start == 0 and stop == shape[d] and step == 1):
                op, trivial = Slice, False  # PyTorch skips full slices inside a tuple
                _step(steps, Slice, p, value)
            basic.append(value)
            d += 1
            p += 1
        elif kind == _NONE:
            basic.append(None)
            _step(steps, Unsqueeze, p, None)
            p += 1
            op, trivial = Unsqueeze, False
        elif kind == _ELLIPSIS:
            k = ndim - consumed
            basic.extend([_FULL] * k)
            d += k
            p += k
        elif kind == _BOOL:  # x[True] adds a dimension of size 1 (0 for False) and indexes it
            basic.append(None)
            _step(steps, Unsqueeze, p, None)
            adv[p] = np.zeros(1 if value else 0, np.intp)
            p += 1
            trivial = False
        elif kind == _MASK:
            k = value.ndim
            for j in range(k):
                if value.shape[j] != shape[d + j]:
                    raise IndexError(f"The shape of the mask {_shape_str(value.shape)} at index "
                                     f"{j} does not match the shape of the indexed tensor "
                                     f"{_shape_str(shape)} at index {d + j}")
            for j, coords in enumerate(value.nonzero()):
                adv[p + j] = coords
            basic.extend([_FULL] * k)
            d += k
            p += k
        else:  # _ARRAY (bounds are checked by NumPy when used: see _bounds_error)
            adv[p] = value
            basic.append(_FULL)
            d += 1
            p += 1
    if adv:
        arrays = list(adv.values())
        if len(arrays) > 1:
            try:
                np.broadcast_shapes(*(a.shape for a in arrays))
            except ValueError:
                raise IndexError("shape mismatch: indexing tensors could not be broadcast "
                                 "together with shapes " +
                                 ", ".join(_shape_str(a.shape) for a in arrays)) from None
        adv = tuple(adv.get(i, _FULL) for i in range(max(adv) + 1))
        op = Index
    else:
        adv = None
    if trivial:
        return (None, adv), op
    while basic and basic[-1] is _FULL:
        basic.pop()
    basic.append(Ellipsis)
    return (tuple(basic), adv), op


def _step(steps, op, position, item):
    if steps is not None:
        steps.append((op, position, item))


def _record_basic(self, steps, adv):
    """``self[index]`` recorded as PyTorch records it: one view node per step of the basic part
    (``Select``, ``Slice``, ``Unsqueeze``, left to right), then one ``Index`` node for the tensor
    indices; an alias when nothing is selected."""
    out = self
    for op, position, item in steps:
        out = op.apply(out, ((_FULL,) * position + (item, Ellipsis), None))
    if adv is not None:
        return Index.apply(out, (None, adv))
    return out if steps else Alias.apply(self, (None, None))


def _bounds_error(array, spec):
    """PyTorch's IndexError for the tensor index NumPy found out of bounds. PyTorch numbers the
    dimension among the tensor indices, counted on the view the basic indices made."""
    basic, adv = spec
    shape = (array if basic is None else array[basic]).shape
    arrays = [(pos, a) for pos, a in enumerate(adv or ()) if a is not _FULL]
    for ordinal, (pos, a) in enumerate(arrays):
        _check_bounds(a, ordinal, shape[pos])
    return IndexError("index out of bounds")


def __getitem__(self, index):
    """``x[index]`` with PyTorch's semantics: ints, slices (positive steps), None, Ellipsis,
    bool masks and integer tensors/lists; basic indexing gives a view."""
    shape = self._data.shape
    if type(index) is int and shape and -shape[0] <= index < shape[0]:  # x[i]: no parsing
        spec, op, steps = ((index, Ellipsis), None), Select, None
    else:
        steps = []
        spec, op = _parse(shape, index, steps)
    try:
        if self._requires_grad and _state.enabled:
            if steps is None or len(steps) == 1 and spec[1] is None:
                return op.apply(self, spec)   # a single node
            return _record_basic(self, steps, spec[1])
        # no graph to record: skip Function.apply, keep the view semantics
        out = Tensor._make(_take(self._data, spec))
    except IndexError:
        raise _bounds_error(self._data, spec) from None
    if op._view:
        out._version_counter = self._version_counter
        out._base = self._base if self._base is not None else self
        if self._requires_grad:
            mark_unrecorded_view(out)
    return out


# ---------------------------------------------------------------------------- writes
def _value_arg(self, value):
    """The right-hand side of ``x[i] = value``: a number or a Tensor (ndarrays are wrapped)."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (int, float, bool, np.generic)):
        return value.item() if isinstance(value, np.generic) else value
    if isinstance(value, np.ndarray):
        return Tensor._make(value)
    from .._tensor_str import legacy_type_name
    raise TypeError(f"can't assign a {type(value).__name__} to a "
                    f"{legacy_type_name(self._data.dtype)}")


def _setitem_shape_error(self, spec, value):
    """PyTorch's message for a value that does not broadcast to the indexed shape."""
    target = _take(self._data, spec).shape
    vshape = value._data.shape
    while len(vshape) > len(target) and vshape[0] == 1:
        vshape = vshape[1:]
    if spec[1] is not None:
        try:
            np.broadcast_shapes(vshape, target)
            if len(vshape) <= len(target):
                return None
        except ValueError:
            pass
        return RuntimeError(f"shape mismatch: value tensor of shape {_shape_str(value.shape)} "
                            f"cannot be broadcast to indexing result of shape "
                            f"{_shape_str(target)}")
    if len(vshape) > len(target):
        from .._tensor_str import legacy_type_name
        return RuntimeError(f"expand({legacy_type_name(value._data.dtype)}{{"
                            f"{_shape_str(value.shape)}}}, size={_shape_str(target)}): the number "
                            f"of sizes provided ({len(target)}) must be greater or equal to the "
                            f"number of dimensions in the tensor ({len(value.shape)})")
    lead = len(target) - len(vshape)
    for i, (t, v) in enumerate(zip(target[lead:], vshape)):
        if v != 1 and v != t:
            return RuntimeError(f"The expanded size of the tensor ({t}) must match the existing "
                                f"size ({v}) at non-singleton dimension {lead + i}.  Target "
                                f"sizes: {_shape_str(target)}.  Tensor sizes: "
                                f"{_shape_str(value.shape)}")
    return None


def _put(self, spec, value, op=CopySlices, accumulate=False):
    """Write (or add) ``value`` at ``spec`` into ``self``'s storage; inside a graph, ``self`` is
    rebased onto an ``op`` node (``CopySlices`` for ``x[i] = v``), as PyTorch does."""
    try:
        return _put_checked(self, spec, value, op, accumulate)
    except IndexError:
        raise _bounds_error(self._data, spec) from None


def _put_checked(self, spec, value, op, accumulate):
    value_grad = isinstance(value, Tensor) and value._requires_grad
    if not (_state.enabled and (self._requires_grad or value_grad)):
        raw = value._data if isinstance(value, Tensor) else value
        try:
            _write(self._data, raw, spec, accumulate)
        except ValueError:
            error = _setitem_shape_error(self, spec, value) if isinstance(value, Tensor) else None
            if error is None:
                raise
            raise error from None
        self._version_counter[0] += 1
        return self
    if isinstance(value, Tensor):
        error = _setitem_shape_error(self, spec, value)
        if error is not None:
            raise error
        target_ndim = _take(self._data, spec).ndim
        if value._data.ndim > target_ndim:  # drop leading 1s so the gradient keeps its shape
            value = value.reshape(value.shape[value._data.ndim - target_ndim:])
    return apply_inplace(lambda s, v: op.apply(s, v, spec, accumulate), self, value)


def __setitem__(self, index, value):
    """``x[index] = value``: writes into ``x``'s storage (views see it). Inside a graph ``x`` is
    rebased onto a ``CopySlices`` node: its old value gets the gradient except at the written
    positions, ``value`` gets the gradient gathered there (summed over broadcasting)."""
    spec, _ = _parse(self._data.shape, index)
    value = _value_arg(self, value)
    if _state.enabled and self._requires_grad and self.grad_fn is None and \
            spec[0] is not None:  # PyTorch takes the view first, then writes into it
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                           "in-place operation.")
    # PyTorch writes tensor indices with index_put_ on the tensor itself, anything else into a
    # view of it, which rebases the tensor onto CopySlices
    _put(self, spec, value, IndexPut if spec[0] is None and spec[1] is not None else CopySlices)


def _index_put_args(input, indices, values):
    if values._data.dtype != input._data.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{SCALAR_TYPE_NAMES[input._data.dtype.name]} for the destination "
                           f"and {SCALAR_TYPE_NAMES[values._data.dtype.name]} for the source.")
    spec, _ = _parse(input._data.shape, tuple(indices))
    return spec


def index_put(input, indices, values, accumulate=False):
    """A copy of ``input`` with ``values`` put at ``input[indices]`` (a tuple of index
    tensors); with ``accumulate`` repeated positions add up."""
    spec = _index_put_args(input, indices, values)
    try:
        return IndexPut.apply(input, values, spec, accumulate)
    except IndexError:
        raise _bounds_error(input._data, spec) from None


def index_put_(self, indices, values, accumulate=False):
    """In-place :func:`index_put`."""
    check_inplace(self)
    return _put(self, _index_put_args(self, indices, values), values, IndexPut, accumulate)


# ---------------------------------------------------------------------------- gather / scatter
def _index_tensor(index, fn):
    arr = index._data
    if arr.dtype != np.int64 and arr.dtype != np.int32:
        raise RuntimeError(f"{fn}(): Expected dtype int32/int64 for index")
    return arr


def _along(index, dim, reduced=False):
    """The advanced index that addresses ``a[..., index[i], ...]`` (``index`` at ``dim``) for
    every position ``i`` of ``index``, i.e. what gather and scatter read and write. With
    ``reduced``, ``index`` has no ``dim`` axis (kthvalue and friends without keepdim)."""
    n = index.ndim + reduced
    out_ndim = index.ndim
    grids = []
    for d in range(n):
        if d == dim:
            grids.append(index)
            continue
        axis = d if not reduced or d < dim else d - 1
        size = index.shape[axis]
        grids.append(np.arange(size).reshape((size,) + (1,) * (out_ndim - 1 - axis)))
    return tuple(grids)


def _spec_along(a, index, dim, reduced=False):
    if a.ndim == 0:
        return _spec_0d(() if index is None else index.shape)
    return None, _along(index, dim, reduced)


def _check_gather_sizes(input, dim, index, src=None, fn="gather"):
    shape, ishape = input._data.shape, index.shape
    if len(ishape) != len(shape) and not (len(shape) == 0 and len(ishape) <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor"
                           if fn == "gather" else
                           "Index tensor must have the same number of dimensions as self tensor")
    for d in range(len(ishape)):
        if shape and d != dim and ishape[d] > shape[d] or \
                src is not None and src.ndim and ishape[d] > src.shape[d]:
            if fn == "gather":
                raise RuntimeError(f"Size does not match at dimension {d} expected index "
                                   f"{_shape_str(ishape)} to be no larger than self "
                                   f"{_shape_str(shape)} apart from dimension {dim}")
            raise RuntimeError(f"Expected index {_shape_str(ishape)} to be no larger than self "
                               f"{_shape_str(shape)} apart from dimension {dim} and to be no "
                               f"larger size than src {_shape_str(src.shape)}"
                               if src is not None else
                               f"Expected index {_shape_str(ishape)} to be no larger than self "
                               f"{_shape_str(shape)} apart from dimension {dim}")
    _check_dim_bounds(index, dim, shape[dim] if shape else 1)


def _check_dim_bounds(index, dim, size):
    """gather/scatter/index_add refuse negative indices too."""
    bad = _out_of_range(index, 0, size)
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {dim} with size {size}")


def gather(input, dim, index, *, sparse_grad=False, out=None):
    """``out[i][j][k] = input[i][index[i][j][k]][k]`` (for ``dim=1``): values of ``input``
    along ``dim`` at ``index``, which has ``input``'s number of dimensions."""
    dim = wrap_dim(dim, input._data.ndim)
    idx = _index_tensor(index, "gather")
    _check_gather_sizes(input, dim, idx)
    return Gather.apply(input, _spec_along(input._data, idx, dim))


def _scatter_src(src, index):
    """The part of ``src`` that scatter reads: its leading ``index.shape`` block."""
    if isinstance(src, Tensor) and src._data.shape != index.shape and src._data.ndim:
        return src[tuple(slice(0, s) for s in index.shape)]
    return src


def _scatter_args(input, dim, index, src, fn):
    dim = wrap_dim(dim, input._data.ndim)
    idx = _index_tensor(index, fn)
    if isinstance(src, Tensor):
        if src._data.dtype != input._data.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        _check_gather_sizes(input, dim, idx, src, fn)
    else:
        _check_gather_sizes(input, dim, idx, None, fn)
    return _spec_along(input._data, idx, dim), _scatter_src(src, idx)


def scatter(input, dim, index, src=None, value=None, *, reduce=None, out=None):
    """A copy of ``input`` with ``src`` (a tensor, or the number ``value``) written at
    ``index`` along ``dim``: ``out[i][index[i][j]] = src[i][j]`` (for ``dim=1``). ``reduce``
    ('add' or 'multiply') combines instead of overwriting."""
    if src is None:
        src = value
    if reduce is not None:
        return _scatter_reduce_(input.clone(), dim, index, src, reduce)
    spec, src = _scatter_args(input, dim, index, src, "scatter")
    if isinstance(src, Tensor):
        return Scatter.apply(input, src, spec, False)
    return ScatterValue.apply(input, src, spec, False)


def _needs_graph(*tensors):
    return _state.enabled and builtins.any(isinstance(t, Tensor) and t._requires_grad
                                           for t in tensors)


def _scatter_reduce_(self, dim, index, src, reduce):
    """``scatter_(..., reduce='add' | 'multiply')``; only 'add' is differentiable."""
    if reduce not in ("add", "multiply"):
        raise RuntimeError(f"reduce argument must be either add or multiply. Got {reduce}")
    spec, src = _scatter_args(self, dim, index, src, "scatter")
    if reduce == "add":
        return _put(self, spec, src, ScatterAdd, True)
    if _needs_graph(self, src):
        raise RuntimeError("the derivative for 'scatter' with reduce='multiply' is not "
                           "implemented")
    view = self._data if spec[0] is None else self._data[spec[0]]
    array_module(view).multiply.at(view, spec[1], src._data if isinstance(src, Tensor) else src)
    self._version_counter[0] += 1
    return self


def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
    """In-place :func:`scatter`."""
    if src is None:
        src = value
    check_inplace(self)
    if reduce is not None:
        return _scatter_reduce_(self, dim, index, src, reduce)
    spec, src = _scatter_args(self, dim, index, src, "scatter")
    return _put(self, spec, src, Scatter if isinstance(src, Tensor) else ScatterValue)


def scatter_add(input, dim, index, src):
    """A copy of ``input`` with ``src`` added at ``index`` along ``dim`` (repeated indices
    add up): ``out[i][index[i][j]] += src[i][j]`` for ``dim=1``."""
    spec, src = _scatter_args(input, dim, index, src, "scatter_add")
    return ScatterAdd.apply(input, src, spec, True)


def scatter_add_(self, dim, index, src):
    """In-place :func:`scatter_add`."""
    check_inplace(self)
    spec, src = _scatter_args(self, dim, index, src, "scatter_add")
    return _put(self, spec, src, ScatterAdd, True)


def _vector_index(index, fn):
    arr = index._data if isinstance(index, Tensor) else np.asarray(index)
    if arr.dtype.kind not in "iu":
        raise IndexError(f"{fn}(): Expected dtype int32 or int64 for index")
    if arr.ndim > 1:
        raise IndexError(f"{fn}(): Index is supposed to be a vector")
    return arr.reshape(-1) if arr.ndim == 0 else arr


def _spec_at(dim, index):
    return None, (_FULL,) * dim + (index,)


def index_select(input, dim, index, *, out=None):
    """The entries of ``input`` at positions ``index`` (a vector) along ``dim``."""
    n = input._data.ndim
    dim = wrap_dim(dim, n)
    idx = _vector_index(index, "index_select")
    if _out_of_range(idx, 0, input._data.shape[dim] if n else 1) is not None:
        raise IndexError("index out of range in self")
    if n == 0:
        return IndexSelect.apply(input, _spec_0d(idx.shape))
    return IndexSelect.apply(input, _spec_at(dim, idx))


def _index_add_args(input, dim, index, source, alpha):
    n = input._data.ndim
    dim = wrap_dim(dim, n)
    idx = _vector_index(index, "index_add_")
    if source._data.dtype != input._data.dtype:
        raise RuntimeError(f"index_add_(): self ({SCALAR_TYPE_NAMES[input._data.dtype.name]}) "
                           f"and source ({SCALAR_TYPE_NAMES[source._data.dtype.name]}) must "
                           "have the same scalar type")
    count = source._data.shape[dim] if source._data.ndim else 1
    if idx.size != count:
        raise RuntimeError(f"index_add_(): Number of indices ({idx.size}) should be equal to "
                           f"source.size(dim): ({count}), for dim: {dim}")
    _check_dim_bounds(idx, dim, input._data.shape[dim] if n else 1)
    if alpha != 1:
        source = source * alpha
    return _spec_at(dim, idx) if n else _spec_0d(idx.shape), source


def index_add(input, dim, index, source, *, alpha=1, out=None):
    """A copy of ``input`` with ``alpha * source`` added at positions ``index`` along ``dim``
    (repeated indices add up)."""
    spec, source = _index_add_args(input, dim, index, source, alpha)
    return IndexAdd.apply(input, source, spec, True)


def index_add_(self, dim, index, source, *, alpha=1):
    """In-place :func:`index_add`."""
    check_inplace(self)
    spec, source = _index_add_args(self, dim, index, source, alpha)
    return _put(self, spec, source, IndexAdd, True)


def _broadcast_error(a, b):
    """PyTorch's message for shapes that do not broadcast."""
    for i in range(1, builtins.max(len(a), len(b)) + 1):
        da = a[-i] if i <= len(a) else 1
        db = b[-i] if i <= len(b) else 1
        if da != db and da != 1 and db != 1:
            return RuntimeError(f"The size of tensor a ({da}) must match the size of tensor b "
                                f"({db}) at non-singleton dimension "
                                f"{builtins.max(len(a), len(b)) - i}")
    return None


def _broadcast_shape(a, b):
    try:
        return np.broadcast_shapes(a, b)
    except ValueError:
        raise _broadcast_error(a, b) from None


def _bool_mask(mask, fn):
    if mask._data.dtype != np.bool_:
        raise RuntimeError(f"{fn} only supports boolean masks, but got mask with dtype "
                           f"{SCALAR_TYPE_NAMES[mask._data.dtype.name].lower()}")
    return mask


class MaskedFill(Op):
    """``input`` with ``value`` where ``mask`` is true; ``value`` a number or a 0-d tensor."""
    node_name = "MaskedFillBackward0"
    _n_inputs = 1

    @staticmethod
    def forward(ctx, a, value, mask, shape):
        ctx.save_for_backward(mask)
        if shape == a.shape:
            out = a.copy()
            ctx.xp.copyto(out, value, where=mask, casting="unsafe")
            return out
        return ctx.xp.where(mask, value, a).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        mask, = ctx.saved_tensors
        xp = ctx.xp
        ga = xp.where(mask, 0, g) if ctx.needs_input_grad[0] else None
        gv = xp.where(mask, g, 0) if ctx.needs_input_grad[1] else None  # the engine sums it
        return ga, gv, None, None


class MaskedFillTensor(MaskedFill):
    node_name = "MaskedFillBackward1"
    _n_inputs = 2


def _masked_fill_args(input, mask, value):
    _bool_mask(mask, "masked_fill_")
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but "
                               f"got tensor with {value._data.ndim} dimension(s).")
        return MaskedFillTensor, value
    if isinstance(value, np.generic):
        value = value.item()
    return MaskedFill, value


def masked_fill(input, mask, value):
    """A copy of ``input`` with ``value`` (a number or 0-d tensor) where ``mask`` is true;
    ``mask`` broadcasts with ``input``."""
    op, value = _masked_fill_args(input, mask, value)
    shape = _broadcast_shape(mask._data.shape, input._data.shape)
    return op.apply(input, value, mask, shape)


def masked_fill_(self, mask, value):
    """In-place :func:`masked_fill`; ``mask`` must broadcast to ``self``'s shape."""
    op, value = _masked_fill_args(self, mask, value)
    check_inplace(self)
    if not _needs_graph(self, value):
        np.copyto(self._data, value._data if isinstance(value, Tensor) else value,
                  where=mask._data, casting="unsafe")
        self._version_counter[0] += 1
        return self
    shape = self._data.shape
    return apply_inplace(lambda s, v: op.apply(s, v, mask, shape), self, value)


def masked_select(input, mask, *, out=None):
    """A 1-d tensor of the elements of ``input`` where ``mask`` (broadcast with it) is true."""
    if mask._data.dtype != np.bool_:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask")
    shape = input._data.shape
    full = _broadcast_shape(mask._data.shape, shape)
    coords = np.broadcast_to(mask._data, full).nonzero()
    lead = len(full) - len(shape)
    # positions in the (un-broadcast) input: a stretched dimension is always read at 0
    adv = tuple(c if s == f else np.zeros_like(c)
                for c, s, f in zip(coords[lead:], shape, full[lead:]))
    if not adv:  # 0-d input and mask
        return MaskedSelect.apply(input, _spec_0d(int(bool(mask._data))))
    return MaskedSelect.apply(input, (None, adv))


def take(input, index):
    """The elements of ``input`` seen as 1-d at positions ``index``; the result has
    ``index``'s shape."""
    idx = _index_tensor(index, "take") if isinstance(index, Tensor) else np.asarray(index)
    numel = input._data.size
    bad = _out_of_range(idx, -numel, numel)
    if bad is not None:
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {numel} "
                         "elements.")
    shape = input._data.shape
    if not shape:
        return Take.apply(input, _spec_0d(idx.shape))
    return Take.apply(input, (None, np.unravel_index(idx % numel, shape)))


def take_along_dim(input, indices, dim=None, *, out=None):
    """``gather`` after broadcasting ``input`` and ``indices`` in every dimension but ``dim``;
    without ``dim`` both are seen as 1-d."""
    if dim is None:
        from .shape import reshape
        return gather(reshape(input, (-1,)), 0, reshape(indices, (-1,)))
    n = input._data.ndim
    if indices._data.ndim != n:
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {n} dimensions for input, and "
                           f"{indices._data.ndim} dimensions for indices")
    dim = wrap_dim(dim, n)
    a_shape, i_shape = list(input._data.shape), list(indices._data.shape)
    a_shape[dim] = i_shape[dim] = 1
    common = _broadcast_shape(tuple(a_shape), tuple(i_shape))
    a_target = common[:dim] + (input._data.shape[dim],) + common[dim + 1:]
    i_target = common[:dim] + (indices._data.shape[dim],) + common[dim + 1:]
    input = input.expand(a_target)  # even to its own shape: PyTorch records ExpandBackward0
    if i_target != indices._data.shape:
        indices = Tensor._make(np.broadcast_to(indices._data, i_target))
    return gather(input, dim, indices)


def nonzero(input, *, out=None, as_tuple=False):
    """Indices of the non-zero elements: an ``(n, ndim)`` int64 tensor, or with ``as_tuple``
    one 1-d tensor per dimension."""
    a = input._data
    if as_tuple:
        return tuple(Tensor._make(c.astype(np.int64, copy=False))
                     for c in np.nonzero(np.atleast_1d(a)))
    return Tensor._make(np.argwhere(a).astype(np.int64, copy=False))


def argwhere(input):
    """``nonzero(input)``."""
    return nonzero(input)


# ---------------------------------------------------------------------------- sorting
def _argsort(a, axis, descending):
    """Stable sort order along ``axis``; NaN counts as the largest value, as in PyTorch.
    Descending keeps equal elements in their original order, as PyTorch's stable sort does."""
    if not descending:
        return np.argsort(a, axis=axis, kind="stable")
    flipped = np.flip(a, axis)
    order = np.flip(np.argsort(flipped, axis=axis, kind="stable"), axis)
    return a.shape[axis] - 1 - order


def _sort_dim(input, dim):
    n = input._data.ndim
    return wrap_dim(dim, n), n


def sort(input, dim=-1, descending=False, stable=None, *, out=None):
    """Sort along ``dim``: ``(values, indices)`` as ``return_types.sort``. Values carry the
    gradient back to their original positions. The sort is always stable (equal elements keep
    their order, NaN sorts as the largest value)."""
    op = Sort if stable is None else SortStable
    dim, n = _sort_dim(input, dim)
    if n == 0:
        return return_types.sort(op.apply(input, _spec_0d(())),
                                 Tensor._make(np.zeros((), np.int64)))
    order = _argsort(input._data, dim, descending)
    return return_types.sort(op.apply(input, (None, _along(order, dim))),
                             Tensor._make(order.astype(np.int64, copy=False)))


def argsort(input, dim=-1, descending=False, stable=False):
    """The indices that sort ``input`` along ``dim``."""
    dim, n = _sort_dim(input, dim)
    if n == 0:
        return Tensor._make(np.zeros((), np.int64))
    return Tensor._make(_argsort(input._data, dim, descending).astype(np.int64, copy=False))


def msort(input):
    """``sort(input, dim=0).values``."""
    return sort(input, 0).values


def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    """The ``k`` largest (or smallest) elements along ``dim``, as ``return_types.topk``."""
    dim, n = _sort_dim(input, dim)
    size = input._data.shape[dim] if n else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    if n == 0:
        return return_types.topk(Topk.apply(input, _spec_0d(())),
                                 Tensor._make(np.zeros((), np.int64)))
    order = _argsort(input._data, dim, largest)
    order = order[(_FULL,) * dim + (slice(0, k),)]
    return return_types.topk(Topk.apply(input, (None, _along(order, dim))),
                             Tensor._make(order.astype(np.int64, copy=False)))


def _select_along(op, input, dim, index, keepdim, tuple_type):
    """``(values, indices)`` of a selection along ``dim`` at ``index`` (``dim`` removed)."""
    if input._data.ndim == 0:
        return tuple_type(op.apply(input, _spec_0d(())), Tensor._make(np.zeros((), np.int64)))
    if keepdim:
        index = np.expand_dims(index, dim)
    values = op.apply(input, (None, _along(index, dim, reduced=not keepdim)))
    return tuple_type(values, Tensor._make(index.astype(np.int64, copy=False)))


def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
    """The ``k``-th smallest element along ``dim`` and its index, as
    ``return_types.kthvalue``."""
    dim, n = _sort_dim(input, dim)
    size = input._data.shape[dim] if n else 1
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {dim}")
    if n == 0:
        return _select_along(Kthvalue, input, dim, None, keepdim, return_types.kthvalue)
    order = np.take(_argsort(input._data, dim, False), k - 1, axis=dim)
    return _select_along(Kthvalue, input, dim, order, keepdim, return_types.kthvalue)


def _median_index(a, dim):
    """Index of the lower median along ``dim``; where a slice has NaN, the first NaN's."""
    size = a.shape[dim]
    index = np.take(_argsort(a, dim, False), (size - 1) // 2, axis=dim)
    if a.dtype.kind == "f":
        nan = np.isnan(a)
        has_nan = nan.any(axis=dim)
        if has_nan.any():
            index = np.where(has_nan, np.argmax(nan, axis=dim), index)
    return index


def median(input, dim=None, keepdim=False, *, out=None):
    """The lower median of all elements (a 0-d tensor), or along ``dim`` with its index as
    ``return_types.median``. NaN propagates."""
    a = input._data
    if dim is None:
        if a.size == 0:
            return Tensor._make(np.array(np.nan, a.dtype))
        flat = a.reshape(-1)
        i = int(_median_index(flat, 0))
        spec = _spec_0d(()) if a.ndim == 0 else (None, np.unravel_index(i, a.shape))
        return MedianAll.apply(input, spec)
    dim, n = _sort_dim(input, dim)
    if n == 0:
        return _select_along(Median, input, dim, None, keepdim, return_types.median)
    return _select_along(Median, input, dim, _median_index(a, dim), keepdim,
                         return_types.median)


def mode(input, dim=-1, keepdim=False):
    """The most frequent value along ``dim`` (the smallest among ties) and the index of its
    last occurrence, as ``return_types.mode``."""
    dim, n = _sort_dim(input, dim)
    if n == 0:
        return _select_along(Mode, input, dim, None, keepdim, return_types.mode)
    a = np.moveaxis(input._data, dim, -1)
    order = np.argsort(a, axis=-1, kind="stable")
    s = np.take_along_axis(a, order, -1)
    size = s.shape[-1]
    starts = np.ones(s.shape, bool)
    starts[..., 1:] = s[..., 1:] != s[..., :-1]
    positions = np.arange(size)
    run_start = np.maximum.accumulate(np.where(starts, positions, 0), axis=-1)
    run_length = positions - run_start + 1  # largest at a run's last (stable: latest) element
    best = np.argmax(run_length, axis=-1)[..., None]
    index = np.take_along_axis(order, best, -1)[..., 0]
    return _select_along(Mode, input, dim, index, keepdim, return_types.mode)


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct elements (sorted), optionally with each element's position in that list
    (``return_inverse``) and the counts; with ``dim``, distinct slices along it. NaNs are all
    distinct, as in PyTorch."""
    a = input._data
    if dim is not None:
        dim = wrap_dim(dim, a.ndim)
        values, inverse, counts = np.unique(a, return_inverse=True, return_counts=True, axis=dim)
        inverse = inverse.reshape(-1)
    else:
        values, inverse, counts = np.unique(a, return_inverse=True, return_counts=True,
                                            equal_nan=False)
        inverse = inverse.reshape(a.shape)
    result = [Tensor._make(values)]
    if return_inverse:
        result.append(Tensor._make(inverse.astype(np.int64, copy=False)))
    if return_counts:
        result.append(Tensor._make(counts.astype(np.int64, copy=False)))
    return result[0] if len(result) == 1 else tuple(result)


# ---------------------------------------------------------------------------- comparisons
def equal(input, other):
    """True if both tensors have the same shape and elements (NaN is not equal to itself)."""
    a, b = input._data, other._data
    return a.shape == b.shape and bool(np.array_equal(a, b))


def _close_args(input, other):
    if input._data.dtype != other._data.dtype:
        raise RuntimeError(f"{SCALAR_TYPE_NAMES[input._data.dtype.name]} did not match "
                           f"{SCALAR_TYPE_NAMES[other._data.dtype.name]}")
    _broadcast_shape(input._data.shape, other._data.shape)
    return input._data, other._data


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise ``|input - other| <= atol + rtol * |other|`` (a bool tensor)."""
    a, b = _close_args(input, other)
    return Tensor._make(np.asarray(np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True if every element of ``input`` is close to ``other`` (see :func:`isclose`)."""
    a, b = _close_args(input, other)
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


# In-place variants installed on Tensor by ops/__init__.
INPLACE = {"scatter_": scatter_, "scatter_add_": scatter_add_, "index_add_": index_add_,
           "index_put_": index_put_, "masked_fill_": masked_fill_}


# ---------------------------------------------------------------------------- select
def select(input, dim, index):
    """The slice of ``input`` at ``index`` along ``dim``, that dimension removed (a view)."""
    shape = input._data.shape
    if not shape:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, len(shape))
    index = int(index)
    if not -shape[d] <= index < shape[d]:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{_shape_str(shape)} at dimension {d}")
    return __getitem__(input, (_FULL,) * d + (index,))  # one SelectBackward0, as x[..., i]


# ---------------------------------------------------------------------------- counting, bins
def _bincount(xp, weights, index, dt):
    """NumPy's bincount of ``index`` (with ``minlength``) weighted by ``weights``, in ``dt``."""
    index, minlength = index
    return xp.bincount(index, weights, minlength).astype(dt, copy=False)


def bincount(input, weights=None, minlength=0):
    """How often each value ``0 .. max(input)`` occurs in a 1-d non-negative integer tensor
    (at least ``minlength`` bins); with ``weights``, the sum of the weights of its occurrences
    (float32 for float32 weights, else float64). Not differentiable."""
    from .elementwise import NotDifferentiable
    a = input._data
    if a.dtype.kind not in "iu":
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for "
                                  f"'{SCALAR_TYPE_NAMES[a.dtype.name]}'")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if a.ndim == 1 and a.size == 0:
        return Tensor._make(np.zeros(minlength, np.int64))
    if a.ndim != 1 or a.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return Tensor._make(np.bincount(a, minlength=minlength).astype(np.int64, copy=False))
    if weights._data.ndim != 1 or weights._data.shape[0] != a.shape[0]:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    dt = np.float32 if weights._data.dtype == np.float32 else np.float64
    # PyTorch records a node whose backward raises (bincount has no derivative)
    return NotDifferentiable.apply(weights, (a, minlength), False, _bincount, dt, "bincount")


def _search_shape_error(boundaries, values):
    return RuntimeError(f"torch.searchsorted(): boundaries tensor should be 1 dimension or the "
                        f"first N-1 dimensions of boundaries tensor and input value tensor must "
                        f"match, but we got boundaries tensor {_shape_str(boundaries.shape)} "
                        f"and input value tensor {_shape_str(values.shape)}")


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None, out=None):
    """For each value of ``input``, the index at which it would be inserted into the innermost
    dimension of ``sorted_sequence`` to keep it sorted: the first such index, or the last with
    ``right=True`` / ``side='right'``. Leading dimensions of an N-d ``sorted_sequence`` must
    match ``input``'s; ``sorter`` gives the order of an unsorted sequence. int64 indices (int32
    with ``out_int32``)."""
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but "
                               f"got {side}")
        if right and side != "right":
            raise RuntimeError(f"torch.searchsorted(): side and right can't be set to "
                               f"opposites, got side of {side} while right was True")
        right = side == "right"
    seq = sorted_sequence._data
    values = input._data if isinstance(input, Tensor) else np.asarray(input)
    if sorter is not None:
        order = sorter._data
        if order.shape != seq.shape:
            raise RuntimeError(f"torch.searchsorted(): boundary and sorter must have the same "
                               f"size, but got boundary tensor {_shape_str(seq.shape)}and got "
                               f"sorter tensor {_shape_str(order.shape)}")
        if order.dtype != np.int64:
            raise RuntimeError(f"torch.searchsorted(): sorter must be a tensor of long dtype but "
                               f"got dtype {SCALAR_TYPE_NAMES[order.dtype.name]}")
        if order.size and (order.min() < 0 or order.max() >= order.shape[-1]):
            raise RuntimeError("torch.searchsorted(): sorter index out of range")
        seq = np.take_along_axis(seq, order, -1)
    if values.ndim == 0 and seq.ndim > 1:
        raise RuntimeError(f"torch.searchsorted(): input value can be a scalar only when "
                           f"boundaries tensor dimension is 1, but we got boundaries tensor "
                           f"dim({seq.ndim}) and input value's dim(0) numel(1)")
    if seq.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive "
                           "dimension, but got 0 dimension")
    if seq.ndim > 1 and (seq.ndim != values.ndim or seq.shape[:-1] != values.shape[:-1]):
        raise _search_shape_error(seq, values)
    side = "right" if right else "left"
    if seq.ndim == 1:
        found = np.searchsorted(seq, values, side)
    else:  # one search per row of the leading dimensions
        rows, flat_values = seq.reshape(-1, seq.shape[-1]), values.reshape(-1, values.shape[-1])
        found = np.stack([np.searchsorted(r, v, side) for r, v in zip(rows, flat_values)])
        found = found.reshape(values.shape)
    return Tensor._make(np.asarray(found, np.int32 if out_int32 else np.int64))


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    """The index of the bucket of 1-d ``boundaries`` each value of ``input`` falls in:
    ``boundaries[i-1] < x <= boundaries[i]`` (``<= x <`` with ``right=True``); that is
    ``searchsorted(boundaries, input, right=right)``."""
    if boundaries._data.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got "
                           f"dim({boundaries._data.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)
