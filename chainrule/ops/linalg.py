"""Linear algebra: matmul in every batched/broadcast case, mm, bmm, mv, dot, outer, addmm,
baddbmm and einsum.

One derivative rule serves every matrix product (:func:`_product_grads`); the ops differ only in
their argument checks and in the grad_fn name PyTorch shows for the case.
"""
import warnings

import numpy as np

from .._backend import array_module
from .._tensor import Tensor
from ._common import SCALAR_TYPE_NAMES, Op, wrap_dim

__all__ = ["matmul", "mm", "bmm", "mv", "dot", "vdot", "outer", "ger", "addmm",
           "baddbmm", "einsum", "kron", "cross", "tensordot", "inner", "cdist"]
METHODS = ["matmul", "mm", "bmm", "mv", "dot", "vdot", "outer", "ger", "addmm",
           "baddbmm", "kron", "cross", "inner"]


def _type_name(a):
    return SCALAR_TYPE_NAMES[a._data.dtype.name]


def _check_same_dtype(a, b):
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_type_name(a).lower()} != {_type_name(b).lower()}")


def _check_scalar_type(a, b):
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"expected scalar type {_type_name(a)} but found {_type_name(b)}")


def _mm_error(a_shape, b_shape):
    return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a_shape[0]}x{a_shape[1]} "
                        f"and {b_shape[0]}x{b_shape[1]})")


# ---------------------------------------------------------------------------- the product
def _raw_matmul(a, b):
    """``a @ b`` on arrays; a stack of matrices times one matrix (or vector) is folded into a
    single 2-d product, which BLAS does in one call instead of one call per matrix."""
    if a.ndim > 2 and b.ndim <= 2:
        k = a.shape[-1]
        out = array_module(a).matmul(a.reshape(-1, k), b)
        return out.reshape(a.shape[:-1] + b.shape[1:])
    return array_module(a).matmul(a, b)


def _product_grads(ctx, g, a, b):
    """Gradients of ``a @ b`` (NumPy matmul semantics, 1-d operands included) for the upstream
    gradient ``g``; batch broadcasting is summed away by the engine. ``a`` is saved only if
    ``b`` needs a gradient and vice versa; ``ctx.ndims`` holds both ranks."""
    xp = ctx.xp
    a_ndim, b_ndim = ctx.ndims
    need_a, need_b = b is not None, a is not None
    a_vec, b_vec = a_ndim == 1, b_ndim == 1
    if b_vec:   # the product as if b were a (k, 1) matrix and a a (1, k) matrix
        g = xp.expand_dims(g, -1)
    if a_vec:
        g = xp.expand_dims(g, -2)
    ga = gb = None
    if need_a:
        bt = xp.reshape(b, (1, -1)) if b_vec else xp.swapaxes(b, -1, -2)
        ga = xp.matmul(g, bt)
        if a_vec:
            ga = xp.squeeze(ga, -2)
    if need_b:
        if a_ndim > 2 and b_ndim <= 2:  # fold the batch into the rows: one product, no sum
            k = a.shape[-1]
            gb = xp.matmul(xp.swapaxes(xp.reshape(a, (-1, k)), 0, 1),
                           xp.reshape(g, (-1, g.shape[-1])))
        else:
            at = xp.reshape(a, (-1, 1)) if a_vec else xp.swapaxes(a, -1, -2)
            gb = xp.matmul(at, g)
        if b_vec:
            gb = xp.squeeze(gb, -1)
    return ga, gb


class MatMul(Op):
    """``a @ b`` with NumPy semantics (1-d operands, broadcast batches). PyTorch's grad_fn
    name depends on the case: the subclasses below carry it."""
    node_name = "UnsafeViewBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b):
        _save_factors(ctx, a, b, 0)
        return _raw_matmul(a, b)

    @staticmethod
    def backward(ctx, g):
        return _product_grads(ctx, g, *ctx.saved_tensors)


