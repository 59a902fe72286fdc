"""Random number generation: a seedable Generator over NumPy's PCG64 and the default one."""
import numpy as np

__all__ = ["Generator", "manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state",
           "default_generator"]


class Generator:
    """A source of random numbers (``torch.Generator``); ``manual_seed`` makes it repeatable.

    Streams differ from PyTorch's; distributions and seeding behaviour are the same.
    """

    def __init__(self, device="cpu"):
        self.device = device
        self._seed = 67280421310721
        self.rng = np.random.Generator(np.random.PCG64(self._seed))

    def manual_seed(self, seed):
        """Reseed and return the generator."""
        seed = int(seed)
        self._seed = seed
        self.rng = np.random.Generator(np.random.PCG64(seed & 0xFFFFFFFFFFFFFFFF))
        return self

    def seed(self):
        """Reseed from a non-deterministic source and return the new seed."""
        s = int(np.random.SeedSequence().entropy) & 0xFFFFFFFFFFFFFFFF
        self.manual_seed(s)
        return s

    def initial_seed(self):
        return self._seed

    def get_state(self):
        from ._creation import tensor
        import pickle
        return tensor(list(pickle.dumps(self.rng.bit_generator.state)), dtype=None).byte()

    def set_state(self, state):
        import pickle
        self.rng.bit_generator.state = pickle.loads(bytes(state.tolist()))
        return self


default_generator = Generator()


def manual_seed(seed):
    """Seed the default generator (and return it) so that runs are repeatable."""
    return default_generator.manual_seed(seed)


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(state):
    default_generator.set_state(state)


def rng_of(generator):
    """The NumPy generator behind ``generator`` (or the default one)."""
    return (generator or default_generator).rng
