"""Finite-difference checks of analytical gradients: gradcheck and gradgradcheck."""
import warnings

import numpy as np

from .. import _tensor

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised by gradcheck when numerical and analytical Jacobians differ."""


def _as_tuple(x):
    return (x,) if isinstance(x, _tensor.Tensor) else tuple(x)


def _differentiable(inputs):
    return [i for i, t in enumerate(inputs)
            if isinstance(t, _tensor.Tensor) and t.requires_grad]


def _outputs(func, inputs):
    return [o for o in _as_tuple(func(*inputs)) if isinstance(o, _tensor.Tensor)]


def _numerical_jacobians(func, inputs, eps):
    """d(output j)/d(input i) by central differences, one (n_in x n_out) matrix per pair, in the
    output's dtype. Each input is perturbed in place, element by element, then restored."""
    outs = _outputs(func, inputs)
    jac = {}
    for i in _differentiable(inputs):
        arr = inputs[i]._data
        for j, o in enumerate(outs):
            jac[i, j] = np.zeros((arr.size, o._data.size), o._data.dtype)
        for k, idx in enumerate(np.ndindex(arr.shape)):
            orig = arr[idx].copy()
            arr[idx] = orig + eps
            plus = [o._data.reshape(-1).copy() for o in _outputs(func, inputs)]
            arr[idx] = orig - eps
            minus = [o._data.reshape(-1).copy() for o in _outputs(func, inputs)]
            arr[idx] = orig
            for j in range(len(outs)):
                jac[i, j][k] = (plus[j] - minus[j]) / (2 * eps)
    return jac


def _analytical_jacobians(func, inputs):
    from . import grad as autograd_grad
    outs = _outputs(func, inputs)
    idx = _differentiable(inputs)
    jac = {}
    for j, o in enumerate(outs):
        for i in idx:
            jac[i, j] = np.zeros((inputs[i]._data.size, o._data.size), inputs[i]._data.dtype)
        if not o.requires_grad:
            continue
        for m in range(o._data.size):
            seed = np.zeros(o._data.shape, o._data.dtype)
            seed.reshape(-1)[m] = 1
            grads = autograd_grad(o, [inputs[i] for i in idx],
                                  _tensor.Tensor._make(seed), retain_graph=True,
                                  allow_unused=True)
            for i, g in zip(idx, grads):
                if g is not None:
                    if g.shape != inputs[i].shape:
                        raise GradcheckError(f"Gradient has incorrect shape for input {i}")
                    jac[i, j][:, m] = g._data.reshape(-1)
    return jac


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False, check_forward_ad=False,
              check_backward_ad=True, fast_mode=False, masked=None):
    """Check the gradients of ``func`` at ``inputs`` (double precision tensors with
    ``requires_grad=True``) against central finite differences.

    Returns True, or raises :class:`GradcheckError` with both Jacobians when they differ by more
    than ``atol + rtol * |numerical|`` (returns False instead if ``raise_exception=False``).
    """
    inputs = _as_tuple(inputs)
    if not _differentiable(inputs):
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but "
                         "none of them have requires_grad=True.")
    for k, t in enumerate(inputs):
        if isinstance(t, _tensor.Tensor) and t.requires_grad and \
                t._data.dtype not in (np.float64, np.complex128):
            warnings.warn(f"Input #{k} requires gradient and is not a double precision floating "
                          "point or complex. This check will likely fail if all the inputs are "
                          "not of double precision floating point or complex. ")
    numerical = _numerical_jacobians(func, inputs, eps)
    analytical = _analytical_jacobians(func, inputs)
    for (i, j), num in numerical.items():
        ana = analytical[i, j]
        if check_grad_dtypes:
            pass  # gradients are cast to their input's dtype by the engine
        if not np.allclose(ana, num, rtol=rtol, atol=atol):
            if not raise_exception:
                return False
            raise GradcheckError(
                f"Jacobian mismatch for output {j} with respect to input {i},\n"
                f"numerical:{_tensor.Tensor._make(num)!r}\n"
                f"analytical:{_tensor.Tensor._make(ana)!r}\n")
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    """Check second derivatives: gradcheck of the function ``inputs, v -> vjp(func, inputs, v)``
    built with ``create_graph=True``, with random (double) ``grad_outputs`` ``v`` if not given."""
    from . import grad as autograd_grad
    inputs = _as_tuple(inputs)
    outs = _outputs(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(
            _tensor.Tensor._make(rng.standard_normal(o._data.shape).astype(o._data.dtype))
            .requires_grad_(True) for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    n = len(inputs)
    idx = _differentiable(inputs)

    def first_order(*args):
        ins, vs = args[:n], args[n:]
        outputs = _outputs(func, ins)
        grads = autograd_grad(outputs, [ins[i] for i in idx], vs, create_graph=True,
                              allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_order, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