def _save_factors(ctx, a, b, first):
    """Save what the product's gradients need: each factor only for the other's gradient."""
    need = ctx.needs_input_grad
    ctx.save_for_backward(a if need[first + 1] else None, b if need[first] else None)
    ctx.ndims = (a.ndim, b.ndim)


def _named(name):
    return type(name.replace("Backward0", "").replace("Backward4", ""), (MatMul,),
                {"node_name": name})


Mm = _named("MmBackward0")
Bmm = _named("BmmBackward0")
Mv = _named("MvBackward0")
Dot = _named("DotBackward0")
VecMat = _named("SqueezeBackward4")          # 1-d @ 2-d: PyTorch unsqueezes, mm, squeezes
TransposedFold = _named("CloneBackward0")    # 2-d @ batched, when PyTorch folds via mT


class AddProduct(Op):
    """``beta * input + alpha * (mat1 @ mat2)`` (addmm, baddbmm)."""
    node_name = "AddmmBackward0"
    _n_inputs = 3

    @staticmethod
    def forward(ctx, c, a, b, beta, alpha):
        _save_factors(ctx, a, b, 1)
        ctx.beta, ctx.alpha = beta, alpha
        product = _raw_matmul(a, b)
        if alpha != 1:
            product *= alpha
        if beta == 0:  # input is ignored, NaN and inf included, as in PyTorch
            return product
        product += c if beta == 1 else beta * c
        return product

    @staticmethod
    def backward(ctx, g):
        gc = None
        if ctx.needs_input_grad[0]:
            gc = g if ctx.beta == 1 else g * ctx.beta
        if ctx.alpha != 1:
            g = g * ctx.alpha
        ga, gb = _product_grads(ctx, g, *ctx.saved_tensors)
        return gc, ga, gb, None, None


class Baddbmm(AddProduct):
    node_name = "BaddbmmBackward0"


# ---------------------------------------------------------------------------- public functions
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
                           f"{_type_name(input)} and {_type_name(tensor)}")
    return Dot.apply(input, tensor)


def vdot(input, other, *, out=None):
    """``dot`` (the first argument would be conjugated for complex tensors)."""
    return dot(input, other)


def mm(input, mat2, *, out=None):
    """Matrix product of two 2-d tensors."""
    a, b = input._data, mat2._data
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if a.shape[1] != b.shape[0]:
        raise _mm_error(a.shape, b.shape)
    if a.dtype is not b.dtype:
        _check_same_dtype(input, mat2)
    return Mm.apply(input, mat2)


def _bmm_checks(batch1, batch2):
    if batch1.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if batch2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    b, _, k = batch1.shape
    if batch2.shape[0] != b or batch2.shape[1] != k:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{b}, {k}] but got: [{batch2.shape[0]}, {batch2.shape[1]}].")
    _check_scalar_type(batch1, batch2)


def bmm(input, mat2, *, out=None):
    """Batched matrix product of two 3-d tensors with the same batch size (no broadcasting)."""
    _bmm_checks(input, mat2)
    return Bmm.apply(input, mat2)


def _mv_checks(input, vec):
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}")
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({input.shape[0]}), mat "
                           f"({input.shape[0]}x{input.shape[1]}), vec ({vec.shape[0]})")
    if input._data.dtype != vec._data.dtype:
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got "
                           f"{_type_name(vec)}, {_type_name(input)}, and {_type_name(vec)}")


def mv(input, vec, *, out=None):
    """Matrix-vector product."""
    _mv_checks(input, vec)
    return Mv.apply(input, vec)


def outer(input, vec2, *, out=None):
    """Outer product of two 1-d tensors: ``out[i, j] = input[i] * vec2[j]``."""
    for name, t in (("self", input), ("vec2", vec2)):
        if t.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    from .shape import unsqueeze
    return unsqueeze(input, 1) * vec2


ger = outer


