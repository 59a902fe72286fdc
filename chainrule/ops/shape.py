"""Shape ops: views (view, reshape, transpose, permute, expand, squeeze, unsqueeze, narrow,
split, unbind ...) and copies (repeat, flip, roll, cat, stack).

Views share the input's memory and version counter. Ops that join tensors (cat, stack) and ops
that part them (split, unbind) are each other's backward, so double backward comes for free.
"""
import builtins
import functools
import itertools
import math
import operator
import warnings
from collections.abc import Sequence

import numpy as np

from .. import _dtype
from .._backend import array_module
from .._tensor import Size, Tensor
from ..autograd.function import mark_unrecorded_view, track_view
from ._common import Op, _const, _pair, wrap_dim

__all__ = ["reshape", "view", "transpose", "swapaxes", "swapdims", "t", "permute", "expand",
           "expand_as", "squeeze", "unsqueeze", "flatten", "unflatten", "ravel", "contiguous",
           "view_as", "broadcast_to", "movedim", "moveaxis", "narrow", "repeat", "tile", "flip",
           "roll", "cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack",
           "split", "chunk", "unbind", "tensor_split", "hsplit", "vsplit", "dsplit", "atleast_1d",
           "atleast_2d", "atleast_3d", "repeat_interleave", "diagonal", "diag_embed", "diag",
           "diagflat", "tril",
           "triu", "trace", "broadcast_shapes", "broadcast_tensors", "meshgrid", "cartesian_prod",
           "column_stack", "row_stack", "fliplr", "flipud", "rot90", "diff", "block_diag",
           "tril_indices", "triu_indices"]
METHODS = ["transpose", "swapaxes", "swapdims", "t", "expand_as", "squeeze", "unsqueeze",
           "flatten", "unflatten", "ravel", "contiguous", "view_as", "broadcast_to", "movedim",
           "moveaxis", "narrow", "roll", "split", "chunk", "unbind", "tensor_split", "hsplit",
           "vsplit", "dsplit", "diagonal", "diag_embed", "diag", "diagflat", "tril", "triu",
           "trace", "fliplr", "flipud", "rot90", "diff", "unfold", "repeat_interleave"]


def _shape_str(shape):
    return "[" + ", ".join(str(d) for d in shape) + "]"


