"""PyTorch's tensor print format."""
import numpy as np

_LEGACY = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
           "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def legacy_type_name(np_dtype):
    """PyTorch's legacy type string for a NumPy dtype, e.g. ``'torch.FloatTensor'``."""
    return f"torch.{_LEGACY[np.dtype(np_dtype).name]}Tensor"


def _str(tensor):
    # Placeholder until the full formatter lands.
    return f"tensor({np.array2string(tensor._data, separator=', ')})"
