"""Anomaly detection: find the forward operation whose backward produced NaN."""
import warnings

import numpy as np

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled",
           "is_anomaly_check_nan_enabled"]

_enabled = False
_check_nan = True


def is_anomaly_enabled():
    """True while anomaly detection is on."""
    return _enabled


def is_anomaly_check_nan_enabled():
    """True while anomaly detection also checks backward results for NaN."""
    return _check_nan


def _set(mode, check_nan):
    global _enabled, _check_nan
    prev = (_enabled, _check_nan)
    _enabled, _check_nan = mode, check_nan
    return prev


class detect_anomaly:
    """Context manager that records the forward traceback of every node and raises when a
    backward node returns NaN: ``Function 'MulBackward0' returned nan values in its 0th output.``"""

    def __init__(self, check_nan=True):
        self.check_nan = check_nan
        self.prev = (False, True)
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime "
                      "and should only be enabled for debugging.", stacklevel=2)

    def __enter__(self):
        self.prev = _set(True, self.check_nan)

    def __exit__(self, *exc):
        _set(*self.prev)

    def __call__(self, func):
        import functools

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self:
                return func(*args, **kwargs)
        return wrapper


class set_detect_anomaly:
    """Turn anomaly detection on or off (also a context manager)."""

    def __init__(self, mode, check_nan=True):
        self.prev = _set(mode, check_nan)

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _set(*self.prev)


def _ordinal(i):
    return f"{i}{'th' if 10 <= i % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(i % 10, 'th')}"


def check_nan(node, results):
    """Raise PyTorch's anomaly error if a backward result has NaN; show the forward trace."""
    if not _check_nan:
        return
    for i, r in enumerate(results):
        if r is None:
            continue
        arr = getattr(r, "_data", r)
        if np.isnan(arr).any():
            if node._anomaly_trace:
                warnings.warn(f"Error detected in {node.name()}. Traceback of forward call that "
                              "caused the error:\n" + "".join(node._anomaly_trace),
                              UserWarning, stacklevel=4)
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its "
                               f"{_ordinal(i)} output.")