def _infer_shape(shape, numel):
    """``shape`` with its one ``-1`` (if any) replaced by what makes ``numel`` elements."""
    try:
        shape = tuple(map(operator.index, shape))
    except TypeError:
        raise TypeError(f"view(): argument 'size' must be tuple of ints, but got "
                        f"{_shape_str(shape)}") from None
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape "
                               f"{_shape_str(shape)}")
        if s != -1:
            known *= s
    if -1 in shape:
        if known == 0:
            if numel == 0:
                raise RuntimeError(f"cannot reshape tensor of 0 elements into shape "
                                   f"{_shape_str(shape)} because the unspecified dimension size "
                                   "-1 can be any value and is ambiguous")
            raise RuntimeError(f"shape '{_shape_str(shape)}' is invalid for input of size "
                               f"{numel}")
        if numel % known:
            raise RuntimeError(f"shape '{_shape_str(shape)}' is invalid for input of size "
                               f"{numel}")
        return tuple(numel // known if s == -1 else s for s in shape)
    if known != numel:
        raise RuntimeError(f"shape '{_shape_str(shape)}' is invalid for input of size {numel}")
    return shape


def _viewable(arr, shape):
    """Whether ``arr`` can take ``shape`` without copying its data."""
    if arr.flags.c_contiguous:
        return True
    try:
        np.reshape(arr, shape, copy=False)
    except ValueError:
        return False
    return True


def _share_version(input, outputs, op):
    """The outputs of split/unbind are views of ``input``: one version counter for all. They
    remember the op (PyTorch's name for it) that made them, which forbids in-place changes of
    them inside a graph."""
    base = input._base if input._base is not None else input
    name = op.__name__
    track = base.grad_fn is not None
    for i, o in enumerate(outputs):
        o._version_counter = input._version_counter
        o._base = base
        o._multi_view = (name, i)
        if o.grad_fn is None:
            mark_unrecorded_view(o)
        elif track:
            track_view(o)
    return outputs


# ---------------------------------------------------------------------------- view / reshape
class View(Op):
    node_name = "ViewBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, shape):
        ctx.shape = a.shape
        return a.reshape(shape)

    @staticmethod
    def backward(ctx, g):
        return ctx.xp.reshape(g, ctx.shape), None


class ReshapeAlias(View):
    """``reshape`` of a non-contiguous tensor whose strides allow a view."""
    node_name = "ReshapeAliasBackward0"


class UnsafeView(View):
    """``reshape`` of a fresh contiguous copy (when no view was possible)."""
    node_name = "UnsafeViewBackward0"
    _view = False


def view(input, shape):
    """A view of ``input`` with ``shape`` (one entry may be ``-1``); the data must be laid out
    compatibly, otherwise use :func:`reshape`."""
    shape = _infer_shape(shape, input._data.size)
    if not _viewable(input._data, shape):
        raise RuntimeError("view size is not compatible with input tensor's size and stride "
                           "(at least one dimension spans across two contiguous subspaces). "
                           "Use .reshape(...) instead.")
    return View.apply(input, shape)


def reshape(input, shape):
    """``input`` with a new shape: a view when the layout allows, otherwise a copy."""
    arr = input._data
    shape = _infer_shape(shape, arr.size)
    if arr.flags.c_contiguous:
        return View.apply(input, shape)
    if _viewable(arr, shape):
        return ReshapeAlias.apply(input, shape)
    return UnsafeView.apply(Contiguous.apply(input), shape)


def view_as(input, other):
    """``view(other.shape)``."""
    return view(input, other.shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dimensions ``start_dim..end_dim`` into one (``input`` itself if nothing merges)."""
    shape = input._data.shape
    n = len(shape)
    if n == 0:
        return reshape(input, (1,))
    s, e = wrap_dim(start_dim, n), wrap_dim(end_dim, n)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    return reshape(input, shape[:s] + (math.prod(shape[s:e + 1]),) + shape[e + 1:])


def ravel(input):
    """A flat (1-d) contiguous tensor with ``input``'s elements."""
    return view(contiguous(input), (-1,))


def unflatten(input, dim, sizes):
    """Split dimension ``dim`` into ``sizes`` (one entry may be ``-1``); a view."""
    shape = input._data.shape
    d = wrap_dim(dim, len(shape))
    sizes = tuple(int(s) for s in sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if sizes.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    size = shape[d] if shape else 1
    if -1 not in sizes and math.prod(sizes) != size:
        raise RuntimeError(f"unflatten: Provided sizes {_shape_str(sizes)} don't multiply up to "
                           f"the size of dim {dim} ({size}) in the input tensor")
    sizes = _infer_shape(sizes, size)
    return View.apply(input, shape[:d] + sizes + shape[d + 1:])


class Contiguous(Op):
    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, a):
        return ctx.xp.ascontiguousarray(a)

    @staticmethod
    def backward(ctx, g):
        return g


def contiguous(input, memory_format=None):
    """``input`` itself if already contiguous, else a contiguous copy."""
    if input._data.flags.c_contiguous:
        return input
    return Contiguous.apply(input)


def view_dtype(input, dtype):
    """The same memory reinterpreted as ``dtype`` (``Tensor.view(dtype)``)."""
    return Tensor._make(input._data.view(dtype.np))


# ---------------------------------------------------------------------------- transposes
class Transpose(Op):
    node_name = "TransposeBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, d0, d1):
        ctx.dims = (d0, d1)
        return ctx.xp.swapaxes(a, d0, d1) if a.ndim else a.view()

    @staticmethod
    def backward(ctx, g):
        return (ctx.xp.swapaxes(g, *ctx.dims) if g.ndim else g), None, None


class T(Transpose):
    node_name = "TBackward0"


def transpose(input, dim0, dim1):
    """Swap dimensions ``dim0`` and ``dim1`` (a view)."""
    n = input._data.ndim
    return Transpose.apply(input, wrap_dim(dim0, n), wrap_dim(dim1, n))


swapaxes = swapdims = transpose


def t(input):
    """Transpose a tensor of at most 2 dimensions (0-d and 1-d tensors are returned as views)."""
    n = input._data.ndim
    if n > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {n}D")
    return T.apply(input, 0, 1) if n == 2 else T.apply(input, 0, 0)


class Permute(Op):
    node_name = "PermuteBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, dims):
        ctx.inverse = tuple(np.argsort(dims))
        return ctx.xp.transpose(a, dims)

    @staticmethod
    def backward(ctx, g):
        return ctx.xp.transpose(g, ctx.inverse), None


def permute(input, dims):
    """Reorder dimensions (a view)."""
    n = input._data.ndim
    if len(dims) != n:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {n} is not equal to len(dims) = {len(dims)}")
    dims = tuple(wrap_dim(d, n) for d in dims)
    if len(set(dims)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(input, dims)


def movedim(input, source, destination):
    """Move dimension(s) ``source`` to position(s) ``destination``, keeping the order of the
    others (a permute, so a view)."""
    n = input._data.ndim
    single = isinstance(source, (int, np.integer))
    if single != isinstance(destination, (int, np.integer)):
        raise TypeError(f"movedim() received an invalid combination of arguments - got "
                        f"({type(source).__name__}, {type(destination).__name__}), but expected "
                        "one of:\n * (int source, int destination)\n"
                        " * (tuple of ints source, tuple of ints destination)\n")
    source = (source,) if single else tuple(source)
    destination = (destination,) if single else tuple(destination)
    if len(source) != len(destination):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source "
                           f"({_shape_str(source)} dims) should contain the same number of dims "
                           f"as destination ({_shape_str(destination)} dims)")
    if n == 0:  # dims 0 / -1 name the tensor itself
        return Alias.apply(input)
    src = [wrap_dim(d, n) for d in source]
    dst = [wrap_dim(d, n) for d in destination]
    for name, given, dims in (("source", source, src), ("destination", destination, dst)):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({_shape_str(given)})")
    order = [d for d in builtins.range(n) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return Permute.apply(input, tuple(order))


moveaxis = movedim


class Alias(Op):
    """A plain view of the whole tensor."""
    node_name = "AliasBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a):
        return a.view()

    @staticmethod
    def backward(ctx, g):
        return g


# ---------------------------------------------------------------------------- expand / squeeze
class Expand(Op):
    node_name = "ExpandBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, shape):
        return ctx.xp.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx, g):
        return g, None  # the engine sums the gradient back to the input's shape


def expand(input, sizes):
    """Broadcast to ``sizes`` without copying; ``-1`` keeps a dimension."""
    from .._tensor_str import legacy_type_name
    shape = input._data.shape
    sizes = tuple(int(s) for s in sizes)
    if len(sizes) < len(shape):
        raise RuntimeError(f"expand({legacy_type_name(input._data.dtype)}{{{_shape_str(shape)}}}, "
                           f"size={_shape_str(sizes)}): the number of sizes provided "
                           f"({len(sizes)}) must be greater or equal to the number of dimensions "
                           f"in the tensor ({len(shape)})")
    lead = len(sizes) - len(shape)
    target = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a "
                                   f"leading, non-existing dimension {i}")
            target.append(s)
            continue
        cur = shape[i - lead]
        if s == -1:
            s = cur
        elif cur != 1 and cur != s:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing "
                               f"size ({cur}) at non-singleton dimension {i}.  Target sizes: "
                               f"{_shape_str(sizes)}.  Tensor sizes: {_shape_str(shape)}")
        target.append(s)
    return Expand.apply(input, tuple(target))


def expand_as(input, other):
    """``expand(other.shape)``."""
    return expand(input, other.shape)


def broadcast_to(input, size):
    """``expand(size)``."""
    return expand(input, tuple(size))


class Squeeze(View):
    """A view without the size-1 ``dims``; backward is View's (reshape to the input's shape)."""
    node_name = "SqueezeBackward0"

    @staticmethod
    def forward(ctx, a, dims):
        ctx.shape = a.shape
        return ctx.xp.squeeze(a, dims) if dims else a.view()


class SqueezeDim(Squeeze):
    node_name = "SqueezeBackward1"


class SqueezeDims(Squeeze):
    node_name = "SqueezeBackward2"


def squeeze(input, dim=None):
    """Remove dimensions of size 1 (all of them, or those of ``dim``, an int or a tuple)."""
    shape = input._data.shape
    n = len(shape)
    if dim is None:
        return Squeeze.apply(input, tuple(i for i, s in enumerate(shape) if s == 1))
    if isinstance(dim, (tuple, list)):
        dims = tuple(wrap_dim(d, n) for d in dim)
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"dim {dims[0]} appears multiple times in the list of dims")
        return SqueezeDims.apply(input, tuple(d for d in dims if n and shape[d] == 1))
    d = wrap_dim(dim, n)
    return SqueezeDim.apply(input, (d,) if n and shape[d] == 1 else ())


