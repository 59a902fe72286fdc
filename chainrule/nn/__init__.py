"""``torch.nn``: modules, parameters, losses, ``functional``, ``init`` and ``utils``."""
from .parameter import Parameter, Buffer, UninitializedParameter
from .modules import *  # noqa: F401,F403
from .modules import module as _module
from .modules.module import Module
from . import functional, init, utils  # noqa: F401

__all__ = ["Parameter", "Buffer", "Module", "functional", "init", "utils"] + [
    n for n in dir() if n[:1].isupper() and n not in ("Parameter", "Buffer", "Module")]
