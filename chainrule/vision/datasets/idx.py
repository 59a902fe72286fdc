"""Reader for the IDX file format (the format MNIST and its relatives ship in).

An IDX file is a 4-byte magic number, one big-endian ``uint32`` per dimension, then the elements
in C order, big-endian::

    byte 0, 1   0x00 0x00
    byte 2      element type: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
                0x0D float32, 0x0E float64
    byte 3      number of dimensions
    then        the dimensions (4 bytes each), then the data

Files are often gzip-compressed; :func:`read_idx` recognises that by the gzip magic bytes
(``1f 8b``), whatever the file is called.
"""
import gzip
import os
import zlib

import numpy as np

__all__ = ["read_idx", "IDX_TYPES"]

#: IDX element type code -> big-endian NumPy dtype.
IDX_TYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_GZIP_MAGIC = b"\x1f\x8b"


def _describe(source):
    if isinstance(source, (str, bytes, os.PathLike)):
        return os.fsdecode(source)
    name = getattr(source, "name", None)
    return os.fsdecode(name) if isinstance(name, (str, bytes)) else "<file object>"


def read_idx(path_or_file):
    """Read an IDX file into a NumPy array.

    Args:
        path_or_file (str, os.PathLike or binary file object): the file to read. Gzip-compressed
            files are detected by their magic bytes (``1f 8b``), not by their name.

    Returns:
        numpy.ndarray: a writable array in native byte order, of the file's shape and of dtype
        ``uint8``, ``int8``, ``int16``, ``int32``, ``float32`` or ``float64``.

    Raises:
        ValueError: when the file is not a well-formed IDX file (bad magic number, unknown element
            type, truncated data, trailing bytes, corrupt gzip stream). The message names the file
            and the problem.

    Example::

        >>> images = read_idx("MNIST/raw/train-images-idx3-ubyte.gz")
        >>> images.shape, images.dtype
        ((60000, 28, 28), dtype('uint8'))
    """
    name = _describe(path_or_file)
    if isinstance(path_or_file, (str, bytes, os.PathLike)):
        with open(path_or_file, "rb") as f:
            raw = f.read()
    else:
        raw = path_or_file.read()
        if not isinstance(raw, (bytes, bytearray, memoryview)):
            raise TypeError(f"read_idx: {name} must be opened in binary mode")
        raw = bytes(raw)

    if raw[:2] == _GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as e:
            raise ValueError(f"{name}: not a valid IDX file: corrupt or truncated gzip data "
                             f"({e})") from None

    if len(raw) < 4:
        raise ValueError(f"{name}: not a valid IDX file: {len(raw)} bytes is too short for the "
                         "4-byte IDX header")
    if raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{name}: not a valid IDX file: bad magic number 0x{raw[:4].hex()} "
                         "(the first two bytes must be zero)")
    code, ndim = raw[2], raw[3]
    dtype = IDX_TYPES.get(code)
    if dtype is None:
        known = ", ".join(f"0x{c:02X}" for c in IDX_TYPES)
        raise ValueError(f"{name}: not a valid IDX file: unknown element type code 0x{code:02X} "
                         f"(expected one of {known})")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{name}: truncated IDX file: the header declares {ndim} dimensions "
                         f"({header} header bytes) but the file has only {len(raw)} bytes")
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    got = len(raw) - header
    if got < expected:
        raise ValueError(f"{name}: truncated IDX file: shape {shape} of {dtype.name} needs "
                         f"{expected} data bytes but only {got} follow the header")
    if got > expected:
        raise ValueError(f"{name}: malformed IDX file: {got - expected} bytes of trailing "
                         f"garbage after the {expected} data bytes of shape {shape}")
    arr = np.frombuffer(raw, dtype=dtype, count=expected // dtype.itemsize, offset=header)
    return arr.astype(dtype.newbyteorder("="), copy=True).reshape(shape)