class Unsqueeze(View):
    """A view with a size-1 dimension at ``dim``; backward is View's."""
    node_name = "UnsqueezeBackward0"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.shape = a.shape
        return ctx.xp.expand_dims(a, dim)


def unsqueeze(input, dim):
    """Insert a dimension of size 1 at ``dim``."""
    return Unsqueeze.apply(input, wrap_dim(dim, input._data.ndim + 1))


# ---------------------------------------------------------------------------- narrow / pad
class Narrow(Op):
    node_name = "SliceBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, dim, start, length):
        pad = [(0, 0)] * a.ndim
        pad[dim] = (start, a.shape[dim] - start - length)
        ctx.pad = pad
        return a[(slice(None),) * dim + (slice(start, start + length),)]

    @staticmethod
    def backward(ctx, g):
        return ctx.xp.pad(g, ctx.pad), None, None, None


class PadZeros(Op):
    """Zero padding, ``widths`` a (before, after) pair per dimension: narrow's backward."""
    node_name = "ConstantPadNdBackward0"

    @staticmethod
    def forward(ctx, a, widths):
        ctx.widths = widths
        return ctx.xp.pad(a, widths)

    @staticmethod
    def backward(ctx, g):
        for d, (before, after) in enumerate(ctx.widths):
            if before or after:  # the middle of three pieces along d
                g = ctx.xp.split(g, [before, g.shape[d] - after], d)[1]
        return g, None


def pad_zeros(input, widths):
    """``input`` padded with zeros, ``widths`` a (before, after) pair per dimension."""
    return PadZeros.apply(input, tuple(tuple(w) for w in widths))


def narrow(input, dim, start, length):
    """The ``length`` elements of dimension ``dim`` from ``start`` on (a view)."""
    n = input._data.ndim
    if n == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, n)
    size = input._data.shape[d]
    start, length = int(start), int(length)
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], "
                         f"but got {start})")
    if start < 0:
        start += size
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({size}).")
    return Narrow.apply(input, d, start, length)


# ---------------------------------------------------------------------------- diagonals, triangles
def _diagonal_view(a, offset, dim1, dim2):
    """A writable NumPy view of the ``offset`` diagonal of ``a`` over ``dim1``/``dim2``, as the
    last axis (``np.diagonal`` gives the same view, read-only)."""
    d = np.diagonal(a, offset, dim1, dim2)
    start = [slice(None)] * a.ndim
    start[dim2 if offset >= 0 else dim1] = slice(builtins.abs(offset), None)
    return np.lib.stride_tricks.as_strided(a[tuple(start)], d.shape, d.strides)


class Diagonal(Op):
    """``diagonal(a, offset, dim1, dim2)``: a view; its gradient is a diagonal written into
    zeros (:class:`DiagonalScatter`, its adjoint)."""
    node_name = "DiagonalBackward0"
    _view = True

    @staticmethod
    def kernel(a, offset, dim1, dim2):
        return _diagonal_view(a, offset, dim1, dim2)

    @staticmethod
    def forward(ctx, a, offset, dim1, dim2):
        ctx.shape, ctx.dims = a.shape, (offset, dim1, dim2)
        return _diagonal_view(a, offset, dim1, dim2)

    @staticmethod
    def backward(ctx, g):
        return (_pair(ctx, DiagonalScatter, g, ctx.shape, *ctx.dims),) + (None,) * 3


class DiagonalCopy(Diagonal):
    """``diag`` of a matrix: the diagonal as a new tensor."""
    node_name = "DiagonalBackward0_copy"
    _view = False

    @staticmethod
    def forward(ctx, a, offset, dim1, dim2):
        ctx.shape, ctx.dims = a.shape, (offset, dim1, dim2)
        return np.diagonal(a, offset, dim1, dim2).copy()


class DiagonalScatter(Op):
    """Zeros of ``shape`` with ``src`` on the ``offset`` diagonal over ``dim1``/``dim2``
    (``diag_embed``); the gradient reads that diagonal back (:class:`Diagonal`)."""
    node_name = "DiagEmbedBackward0"

    @staticmethod
    def kernel(src, shape, offset, dim1, dim2):
        out = array_module(src).zeros(shape, src.dtype)
        _diagonal_view(out, offset, dim1, dim2)[...] = src
        return out

    @staticmethod
    def forward(ctx, src, shape, offset, dim1, dim2):
        ctx.dims = (offset, dim1, dim2)
        return DiagonalScatter.kernel(src, shape, offset, dim1, dim2)

    @staticmethod
    def backward(ctx, g):
        return (_pair(ctx, Diagonal, g, *ctx.dims),) + (None,) * 4


def _check_diagonal_dims(n, dim1, dim2):
    d1, d2 = wrap_dim(dim1, n), wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


def diagonal(input, offset=0, dim1=0, dim2=1):
    """The ``offset`` diagonal of ``input`` over dimensions ``dim1`` and ``dim2`` (a view, with
    the diagonal as its last dimension)."""
    d1, d2 = _check_diagonal_dims(input._data.ndim, dim1, dim2)
    return Diagonal.apply(input, int(offset), d1, d2)


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """A tensor whose ``offset`` diagonal over ``dim1``/``dim2`` (of the result) holds the last
    dimension of ``input``, zeros elsewhere."""
    n = input._data.ndim + 1
    d1, d2 = _check_diagonal_dims(n, dim1, dim2)
    size = input._data.shape[-1] + builtins.abs(int(offset))
    rest = list(input._data.shape[:-1])
    shape = [0] * n
    for d in builtins.range(n):
        shape[d] = size if d in (d1, d2) else rest.pop(0)
    return DiagonalScatter.apply(input, tuple(shape), int(offset), d1, d2)


def diag(input, diagonal=0):
    """A 1-d ``input`` as the ``diagonal``-th diagonal of a square matrix; the ``diagonal``-th
    diagonal of a 2-d ``input`` (a copy)."""
    n = input._data.ndim
    if n == 1:
        return diag_embed(input, diagonal, 0, 1)
    if n != 2:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {n}D")
    return DiagonalCopy.apply(input, int(diagonal), 0, 1)


def diagflat(input, offset=0):
    """``input`` flattened, as the ``offset`` diagonal of a square matrix."""
    return diag_embed(view(contiguous(input), (-1,)), offset, 0, 1)


