"""Tensor printing compared byte for byte with PyTorch."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

from chainrule import _dtype  # noqa: E402
from chainrule import _tensor_str as ts  # noqa: E402


class _Node:
    def __init__(self, name):
        self._name = name

    def name(self):
        return self._name


class Tensor:
    """Stand-in exposing exactly what ``_str`` reads."""

    def __init__(self, data, requires_grad=False, grad_fn=None):
        self._data = data
        self.dtype = _dtype.from_numpy_dtype(data.dtype)
        self.requires_grad = requires_grad
        self.grad_fn = None if grad_fn is None else _Node(grad_fn)
        self.is_leaf = grad_fn is None


@pytest.fixture(autouse=True)
def _restore_options():
    old, old_torch = ts.get_printoptions(), torch._tensor_str.get_printoptions()
    yield
    ts.set_printoptions(**old)
    torch.set_printoptions(**old_torch)
    torch.set_default_dtype(torch.float32)
    _dtype.set_default_dtype(_dtype.float32)


def torch_repr(a, requires_grad=False):
    return repr(torch.from_numpy(a.copy()).requires_grad_(requires_grad))


def ours(a, requires_grad=False):
    return ts._str(Tensor(a.copy(), requires_grad))


def check_all(arrays, requires_grad=False):
    for a in arrays:
        expected, got = torch_repr(a, requires_grad), ours(a, requires_grad)
        assert got == expected, f"{a.dtype} {a.shape}:\n{expected}\n{got}"


SHAPES = [(), (0,), (0, 3), (3, 0, 2), (1,), (5,), (3, 4), (2, 3, 4), (2, 2, 2, 3), (40,),
          (7, 30), (1200,), (40, 40), (11, 12, 13)]
DTYPES = [np.float32, np.float64, np.float16, np.complex64, np.int64, np.int32, np.int16,
          np.int8, np.uint8, np.bool_]


def battery(dtype, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for shape in SHAPES:
        for scale in (1.0, 1e-6, 1e9, 100.0):
            x = rng.standard_normal(shape) * scale
            kind = np.dtype(dtype).kind
            if kind == "c":
                x = x + 1j * rng.standard_normal(shape) * scale
            elif kind == "b":
                x = x > 0
            elif kind in "iu":
                info = np.iinfo(dtype)
                x = np.clip(np.round(x), max(info.min, -1000), min(info.max, 1000))
            elif dtype == np.float16:
                x = np.clip(x, -6e4, 6e4)
            out.append(np.asarray(x).astype(dtype))
    return out


SPECIAL = [np.array(v, dtype=d) for v, d in [
    ([np.nan, 1.0, -np.inf, np.inf, 0.0, -0.0], np.float32),
    ([-0.0], np.float32), (-0.0, np.float64), ([0.0, 0.0], np.float32), ([np.nan], np.float32),
    ([np.inf, -np.inf], np.float64), ([1.5, np.nan, np.inf], np.float32),
    ([1e-5, 1e5], np.float32), ([1e10, 3.0], np.float32), ([123456789.0], np.float32),
    ([1e-4, 0.1], np.float32), ([1e-4 * 0.99, 0.01], np.float64), ([1.0, 1000.0], np.float32),
    ([1.0, 1001.0], np.float32), ([1e8], np.float64), ([1e8 + 1], np.float64),
    ([1e-310, 1e308], np.float64), ([65504, 6e-8], np.float16), ([0.1, 0.2, 0.3], np.float16),
    ([1 + 2j, -0.0 - 0.0j, np.nan + 1j, 1 - np.inf * 1j], np.complex64), (1 - 2j, np.complex64),
    ([2 ** 62, -(2 ** 62)], np.int64), ([255, 0], np.uint8), ([-128], np.int8),
]]

OPTIONS = [{}, dict(precision=2), dict(precision=0), dict(precision=8), dict(sci_mode=True),
           dict(sci_mode=False), dict(threshold=5), dict(threshold=0), dict(edgeitems=0),
           dict(edgeitems=0, threshold=5), dict(edgeitems=1, threshold=10), dict(linewidth=20),
           dict(linewidth=200), dict(profile="short"), dict(profile="full")]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("opts", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
def test_battery(dtype, opts):
    torch.set_printoptions(**opts)
    ts.set_printoptions(**opts)
    check_all(battery(dtype) + [a for a in SPECIAL if a.dtype == dtype])


@pytest.mark.parametrize("opts", [{}, dict(linewidth=40), dict(linewidth=60), dict(edgeitems=0)])
@pytest.mark.parametrize("default", [torch.float32, torch.float64])
def test_suffixes(opts, default):
    torch.set_default_dtype(default)
    _dtype.set_default_dtype(_dtype.float64 if default == torch.float64 else _dtype.float32)
    torch.set_printoptions(**opts)
    ts.set_printoptions(**opts)
    rng = np.random.default_rng(1)
    shapes = [(), (0,), (2, 0), (3,), (7,), (8,), (9,), (10,), (11,), (2, 7), (2, 8), (2, 9),
              (3, 3, 9), (12,)]
    for dtype in (np.float32, np.float64, np.float16, np.complex64, np.int64, np.int32, np.bool_):
        arrays = [np.asarray(rng.standard_normal(s) * 10).astype(dtype) for s in shapes]
        check_all(arrays)
        if np.dtype(dtype).kind in "fc":
            check_all(arrays, requires_grad=True)
            for a in arrays:
                t = torch.from_numpy(a.copy()).requires_grad_() * 3
                got = ts._str(Tensor(t.detach().numpy().copy(), True, "MulBackward0"))
                assert got == repr(t)


def test_parameter():
    p = torch.nn.Parameter(torch.tensor([[1.0, 2.5], [3.0, 4.0]]))
    ours_p = Tensor(p.detach().numpy().copy(), requires_grad=True)
    assert ts._parameter_str(ours_p) == repr(p)


def test_print_options_match():
    for opts in OPTIONS:
        torch.set_printoptions(**opts)
        ts.set_printoptions(**opts)
        assert ts.get_printoptions() == torch._tensor_str.get_printoptions()
    with torch._tensor_str.printoptions(precision=1), ts.printoptions(precision=1):
        assert ts.get_printoptions() == torch._tensor_str.get_printoptions()
    assert ts.get_printoptions() == torch._tensor_str.get_printoptions()


def test_legacy_type_name_matches():
    for dtype in DTYPES:
        assert ts.legacy_type_name(dtype) == torch.from_numpy(np.zeros(1, dtype)).type()


_float_elems = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=32),
                         st.sampled_from([0.0, -0.0, 1.0, 1e-5, 1e9, 0.5]))
_arrays = st.one_of(
    hnp.arrays(np.float32, hnp.array_shapes(min_dims=0, max_dims=4, max_side=6),
               elements=_float_elems),
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=6),
               elements=st.floats(-1e12, 1e12)),
    hnp.arrays(np.int64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=6),
               elements=st.integers(-10 ** 6, 10 ** 6)),
)


@settings(max_examples=150, deadline=None)
@given(a=_arrays, opts=st.sampled_from(OPTIONS))
def test_property_random_arrays(a, opts):
    with torch._tensor_str.printoptions(**opts), ts.printoptions(**opts):
        assert ours(a) == torch_repr(a)


# ---------------------------------------------------------------------------- the real Tensor
def _core():
    import chainrule
    if not hasattr(chainrule, "tensor"):
        pytest.skip("chainrule.tensor is not available yet")
    return chainrule


@pytest.mark.parametrize("value", [
    28.0, 3, True, [], [0.2, 0.04], [1.0, 2.0], [1e-5, 1e5], [[1, 2], [3, 4]],
    [[[1.5, -2.0], [float("nan"), float("inf")]]], list(range(2000)),
])
def test_core_tensor(value):
    cr = _core()
    assert repr(cr.tensor(value)) == repr(torch.tensor(value))
    assert str(cr.tensor(value)) == str(torch.tensor(value))


def test_core_tensor_autograd():
    cr = _core()
    a, b = cr.tensor([2.0], requires_grad=True), torch.tensor([2.0], requires_grad=True)
    assert repr(a) == repr(b)
    assert repr(a * 3) == repr(b * 3)
    assert repr(cr.tensor([1.0], dtype=cr.float64)) == \
        repr(torch.tensor([1.0], dtype=torch.float64))


def test_core_parameter_and_options():
    cr = _core()
    if hasattr(cr, "nn") and hasattr(cr.nn, "Parameter"):
        assert repr(cr.nn.Parameter(cr.ones(2, 3))) == repr(torch.nn.Parameter(torch.ones(2, 3)))
        assert repr(cr.nn.Parameter(cr.ones(2), requires_grad=False)) == \
            repr(torch.nn.Parameter(torch.ones(2), requires_grad=False))
    with cr.printoptions(precision=2, sci_mode=True), \
            torch._tensor_str.printoptions(precision=2, sci_mode=True):
        assert repr(cr.tensor([1.2345, 0.5])) == repr(torch.tensor([1.2345, 0.5]))
    assert cr.get_printoptions() == torch._tensor_str.get_printoptions()
