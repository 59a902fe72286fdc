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
    """Raise PyTorch's error for a device this installation cannot use."""
    kind = str(device).split(":")[0]
    if kind == "cuda":
        raise AssertionError("Torch not compiled with CUDA enabled")
    raise RuntimeError(f"Expected one of cpu, cuda device type at start of device string: {kind}")