class _Triangle(Op):
    """``tril``/``triu`` over the last two dimensions; the gradient is the same mask of ``g``."""
    _name = None

    @classmethod
    def forward(cls, ctx, a, k):
        ctx.k = k
        return getattr(ctx.xp, cls._name)(a, k)

    @classmethod
    def backward(cls, ctx, g):
        return getattr(ctx.xp, cls._name)(g, ctx.k), None


class Tril(_Triangle):
    node_name = "TrilBackward0"
    _name = "tril"


class Triu(_Triangle):
    node_name = "TriuBackward0"
    _name = "triu"


def _triangle(op, name, input, diagonal):
    if input._data.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return op.apply(input, int(diagonal))


def tril(input, diagonal=0, *, out=None):
    """``input`` with the elements above its ``diagonal``-th diagonal zeroed (last two dims)."""
    return _triangle(Tril, "tril", input, diagonal)


def triu(input, diagonal=0, *, out=None):
    """``input`` with the elements below its ``diagonal``-th diagonal zeroed (last two dims)."""
    return _triangle(Triu, "triu", input, diagonal)


class Trace(Op):
    node_name = "TraceBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.shape, ctx.dtype = a.shape, a.dtype
        if a.dtype.kind in "biu":
            return ctx.xp.trace(a, dtype=np.int64)
        # PyTorch sums in double (complex double) and rounds once
        wide = np.complex128 if a.dtype.kind == "c" else np.float64
        return ctx.xp.trace(a, dtype=wide).astype(a.dtype)

    @staticmethod
    def backward(ctx, g):
        return g * _const(ctx, np.eye(*ctx.shape, dtype=ctx.dtype))


def trace(input):
    """Sum of the main diagonal of a matrix."""
    if input._data.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim "
                           f"{input._data.ndim}")
    if input._data.dtype.kind == "b":
        raise NotImplementedError('"trace" not implemented for \'Bool\'')
    return Trace.apply(input)


# ---------------------------------------------------------------------------- unfold, repeat_interleave
class Unfold(Op):
    """``unfold(dim, size, step)``: the windows of ``size`` elements every ``step`` along
    ``dim``, as a new last dimension (a view); the gradient adds each window back
    (:class:`UnfoldGrad`, its adjoint)."""
    node_name = "UnfoldBackward0"
    _view = True

    @staticmethod
    def kernel(a, dim, size, step):
        windows = np.lib.stride_tricks.sliding_window_view(a, size, axis=dim, writeable=True)
        return windows[(slice(None),) * dim + (slice(None, None, step),)]

    @staticmethod
    def forward(ctx, a, dim, size, step):
        ctx.shape, ctx.args = a.shape, (dim, size, step)
        return Unfold.kernel(a, dim, size, step)

    @staticmethod
    def backward(ctx, g):
        return (_pair(ctx, UnfoldGrad, g, ctx.shape, *ctx.args),) + (None,) * 3


class UnfoldGrad(Op):
    """Zeros of ``shape`` with each window of ``g`` (see :class:`Unfold`) added in place."""
    node_name = "UnfoldBackwardBackward0"

    @staticmethod
    def kernel(g, shape, dim, size, step):
        out = array_module(g).zeros(shape, g.dtype)
        starts = np.arange(g.shape[dim]) * step
        lead = (slice(None),) * dim
        for j in builtins.range(size):  # windows never overlap at one offset j: plain +=
            out[lead + (starts + j,)] += g[..., j]
        return out

    @staticmethod
    def forward(ctx, g, shape, dim, size, step):
        ctx.args = (dim, size, step)
        return UnfoldGrad.kernel(g, shape, dim, size, step)

    @staticmethod
    def backward(ctx, h):
        return (_pair(ctx, Unfold, h, *ctx.args),) + (None,) * 4