def _broadcast_batches(a_batch, b_batch):
    try:
        return np.broadcast_shapes(a_batch, b_batch)
    except ValueError:
        n = max(len(a_batch), len(b_batch))
        a = (1,) * (n - len(a_batch)) + tuple(a_batch)
        b = (1,) * (n - len(b_batch)) + tuple(b_batch)
        for i in range(n - 1, -1, -1):
            if a[i] != b[i] and a[i] != 1 and b[i] != 1:
                raise RuntimeError(f"The size of tensor a ({a[i]}) must match the size of tensor "
                                   f"b ({b[i]}) at non-singleton dimension {i}") from None
        raise


def _batched_op(input, other):
    """The class whose name PyTorch shows for a product involving batch dimensions: its
    matmul folds the batch into an mm/mv and views the result back (UnsafeViewBackward0),
    except for a matrix times a batch when the matrix needs a gradient: then it computes the
    transposed product and copies it (CloneBackward0). A 3-d operand with batch size 1 against
    a real batch counts as a matrix."""
    da, db = input.ndim, other.ndim
    if da == 3 and db == 3 and (input.shape[0] == 1) != (other.shape[0] == 1):
        if input.shape[0] == 1:
            da = 2
        else:
            db = 2
    if da == 2 and db >= 3 and input._requires_grad:
        return TransposedFold
    return MatMul


def matmul(input, other, *, out=None):
    """Matrix product with NumPy/PyTorch semantics: a 1-d operand is a vector (its dimension is
    removed from the result), leading dimensions broadcast as batches."""
    da, db = input.ndim, other.ndim
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{da}D and {db}D")
    if da == 1 and db == 1:
        return dot(input, other)
    if da == 2 and db == 1:
        _mv_checks(input, other)
        return Mv.apply(input, other)
    if da == 1 and db == 2:
        if input.shape[0] != other.shape[0]:
            raise _mm_error((1, input.shape[0]), other.shape)
        _check_same_dtype(input, other)
        return VecMat.apply(input, other)
    if da == 2 and db == 2:
        return mm(input, other)
    k = input.shape[-1]
    if db <= 2:  # a batch times a matrix or vector: folded into one mm / mv
        rows = int(np.prod(input.shape[:-1]))
        if other.shape[0] != k:
            if db == 1:
                raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{k}), vec "
                                   f"({other.shape[0]})")
            raise _mm_error((rows, k), other.shape)
        _check_same_dtype(input, other)
    else:
        batch = _broadcast_batches(input.shape[:-2] if da > 1 else (),
                                   other.shape[:-2])
        if other.shape[-2] != k:
            n = int(np.prod(batch))
            raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                               f"[{n}, {k}] but got: [{n}, {other.shape[-2]}].")
        _check_same_dtype(input, other)
    return _batched_op(input, other).apply(input, other)


