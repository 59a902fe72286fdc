"""dtypes and PyTorch's type promotion without PyTorch."""
import pytest

import chainrule as torch


@pytest.fixture(autouse=True)
def default_dtype():
    yield
    torch.set_default_dtype(torch.float32)


def test_dtype_objects():
    assert repr(torch.float32) == str(torch.float32) == "torch.float32"
    assert torch.float is torch.float32 and torch.double is torch.float64
    assert torch.long is torch.int64 and torch.int is torch.int32 and torch.half is torch.float16
    assert torch.short is torch.int16 and torch.cfloat is torch.complex64
    assert torch.float32.is_floating_point and not torch.int64.is_floating_point
    assert torch.int64.is_signed and not torch.uint8.is_signed and not torch.bool.is_signed
    assert torch.float64.itemsize == 8 and torch.float64.to_complex() is torch.complex128
    assert torch.complex64.to_real() is torch.float32


@pytest.mark.parametrize("a, b, out", [
    ("uint8", "int8", "int16"), ("uint8", "bool", "uint8"), ("int32", "float16", "float16"),
    ("int64", "float16", "float16"), ("float64", "complex64", "complex128"),
    ("int16", "int32", "int32"), ("bool", "bool", "bool"), ("float16", "float32", "float32"),
])
def test_promote_types(a, b, out):
    assert torch.promote_types(getattr(torch, a), getattr(torch, b)) is getattr(torch, out)
    assert torch.promote_types(getattr(torch, b), getattr(torch, a)) is getattr(torch, out)


def test_bare_unsigned_types_do_not_promote():
    with pytest.raises(RuntimeError, match="Promotion for uint16, uint32, uint64 types is not "
                                           "supported, attempted to promote UInt16 and Int"):
        torch.promote_types(torch.uint16, torch.int32)
    assert torch.promote_types(torch.uint32, torch.float32) is torch.float32


def test_result_type_tiers():
    t = torch.tensor
    assert torch.result_type(t([1]), 2.5) is torch.float32
    assert torch.result_type(t([1], dtype=torch.int8), 200) is torch.int8
    assert torch.result_type(t([1.0], dtype=torch.float16), t(1.0)) is torch.float16
    assert torch.result_type(t([1], dtype=torch.int32), t(1.0)) is torch.float32
    assert torch.result_type(t([1], dtype=torch.int32), t(1)) is torch.int32
    assert torch.result_type(t(1, dtype=torch.int8), t(1, dtype=torch.int16)) is torch.int16
    assert torch.result_type(t([True]), 3) is torch.int64
    assert torch.result_type(2, 3.0) is torch.float32
    assert torch.result_type(t([1.0], dtype=torch.float64), 1j) is torch.complex128
    with pytest.raises(TypeError, match="result_type\\(\\) received an invalid combination"):
        torch.result_type(t([1]), "a")


def test_operations_follow_promotion():
    i = torch.tensor([1, 2])
    assert (i / 2).dtype is torch.float32 and (i / i).dtype is torch.float32
    assert (i // 2).dtype is torch.int64 and (i > 1).dtype is torch.bool
    assert (i * 2.5).dtype is torch.float32
    assert (torch.tensor([1, 2], dtype=torch.int8) + torch.tensor(1000)).dtype is torch.int8
    assert (torch.tensor([1], dtype=torch.int32) + torch.tensor(1.5, dtype=torch.float64)).dtype \
        is torch.float64
    assert (torch.tensor([1], dtype=torch.float16) + torch.tensor(1.5, dtype=torch.float64)).dtype \
        is torch.float16
    assert (torch.tensor([True]) + True).dtype is torch.bool
    assert (torch.tensor([True]) * 2.5).dtype is torch.float32


def test_can_cast():
    assert not torch.can_cast(torch.float32, torch.int32)
    assert torch.can_cast(torch.int32, torch.float16) and torch.can_cast(torch.int64, torch.int8)
    assert not torch.can_cast(torch.int8, torch.bool) and torch.can_cast(torch.bool, torch.uint8)
    assert not torch.can_cast(torch.complex64, torch.float32)


def test_default_dtype():
    assert torch.get_default_dtype() is torch.float32
    torch.set_default_dtype(torch.float64)
    assert torch.tensor(1.5).dtype is torch.float64 and torch.zeros(1).dtype is torch.float64
    assert torch.tensor([1]).dtype is torch.int64 and (torch.tensor([1]) / 2).dtype is torch.float64
    with pytest.raises(TypeError, match="^only floating-point types are supported as the default type$"):
        torch.set_default_dtype(torch.int64)
    with pytest.raises(TypeError, match="^invalid dtype object: only floating-point types"):
        torch.set_default_dtype(float)


def test_finfo_iinfo():
    f = torch.finfo(torch.float32)
    assert f.bits == 32 and f.eps == 2 ** -23 and f.resolution == 1e-06 and f.dtype == "float32"
    assert f.tiny == f.smallest_normal and f.max == -f.min
    assert repr(f) == ("finfo(resolution=1e-06, min=-3.40282e+38, max=3.40282e+38, eps=1.19209e-07, "
                       "smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=float32)")
    assert torch.finfo() == f and torch.finfo(torch.float16).max == 65504
    i = torch.iinfo(torch.int32)
    assert (i.bits, i.min, i.max, i.dtype) == (32, -2 ** 31, 2 ** 31 - 1, "int32")
    assert repr(torch.iinfo(torch.uint8)) == "iinfo(min=0, max=255, dtype=uint8)"
    with pytest.raises(TypeError, match="torch.finfo\\(\\) requires a floating point input type"):
        torch.finfo(torch.int32)
    with pytest.raises(TypeError, match="torch.bool is not supported by torch.iinfo"):
        torch.iinfo(torch.bool)
