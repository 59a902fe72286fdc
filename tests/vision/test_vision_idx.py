import gzip
import io
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))
from _idx_helpers import gz, idx_bytes  # noqa: E402

from chainrule.vision.datasets import read_idx  # noqa: E402

DTYPES = ["uint8", "int8", "int16", "int32", "float32", "float64"]


def _sample(dtype, shape=(3, 4, 5)):
    rng = np.random.default_rng(0)
    dt = np.dtype(dtype)
    if dt.kind == "f":
        return (rng.standard_normal(shape) * 1e3).astype(dt)
    info = np.iinfo(dt)
    a = rng.integers(info.min, info.max, size=shape, endpoint=True).astype(dt)
    a.flat[0], a.flat[1] = info.min, info.max
    return a


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("compressed", [False, True])
def test_roundtrip_all_types(tmp_path, dtype, compressed):
    arr = _sample(dtype)
    data = idx_bytes(arr)
    # named without .gz on purpose: gzip is detected by magic bytes, not by name
    path = tmp_path / "file-idx3"
    path.write_bytes(gz(data) if compressed else data)
    out = read_idx(path)
    assert out.dtype == np.dtype(dtype) and out.dtype.isnative
    assert out.shape == arr.shape
    np.testing.assert_array_equal(out, arr)
    out[0] = 0  # writable
    # str paths and file objects work too
    np.testing.assert_array_equal(read_idx(str(path)), arr)
    with open(path, "rb") as f:
        np.testing.assert_array_equal(read_idx(f), arr)


def test_gz_name_holding_raw_data(tmp_path):
    arr = np.arange(10, dtype=np.uint8)
    path = tmp_path / "labels.gz"
    path.write_bytes(idx_bytes(arr))
    np.testing.assert_array_equal(read_idx(path), arr)


def test_bytes_io_and_shapes():
    for shape in [(7,), (2, 3), (1, 2, 3, 4), (0, 28, 28)]:
        arr = np.ones(shape, dtype=np.int16)
        out = read_idx(io.BytesIO(idx_bytes(arr)))
        assert out.shape == shape


def _error(tmp_path, payload, name="bad-idx"):
    path = tmp_path / name
    path.write_bytes(payload)
    with pytest.raises(ValueError) as info:
        read_idx(path)
    msg = str(info.value)
    assert name in msg  # the file is named
    return msg


def test_truncated_data(tmp_path):
    data = idx_bytes(np.zeros((4, 5), dtype=np.int32))
    msg = _error(tmp_path, data[:-3])
    assert "truncated" in msg and "(4, 5)" in msg


def test_truncated_header(tmp_path):
    data = idx_bytes(np.zeros((4, 5, 6), dtype=np.uint8))
    assert "truncated" in _error(tmp_path, data[:9])
    assert "too short" in _error(tmp_path, data[:3])
    assert "too short" in _error(tmp_path, b"")


def test_trailing_garbage(tmp_path):
    data = idx_bytes(np.zeros((4,), dtype=np.float64)) + b"xyz"
    msg = _error(tmp_path, data)
    assert "trailing" in msg and "3 bytes" in msg


def test_wrong_magic(tmp_path):
    data = bytearray(idx_bytes(np.zeros((2, 2), dtype=np.uint8)))
    data[0] = 0x01
    msg = _error(tmp_path, bytes(data))
    assert "magic" in msg
    data[0], data[1] = 0, 0x08
    assert "magic" in _error(tmp_path, bytes(data))
    # a text file is not IDX either
    assert "magic" in _error(tmp_path, b"hello world\n")


def test_unknown_type(tmp_path):
    data = idx_bytes(np.zeros((2, 2), dtype=np.uint8), code=0x0A)
    msg = _error(tmp_path, data)
    assert "unknown element type" in msg and "0x0A" in msg


def test_corrupt_or_truncated_gzip(tmp_path):
    good = gz(idx_bytes(np.arange(1000, dtype=np.int32)))
    assert "gzip" in _error(tmp_path, good[: len(good) // 2])
    assert "gzip" in _error(tmp_path, b"\x1f\x8b" + b"\x00" * 20)


def test_gzip_of_malformed_idx_still_checked(tmp_path):
    data = idx_bytes(np.zeros((4, 5), dtype=np.uint8))[:-1]
    assert "truncated" in _error(tmp_path, gzip.compress(data))


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "nope")
