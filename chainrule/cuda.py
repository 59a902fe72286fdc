"""``torch.cuda`` of a CPU-only build: nothing is available, seeding is a silent no-op and
anything that needs a GPU raises PyTorch's error."""
from ._backend import require_device

__all__ = ["is_available", "device_count", "is_initialized", "manual_seed", "manual_seed_all",
           "seed", "seed_all", "empty_cache", "memory_allocated", "max_memory_allocated",
           "current_device", "synchronize", "get_device_name", "initial_seed", "set_device"]


def is_available():
    """False: this build has no CUDA support."""
    return False


def device_count():
    """Number of CUDA devices (none)."""
    return 0


def is_initialized():
    return False


def manual_seed(seed):
    """Seed the CUDA generators: silently ignored when CUDA is not available."""


manual_seed_all = manual_seed


def seed():
    """Seed the CUDA generators randomly: silently ignored when CUDA is not available."""


seed_all = seed


def empty_cache():
    """Release cached GPU memory (there is none)."""


def memory_allocated(device=None):
    return 0


max_memory_allocated = memory_allocated


def _unavailable(*args, **kwargs):
    require_device("cuda")


current_device = synchronize = get_device_name = initial_seed = set_device = _unavailable
