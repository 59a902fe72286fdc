"""Writers of IDX files for the vision tests."""
import gzip

import numpy as np

CODES = {np.dtype("uint8"): 0x08, np.dtype("int8"): 0x09, np.dtype("int16"): 0x0B,
         np.dtype("int32"): 0x0C, np.dtype("float32"): 0x0D, np.dtype("float64"): 0x0E}


def idx_bytes(arr, code=None):
    """The IDX encoding of ``arr`` (big-endian), optionally with a forced type code."""
    arr = np.asarray(arr)
    if code is None:
        code = CODES[arr.dtype]
    header = bytes([0, 0, code, arr.ndim]) + np.asarray(arr.shape, dtype=">u4").tobytes()
    return header + arr.astype(arr.dtype.newbyteorder(">")).tobytes()


def gz(data):
    """Deterministic gzip (mtime 0)."""
    return gzip.compress(data, mtime=0)
