"""Higher-level derivatives of a function (``torch.autograd.functional``): vjp, jvp, jacobian,
hessian, vhp, hvp.

Everything is built from reverse mode: ``jvp`` and ``hvp`` use the double-vjp trick (the vjp of
a vjp taken w.r.t. its vector is a jvp). Inputs and outputs may be a Tensor or a tuple of Tensors;
results follow PyTorch's nesting (a Tensor for a Tensor, tuples for tuples).
"""
from .. import _tensor
from . import grad_mode

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]


def _as_tuple(inp, arg_name, fn_name):
    """``(was_a_tuple, items)``; a TypeError naming ``fn_name`` unless all items are Tensors."""
    is_tuple = isinstance(inp, tuple)
    items = inp if is_tuple else (inp,)
    for i, el in enumerate(items):
        if not isinstance(el, _tensor.Tensor):
            where = f"the value at index {i} has type {type(el)}" if is_tuple else \
                f"the given {arg_name} has type {type(el)}"
            raise TypeError(f"The {arg_name} given to {fn_name} must be either a Tensor or a "
                            f"tuple of Tensors but {where}.")
    return is_tuple, items


def _tuple_postprocess(res, to_unpack):
    """Unwrap the tuple levels that were not tuples in the user's call."""
    if isinstance(to_unpack, tuple):
        if not to_unpack[1]:
            res = tuple(el[0] for el in res)
        if not to_unpack[0]:
            res = res[0]
    elif not to_unpack:
        res = res[0]
    return res


def _grad_preprocess(inputs, create_graph, need_graph):
    """Fresh tensors to differentiate with respect to (keeping the outer graph only with
    ``create_graph``)."""
    return tuple(inp.view_as(inp) if create_graph and inp.requires_grad
                 else inp.detach().requires_grad_(need_graph) for inp in inputs)


def _grad_postprocess(inputs, create_graph):
    """Detach results (nested tuples of Tensors) from our graph unless ``create_graph``."""
    if isinstance(inputs[0], _tensor.Tensor):
        return inputs if create_graph else tuple(inp.detach() for inp in inputs)
    return tuple(_grad_postprocess(inp, create_graph) for inp in inputs)


def _validate_v(v, other, is_other_tuple):
    """``v`` must match ``other`` in length and in each entry's size."""
    if len(other) != len(v):
        if is_other_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(other)} but got "
                               f"{len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for idx, (el_v, el_other) in enumerate(zip(v, other)):
        if el_v.size() != el_other.size():
            prepend = f"Entry {idx} in " if is_other_tuple else ""
            raise RuntimeError(f"{prepend}v has invalid size: should be {el_other.size()} but got "
                               f"{el_v.size()}.")


_INDEPENDENT = {
    "hessian": "The hessian of the user-provided function with respect to input {i} is "
               "independent of the input. This is not allowed in strict mode. You should ensure "
               "that your function is thrice differentiable and that the hessian depends on the "
               "inputs.",
    "jacobian": "While computing the hessian, found that the jacobian of the user-provided "
                "function with respect to input {i} is independent of the input. This is not "
                "allowed in strict mode. You should ensure that your function is twice "
                "differentiable and that the jacobian depends on the inputs (this would be "
                "violated by a linear function for example).",
    "grad_inputs": "The gradient with respect to input {i} is independent of the inputs of the "
                   "user-provided function. This is not allowed in strict mode.",
    "outputs": "Output {i} of the user-provided function does not require gradients. The outputs "
               "must be computed in a differentiable manner from the input when running in "
               "strict mode.",
}


def _check_requires_grad(inputs, input_type, strict):
    """In strict mode, each of ``inputs`` must exist and depend on the function's inputs."""
    if not strict:
        return
    for i, inp in enumerate(inputs):
        if inp is None:
            raise RuntimeError(f"The output of the user-provided function is independent of "
                               f"input {i}. This is not allowed in strict mode.")
        if not inp.requires_grad:
            raise RuntimeError(_INDEPENDENT[input_type].format(i=i))


