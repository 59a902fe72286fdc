"""Helpers shared by the nn parity tests: build a layer in both libraries with the same
weights, run forward and backward, compare everything."""
import numpy as np

import chainrule

torch = None


def set_torch(module):
    global torch
    torch = module


def cr(t, requires_grad=False):
    """A chainrule tensor with a copy of a torch tensor's data."""
    out = chainrule.from_numpy(t.detach().numpy().copy())
    return out.requires_grad_() if requires_grad else out


def copy_weights(pt_mod, cr_mod):
    """Load the torch module's state into the chainrule module."""
    cr_mod.load_state_dict({k: cr(v) for k, v in pt_mod.state_dict().items()})


def tol(dtype):
    return dict(rtol=1e-4, atol=1e-5) if dtype == "float32" else dict(rtol=1e-7, atol=1e-9)


def close(a, b, dtype="float32", what=""):
    a = a.detach().numpy() if hasattr(a, "detach") and not isinstance(a, chainrule.Tensor) \
        else a
    b = b.detach().numpy() if isinstance(b, chainrule.Tensor) else b
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, f"{what}: shape {a.shape} != {b.shape}"
    np.testing.assert_allclose(b, a, err_msg=what, **tol(dtype))


def run_both(pt_fn, cr_fn, inputs, dtype="float32", grad=True, seed=0, pt_params=(),
             cr_params=(), non_diff=()):
    """Call ``pt_fn(*pt_inputs)`` and ``cr_fn(*cr_inputs)`` on the same data; backward with the
    same random cotangent; compare output, input gradients and the given parameters'
    gradients. ``inputs`` are numpy arrays (integer ones are not differentiated)."""
    pt_in, cr_in = [], []
    for i, a in enumerate(inputs):
        a = np.asarray(a)
        rg = grad and a.dtype.kind == "f" and i not in non_diff
        pt_in.append(torch.tensor(a, requires_grad=rg))
        cr_in.append(chainrule.tensor(a, requires_grad=rg))
    pt_out = pt_fn(*pt_in)
    cr_out = cr_fn(*cr_in)
    close(pt_out, cr_out, dtype, "output")
    if not grad or not pt_out.requires_grad:
        return pt_out, cr_out
    rng = np.random.default_rng(seed)
    cot = rng.standard_normal(tuple(pt_out.shape)).astype(pt_out.detach().numpy().dtype)
    pt_out.backward(torch.tensor(cot))
    cr_out.backward(chainrule.tensor(cot))
    for i, (p, c) in enumerate(zip(pt_in, cr_in)):
        if p.requires_grad:
            close(p.grad, c.grad, dtype, f"grad of input {i}")
    for (name, p), c in zip(pt_params, cr_params):
        if p.grad is None:
            assert c.grad is None, name
        else:
            close(p.grad, c.grad, dtype, f"grad of {name}")
    return pt_out, cr_out


def check_module(pt_mod, cr_mod, *inputs, dtype="float32", grad=True, seed=0, non_diff=()):
    """Same weights, same inputs: same outputs and gradients (inputs and parameters), same
    state_dict keys and the same repr."""
    if dtype == "float64":
        pt_mod = pt_mod.double()
        cr_mod = cr_mod.double()
    copy_weights(pt_mod, cr_mod)
    assert list(pt_mod.state_dict().keys()) == list(cr_mod.state_dict().keys())
    assert repr(pt_mod) == repr(cr_mod)
    inputs = [np.asarray(a).astype(dtype) if np.asarray(a).dtype.kind == "f" else a
              for a in inputs]
    out = run_both(pt_mod, cr_mod, inputs, dtype, grad, seed,
                   list(pt_mod.named_parameters()), list(cr_mod.parameters()), non_diff)
    for (k, v), (k2, v2) in zip(pt_mod.state_dict().items(), cr_mod.state_dict().items()):
        assert k == k2
        close(v, v2, dtype, f"state {k}")
    return out
