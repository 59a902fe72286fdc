"""chainrule: PyTorch's autograd and training stack in plain Python on NumPy.

``import chainrule as torch`` and PyTorch code runs: the same names, values, printed output and
errors.
"""
import builtins
import warnings as _warnings

import numpy as _np

# PyTorch computes x / 0, log(0), sqrt(-1) ... silently (inf / nan); NumPy warns. Silence NumPy's
# floating-point warnings raised inside chainrule only, leaving the user's own NumPy code alone.
_warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"chainrule\.")

from . import _dtype
from ._dtype import (bool, cdouble, cfloat, complex64, complex128, double, dtype, finfo, float,
                     float16, float32, float64, get_default_dtype, half, iinfo, int, int8, int16,
                     int32, int64, long, promote_types, result_type as _result_type, can_cast,
                     set_default_dtype, short, uint8, uint16, uint32, uint64)
from ._tensor import Tensor, Size, device
from ._creation import *  # noqa: F401,F403
from ._random import (Generator, manual_seed, seed, initial_seed, get_rng_state, set_rng_state,
                      default_generator)
from .autograd.grad_mode import (no_grad, enable_grad, set_grad_enabled, inference_mode,
                                 is_grad_enabled, is_inference_mode_enabled)
from . import ops
from .ops import *  # noqa: F401,F403
from . import autograd
from ._tensor_str import set_printoptions, get_printoptions, printoptions  # noqa: F401

__version__ = "0.1.0"

def is_tensor(obj):
    """True if ``obj`` is a chainrule Tensor."""
    return isinstance(obj, Tensor)


def numel(input):
    """Number of elements of ``input``."""
    return input.numel()


def is_floating_point(input):
    """True if ``input`` has a floating point dtype."""
    return input.is_floating_point()


_RESULT_TYPE_SIGNATURES = ("Tensor tensor, Tensor other", "Number scalar, Tensor tensor",
                          "Tensor tensor, Number other", "Number scalar1, Number scalar2")


def result_type(*args, **kwargs):
    """The dtype an arithmetic operation on the two operands (tensors or numbers) would give,
    following PyTorch's promotion: dimensioned tensors outrank zero-dim ones, which outrank
    Python numbers, unless the lower one is of a higher category (bool < int < float <
    complex)."""
    names = [("tensor", "other"), ("scalar", "tensor"), ("tensor", "other"),
             ("scalar1", "scalar2")]
    ops = list(args)
    for key in ("tensor", "other", "scalar", "scalar1", "scalar2"):
        if key in kwargs:
            ops.append(kwargs.pop(key))
    kinds = [_operand_kind(x) for x in ops]
    if len(ops) != 2 or kwargs or None in kinds:
        got = ", ".join(_operand_name(x) for x in args)
        lines = ""
        for sig in _RESULT_TYPE_SIGNATURES:
            lines += f" * ({sig})\n"
            if len(args) == 2 and not kwargs:
                want = [p.split()[0] for p in sig.split(", ")]
                marks = [n if k == w else f"!{n}!" for n, k, w in
                         zip((_operand_name(x) for x in args), kinds, want)]
                lines += ("      didn't match because some of the arguments have invalid types: "
                          f"({', '.join(marks)})\n")
        raise TypeError(f"result_type() received an invalid combination of arguments - got "
                        f"({got}), but expected one of:\n{lines}")
    return _result_type(*ops)


def _operand_kind(x):
    if isinstance(x, Tensor):
        return "Tensor"
    if isinstance(x, (builtins.bool, builtins.int, builtins.float, builtins.complex, _np.number,
                      _np.bool_)):
        return "Number"
    return None


def _operand_name(x):
    return "Tensor" if isinstance(x, Tensor) else type(x).__name__


def _optional(name):
    """Import an optional subpackage lazily (nn, optim, utils, vision ...)."""
    import importlib
    return importlib.import_module(f"{__name__}.{name}")


def __getattr__(name):
    if name in ("nn", "optim", "utils", "vision", "serialization", "testing", "cuda",
                "backends", "linalg", "special", "fft"):
        return _optional(name)
    if name in ("save", "load"):
        return getattr(_optional("serialization"), name)
    if name == "summary":
        return _optional("summary").summary
    raise AttributeError(f"module 'chainrule' has no attribute '{name}'")