def _scalar(x):
    return x.item() if isinstance(x, Tensor) else x


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat1 @ mat2)``; ``input`` broadcasts to the product's shape."""
    if mat1.ndim != 2:
        raise RuntimeError("mat1 must be a matrix, got {}-D tensor".format(mat1.ndim))
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix, got {}-D tensor".format(mat2.ndim))
    if mat1.shape[1] != mat2.shape[0]:
        raise _mm_error(mat1.shape, mat2.shape)
    _check_same_dtype(mat1, mat2)
    _check_expandable(input, (mat1.shape[0], mat2.shape[1]))
    return AddProduct.apply(input, mat1, mat2, _scalar(beta), _scalar(alpha))


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * bmm(batch1, batch2)``."""
    _bmm_checks(batch1, batch2)
    _check_expandable(input, (batch1.shape[0], batch1.shape[1], batch2.shape[2]))
    return Baddbmm.apply(input, batch1, batch2, _scalar(beta), _scalar(alpha))


def _check_expandable(input, target):
    shape = input.shape
    lead = len(target) - len(shape)
    for i, s in enumerate(shape):
        if s != 1 and (lead + i < 0 or s != target[lead + i]):
            raise RuntimeError(f"The expanded size of the tensor ({target[lead + i]}) must match "
                               f"the existing size ({s}) at non-singleton dimension {lead + i}.  "
                               f"Target sizes: [{', '.join(map(str, target))}].  Tensor sizes: "
                               f"[{', '.join(map(str, shape))}]")


# ---------------------------------------------------------------------------- einsum
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _einsum_error(message):
    return RuntimeError("einsum(): " + message)


def _parse_einsum(equation, shapes):
    """Validate ``equation`` against the operand shapes and rewrite it without ellipses or
    implicit output: ``(input_subscripts, output_subscripts)`` as lists of strings."""
    equation = equation.replace(" ", "")
    lhs, arrow, rhs = equation.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(shapes):
        raise _einsum_error("fewer operands were provided than specified in the equation")
    if len(terms) < len(shapes):
        raise _einsum_error("more operands were provided than specified in the equation")
    for pos, ch in enumerate(equation):
        if ch not in _LETTERS and ch not in ".,->":
            raise _einsum_error(f"invalid subscript given at index {pos} in the equation string, "
                                f"subscripts must be in [a-zA-Z]")
    used = set(equation) & set(_LETTERS)
    spare = [c for c in _LETTERS if c not in used]
    n_ell = 0
    for term, shape in zip(terms, shapes):
        labels = len(term.replace("...", ""))
        if "..." in term:
            n_ell = max(n_ell, len(shape) - labels)
        elif labels != len(shape):
            raise _einsum_error(f"the number of subscripts in the equation ({labels}) does not "
                                f"match the number of dimensions ({len(shape)}) for operand "
                                f"{terms.index(term)} and no ellipsis was given")
    ell = "".join(spare[:n_ell])
    inputs = []
    for term, shape in zip(terms, shapes):
        if "..." in term:
            k = len(shape) - len(term.replace("...", ""))
            term = term.replace("...", ell[n_ell - k:] if k else "")
        inputs.append(term)
    if arrow:
        if rhs.count("...") and not n_ell:
            rhs = rhs.replace("...", "")
        output = rhs.replace("...", ell)
        for c in output:
            if output.count(c) > 1:
                raise _einsum_error(f"output subscript {c} appears more than once in the output")
            if not any(c in t for t in inputs):
                raise _einsum_error(f"output subscript {c} does not appear in the equation for "
                                    f"any input operand")
    else:
        counts = {}
        for t in inputs:
            for c in t:
                counts[c] = counts.get(c, 0) + 1
        output = ell + "".join(sorted((c for c, n in counts.items() if n == 1 and c not in ell),
                                      key=_LETTERS.index))
    sizes = {}
    for i, (term, shape) in enumerate(zip(inputs, shapes)):
        seen = {}
        for c, s in zip(term, shape):
            if c in seen and seen[c] != s:
                raise _einsum_error(f"subscript {c} is repeated for operand {i} but the sizes "
                                    f"don't match, {s} != {seen[c]}")
            seen[c] = s
            prev = sizes.get(c)
            if prev is not None and s != prev and s != 1 and prev != 1:
                raise _einsum_error(f"subscript {c} has size {s} for operand {i} which does not "
                                    f"broadcast with previously seen size {prev}")
            sizes[c] = s if prev is None or prev == 1 else prev
    return inputs, output, sizes


def _run_einsum(inputs, output, operands):
    """The einsum of explicit subscripts: recorded when the operands are Tensors (a gradient
    under create_graph), else NumPy's."""
    equation = ",".join(inputs) + "->" + output
    if isinstance(operands[0], Tensor):
        return einsum(equation, *operands)
    # BLAS-backed contraction paths pay for themselves beyond a few thousand elements
    optimize = len(operands) > 2 or sum(o.size for o in operands) > 4096
    return array_module(operands[0]).einsum(equation, *operands, optimize=optimize)


class Einsum(Op):
    """``einsum`` over explicit subscripts (no ellipsis, explicit output)."""
    node_name = "ViewBackward0"
    _n_inputs = None  # every operand is an input

    @staticmethod
    def forward(ctx, *args):
        *operands, inputs, output, sizes = args
        ctx.save_for_backward(*operands)
        ctx.inputs, ctx.output, ctx.sizes = inputs, output, sizes
        return _run_einsum(inputs, output, operands)

    @staticmethod
    def backward(ctx, g):
        operands = ctx.saved_tensors
        grads = []
        for i, term in enumerate(ctx.inputs):
            grads.append(_einsum_operand_grad(ctx, g, operands, i, term)
                         if ctx.needs_input_grad[i] else None)
        return (*grads, None, None, None)


