"""Random number generation: a seedable Generator over NumPy's PCG64 and the default one.

Streams differ from PyTorch's; distributions and seeding behaviour are the same: the default
generator starts from a random seed (as PyTorch 2.13's does), ``manual_seed`` makes runs
repeatable, and every ``Generator`` object has its own independent stream.
"""
import numpy as np

__all__ = ["Generator", "manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state",
           "default_generator"]

_DEFAULT_SEED = 67280421310721
_STATE_SIZE = 5056          # bytes in a state tensor, as PyTorch's CPU generator state
_MASK64 = (1 << 64) - 1


def _seed_value(seed):
    """A seed as PyTorch reads it: any int in [-2**63, 2**64), taken modulo 2**64."""
    seed = int(seed)
    if not -(1 << 63) <= seed <= _MASK64:
        raise ValueError("Overflow when unpacking long long")
    return seed & _MASK64


class Generator:
    """A source of random numbers (``torch.Generator``), passed to random functions with
    ``generator=``. ``manual_seed`` makes it repeatable; it is independent of the global one.
    """

    def __init__(self, device="cpu"):
        from ._tensor import _NO_CUDA_LIBRARY, device as _device
        dev = _device(device)
        if dev.type == "cuda":
            raise RuntimeError(_NO_CUDA_LIBRARY.format("get CUDA generator"))
        if dev.type != "cpu":
            raise RuntimeError(f"Generator for device type '{dev.type}' is not available")
        self.device = _device("cpu")
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed):
        """Reseed and return the generator."""
        self._seed = _seed_value(seed)
        self.rng = np.random.Generator(np.random.PCG64(self._seed))
        return self

    def seed(self):
        """Reseed from a non-deterministic source and return the new seed."""
        s = int(np.random.SeedSequence().entropy) & _MASK64
        self.manual_seed(s)
        return s

    def initial_seed(self):
        """The seed this generator was last seeded with."""
        return self._seed

    def get_state(self):
        """The generator's state as a uint8 tensor (for ``set_state``)."""
        from ._creation import from_numpy
        st = self.rng.bit_generator.state
        words = [st["state"]["state"], st["state"]["inc"]]
        raw = b"".join(w.to_bytes(16, "little") for w in words)
        raw += bytes([st["has_uint32"]]) + st["uinteger"].to_bytes(4, "little")
        raw += self._seed.to_bytes(8, "little")
        buf = np.zeros(_STATE_SIZE, np.uint8)
        buf[:len(raw)] = np.frombuffer(raw, np.uint8)
        return from_numpy(buf)

    def set_state(self, new_state):
        """Restore a state from ``get_state``; returns the generator."""
        from ._tensor import Tensor
        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        if new_state._data.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if new_state._data.size != _STATE_SIZE:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {_STATE_SIZE} but found "
                               f"the input RNG state size to be {new_state._data.size}")
        raw = new_state._data.reshape(-1).tobytes()
        bits = np.random.PCG64()
        bits.state = {"bit_generator": "PCG64",
                      "state": {"state": int.from_bytes(raw[:16], "little"),
                                "inc": int.from_bytes(raw[16:32], "little")},
                      "has_uint32": raw[32], "uinteger": int.from_bytes(raw[33:37], "little")}
        self.rng = np.random.Generator(bits)
        self._seed = int.from_bytes(raw[37:45], "little")
        return self

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"


default_generator = Generator()
default_generator.seed()


def manual_seed(seed):
    """Seed the default generator (and return it) so that runs are repeatable."""
    return default_generator.manual_seed(seed)


def seed():
    """Seed the default generator from a non-deterministic source; returns the seed."""
    return default_generator.seed()


def initial_seed():
    """The seed the default generator was last seeded with."""
    return default_generator.initial_seed()


def get_rng_state():
    """The default generator's state as a uint8 tensor."""
    return default_generator.get_state()


def set_rng_state(new_state):
    """Restore the default generator's state from ``get_rng_state``."""
    default_generator.set_state(new_state)


def rng_of(generator):
    """The NumPy generator behind ``generator`` (or the default one)."""
    return (generator or default_generator).rng
