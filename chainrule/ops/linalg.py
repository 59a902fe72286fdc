"""Linear algebra: matmul in every batched/broadcast case, mm, bmm, mv, dot, ..."""
from .. import _dtype
from ._common import Op

__all__ = ["matmul", "mm", "dot"]
METHODS = ["matmul", "mm", "dot"]


def _check_same_dtype(a, b):
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_dtype.from_numpy_dtype(a._data.dtype).name} != "
                           f"{_dtype.from_numpy_dtype(b._data.dtype).name}")


class MatMul(Op):
    """``a @ b`` for operands of at least 2 dimensions (1-d operands are lifted by matmul())."""
    node_name = "MmBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(b if ctx.needs_input_grad[0] else None,
                              a if ctx.needs_input_grad[1] else None)
        return ctx.xp.matmul(a, b)

    @staticmethod
    def backward(ctx, g):
        b, a = ctx.saved_tensors
        xp = ctx.xp
        ga = xp.matmul(g, xp.swapaxes(b, -1, -2)) if ctx.needs_input_grad[0] else None
        gb = xp.matmul(xp.swapaxes(a, -1, -2), g) if ctx.needs_input_grad[1] else None
        return ga, gb  # batch broadcasting is summed away by the engine


class BMM(MatMul):
    node_name = "BmmBackward0"


class UnsafeMatMul(MatMul):
    node_name = "UnsafeViewBackward0"


class Dot(Op):
    node_name = "DotBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(b if ctx.needs_input_grad[0] else None,
                              a if ctx.needs_input_grad[1] else None)
        return ctx.xp.dot(a, b)

    @staticmethod
    def backward(ctx, g):
        b, a = ctx.saved_tensors
        return (g * b if ctx.needs_input_grad[0] else None,
                g * a if ctx.needs_input_grad[1] else None)


def dot(input, tensor, *, out=None):
    """Inner product of two 1-d tensors of the same length."""
    if input.ndim != 1 or tensor.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {tensor.ndim}D "
                           "tensors")
    if input.shape[0] != tensor.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{input.shape[0]}] and src "
                           f"[{tensor.shape[0]}] to have the same number of elements, but got "
                           f"{input.shape[0]} and {tensor.shape[0]} elements respectively")
    if input._data.dtype != tensor._data.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{input.dtype.name.capitalize()} and {tensor.dtype.name.capitalize()}")
    return Dot.apply(input, tensor)


def mm(input, mat2, *, out=None):
    """Matrix product of two 2-d tensors."""
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if input.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({input.shape[0]}x"
                           f"{input.shape[1]} and {mat2.shape[0]}x{mat2.shape[1]})")
    _check_same_dtype(input, mat2)
    return MatMul.apply(input, mat2)


def matmul(input, other, *, out=None):
    """Matrix product with NumPy/PyTorch semantics: 1-d operands are vectors, leading
    dimensions broadcast as batches."""
    from .shape import squeeze, unsqueeze
    da, db = input.ndim, other.ndim
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{da}D and {db}D")
    _check_same_dtype(input, other)
    if da == 2 and db == 2:
        return mm(input, other)
    if da == 1 and db == 1:
        return dot(input, other)
    a = unsqueeze(input, 0) if da == 1 else input
    b = unsqueeze(other, -1) if db == 1 else other
    if a.shape[-1] != b.shape[-2]:
        if da == 1 or db == 1:
            raise RuntimeError(f"size mismatch, got input ({a.shape[-1] if da == 1 else a.shape[0]}"
                               f"), mat ({b.shape[0]}x{b.shape[1]}), vec ({b.shape[-2]})")
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{b.shape[0]}, {a.shape[-1]}] but got: [{b.shape[0]}, {b.shape[-2]}].")
    out = MatMul.apply(a, b)
    if da == 1:
        out = squeeze(out, -2)
    if db == 1:
        out = squeeze(out, -1)
    return out
