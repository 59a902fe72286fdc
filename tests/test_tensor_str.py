"""Tensor printing against known PyTorch strings; runs without PyTorch installed."""
import math

import numpy as np
import pytest

from chainrule import _dtype
from chainrule import _tensor_str as ts


class _Node:
    def __init__(self, name):
        self._name = name

    def name(self):
        return self._name


class Tensor:
    """Stand-in exposing exactly what ``_str`` reads."""

    def __init__(self, data, dtype=None, requires_grad=False, grad_fn=None):
        self._data = np.asarray(data, dtype=dtype)
        self.dtype = _dtype.from_numpy_dtype(self._data.dtype)
        self.requires_grad = requires_grad
        self.grad_fn = None if grad_fn is None else _Node(grad_fn)
        self.is_leaf = grad_fn is None


class Parameter(Tensor):
    pass


class MyTensor(Tensor):
    pass


def s(data, dtype=None, **kw):
    return ts._str(Tensor(data, dtype, **kw))


@pytest.fixture(autouse=True)
def _restore_options():
    old = ts.get_printoptions()
    old_default = _dtype.get_default_dtype()
    yield
    ts.set_printoptions(**old)
    _dtype.set_default_dtype(old_default)


f32, f64, f16 = np.float32, np.float64, np.float16


@pytest.mark.parametrize("data, dtype, expected", [
    (28.0, f32, "tensor(28.)"),
    (3, np.int64, "tensor(3)"),
    (True, bool, "tensor(True)"),
    (-0.0, f32, "tensor(-0.)"),
    (0.5, f32, "tensor(0.5000)"),
    ([0.2, 0.04], f32, "tensor([0.2000, 0.0400])"),
    ([1.0, 2.0], f32, "tensor([1., 2.])"),
    ([1.0, -20.0], f32, "tensor([  1., -20.])"),
    ([1e-5, 1e5], f32, "tensor([1.0000e-05, 1.0000e+05])"),
    ([1e9, 2.0], f32, "tensor([1.0000e+09, 2.0000e+00])"),
    ([1.5, 2000.0], f32, "tensor([1.5000e+00, 2.0000e+03])"),
    ([1.5, 200.0], f32, "tensor([  1.5000, 200.0000])"),
    ([0.0, 0.0], f32, "tensor([0., 0.])"),
    ([math.nan, 1.0, -math.inf], f32, "tensor([nan, 1., -inf])"),
    ([math.nan, 1.5, math.inf], f32, "tensor([   nan, 1.5000,    inf])"),
    ([-0.0, 1.0], f32, "tensor([-0., 1.])"),
    ([1, -2, 300], np.int64, "tensor([  1,  -2, 300])"),
    ([True, False], bool, "tensor([ True, False])"),
    ([[1, 2], [3, 4]], np.int64, "tensor([[1, 2],\n        [3, 4]])"),
    ([1.0, 2.0], f64, "tensor([1., 2.], dtype=torch.float64)"),
    ([1.0, 2.5], f16, "tensor([1.0000, 2.5000], dtype=torch.float16)"),
    ([1, 2], np.int32, "tensor([1, 2], dtype=torch.int32)"),
    ([1, 2], np.uint8, "tensor([1, 2], dtype=torch.uint8)"),
    ([1 + 2j, -0.5j], np.complex64, "tensor([1.+2.0000j, -0.-0.5000j])"),
    ([1.5 + 2j, 3 - 1j], np.complex64, "tensor([1.5000+2.j, 3.0000-1.j])"),
    ([], f32, "tensor([])"),
    ([], np.int64, "tensor([], dtype=torch.int64)"),
    (np.zeros((0, 3)), f32, "tensor([], size=(0, 3))"),
    (np.zeros((2, 0)), bool, "tensor([], size=(2, 0), dtype=torch.bool)"),
])
def test_known_strings(data, dtype, expected):
    assert s(data, dtype) == expected


def test_three_d_blocks_are_separated_by_blank_lines():
    assert s(np.arange(8).reshape(2, 2, 2)) == (
        "tensor([[[0, 1],\n"
        "         [2, 3]],\n"
        "\n"
        "        [[4, 5],\n"
        "         [6, 7]]])")


def test_autograd_suffixes():
    assert s(28.0, f32, requires_grad=True, grad_fn="MulBackward0") == \
        "tensor(28., grad_fn=<MulBackward0>)"
    assert s([2.0], f32, requires_grad=True) == "tensor([2.], requires_grad=True)"
    assert s([2.0], f64, requires_grad=True) == \
        "tensor([2.], dtype=torch.float64, requires_grad=True)"


def test_suffix_wraps_past_linewidth():
    out = s(np.full(10, 0.5), f32, requires_grad=True)
    assert out == ("tensor([0.5000, 0.5000, 0.5000, 0.5000, 0.5000, 0.5000, 0.5000, 0.5000, "
                   "0.5000,\n        0.5000], requires_grad=True)")
    out = s(np.full(9, 0.5), f64, requires_grad=True)
    assert out.endswith("0.5000],\n       dtype=torch.float64, requires_grad=True)")