def _einsum_operand_grad(ctx, g, operands, i, term):
    """d(out)/d(operand i) contracted with ``g``: an einsum of ``g`` with the other operands.
    A label repeated in the operand (a diagonal) gets a fresh label tied by an identity matrix;
    a label summed only inside the operand is broadcast back."""
    others = [t for j, t in enumerate(ctx.inputs) if j != i]
    other_ops = [o for j, o in enumerate(operands) if j != i]
    present = set(ctx.output).union(*others) if others else set(ctx.output)
    used = set(ctx.output).union(*ctx.inputs)
    spare = (c for c in _LETTERS if c not in used)
    target, extra_terms, extra_ops = [], [], []
    for c in term:
        if c in target:  # second occurrence of a diagonal label
            fresh = next(spare)
            n = ctx.sizes[c]
            eye = np.eye(n, dtype=g.dtype if not isinstance(g, Tensor) else g._data.dtype)
            extra_terms.append(c + fresh)
            extra_ops.append(eye if not isinstance(g, Tensor) else Tensor._make(eye))
            target.append(fresh)
        else:
            target.append(c)
    kept = [c for c in target if c in present or any(c in t for t in extra_terms)]
    xp = ctx.xp
    grad = _run_einsum([ctx.output] + others + extra_terms, "".join(kept),
                       [g] + other_ops + extra_ops)
    shape = operands[i].shape
    if len(kept) != len(target):  # labels summed only inside this operand
        grad = xp.reshape(grad, tuple(s if c in kept else 1 for c, s in zip(target, shape)))
        grad = xp.broadcast_to(grad, tuple(shape))
    return grad


class EinsumSum(Einsum):
    node_name = "SumBackward1"


class EinsumPermute(Einsum):
    node_name = "PermuteBackward0"


class EinsumMul(Einsum):
    node_name = "MulBackward0"


