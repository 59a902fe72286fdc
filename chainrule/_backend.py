"""Device -> array module. The only file that knows CuPy exists."""
import numpy as np


def cupy_module():
    """The CuPy module if it is installed, else None."""
    try:
        import cupy
    except ImportError:
        return None
    return cupy


def array_module(array):
    """The array namespace (numpy or cupy) of ``array``."""
    return np if type(array) is np.ndarray else (cupy_module() or np)


def require_device(device):
    """Raise PyTorch's error for a device (``'cuda'``, ``device('mps')`` ...) this CPU-only
    installation cannot hold tensors on."""
    kind = getattr(device, "type", None) or str(device).split(":")[0]
    if kind in ("cuda", "xpu"):
        raise AssertionError(f"Torch not compiled with {kind.upper()} enabled")
    raise RuntimeError(f"PyTorch is not linked with support for {kind} devices")