def _autograd_grad(outputs, inputs, grad_outputs=None, create_graph=False, retain_graph=None):
    """``autograd.grad`` over the outputs that require grad; unused inputs give None."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    from . import grad
    return grad([o for o, _ in pairs], inputs, [g for _, g in pairs], allow_unused=True,
                create_graph=create_graph, retain_graph=retain_graph)


_ZERO_MESSAGES = {
    "back": "The output of the user-provided function is independent of input {i}. This is not "
            "allowed in strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the "
                  "grad_outputs when using the double backward trick to compute forward mode "
                  "gradients. This is not allowed in strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. "
                   "This is not allowed in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry {i} "
                         "in the grad_jacobian. This is not allowed in strict mode as it "
                         "prevents from using the double backward trick to replace forward "
                         "mode AD.",
}


_CONSTANT_WITH_GRAPH = ("The {what} of the user-provided function is independent of input {i}. "
                        "This is not allowed in strict mode when create_graph=True.")


def _last_grads(outputs, inputs, v, refs, strict, create_graph, stage):
    """The final backward pass of vjp/jvp/vhp/hvp: grads of ``outputs`` w.r.t. ``inputs``
    along ``v``, recorded only with ``create_graph`` (or when the caller records anyway).

    Missing grads become zeros shaped like ``refs`` (an error in strict mode).
    """
    from .._creation import zeros_like
    with grad_mode.set_grad_enabled(True if create_graph else grad_mode.is_grad_enabled()):
        grads = _autograd_grad(outputs, inputs, v, create_graph=create_graph)
        res = []
        for i, g in enumerate(grads):
            if g is None:
                if strict:
                    raise RuntimeError(_ZERO_MESSAGES[stage].format(i=i))
                g = zeros_like(refs[i])
            elif strict and create_graph and not g.requires_grad:
                what = "jacobian" if "double" not in stage else "hessian"
                raise RuntimeError(_CONSTANT_WITH_GRAPH.format(what=what, i=i))
            res.append(g)
        return tuple(res)


def _transposed_product(outputs, inputs, u_like):
    """``(u, J^T u)`` for a fresh zero ``u`` shaped like ``u_like`` (``outputs``, or the
    inputs where an output may be None), J the Jacobian of ``outputs`` w.r.t. ``inputs``: the
    double-vjp trick, as ``J^T u`` is linear in ``u``, so its vjp with ``v`` is ``J v``."""
    from .._creation import zeros_like
    u = tuple(zeros_like(t, requires_grad=True) for t in u_like)
    return u, _autograd_grad(outputs, inputs, u, create_graph=True)


def _prepare_inputs(inputs, fn_name, create_graph):
    """``(was_a_tuple, inputs)`` with the inputs made fresh leaves (or views) to differentiate
    with respect to."""
    is_tuple, inputs = _as_tuple(inputs, "inputs", fn_name)
    return is_tuple, _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)


def _outputs_of(func, inputs, fn_name, strict, scalar=False):
    """``(was_a_tuple, outputs)`` of ``func(*inputs)``, checked to be Tensors (that require
    grad, in strict mode); with ``scalar``, one one-element Tensor (hessian, vhp, hvp)."""
    is_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function",
                                  fn_name)
    _check_requires_grad(outputs, "outputs", strict=strict)
    if scalar:
        if is_tuple:
            raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
        if outputs[0].nelement() != 1:
            raise RuntimeError(f"The Tensor returned by the function given to {fn_name} should "
                               "contain a single element")
    return is_tuple, outputs


def _detached_pair(outputs, is_outputs_tuple, result, is_result_tuple, create_graph):
    """``(func_output, result)`` as vjp/jvp/vhp/hvp return them: nested like the user's call,
    and detached unless ``create_graph``."""
    return (_tuple_postprocess(_grad_postprocess(outputs, create_graph), is_outputs_tuple),
            _tuple_postprocess(_grad_postprocess(result, create_graph), is_result_tuple))


def _v_or_scalar(v, others, is_tuple, fn_name, create_graph, message):
    """``v`` checked against ``others``; None allowed only for a single one-element Tensor."""
    if v is not None:
        _, v = _as_tuple(v, "v", fn_name)
        v = _grad_preprocess(v, create_graph=create_graph, need_graph=False)
        _validate_v(v, others, is_tuple)
        return v
    if len(others) != 1 or others[0].nelement() != 1:
        raise RuntimeError(message)
    return None


_V_INPUT = ("The vector v can only be None if the input to the user-provided function is a "
            "single Tensor with a single element.")


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """The vector-Jacobian product ``v^T J`` of ``func`` at ``inputs``.

    Returns ``(func_output, vjp)``; ``vjp`` has the structure of ``inputs``. ``v`` may be
    omitted when ``func`` returns a single one-element Tensor.
    """
    with grad_mode.enable_grad():
        is_inputs_tuple, inputs = _prepare_inputs(inputs, "vjp", create_graph)
        is_outputs_tuple, outputs = _outputs_of(func, inputs, "vjp", strict)
        v = _v_or_scalar(v, outputs, is_outputs_tuple, "vjp", create_graph,
                         "The vector v can only be None if the user-provided function returns "
                         "a single Tensor with a single element.")
    result = _last_grads(outputs, inputs, v, inputs, strict, create_graph, "back")
    return _detached_pair(outputs, is_outputs_tuple, result, is_inputs_tuple, create_graph)


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """The Jacobian-vector product ``J v`` of ``func`` at ``inputs``, by the double-vjp trick.

    Returns ``(func_output, jvp)``; ``jvp`` has the structure of the outputs. ``v`` may be
    omitted when ``inputs`` is a single one-element Tensor.
    """
    with grad_mode.enable_grad():
        is_inputs_tuple, inputs = _prepare_inputs(inputs, "jvp", create_graph)
        v = _v_or_scalar(v, inputs, is_inputs_tuple, "jvp", create_graph, _V_INPUT)
        is_outputs_tuple, outputs = _outputs_of(func, inputs, "jvp", strict)
        grad_outputs, grad_inputs = _transposed_product(outputs, inputs, outputs)
        _check_requires_grad(grad_inputs, "grad_inputs", strict=strict)
    result = _last_grads(grad_inputs, grad_outputs, v, outputs, strict, create_graph,
                         "back_trick")
    return _detached_pair(outputs, is_outputs_tuple, result, is_outputs_tuple, create_graph)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``.

    For a Tensor input and output the result is one Tensor of shape
    ``output.shape + input.shape``; with tuples it is a tuple over outputs of tuples over inputs
    (a level is dropped where the user passed or returned a single Tensor). ``vectorize`` and
    ``strategy`` are accepted for compatibility: the Jacobian is always built row by row in
    reverse mode, which gives the same values.
    """
    from .. import stack
    from .._creation import zeros_like
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode". '
                             'Hint: If your function has more outputs than inputs, '
                             '"forward-mode" tends to be more performant. Otherwise, prefer to '
                             'use "reverse-mode".')
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError(
                "torch.autograd.functional.jacobian: `create_graph=True` and "
                '`strategy="forward-mode"` are not supported together (yet). Please either set '
                '`create_graph=False` or `strategy="reverse-mode"`.')
        if strict:
            raise RuntimeError(
                "torch.autograd.functional.jacobian: `strict=True` and "
                '`strategy="forward-mode"` are not supported together (yet). Please either set '
                '`strict=False` or `strategy="reverse-mode"`.')
        if not vectorize:
            raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse "
                                      "Hessian isonly implemented for `vectorize=True`.")
    if vectorize and strict:
        raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and "
                           "`vectorized=True` are not supported together. Please either set "
                           "`strict=False` or `vectorize=False`.")
    with grad_mode.enable_grad():
        is_inputs_tuple, inputs = _prepare_inputs(inputs, "jacobian", create_graph)
        is_outputs_tuple, outputs = _outputs_of(func, inputs, "jacobian", strict)
        jac = []
        for i, out in enumerate(outputs):
            rows = tuple([] for _ in inputs)
            flat = out.reshape(-1)
            for j in range(out.nelement()):
                vj = _autograd_grad((flat[j],), inputs, retain_graph=True,
                                    create_graph=create_graph)
                for k, (row, g, inp) in enumerate(zip(rows, vj, inputs)):
                    if g is not None:
                        if strict and create_graph and not g.requires_grad:
                            raise RuntimeError(_CONSTANT_WITH_GRAPH.format(what="jacobian", i=i))
                        row.append(g)
                    else:
                        if strict:
                            raise RuntimeError(
                                f"Output {i} of the user-provided function is independent of "
                                f"input {k}. This is not allowed in strict mode.")
                        row.append(zeros_like(inp))
            jac.append(tuple(
                _stack_rows(stack, row, out, inputs[k]) for k, row in enumerate(rows)))
        jac = _grad_postprocess(tuple(jac), create_graph)
        return _tuple_postprocess(jac, (is_outputs_tuple, is_inputs_tuple))