def einsum(equation, *operands):
    """Sum of products of the operands' elements over the subscripts in ``equation``
    (``'ij,jk->ik'``), with implicit output, ``...`` for broadcast dimensions and repeated
    subscripts for diagonals, as in PyTorch."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    operands = tuple(o if isinstance(o, Tensor) else Tensor._make(np.asarray(o))
                     for o in operands)
    inputs, output, sizes = _parse_einsum(equation, [o.shape for o in operands])
    for o in operands[1:]:
        _check_scalar_type(operands[0], o)
    summed = any(c not in output for t in inputs for c in t)
    if len(operands) == 1:
        op = EinsumSum if summed else EinsumPermute
    else:
        op = Einsum if summed else EinsumMul
    return op.apply(*operands, inputs, output, sizes)


# ---------------------------------------------------------------------------- kron
def kron(input, other, *, out=None):
    """The Kronecker product: every element of ``input`` times the whole of ``other``, laid out
    block by block (the shorter shape is padded with leading 1s)."""
    from .shape import UnsafeView
    n = max(input.ndim, other.ndim)
    a_shape = (1,) * (n - input.ndim) + tuple(input.shape)
    b_shape = (1,) * (n - other.ndim) + tuple(other.shape)
    # PyTorch interleaves the dimensions, (a0, 1, a1, 1, ...) * (1, b0, 1, b1, ...), multiplies
    # and views the result as (a0 * b0, a1 * b1, ...)
    a = UnsafeView.apply(input, tuple(x for d in a_shape for x in (d, 1)))
    b = UnsafeView.apply(other, tuple(x for d in b_shape for x in (1, d)))
    return UnsafeView.apply(a * b, tuple(i * j for i, j in zip(a_shape, b_shape)))


# ---------------------------------------------------------------------------- cross
def _cross(xp, a, b, dim):
    """``a x b`` along ``dim`` (of size 3): ``out[i] = a[i+1] b[i+2] - a[i+2] b[i+1]``, the
    indices taken mod 3, written with rolls so that it runs on arrays and on Tensors alike."""
    return (xp.roll(a, -1, dim) * xp.roll(b, -2, dim)
            - xp.roll(a, -2, dim) * xp.roll(b, -1, dim))


class Cross(Op):
    """The cross product along ``dim``; its gradients are cross products again:
    ``d/da = b x g``, ``d/db = g x a``."""
    node_name = "LinalgCrossBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, a, b, dim):
        need = ctx.needs_input_grad
        ctx.save_for_backward(a if need[1] else None, b if need[0] else None)
        ctx.dim = dim
        return _cross(ctx.xp, a, b, dim)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        xp, dim = ctx.xp, ctx.dim
        return (_cross(xp, b, g, dim) if b is not None else None,
                _cross(xp, g, a, dim) if a is not None else None, None)


_cross_warned = False


def cross(input, other, dim=None, *, out=None):
    """The cross product of 3-vectors along ``dim`` (batch dimensions broadcast). Without
    ``dim``, the first dimension of size 3 (deprecated, with PyTorch's warning; ``dim=-1`` is
    what ``torch.linalg.cross`` uses)."""
    global _cross_warned
    if dim is None:
        if not _cross_warned:  # PyTorch warns once per process
            _cross_warned = True
            warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\n"
                          "Please either pass the dim explicitly or simply use "
                          "torch.linalg.cross.\nThe default value of dim will change to agree "
                          "with that of linalg.cross in a future release.", UserWarning,
                          stacklevel=2)
        dim = next((i for i, s in enumerate(input.shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = wrap_dim(dim, input.ndim)
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{input.shape[d]} and {other.shape[d]}")
    _broadcast_batches(tuple(input.shape), tuple(other.shape))
    _check_scalar_type(input, other)
    return Cross.apply(input, other, d)


# ---------------------------------------------------------------------------- tensordot / inner
def tensordot(a, b, dims=2, out=None):
    """Sum of products over dimensions ``dims`` of ``a`` and ``b``: an int ``n`` pairs the last
    ``n`` dimensions of ``a`` with the first ``n`` of ``b``; a pair of lists names them. The
    result has ``a``'s free dimensions, then ``b``'s. Computed as PyTorch does: permute the
    contracted dimensions together, reshape to matrices, one ``mm`` (a ``dot`` when nothing is
    left free), view to the result's shape."""
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, (bool, float)) or not isinstance(dims, (int, np.integer, list, tuple)):
        raise RuntimeError(f"tensordot expects dims to be int or tuple[list[int], list[int]] or "
                           f"list[list[int]] containing two lists, but got dims={dims}")
    if isinstance(dims, (int, np.integer)):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.ndim, b.ndim):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims_a, dims_b = list(range(-dims, 0)), list(range(dims))
    else:
        dims_a, dims_b = dims
        for name, d in (("dims_self", dims_a), ("dims_other", dims_b)):
            if isinstance(d, (int, np.integer)):
                raise TypeError(f"tensordot(): argument '{name}' (position 3) must be tuple of "
                                f"ints, not int")
        dims_a, dims_b = [int(d) for d in dims_a], [int(d) for d in dims_b]
    if len(dims_a) != len(dims_b):
        raise RuntimeError("both dimension lists should have same length")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError("both inputs should have same dtype")
    return _tensordot(a, b, dims_a, dims_b)


