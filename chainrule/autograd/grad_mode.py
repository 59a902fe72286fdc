"""Thread-local gradient mode: no_grad, enable_grad, set_grad_enabled, inference_mode."""
import functools
import threading

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
           "is_inference_mode_enabled"]


class _State(threading.local):
    def __init__(self):
        self.enabled = True
        self.inference = False


_state = _State()


def is_grad_enabled():
    """True if gradient recording is currently enabled on this thread."""
    return _state.enabled


def is_inference_mode_enabled():
    """True inside an ``inference_mode()`` block."""
    return _state.inference


class _GradModeContext:
    """Base of the grad-mode context managers; each one is also usable as a decorator."""

    def __call__(self, func):
        if isinstance(func, type) or not callable(func):
            raise TypeError(f"{type(self).__name__} can only decorate functions")

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)
        return wrapper

    def clone(self):
        return type(self)()


class no_grad(_GradModeContext):
    """Context manager (and decorator) that disables gradient recording.

    Results computed inside have ``requires_grad=False`` even when their inputs require grad.
    """

    def __init__(self):
        self.prev = False

    def __enter__(self):
        self.prev = _state.enabled
        _state.enabled = False

    def __exit__(self, *exc):
        _state.enabled = self.prev


class enable_grad(_GradModeContext):
    """Context manager (and decorator) that enables gradient recording inside ``no_grad``."""

    def __init__(self):
        self.prev = True

    def __enter__(self):
        self.prev = _state.enabled
        _state.enabled = True

    def __exit__(self, *exc):
        _state.enabled = self.prev


class set_grad_enabled(_GradModeContext):
    """Set gradient recording on or off; works as a function, a context manager or a decorator."""

    def __init__(self, mode):
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(): argument 'mode' (position 1) must be bool, "
                            f"not {type(mode).__name__}")
        self.prev = _state.enabled
        self.mode = mode
        _state.enabled = mode

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _state.enabled = self.prev

    def clone(self):
        return type(self)(self.mode)


class inference_mode(_GradModeContext):
    """Like ``no_grad``, for code that will never need gradients (``inference_mode(mode=True)``)."""

    def __init__(self, mode=True):
        self.mode = mode
        self.prev = (True, False)

    def __enter__(self):
        self.prev = (_state.enabled, _state.inference)
        if self.mode:
            _state.enabled = False
            _state.inference = True
        else:
            _state.inference = False

    def __exit__(self, *exc):
        _state.enabled, _state.inference = self.prev

    def clone(self):
        return type(self)(self.mode)