def test_line_wrapping():
    out = s(np.arange(30))
    assert out == (
        "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n"
        "        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])")
    assert max(len(line) for line in out.splitlines()) <= 80


def test_summarisation():
    assert s(np.arange(2000)) == "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])"
    assert s(np.arange(1000)).count("...") == 0
    ts.set_printoptions(threshold=5)
    assert s(np.arange(10)) == "tensor([0, 1, 2,  ..., 7, 8, 9])"
    assert s(np.arange(49).reshape(7, 7)) == (
        "tensor([[ 0,  1,  2,  ...,  4,  5,  6],\n"
        "        [ 7,  8,  9,  ..., 11, 12, 13],\n"
        "        [14, 15, 16,  ..., 18, 19, 20],\n"
        "        ...,\n"
        "        [28, 29, 30,  ..., 32, 33, 34],\n"
        "        [35, 36, 37,  ..., 39, 40, 41],\n"
        "        [42, 43, 44,  ..., 46, 47, 48]])")
    assert s(np.arange(36).reshape(6, 6)).count("...") == 0  # 6 is not more than 2 * 3


def test_summary_formatter_only_sees_the_edges():
    # The huge middle value is not shown, so it does not force scientific notation.
    x = np.full(2001, 0.5, np.float32)
    x[1000] = 1e20
    assert s(x) == "tensor([0.5000, 0.5000, 0.5000,  ..., 0.5000, 0.5000, 0.5000])"


def test_zero_edgeitems():
    ts.set_printoptions(edgeitems=0, threshold=3)
    assert s(np.arange(5)) == "tensor([...], size=(5,))"
    assert s(np.arange(6).reshape(2, 3)) == "tensor([...], size=(2, 3))"


def test_options_and_profiles():
    assert ts.get_printoptions() == dict(precision=4, threshold=1000, edgeitems=3, linewidth=80,
                                         sci_mode=None)
    ts.set_printoptions(precision=2)
    assert s([1.12345], f32) == "tensor([1.12])"
    ts.set_printoptions(sci_mode=True)
    assert s([1.5], f32) == "tensor([1.50e+00])"
    ts.set_printoptions(precision=3)  # any call without sci_mode resets it
    assert ts.get_printoptions()["sci_mode"] is None
    ts.set_printoptions(sci_mode=False)
    assert s([1e-5, 1e5], f32) == "tensor([     0.000, 100000.000])"
    ts.set_printoptions(profile="short")
    assert ts.get_printoptions() == dict(precision=2, threshold=1000, edgeitems=2, linewidth=80,
                                         sci_mode=None)
    ts.set_printoptions(profile="full")
    assert ts.get_printoptions()["threshold"] == math.inf
    assert "..." not in s(np.arange(5000))
    ts.set_printoptions(profile="default")
    assert ts.get_printoptions()["threshold"] == 1000


def test_printoptions_context_restores():
    with ts.printoptions(precision=1, sci_mode=True):
        assert s([1.25], f32) == "tensor([1.2e+00])"
    assert ts.get_printoptions()["precision"] == 4
    assert ts.get_printoptions()["sci_mode"] is None
    with pytest.raises(ValueError):
        with ts.printoptions(linewidth=10):
            raise ValueError
    assert ts.get_printoptions()["linewidth"] == 80


def test_default_dtype_float64():
    _dtype.set_default_dtype(_dtype.float64)
    assert s([1.0], f64) == "tensor([1.])"
    assert s([1.0], f32) == "tensor([1.], dtype=torch.float32)"
    assert s([], f64) == "tensor([])"
    assert s([1j], np.complex64) == "tensor([0.+1.j], dtype=torch.complex64)"


def test_parameter_and_subclasses():
    p = Parameter(np.array([1.0, 2.0], f32), requires_grad=True)
    assert ts._parameter_str(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    assert ts._str(MyTensor(np.array([1, 2]))) == "MyTensor([1, 2])"


def test_legacy_type_name():
    assert ts.legacy_type_name(np.float32) == "torch.FloatTensor"
    assert ts.legacy_type_name(np.dtype("float64")) == "torch.DoubleTensor"
    assert ts.legacy_type_name(np.float16) == "torch.HalfTensor"
    assert ts.legacy_type_name(np.int64) == "torch.LongTensor"
    assert ts.legacy_type_name(np.int32) == "torch.IntTensor"
    assert ts.legacy_type_name(np.int16) == "torch.ShortTensor"
    assert ts.legacy_type_name(np.int8) == "torch.CharTensor"
    assert ts.legacy_type_name(np.uint8) == "torch.ByteTensor"
    assert ts.legacy_type_name(np.bool_) == "torch.BoolTensor"
