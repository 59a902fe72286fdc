"""Every differentiable primitive, grouped by kind. Importing this package also installs the
ops as Tensor methods and operators."""
import functools
import importlib
import inspect

from .._tensor import Tensor, attach_methods

_MODULES = ["elementwise", "reduction", "shape", "indexing", "linalg", "nn", "random"]


def _numpy_aliases(fn):
    """PyTorch also accepts NumPy's keyword names ``axis`` (for ``dim``) and ``keepdims`` (for
    ``keepdim``); give ``fn`` the same courtesy if it takes ``dim``. Calls without those keywords
    pay one dict check."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return fn
    if "dim" not in params:
        return fn

    @functools.wraps(fn)
    def accepting_aliases(*args, **kwargs):
        if kwargs and ("axis" in kwargs or "keepdims" in kwargs):
            if "axis" in kwargs:
                kwargs["dim"] = kwargs.pop("axis")
            if "keepdims" in kwargs:
                kwargs["keepdim"] = kwargs.pop("keepdims")
        return fn(*args, **kwargs)
    return accepting_aliases


__all__ = []
_namespace = {}
for _name in _MODULES:
    _mod = importlib.import_module(f".{_name}", __name__)
    for _fn in _mod.__all__:
        _namespace[_fn] = _numpy_aliases(getattr(_mod, _fn))
    __all__.extend(_mod.__all__)
    _methods = getattr(_mod, "METHODS", ())
    attach_methods({n: _numpy_aliases(getattr(_mod, n)) for n in _methods}, _methods)
    for _meth, _impl in getattr(_mod, "INPLACE", {}).items():
        setattr(Tensor, _meth, _impl)
globals().update(_namespace)

from . import operators  # noqa: E402,F401  (installs __add__ and friends)
