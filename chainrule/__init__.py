"""chainrule: PyTorch's autograd and training stack in plain Python on NumPy.

``import chainrule as torch`` and PyTorch code runs: the same names, values, printed output and
errors.
"""
import warnings as _warnings

# PyTorch computes x / 0, log(0), sqrt(-1) ... silently (inf / nan); NumPy warns. Silence NumPy's
# floating-point warnings raised inside chainrule only, leaving the user's own NumPy code alone.
_warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"chainrule\.")

from . import _dtype
from ._dtype import (bool, complex64, double, dtype, finfo, float, float16, float32, float64,
                     get_default_dtype, half, iinfo, int, int8, int16, int32, int64, long,
                     promote_types, result_type as _result_type, can_cast, set_default_dtype,
                     short, uint8)
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

# PyTorch's dtype aliases on the namespace
cfloat = complex64


def is_tensor(obj):
    """True if ``obj`` is a chainrule Tensor."""
    return isinstance(obj, Tensor)


def numel(input):
    """Number of elements of ``input``."""
    return input.numel()


def is_floating_point(input):
    """True if ``input`` has a floating point dtype."""
    return input.is_floating_point()


def result_type(tensor1, tensor2):
    """The dtype an arithmetic operation on the two operands would give."""
    return _result_type(tensor1, tensor2)


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