def unfold(input, dimension, size, step):
    """The windows of ``size`` elements taken every ``step`` along ``dimension``, as a new last
    dimension (a view)."""
    n = input._data.ndim
    d = wrap_dim(dimension, n) if n else 0
    length = input._data.shape[d] if n else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is "
                           f"{size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if n == 0:
        return unsqueeze(input, 0)
    return Unfold.apply(input, d, int(size), int(step))


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Repeat each element ``repeats`` times (a number, or one count per element along
    ``dim``); without ``dim`` the input is flattened first. ``repeat_interleave(counts)`` gives
    each index repeated its count."""
    if repeats is None:
        counts = input._data
        if counts.ndim > 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        return Tensor._make(np.repeat(np.arange(counts.size), counts.reshape(-1)))
    if dim is None:
        input, dim = reshape(input, (-1,)), 0
    d = wrap_dim(dim, input._data.ndim)
    size = input._data.shape[d]
    if isinstance(repeats, Tensor):
        counts = repeats._data.reshape(-1) if repeats._data.ndim == 0 else repeats._data
        if counts.ndim != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        if counts.dtype.kind not in "iu":
            raise NotImplementedError(f'"repeat_interleave_cpu" not implemented for '
                                      f"'{_dtype.SCALAR_TYPE_NAMES[counts.dtype.name]}'")
        if counts.size == 1:
            counts = np.repeat(counts, size)
        if counts.size != size:
            raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {counts.size} and input.size({d}) = {size}")
        if (counts < 0).any():
            raise RuntimeError("repeats can not be negative")
        _check_output_size(output_size, int(counts.sum()))
        from .indexing import index_select
        return index_select(input, d, Tensor._make(np.repeat(np.arange(size), counts)))
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    _check_output_size(output_size, size * repeats)
    shape = input._data.shape
    spread = expand(unsqueeze(input, d + 1), shape[:d + 1] + (repeats,) + shape[d + 1:])
    from .elementwise import clone
    return view(clone(spread), shape[:d] + (size * repeats,) + shape[d + 1:])


def _check_output_size(output_size, expected):
    if output_size is not None and output_size != expected:
        raise RuntimeError(f"repeat_interleave: Invalid output_size, expected {expected} but got "
                           f"{output_size}")


# ---------------------------------------------------------------------------- repeat / flip / roll
class Repeat(Op):
    node_name = "RepeatBackward0"

    @staticmethod
    def forward(ctx, a, repeats):
        ctx.shape, ctx.repeats = a.shape, repeats
        return ctx.xp.tile(a, repeats)

    @staticmethod
    def backward(ctx, g):
        # View the gradient as (r0, s0, r1, s1, ...) and sum over the repeat axes.
        shape = (1,) * (len(ctx.repeats) - len(ctx.shape)) + ctx.shape
        split = tuple(x for pair in zip(ctx.repeats, shape) for x in pair)
        g = ctx.xp.sum(ctx.xp.reshape(g, split), axis=tuple(builtins.range(0, len(split), 2)))
        return ctx.xp.reshape(g, ctx.shape), None


def _int_sizes(name, sizes):
    for s in sizes:
        if isinstance(s, (bool, float)) or not isinstance(s, (int, np.integer)):
            raise TypeError(f"{name}(): argument 'repeats' failed to unpack the object at pos "
                            f"{list(sizes).index(s) + 1} with error \"type must be tuple of "
                            f"ints,but got {type(s).__name__}\"")
    return tuple(int(s) for s in sizes)


def repeat(input, repeats):
    """Tile the tensor ``repeats[i]`` times along dimension ``i`` (extra leading entries add
    dimensions)."""
    repeats = _int_sizes("repeat", repeats)
    n = input._data.ndim
    if len(repeats) < n:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    shape = (1,) * (len(repeats) - n) + input._data.shape
    if builtins.any(r < 0 for r in repeats):
        target = [s * r for s, r in zip(shape, repeats)]
        raise RuntimeError(f"Trying to create tensor with negative dimension "
                           f"{builtins.min(target)}: {_shape_str(target)}")
    return Repeat.apply(input, repeats)


def tile(input, dims):
    """Like :func:`repeat`, with ``dims`` padded by leading 1s if shorter than the tensor."""
    dims = _int_sizes("tile", dims)
    return repeat(input, (1,) * (input._data.ndim - len(dims)) + dims)


class Flip(Op):
    node_name = "FlipBackward0"

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return ctx.xp.flip(a, dims).copy()  # a new tensor, not a view, as in PyTorch

    @staticmethod
    def backward(ctx, g):
        return ctx.xp.flip(g, ctx.dims), None


def _dim_list(dims, n):
    dims = tuple(wrap_dim(d, n) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"dim {dims[0]} appears multiple times in the list of dims")
    return dims if n else ()  # a 0-d tensor accepts dim 0 but has no axis


def flip(input, dims):
    """Reverse the order of elements along each dimension of ``dims`` (a copy)."""
    if isinstance(dims, (int, np.integer)):
        raise TypeError("flip(): argument 'dims' (position 2) must be tuple of ints, not int")
    return Flip.apply(input, _dim_list(dims, input._data.ndim))


class Roll(Op):
    node_name = "RollBackward0"

    @staticmethod
    def forward(ctx, a, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return ctx.xp.roll(a, shifts, dims)

    @staticmethod
    def backward(ctx, g):
        return ctx.xp.roll(g, tuple(-s for s in ctx.shifts), ctx.dims), None, None


def roll(input, shifts, dims=None):
    """Shift elements circularly by ``shifts`` along ``dims`` (the flattened tensor if None)."""
    shifts = (shifts,) if isinstance(shifts, (int, np.integer)) else tuple(shifts)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        if not shifts:
            raise RuntimeError("`shifts` required")
        return Roll.apply(input, shifts, None)
    dims = (dims,) if isinstance(dims, (int, np.integer)) else tuple(dims)
    if not shifts:
        raise RuntimeError("`shifts` required")
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:"
                           f"{len(dims)}")
    n = input._data.ndim
    if n == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    return Roll.apply(input, shifts, tuple(wrap_dim(d, n) for d in dims))


# ---------------------------------------------------------------------------- cat / stack
def _tensor_list(name, tensors, empty_message):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        f"not {type(tensors).__name__}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
    if not tensors:
        raise (ValueError if name == "cat" else RuntimeError)(empty_message)
    return tensors


def _joined_dtype(tensors):
    """The promoted dtype of ``tensors`` as a NumPy dtype, or None when they all agree."""
    first = tensors[0]._data.dtype
    if builtins.all(t._data.dtype == first for t in tensors):
        return None
    return functools.reduce(_dtype.promote_types, (t.dtype for t in tensors)).np


@functools.lru_cache(maxsize=None)
def _taking(op, n):
    """``op`` (cat, stack) for ``n`` input tensors, followed by its dim and dtype arguments."""
    return type(op.__name__, (op,), {"node_name": op.node_name, "_n_inputs": n})


class Cat(Op):
    node_name = "CatBackward0"

    @staticmethod
    def forward(ctx, *args):
        *arrays, dim, dt = args
        sizes = [0 if a.ndim == 1 and a.size == 0 else a.shape[dim] for a in arrays]
        ctx.dim, ctx.ends = dim, _split_ends(sizes)
        kept = [a for a, s in zip(arrays, sizes) if s or a.ndim != 1]  # legacy empty 1-d
        # PyTorch's result is contiguous whatever the inputs' layout (NumPy keeps an F order)
        return ctx.xp.ascontiguousarray(
            ctx.xp.concatenate(kept, axis=dim, dtype=dt, casting="same_kind"))

    @staticmethod
    def backward(ctx, g):
        return (*ctx.xp.split(g, ctx.ends, ctx.dim), None, None)


def cat(tensors, dim=0, *, out=None):
    """Join ``tensors`` along an existing dimension ``dim`` (types are promoted)."""
    tensors = _tensor_list("cat", tensors, "torch.cat(): expected a non-empty list of Tensors")
    shaped = [t for t in tensors if not (t._data.ndim == 1 and t._data.size == 0)]
    if not shaped:
        return _taking(Cat, len(tensors)).apply(*tensors, 0, _joined_dtype(tensors))
    ref = shaped[0]._data.shape
    n = len(ref)
    for i, t in enumerate(tensors):
        if t._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be "
                               "concatenated")
    d = wrap_dim(dim, n)
    for i, t in enumerate(tensors):
        shape = t._data.shape
        if shape is ref or t._data.ndim == 1 and t._data.size == 0:
            continue
        if len(shape) != n:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {n} and "
                               f"{len(shape)}")
        for k in builtins.range(n):
            if k != d and shape[k] != ref[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. "
                                   f"Expected size {ref[k]} but got size {shape[k]} for tensor "
                                   f"number {i} in the list.")
    return _taking(Cat, len(tensors)).apply(*tensors, d, _joined_dtype(tensors))


concat = concatenate = cat


class Stack(Op):
    node_name = "StackBackward0"

    @staticmethod
    def forward(ctx, *args):
        *arrays, dim, dt = args
        ctx.dim = dim
        out = ctx.xp.ascontiguousarray(ctx.xp.stack(arrays, axis=dim))  # as Cat: contiguous
        return out if dt is None else out.astype(dt, copy=False)

    @staticmethod
    def backward(ctx, g):
        return (*ctx.xp.moveaxis(g, ctx.dim, 0), None, None)


def stack(tensors, dim=0, *, out=None):
    """Join ``tensors`` (all of one shape) along a new dimension ``dim``."""
    tensors = _tensor_list("stack", tensors, "stack expects a non-empty TensorList")
    ref = tensors[0]._data.shape
    for i, t in enumerate(tensors):
        if t._data.shape != ref:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{_shape_str(ref)} at entry 0 and {_shape_str(t._data.shape)} "
                               f"at entry {i}")
    d = wrap_dim(dim, len(ref) + 1)
    return _taking(Stack, len(tensors)).apply(*tensors, d, _joined_dtype(tensors))


def atleast_1d(*tensors):
    """Each tensor with at least one dimension (0-d ones become shape ``[1]``)."""
    return _at_least(tensors, lambda t: reshape(t, (1,)) if t.ndim == 0 else t)


def atleast_2d(*tensors):
    """Each tensor with at least two dimensions (new leading dimensions of size 1)."""
    return _at_least(tensors, lambda t: reshape(t, (1, 1)) if t.ndim == 0 else
                     unsqueeze(t, 0) if t.ndim == 1 else t)


def atleast_3d(*tensors):
    """Each tensor with at least three dimensions, as NumPy's ``atleast_3d``."""
    def lift(t):
        if t.ndim == 0:
            return reshape(t, (1, 1, 1))
        if t.ndim == 1:
            return unsqueeze(unsqueeze(t, 0), -1)
        return unsqueeze(t, -1) if t.ndim == 2 else t
    return _at_least(tensors, lift)