def _stack_rows(stack, rows, out, inp):
    shape = tuple(out.shape) + tuple(inp.shape)
    if not rows:  # an empty output
        from .._creation import zeros
        return zeros(shape, dtype=inp.dtype)
    return stack(rows, 0).view(shape)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a scalar function ``func`` at ``inputs``.

    For a Tensor input the result has shape ``input.shape + input.shape``; for a tuple of inputs
    it is a tuple of tuples, entry ``[i][j]`` holding the second derivatives w.r.t. inputs i
    and j.
    """
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def ensure_single_output_function(*inp):
        _, (out,) = _outputs_of(func, inp, "hessian", strict, scalar=True)
        return out.squeeze()

    def jac_func(*inp):
        jac = jacobian(ensure_single_output_function, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
        return jac

    res = jacobian(jac_func, inputs, create_graph=create_graph, strict=strict,
                   vectorize=vectorize, strategy=outer_jacobian_strategy)
    return _tuple_postprocess(res, (is_inputs_tuple, is_inputs_tuple))


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """The vector-Hessian product ``v^T H`` of a scalar function at ``inputs``.

    Returns ``(func_output, vhp)``; ``vhp`` has the structure of ``inputs``.
    """
    with grad_mode.enable_grad():
        is_inputs_tuple, inputs = _prepare_inputs(inputs, "vhp", create_graph)
        v = _v_or_scalar(v, inputs, is_inputs_tuple, "vhp", create_graph, _V_INPUT)
        is_outputs_tuple, outputs = _outputs_of(func, inputs, "vhp", strict, scalar=True)
        jac = _autograd_grad(outputs, inputs, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
    result = _last_grads(jac, inputs, v, inputs, strict, create_graph, "double_back")
    return _detached_pair(outputs, is_outputs_tuple, result, is_inputs_tuple, create_graph)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """The Hessian-vector product ``H v`` of a scalar function at ``inputs`` (by the
    double-backward trick). Returns ``(func_output, hvp)``."""
    with grad_mode.enable_grad():
        is_inputs_tuple, inputs = _prepare_inputs(inputs, "hvp", create_graph)
        v = _v_or_scalar(v, inputs, is_inputs_tuple, "hvp", create_graph, _V_INPUT)
        is_outputs_tuple, outputs = _outputs_of(func, inputs, "hvp", strict, scalar=True)
        jac = _autograd_grad(outputs, inputs, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
        grad_jac, double_back = _transposed_product(jac, inputs, inputs)
        _check_requires_grad(jac, "hessian", strict=strict)
    result = _last_grads(double_back, grad_jac, v, inputs, strict, create_graph,
                         "double_back_trick")
    return _detached_pair(outputs, is_outputs_tuple, result, is_inputs_tuple, create_graph)
