"""Shape ops: views (view, reshape, transpose, permute, expand, squeeze, unsqueeze) and copies."""
import numpy as np

from ._common import Op, wrap_dim

__all__ = ["reshape", "view", "transpose", "swapaxes", "swapdims", "t", "permute", "expand",
           "expand_as", "squeeze", "unsqueeze", "flatten", "contiguous", "view_as",
           "broadcast_to"]
METHODS = ["transpose", "swapaxes", "swapdims", "t", "expand_as", "squeeze", "unsqueeze",
           "flatten", "contiguous", "view_as", "broadcast_to"]


def _infer_shape(shape, numel, allow_infer=True):
    shape = tuple(int(s) for s in shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            if s < 0:
                raise RuntimeError(f"invalid shape dimension {s}")
            known *= s
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of "
                               f"size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of size "
                           f"{numel}")
    return shape


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


class UnsafeView(View):
    node_name = "UnsafeViewBackward0"
    _view = False


def view(input, shape):
    """A view of ``input`` with ``shape``; the data must be laid out compatibly."""
    shape = _infer_shape(shape, input._data.size)
    arr = input._data
    if not arr.flags.c_contiguous and shape != arr.shape:
        try:  # assigning .shape succeeds only if NumPy can reshape without copying
            arr.view().shape = shape
        except AttributeError:
            raise RuntimeError("view size is not compatible with input tensor's size and stride "
                               "(at least one dimension spans across two contiguous subspaces). "
                               "Use .reshape(...) instead.") from None
    return View.apply(input, shape)


def reshape(input, shape):
    """``input`` with a new shape: a view when the layout allows, otherwise a copy."""
    return View.apply(input, _infer_shape(tuple(shape), input._data.size))


def view_as(input, other):
    """``view(other.shape)``."""
    return view(input, other.shape)


class Transpose(Op):
    node_name = "TransposeBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, d0, d1):
        ctx.dims = (d0, d1)
        return ctx.xp.swapaxes(a, d0, d1)

    @staticmethod
    def backward(ctx, g):
        return ctx.xp.swapaxes(g, *ctx.dims), None, None


class T(Transpose):
    node_name = "TBackward0"


def transpose(input, dim0, dim1):
    """Swap dimensions ``dim0`` and ``dim1`` (a view)."""
    n = input._data.ndim
    return Transpose.apply(input, wrap_dim(dim0, n), wrap_dim(dim1, n))


swapaxes = swapdims = transpose


def t(input):
    """Transpose a tensor of at most 2 dimensions."""
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
    shape = input._data.shape
    sizes = tuple(int(s) for s in sizes)
    if len(sizes) < len(shape):
        raise RuntimeError(f"expand(torch.FloatTensor{{[{', '.join(map(str, shape))}]}}, "
                           f"size=[{', '.join(map(str, sizes))}]): the number of sizes provided "
                           f"({len(sizes)}) must be greater or equal to the number of dimensions "
                           f"in the tensor ({len(shape)})")
    lead = len(sizes) - len(shape)
    target = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a "
                                   "leading, non-existing dimension " f"{i}")
            target.append(s)
            continue
        cur = shape[i - lead]
        if s == -1:
            s = cur
        elif cur != 1 and cur != s:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing "
                               f"size ({cur}) at non-singleton dimension {i}.  Target sizes: "
                               f"[{', '.join(map(str, sizes))}].  Tensor sizes: "
                               f"[{', '.join(map(str, shape))}]")
        target.append(s)
    return Expand.apply(input, tuple(target))


def expand_as(input, other):
    """``expand(other.shape)``."""
    return expand(input, other.shape)


def broadcast_to(input, size):
    """``expand(size)``."""
    return expand(input, tuple(size))


class Squeeze(Op):
    node_name = "SqueezeBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, dims):
        ctx.shape = a.shape
        return a.reshape(tuple(s for i, s in enumerate(a.shape) if i not in dims))

    @staticmethod
    def backward(ctx, g):
        return ctx.xp.reshape(g, ctx.shape), None


class SqueezeDim(Squeeze):
    node_name = "SqueezeBackward1"


class SqueezeDims(Squeeze):
    node_name = "SqueezeBackward2"


def squeeze(input, dim=None):
    """Remove dimensions of size 1 (all of them, or those in ``dim``)."""
    shape = input._data.shape
    n = len(shape)
    if dim is None:
        return Squeeze.apply(input, tuple(i for i, s in enumerate(shape) if s == 1))
    if isinstance(dim, (tuple, list)):
        dims = tuple(wrap_dim(d, n) for d in dim)
        return SqueezeDims.apply(input, tuple(d for d in dims if n and shape[d] == 1))
    d = wrap_dim(dim, n)
    return SqueezeDim.apply(input, (d,) if n and shape[d] == 1 else ())


class Unsqueeze(Op):
    node_name = "UnsqueezeBackward0"
    _view = True

    @staticmethod
    def forward(ctx, a, dim):
        ctx.shape = a.shape
        return ctx.xp.expand_dims(a, dim)

    @staticmethod
    def backward(ctx, g):
        return ctx.xp.reshape(g, ctx.shape), None


def unsqueeze(input, dim):
    """Insert a dimension of size 1 at ``dim``."""
    return Unsqueeze.apply(input, wrap_dim(dim, input._data.ndim + 1))


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dimensions ``start_dim..end_dim`` into one."""
    shape = input._data.shape
    n = len(shape)
    if n == 0:
        return reshape(input, (1,))
    s, e = wrap_dim(start_dim, n), wrap_dim(end_dim, n)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    merged = int(np.prod(shape[s:e + 1]))
    return reshape(input, shape[:s] + (merged,) + shape[e + 1:])


class Contiguous(Op):
    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, a):
        return np.ascontiguousarray(a)

    @staticmethod
    def backward(ctx, g):
        return g


def contiguous(input, memory_format=None):
    """``input`` itself if already contiguous, else a contiguous copy."""
    if input._data.flags.c_contiguous:
        return input
    return Contiguous.apply(input)


def view_dtype(input, dtype):
    from .._tensor import Tensor
    return Tensor._make(input._data.view(dtype.np))