def _at_least(tensors, lift):
    if len(tensors) == 1:
        if isinstance(tensors[0], Tensor):
            return lift(tensors[0])
        tensors = tensors[0]
    return tuple(lift(t) for t in tensors)


def _stacker(name, lift, dim_of):
    def join(tensors, *, out=None):
        tensors = _tensor_list(name, tensors, f"{name} expects a non-empty TensorList")
        lifted = lift(tensors)
        return cat(lifted, dim_of(lifted))
    join.__name__ = name
    return join


hstack = _stacker("hstack", atleast_1d, lambda ts: 0 if ts[0].ndim == 1 else 1)
hstack.__doc__ = "Concatenate column-wise (along dim 1; dim 0 for 1-d tensors)."
vstack = _stacker("vstack", atleast_2d, lambda ts: 0)
vstack.__doc__ = "Concatenate row-wise, after making every tensor at least 2-d."
dstack = _stacker("dstack", atleast_3d, lambda ts: 2)
dstack.__doc__ = "Concatenate depth-wise (dim 2), after making every tensor at least 3-d."


# ---------------------------------------------------------------------------- split / unbind
class Split(Op):
    node_name = "SplitBackward0"

    @staticmethod
    def forward(ctx, a, ends, dim):
        ctx.dim = dim
        return tuple(ctx.xp.split(a, ends, axis=dim))

    @staticmethod
    def backward(ctx, *grads):
        return ctx.xp.concatenate(grads, ctx.dim), None, None


class SplitWithSizes(Split):
    node_name = "SplitWithSizesBackward0"


def _split_ends(sizes):
    ends, total = [], 0
    for s in sizes[:-1]:
        total += s
        ends.append(total)
    return ends


def split(tensor, split_size_or_sections, dim=0):
    """Cut ``tensor`` along ``dim`` into pieces of ``split_size`` (the last may be shorter) or
    of the given list of sizes; the pieces are views."""
    n = tensor._data.ndim
    if n == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, n)
    size = tensor._data.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)):
        step = int(split_size_or_sections)
        if step < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got "
                               f"split_size={step}")
        if step == 0 and size != 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {size}")
        pieces = builtins.max(-(-size // step), 1) if step else 1
        sizes = [step] * (pieces - 1) + [size - step * (pieces - 1)]
        return _share_version(tensor, Split.apply(tensor, _split_ends(sizes), d), Split)
    sizes = [int(s) for s in split_size_or_sections]
    if builtins.any(s < 0 for s in sizes):
        raise RuntimeError(f"split_with_sizes expects split_sizes have only non-negative "
                           f"entries, but got split_sizes={_shape_str(sizes)}")
    if builtins.sum(sizes) != size:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} "
                           f"(input tensor's size at dimension {d}), but got "
                           f"split_sizes={_shape_str(sizes)}")
    return _share_version(tensor, SplitWithSizes.apply(tensor, _split_ends(sizes), d),
                          SplitWithSizes)


def chunk(input, chunks, dim=0):
    """Split into ``chunks`` pieces of equal size (the last may be smaller, and there may be
    fewer pieces when the size does not divide)."""
    if input._data.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    size = input._data.shape[wrap_dim(dim, input._data.ndim)]
    if size == 0:  # PyTorch gives ``chunks`` empty pieces
        return split(input, [0] * chunks, dim)
    return split(input, -(-size // chunks), dim)


_TENSOR_SPLIT_SIGNATURES = (" * (Tensor input, tuple of ints indices, int dim = 0)\n"
                            " * (Tensor input, Tensor tensor_indices_or_sections, int dim = 0)\n"
                            " * (Tensor input, int sections, int dim = 0)\n")


def _split_points(indices_or_sections):
    """An int of sections, or a list of cut indices, from tensor_split's second argument."""
    arg = indices_or_sections
    if isinstance(arg, Tensor):
        if arg._data.dtype != np.int64:
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to have dtype "
                               f"of long, but got {_dtype.SCALAR_TYPE_NAMES[arg._data.dtype.name]}")
        if arg._data.ndim > 1:
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to be a "
                               f"zero-dimensional or one-dimensional tensor, but got a tensor "
                               f"with {arg._data.ndim} dims")
        return int(arg._data) if arg._data.ndim == 0 else [int(i) for i in arg._data]
    if isinstance(arg, (int, np.integer)) and not isinstance(arg, bool):
        return int(arg)
    if isinstance(arg, (list, tuple)) and builtins.all(
            isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in arg):
        return [int(i) for i in arg]
    got = type(arg).__name__ if not isinstance(arg, (list, tuple)) else "tuple"
    raise TypeError(f"tensor_split() received an invalid combination of arguments - got "
                    f"(Tensor, {got}), but expected one of:\n{_TENSOR_SPLIT_SIGNATURES}")