def _tensordot(a, b, dims_a, dims_b):
    from .reduction import sum as _sum
    from .shape import permute, reshape, squeeze, view
    t1, t2 = a, b
    csize = 1
    for da, db in zip(dims_a, dims_b):
        s1, s2 = a.shape[wrap_dim(da, a.ndim)], b.shape[wrap_dim(db, b.ndim)]
        if s2 == 1:  # a broadcast dimension is summed right away
            t1 = _sum(t1, da, keepdim=True)
        elif s1 == 1:
            t2 = _sum(t2, db, keepdim=True)
        else:
            if s1 != s2:
                raise RuntimeError(f"contracted dimensions need to match, but first has size "
                                   f"{s1} in dim {da} and second has size {s2} in dim {db}")
            csize *= s1
    ca = {wrap_dim(d, a.ndim) for d in dims_a}
    cb = {wrap_dim(d, b.ndim) for d in dims_b}
    free_a = [i for i in range(a.ndim) if i not in ca]
    free_b = [i for i in range(b.ndim) if i not in cb]
    out_shape = tuple(t1.shape[i] for i in free_a) + tuple(t2.shape[i] for i in free_b)
    size1 = int(np.prod([t1.shape[i] for i in free_a]))
    size2 = int(np.prod([t2.shape[i] for i in free_b]))
    t1 = permute(t1, free_a + [wrap_dim(d, a.ndim) for d in dims_a])
    t2 = permute(t2, [wrap_dim(d, b.ndim) for d in dims_b] + free_b)
    if not free_a and not free_b:  # a full contraction: a dot product
        if t1.ndim == 1 and t2.ndim == 1:
            product = Dot.apply(t1, t2)
        elif t1.is_contiguous() and t2.is_contiguous():
            product = Dot.apply(view(t1, (csize,)), view(t2, (csize,)))
        else:
            product = _sum(squeeze(t1) * squeeze(t2))
        return view(product, out_shape)
    product = Mm.apply(reshape(t1, (size1, csize)), reshape(t2, (csize, size2)))
    return view(product, out_shape)


def inner(input, other, *, out=None):
    """Sum of products over the last dimension of both tensors (the product when one is 0-d);
    the result has ``input``'s other dimensions, then ``other``'s."""
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but "
                           f"got shapes {list(input.shape)} and {list(other.shape)}")
    if input._data.dtype != other._data.dtype:
        raise RuntimeError("both inputs should have same dtype")
    return _tensordot(input, other, [-1], [-1])


# ---------------------------------------------------------------------------- cdist
def _cdist_grads(ctx, g, x1, x2, dist):
    """Gradients of ``dist[..., i, j] = ||x1[..., i, :] - x2[..., j, :]||_p`` (PyTorch's
    subgradients: 0 where the distance is 0, and for p < 1 where a coordinate difference is)."""
    xp, p = ctx.xp, ctx.p
    need1, need2 = ctx.needs_input_grad[:2]
    if p == 0:
        z = xp.zeros_like(g)
        return (xp.matmul(z, x2) if need1 else None,
                xp.matmul(xp.swapaxes(z, -1, -2), x1) if need2 else None)
    zero = dist == 0
    if p == 2:  # sum_j g_ij (x1_i - x2_j) / d_ij, as two products, no (P, R, M) tensor
        ratio = xp.where(zero, 0, g / xp.where(zero, 1, dist))
        return ((x1 * xp.sum(ratio, -1, keepdims=True) - xp.matmul(ratio, x2))
                if need1 else None,
                (x2 * xp.expand_dims(xp.sum(ratio, -2), -1)
                 - xp.matmul(xp.swapaxes(ratio, -1, -2), x1)) if need2 else None)
    diff = xp.expand_dims(x1, -2) - xp.expand_dims(x2, -3)      # (..., P, R, M)
    gd = xp.expand_dims(g, -1)
    if p == 1:
        term = gd * xp.sign(diff)
    elif p == float("inf"):
        term = gd * xp.sign(diff) * (xp.abs(diff) == xp.expand_dims(dist, -1))
    else:
        d = xp.expand_dims(xp.where(zero, 1, dist), -1)
        mask = xp.expand_dims(zero, -1)
        if p < 1:
            mask = mask | (diff == 0)
        ad = xp.where(mask, 1, xp.abs(diff))
        term = xp.where(mask, 0, gd * xp.sign(diff) * (ad / d) ** (p - 1))
    return (xp.sum(term, -2) if need1 else None,
            -xp.sum(term, -3) if need2 else None)


