"""In-place random fills: ``uniform_``, ``normal_``, ``random_``, ``bernoulli_`` and friends.

Each fill is one op whose result does not depend on the tensor's old values: recorded in a graph
it is a node named like PyTorch's (``UniformBackward0`` ...) whose gradient is zero, and it goes
through ``apply_inplace`` like every in-place op (leaf and view checks, version counter, rebasing
a view's base). The samples come from the tensor's generator argument or the default one.
"""
import numpy as np

from .. import _dtype
from .._creation import (_C_NAMES, _not_implemented, _randint_bounds, _sampler_generator,
                         _scalar_str, bernoulli as _bernoulli)
from .._random import rng_of
from .._tensor import Tensor
from ._common import Op, apply_inplace
from .nn import _C_TYPE_NAMES

__all__ = []
METHODS = ["uniform_", "normal_", "exponential_", "log_normal_", "cauchy_", "geometric_",
           "bernoulli_", "random_", "bernoulli"]


class _Fill(Op):
    """``sample(shape)`` cast to the input's dtype; the old values get a zero gradient."""

    @staticmethod
    def forward(ctx, a, sample):
        return np.asarray(sample(a.shape)).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        return g * 0, None


def _named(name):
    return type(name.replace("Backward0", "").replace("Backward2", ""), (_Fill,),
                {"node_name": name})


_NODES = {name: _named(f"{node}Backward{k}") for name, node, k in (
    ("uniform_", "Uniform", 0), ("normal_", "Normal", 0), ("exponential_", "Exponential", 0),
    ("log_normal_", "LogNormal", 0), ("cauchy_", "Cauchy", 0), ("geometric_", "Geometric", 0),
    ("bernoulli_", "Bernoulli", 2), ("random_", "Random", 0))}


def _fill(self, name, sample):
    return apply_inplace(lambda s: _NODES[name].apply(s, sample), self)


def _floating(self, kernel):
    if self._data.dtype.kind not in "fc":
        raise _not_implemented(kernel, _dtype.from_numpy_dtype(self._data.dtype))


def uniform_(self, from_=0, to=1, *, generator=None):
    """Fill with samples from the uniform distribution on ``[from, to)``."""
    rng = rng_of(_sampler_generator(generator, "uniform_"))
    _floating(self, "check_uniform_bounds")
    if from_ > to:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={_scalar_str(from_)} > to={_scalar_str(to)}")
    return _fill(self, "uniform_", lambda shape: from_ + (to - from_) * rng.random(shape))


def normal_(self, mean=0, std=1, *, generator=None):
    """Fill with samples from the normal distribution ``N(mean, std**2)``."""
    rng = rng_of(_sampler_generator(generator, "normal_"))
    _floating(self, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_scalar_str(std)}")
    return _fill(self, "normal_", lambda shape: mean + std * rng.standard_normal(shape))


def exponential_(self, lambd=1, *, generator=None):
    """Fill with samples from the exponential distribution of rate ``lambd``."""
    rng = rng_of(_sampler_generator(generator, "exponential_"))
    if self._data.dtype.kind not in "fc":
        raise RuntimeError(f"Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{_dtype.SCALAR_TYPE_NAMES[self._data.dtype.name]}")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found "
                           f"lambda={_scalar_str(lambd)}")
    return _fill(self, "exponential_", lambda shape: rng.exponential(1 / lambd, shape))


def log_normal_(self, mean=1, std=2, *, generator=None):
    """Fill with ``exp`` of samples from ``N(mean, std**2)``."""
    rng = rng_of(_sampler_generator(generator, "log_normal_"))
    _floating(self, "log_normal_cpu")
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={_scalar_str(std)}")
    return _fill(self, "log_normal_", lambda shape: rng.lognormal(mean, std, shape))


def cauchy_(self, median=0, sigma=1, *, generator=None):
    """Fill with samples from the Cauchy distribution."""
    rng = rng_of(_sampler_generator(generator, "cauchy_"))
    if self._data.dtype.kind not in "fc":
        raise RuntimeError(f"Cauchy distribution is a continuous probability distribution. dtype "
                           f"must be a floating point but you specified "
                           f"{_C_TYPE_NAMES[self._data.dtype.name]}")
    return _fill(self, "cauchy_", lambda shape: median + sigma * rng.standard_cauchy(shape))


def geometric_(self, p, *, generator=None):
    """Fill with the number of Bernoulli(``p``) trials up to the first success (1, 2, ...)."""
    rng = rng_of(_sampler_generator(generator, "geometric_"))
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_scalar_str(p)}")
    return _fill(self, "geometric_", lambda shape: rng.geometric(p, shape))


def bernoulli_(self, p=0.5, *, generator=None):
    """Fill with 1 with probability ``p`` (a number or a tensor of probabilities), else 0."""
    rng = rng_of(_sampler_generator(generator, "bernoulli_"))
    if isinstance(p, Tensor):
        probs = p._data
        if not ((probs >= 0) & (probs <= 1)).all():
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  "
                               "(Could this error message be improved?  If so, please report an "
                               "enhancement request to PyTorch.)")
    else:
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got "
                               f"p={_scalar_str(p)}")
        probs = p
    return _fill(self, "bernoulli_", lambda shape: rng.random(shape) < probs)


def bernoulli(self, p=None, *, generator=None):
    """``torch.bernoulli(self)`` (probabilities ``self``), or 0/1 samples of probability ``p``
    shaped like ``self``."""
    return _bernoulli(self, p, generator=generator)


# The largest integer a float type holds exactly, random_'s default upper bound for it
_FLOAT_SPAN = {"float16": 2 ** 11, "float32": 2 ** 24, "float64": 2 ** 53}


def random_(self, from_=0, to=None, *, generator=None):
    """Fill with integers: uniform on ``[from, to)``, ``random_(to)`` on ``[0, to)``, and
    ``random_()`` on ``[0, max]`` for the dtype (``2**mantissa`` for floats)."""
    rng = rng_of(_sampler_generator(generator, "random_"))
    name = self._data.dtype.name
    if to is None and from_ == 0:
        low = 0
        high = (1 if name == "bool" else _FLOAT_SPAN.get(name) or
                int(np.iinfo(self._data.dtype).max)) + 1
    else:
        low, high = (0, from_) if to is None else (from_, to)
        if low >= high:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                               f"from={low} >= to={high}")
        if name in _C_NAMES:
            _randint_bounds(low, high, _dtype.from_numpy_dtype(self._data.dtype))
    return _fill(self, "random_", lambda shape: rng.integers(low, high, shape,
                                                             dtype=np.int64 if high <= 2 ** 63
                                                             else np.uint64))