def tensor_split(input, indices_or_sections, dim=0):
    """Split ``input`` along ``dim`` into views, as NumPy's ``array_split``: ``n`` sections of
    sizes that differ by at most one (the first ``size % n`` are one longer), or pieces cut
    before each of a list of indices (``[2, 5]`` gives ``[:2]``, ``[2:5]``, ``[5:]``, with
    Python's slicing rules for negative and out-of-range indices)."""
    n = input._data.ndim
    if n == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    points = _split_points(indices_or_sections)
    d = wrap_dim(dim, n)
    if isinstance(points, int):
        if points <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {points}")
        size = input._data.shape[d]
        base, extra = divmod(size, points)
        points = list(itertools.accumulate(base + (i < extra) for i in range(points - 1)))
    lead = (slice(None),) * d
    starts, ends = [None] + points, points + [None]
    return tuple(input[lead + (slice(a, b),)] for a, b in zip(starts, ends))


def _directional_split(name, input, indices_or_sections, dim, min_dims):
    """hsplit/vsplit/dsplit: tensor_split along ``dim``; sections must divide the size."""
    n = input._data.ndim
    if n < min_dims:
        raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dims} dimension, "
                           f"but got a tensor with {n} dimensions!")
    if isinstance(indices_or_sections, (int, np.integer)):
        size = input._data.shape[dim]
        if indices_or_sections == 0 or size % indices_or_sections:
            raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but the "
                               f"size of the dimension {size} is not divisible by the "
                               f"split_size {indices_or_sections}!")
    return tensor_split(input, indices_or_sections, dim)


def hsplit(input, indices_or_sections):
    """``tensor_split`` along dimension 1 (0 for a 1-d tensor); sections must divide it."""
    return _directional_split("hsplit", input, indices_or_sections,
                              1 if input._data.ndim > 1 else 0, 1)


def vsplit(input, indices_or_sections):
    """``tensor_split`` along dimension 0 of a tensor of 2 or more dimensions."""
    return _directional_split("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input, indices_or_sections):
    """``tensor_split`` along dimension 2 of a tensor of 3 or more dimensions."""
    return _directional_split("dsplit", input, indices_or_sections, 2, 3)


class Unbind(Op):
    node_name = "UnbindBackward0"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        return tuple(ctx.xp.moveaxis(a, dim, 0))

    @staticmethod
    def backward(ctx, *grads):
        return ctx.xp.stack(grads, ctx.dim), None


def unbind(input, dim=0):
    """The slices of ``input`` along ``dim``, as a tuple of views."""
    n = input._data.ndim
    if n == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    return _share_version(input, Unbind.apply(input, wrap_dim(dim, n)), Unbind)


# ---------------------------------------------------------------------------- broadcasting, grids
def broadcast_shapes(*shapes):
    """The shape that tensors of ``shapes`` (ints or sequences of ints) broadcast to, as a
    ``Size``; no tensor is made."""
    shapes = tuple((s,) if isinstance(s, (int, np.integer)) else s
                   for s in shapes if s is not None)
    if not shapes:
        return Size([])
    for shape in shapes:
        if not isinstance(shape, Sequence):
            raise RuntimeError(f"Input shapes should be of type ints, a tuple of ints, or a list "
                               f"of ints, got {shape}")
    common = [1] * builtins.max(len(s) for s in shapes)
    for i, shape in enumerate(shapes):
        for d in builtins.range(-1, -1 - len(shape), -1):
            if shape[d] == common[d]:
                continue
            if common[d] == 1:
                if shape[d] < 0:
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                common[d] = shape[d]
            if shape[d] != 1 and common[d] != shape[d]:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {shape[d]} at "
                                   f"{d}! Mismatching argument at index {i} had {shape}; but "
                                   f"expected shape should be broadcastable to {common}")
    return Size(common)


def _broadcast_all(shapes):
    """The common shape of tensor shapes, with the message PyTorch gives tensors that do not
    broadcast (it names the first mismatching pair)."""
    from .indexing import _broadcast_shape
    return functools.reduce(_broadcast_shape, shapes, ())


def broadcast_tensors(*tensors):
    """The tensors expanded to their common broadcast shape (views; a tensor that already has
    that shape is returned as is, as PyTorch does)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = _broadcast_all([t._data.shape for t in tensors])
    return tuple(t if t._data.shape == shape else Expand.apply(t, shape) for t in tensors)


_meshgrid_warned = False


def meshgrid(*tensors, indexing=None):
    """Coordinate grids of 0-d or 1-d tensors: the ``i``-th output varies ``tensors[i]`` along
    dimension ``i`` (``indexing='ij'``) or, with ``'xy'``, the first two dimensions swapped
    (Cartesian, as NumPy's default). Each output is an expanded view of its input."""
    global _meshgrid_warned
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])  # the old calling convention: one list
    if indexing is None:
        if not _meshgrid_warned:  # PyTorch warns once per process
            _meshgrid_warned = True
            warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass "
                          "the indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    return _meshgrid(list(tensors), indexing)