def _minkowski(a, b, p):
    """``||a_i - b_j||_p`` for every row pair, batch dimensions broadcast."""
    xp = array_module(a)
    diff = xp.abs(a[..., :, None, :] - b[..., None, :, :])
    if p == 0:
        return xp.sum(diff != 0, -1).astype(a.dtype)
    if p == 1:
        return xp.sum(diff, -1)
    if p == 2:
        return xp.sqrt(xp.sum(diff * diff, -1))
    if p == float("inf"):
        return xp.max(diff, -1, initial=0)
    return xp.sum(diff ** p, -1) ** (1 / p)


class Cdist(Op):
    """Pairwise p-norm distances between the rows of ``x1`` and ``x2``."""
    node_name = "CdistBackward0"
    _n_inputs = 2

    @staticmethod
    def forward(ctx, x1, x2, p):
        ctx.p = p
        out = _minkowski(x1, x2, p)
        ctx.save_for_backward(x1, x2, out)
        return out

    @staticmethod
    def backward(ctx, g):
        return (*_cdist_grads(ctx, g, *ctx.saved_tensors), None)


class EuclideanDist(Cdist):
    """p = 2 distances through one matrix product, as PyTorch computes them for many rows:
    ``sqrt(max(|a|^2 - 2 a.b + |b|^2, 0))``; the same gradient as :class:`Cdist`."""
    node_name = "EuclideanDistBackward0"

    @staticmethod
    def forward(ctx, x1, x2, p):
        xp = array_module(x1)
        ctx.p = 2
        n1 = xp.sum(x1 * x1, -1, keepdims=True)
        n2 = xp.sum(x2 * x2, -1, keepdims=True)
        a = xp.concatenate([-2 * x1, n1, xp.ones_like(n1)], -1)
        b = xp.concatenate([x2, xp.ones_like(n2), n2], -1)
        out = xp.sqrt(xp.maximum(xp.matmul(a, xp.swapaxes(b, -1, -2)), 0))
        ctx.save_for_backward(x1, x2, out)
        return out


_CDIST_MODES = {"use_mm_for_euclid_dist_if_necessary": 0, "use_mm_for_euclid_dist": 1,
                "donot_use_mm_for_euclid_dist": 2}


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The p-norm distance between each row of ``x1`` (``... x P x M``) and each row of ``x2``
    (``... x R x M``), batch dimensions broadcast: a ``... x P x R`` tensor. For p = 2 and more
    than 25 rows (or ``compute_mode='use_mm_for_euclid_dist'``) it goes through a matrix
    product, faster and slightly less exact, as PyTorch does."""
    from .shape import Expand, view
    mode = _CDIST_MODES.get(compute_mode)
    if mode is None:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    for name, t in (("X1", x1), ("X2", x2)):
        if t._data.dtype.kind != "f":
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: "
                               f"{_type_name(t)}")
    for name, t in (("X1", x1), ("X2", x2)):
        if t.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: "
                               f"{t.ndim}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{x1.shape[-1]} X2: {x2.shape[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    _check_scalar_type(x1, x2)
    batch = _broadcast_batches(tuple(x1.shape[:-2]), tuple(x2.shape[:-2]))
    r1, r2 = x1.shape[-2], x2.shape[-2]
    p = float(p)
    euclid = p == 2 and (mode == 1 or mode == 0 and (r1 > 25 or r2 > 25))
    if not euclid or x1._data.size == 0 or x2._data.size == 0:
        return Cdist.apply(x1, x2, p)
    if x1.ndim == 2 and x2.ndim == 2:
        return view(EuclideanDist.apply(x1, x2, p), (r1, r2))
    n = int(np.prod(batch))
    flat = [view(Expand.apply(t, batch + tuple(t.shape[-2:])).contiguous(),
                 (n,) + tuple(t.shape[-2:])) for t in (x1, x2)]
    return view(EuclideanDist.apply(*flat, p), batch + (r1, r2))
