"""Every differentiable primitive, grouped by kind. Importing this package also installs the
ops as Tensor methods and operators."""
import importlib

from .._tensor import Tensor, attach_methods

_MODULES = ["elementwise", "reduction", "shape", "indexing", "linalg", "nn"]

__all__ = []
_namespace = {}
for _name in _MODULES:
    try:
        _mod = importlib.import_module(f".{_name}", __name__)
    except ModuleNotFoundError as _exc:
        if _exc.name != f"{__name__}.{_name}":
            raise
        continue
    for _fn in _mod.__all__:
        _namespace[_fn] = getattr(_mod, _fn)
    __all__.extend(_mod.__all__)
    attach_methods({n: getattr(_mod, n) for n in getattr(_mod, "METHODS", ())},
                   getattr(_mod, "METHODS", ()))
    for _meth, _impl in getattr(_mod, "INPLACE", {}).items():
        setattr(Tensor, _meth, _impl)
globals().update(_namespace)

from . import operators  # noqa: E402,F401  (installs __add__ and friends)