def _meshgrid(tensors, indexing):
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in tensors:
        if t._data.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but "
                               f"got: {t}")
    if builtins.any(t._data.dtype != tensors[0]._data.dtype for t in tensors):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    if indexing not in ("xy", "ij"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but '
                           f'received: {indexing}')
    swap = indexing == "xy" and len(tensors) >= 2
    if swap:  # 'xy' is 'ij' on the first two inputs swapped, outputs swapped back
        tensors[0], tensors[1] = tensors[1], tensors[0]
    shape = tuple(t._data.size for t in tensors)
    n = len(tensors)
    grids = [Expand.apply(View.apply(t, (1,) * i + (-1,) + (1,) * (n - i - 1)), shape)
             for i, t in enumerate(tensors)]
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def cartesian_prod(*tensors):
    """The Cartesian product of 1-d tensors as rows of a ``(N, len(tensors))`` tensor, in
    ``itertools.product`` order; a single tensor is returned as is."""
    for t in tensors:
        if t._data.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {_shape_str(t._data.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    return stack([flatten(g) for g in _meshgrid(list(tensors), "ij")], 1)


def column_stack(tensors, *, out=None):
    """Join tensors as columns: 0-d and 1-d tensors become ``(numel, 1)`` columns, then
    :func:`hstack`."""
    tensors = _tensor_list("column_stack", tensors, "column_stack expects a non-empty "
                           "TensorList")
    return hstack([reshape(t, (t._data.size, 1)) if t._data.ndim <= 1 else t for t in tensors])


row_stack = vstack


# ---------------------------------------------------------------------------- flips, rotation
def fliplr(input):
    """Reverse the order of columns (dimension 1) of a tensor of 2 or more dimensions."""
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return Flip.apply(input, (1,))


def flipud(input):
    """Reverse the order of rows (dimension 0) of a tensor of 1 or more dimensions."""
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return Flip.apply(input, (0,))


class Rot90(Op):
    """A copy of ``a`` rotated by ``k`` quarter turns from ``dims[0]`` towards ``dims[1]``
    (NumPy's ``rot90`` too); the gradient turns back by ``-k``."""
    node_name = "Rot90Backward0"

    @staticmethod
    def forward(ctx, a, k, dims):
        ctx.k, ctx.dims = k, dims
        xp = ctx.xp
        if k == 0:
            return xp.array(a, order="C", copy=True)
        if k == 2:
            return xp.flip(a, dims).copy()
        # PyTorch transposes a flipped copy in place: a new tensor with transposed strides
        return xp.swapaxes(xp.flip(a, dims[1] if k == 1 else dims[0]).copy(), *dims)

    @staticmethod
    def backward(ctx, g):
        return ctx.xp.rot90(g, -ctx.k, ctx.dims), None, None


def rot90(input, k=1, dims=(0, 1)):
    """Rotate by ``k`` quarter turns in the plane of ``dims``, from the first dimension towards
    the second (a copy)."""
    n = input._data.ndim
    dims = tuple(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if n < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {n}")
    d0, d1 = wrap_dim(dims[0], n), wrap_dim(dims[1], n)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} "
                           f"and dim1 = {dims[1]}")
    return Rot90.apply(input, int(k) % 4, (d0, d1))


# ---------------------------------------------------------------------------- diff
def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The ``n``-th forward difference along ``dim`` (``x[1:] - x[:-1]``, logical xor for bool
    tensors), after joining ``prepend`` and ``append`` to ``input`` along ``dim``."""
    nd = input._data.ndim
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    if nd < 1:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    d = wrap_dim(dim, nd)
    extra = [t for t in (prepend, append) if t is not None]
    for t in extra:
        if t._data.ndim != nd:
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
        for i in builtins.range(nd):
            if i != d and t._data.shape[i] != input._data.shape[i]:
                raise RuntimeError(f"diff expects the shape of tensor to prepend or append to "
                                   f"match that of input except along the differencing "
                                   f"dimension; input.size({i}) = {input._data.shape[i]}, but "
                                   f"got tensor.size({i}) = {t._data.shape[i]}")
    if n == 0:  # a copy, made as PyTorch makes it
        from .._creation import empty_like
        return empty_like(input).copy_(input)
    if extra:
        input = cat([t for t in (prepend, input, append) if t is not None], d)
    size = input._data.shape[d]
    if input._data.dtype == np.bool_:
        from .elementwise import logical_xor as step
    else:
        step = operator.sub
    for length in builtins.range(size - 1, size - 1 - builtins.min(n, size), -1):
        input = step(narrow(input, d, 1, length), narrow(input, d, 0, length))
    return input


# ---------------------------------------------------------------------------- block_diag
class BlockDiag(Op):
    """Zeros with each input (seen as 2-d) on the diagonal, block after block; each input's
    gradient is its block of ``g``."""
    node_name = "BlockDiagBackward0"

    @staticmethod
    def forward(ctx, *args):
        *arrays, dt = args
        xp = ctx.xp
        blocks = [a.reshape((1,) * (2 - a.ndim) + a.shape) for a in arrays]
        corners = list(itertools.accumulate(
            ((b.shape[0], b.shape[1]) for b in blocks),
            lambda c, s: (c[0] + s[0], c[1] + s[1]), initial=(0, 0)))
        ctx.shapes, ctx.corners = [a.shape for a in arrays], corners
        out = xp.zeros(corners[-1], dt)
        for (r, c), b in zip(corners, blocks):
            out[r:r + b.shape[0], c:c + b.shape[1]] = b
        return out

    @staticmethod
    def backward(ctx, g):
        grads = []
        for i, shape in enumerate(ctx.shapes):
            if not ctx.needs_input_grad[i]:
                grads.append(None)
                continue
            (r0, c0), (r1, c1) = ctx.corners[i], ctx.corners[i + 1]
            grads.append(ctx.xp.reshape(g[r0:r1, c0:c1], shape))
        return (*grads, None)


def block_diag(*tensors):
    """A 2-d tensor with the (0-, 1- or 2-d) ``tensors`` as diagonal blocks, zeros elsewhere;
    the dtype is the inputs' promoted dtype."""
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
        if t._data.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer "
                               f"dimensions. Input {i} has {t._data.ndim} dimensions")
    if not tensors:
        from .._creation import empty
        return empty(1, 0)
    dt = functools.reduce(_dtype.promote_types, (t.dtype for t in tensors)).np
    return _taking(BlockDiag, len(tensors)).apply(*tensors, dt)


# ---------------------------------------------------------------------------- triangle indices
def _triangle_indices(name, numpy_fn, row, col, offset, dtype):
    from .._creation import _dtype_arg
    dtype = _dtype_arg(dtype, name) or _dtype.int64
    if dtype not in (_dtype.int64, _dtype.int32):
        raise NotImplementedError(f'"{name}" not implemented for '
                                  f"'{_dtype.SCALAR_TYPE_NAMES[np.dtype(dtype.np).name]}'")
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    rows, cols = numpy_fn(row, offset, col)
    return Tensor._make(np.stack([rows, cols]).astype(dtype.np).reshape(2, -1))


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The ``(row, column)`` coordinates, as a ``2 x N`` tensor in row-major order, of the lower
    triangle of a ``row x col`` matrix: on and below the ``offset`` diagonal."""
    return _triangle_indices("tril_indices", np.tril_indices, row, col, offset, dtype)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The ``(row, column)`` coordinates, as a ``2 x N`` tensor in row-major order, of the upper
    triangle of a ``row x col`` matrix: on and above the ``offset`` diagonal."""
    return _triangle_indices("triu_indices", np.triu_indices, row, col, offset, dtype)
