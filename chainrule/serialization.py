"""Checkpoints in PyTorch's zip format: :func:`save` and :func:`load`.

A checkpoint is an uncompressed zip archive whose records all sit under one top folder (the file
stem, or ``archive`` for file objects)::

    archive/data.pkl                 the object, pickled with protocol 2
    archive/.format_version          "1"
    archive/.storage_alignment       "64": every record's bytes start on a 64-byte boundary
    archive/byteorder                "little"
    archive/data/0, data/1, ...      raw little-endian bytes of each storage
    archive/version                  "3"
    archive/.data/serialization_id   a random 40-digit id

Inside ``data.pkl`` a tensor is the call
``torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
OrderedDict())`` and a storage is the persistent id
``('storage', torch.FloatStorage, key, location, numel)``, so tensors sharing memory share one
storage record. A parameter wraps its tensor in ``torch._utils._rebuild_parameter``. The files
:func:`save` writes are read by ``torch.load(f, weights_only=True)``; :func:`load` reads them and
the files ``torch.save`` writes, without importing torch.

Loading never runs arbitrary pickled code: the unpickler resolves globals from fixed tables only.
"""
import _compat_pickle
import collections
import contextlib
import importlib
import io
import os
import pickle
import secrets
import struct
import sys
import zipfile
import zlib

import numpy as np

from . import _dtype
from ._dtype import dtype as _dtype_cls

__all__ = ["save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals",
           "safe_globals"]

_ALIGNMENT = 64
_FORMAT_VERSION = "1"
_ARCHIVE_VERSION = "3\n"

# torch storage class name <-> NumPy dtype. Storage bytes are little-endian on disk.
_STORAGE_TO_NP = {
    "DoubleStorage": np.dtype(np.float64),
    "FloatStorage": np.dtype(np.float32),
    "HalfStorage": np.dtype(np.float16),
    "LongStorage": np.dtype(np.int64),
    "IntStorage": np.dtype(np.int32),
    "ShortStorage": np.dtype(np.int16),
    "CharStorage": np.dtype(np.int8),
    "ByteStorage": np.dtype(np.uint8),
    "BoolStorage": np.dtype(np.bool_),
    "ComplexFloatStorage": np.dtype(np.complex64),
    "ComplexDoubleStorage": np.dtype(np.complex128),
    "UntypedStorage": np.dtype(np.uint8),
}
_NP_TO_STORAGE = {v: k for k, v in _STORAGE_TO_NP.items() if k != "UntypedStorage"}

# Element types PyTorch has and chainrule does not: named in load errors.
_MISSING_DTYPES = {
    "BFloat16Storage": "bfloat16", "QInt8Storage": "qint8", "QUInt8Storage": "quint8",
    "QInt32Storage": "qint32", "QUInt4x2Storage": "quint4x2", "QUInt2x4Storage": "quint2x4",
    "ComplexHalfStorage": "complex32",
}


# ============================================================================ saving
class _Global:
    """A reference written into the pickle as ``GLOBAL module name`` without importing it."""

    __slots__ = ("module", "name")

    def __init__(self, module, name):
        self.module = module
        self.name = name

    def __call__(self, *args):  # the pickler requires a callable in a reduce tuple
        raise RuntimeError(f"{self.module}.{self.name} is a placeholder used while saving")

    def __repr__(self):
        return f"<global {self.module}.{self.name}>"


_REBUILD_TENSOR_V2 = _Global("torch._utils", "_rebuild_tensor_v2")
_REBUILD_PARAMETER = _Global("torch._utils", "_rebuild_parameter")
_REBUILD_PARAMETER_WITH_STATE = _Global("torch._utils", "_rebuild_parameter_with_state")
_REBUILD_FROM_TYPE_V2 = _Global("torch._tensor", "_rebuild_from_type_v2")
_TORCH_TENSOR = _Global("torch", "Tensor")
_TORCH_SIZE = _Global("torch", "Size")
_TORCH_DEVICE = _Global("torch", "device")
_STORAGE_GLOBALS = {np_dt: _Global("torch", name) for np_dt, name in _NP_TO_STORAGE.items()}
_UNTYPED_STORAGE = _Global("torch.storage", "UntypedStorage")
_REBUILD_TENSOR_V3 = _Global("torch._utils", "_rebuild_tensor_v3")


class _StorageRef:
    """Stands for one storage in the pickle; the pickler turns it into a persistent id."""

    __slots__ = ("pid",)

    def __init__(self, pid):
        self.pid = pid


class _Reduced:
    """An object that pickles as ``func(*args)`` (the inner tensor of a parameter)."""

    __slots__ = ("func", "args")

    def __init__(self, func, args):
        self.func = func
        self.args = args


def _contiguous_strides(shape):
    strides, step = [], 1
    for n in reversed(shape):
        strides.append(step)
        step *= max(n, 1)
    return tuple(reversed(strides))


def _data_ptr(a):
    return a.__array_interface__["data"][0]


class _StorageTable:
    """Collects the storages of the tensors being saved, one record per distinct buffer."""

    def __init__(self):
        self.records = []      # (key, 1-D little-endian array) in key order
        self._by_root = {}     # id(root ndarray) -> (root, key, numel)

    def _new(self, flat):
        key = str(len(self.records))
        le = flat.dtype.newbyteorder("<")
        self.records.append((key, flat.astype(le, copy=False)))
        return key

    def locate(self, arr):
        """``(pid, storage_offset, size, stride)`` for ndarray ``arr``; views of one buffer share
        a storage, anything that cannot be described as a strided view of it is copied."""
        arr = np.asarray(arr)
        dt = arr.dtype
        typed = _STORAGE_GLOBALS.get(dt.newbyteorder("="))
        if typed is None and dt.newbyteorder("=") not in _dtype._FROM_NP_ANY:
            raise TypeError(f"cannot save a tensor of NumPy dtype {dt}")
        item = dt.itemsize
        root = arr
        while isinstance(root.base, np.ndarray):
            root = root.base
        shared = (arr.size > 0 and root.dtype == dt
                  and (root.flags.c_contiguous or root.flags.f_contiguous))
        if shared:
            delta = _data_ptr(arr) - _data_ptr(root)
            strides = arr.strides
            shared = (delta >= 0 and delta % item == 0
                      and all(s >= 0 and s % item == 0 for s in strides))
        if shared:
            offset = delta // item
            stride = tuple(s // item for s in strides)
            extent = offset + sum((n - 1) * s for n, s in zip(arr.shape, stride))
            shared = extent < root.size
        if shared:
            entry = self._by_root.get(id(root))
            if entry is None:
                entry = (root, self._new(root.ravel(order="K")), root.size)
                self._by_root[id(root)] = entry
            key, numel = entry[1], entry[2]
        else:
            flat = np.ascontiguousarray(arr).reshape(-1)
            key, numel, offset = self._new(flat), arr.size, 0
            stride = _contiguous_strides(arr.shape)
        # Types without a typed storage class (uint16/32/64) go, as in PyTorch, in an untyped
        # storage whose size counts bytes; _rebuild_tensor_v3 then names the dtype.
        pid = ("storage", typed, key, "cpu", numel) if typed is not None else \
            ("storage", _UNTYPED_STORAGE, key, "cpu", numel * item)
        return _StorageRef(pid), offset, tuple(arr.shape), stride


def _host_array(t):
    arr = t._data
    if not isinstance(arr, np.ndarray):
        get = getattr(arr, "get", None)        # a device array: copy it to the host
        arr = get() if get is not None else np.asarray(arr)
    return arr


class _Pickler(pickle._Pickler):
    """Protocol-2 pickler writing tensors, parameters, dtypes, sizes and devices as PyTorch does.

    The pure-Python pickler is used because it lets ``GLOBAL torch._utils ...`` be written
    without importing the module named."""

    dispatch = pickle._Pickler.dispatch.copy()

    def __init__(self, file, protocol, storages, core):
        super().__init__(file, protocol)
        self._storages = storages
        self._tensor_cls, self._param_cls, self._size_cls, self._device_cls = core

    def persistent_id(self, obj):
        if type(obj) is _StorageRef:
            return obj.pid
        return None

    def reducer_override(self, obj):
        t = type(obj)
        if t is _Reduced:
            return obj.func, obj.args
        if self._tensor_cls is not None and isinstance(obj, self._tensor_cls):
            return self._reduce_tensor(obj)
        if t is self._size_cls:
            return _TORCH_SIZE, (tuple(obj),)
        if t is self._device_cls:
            args = (obj.type,) if obj.index is None else (obj.type, obj.index)
            return _TORCH_DEVICE, args
        return NotImplemented

    def _reduce_tensor(self, t):
        ref, offset, size, stride = self._storages.locate(_host_array(t))
        hooks = collections.OrderedDict()
        state = getattr(t, "__dict__", None) or None
        is_param = self._param_cls is not None and isinstance(t, self._param_cls)
        requires_grad = bool(t.requires_grad)
        args = (ref, offset, size, stride, False if is_param else requires_grad, hooks)
        rebuild = _REBUILD_TENSOR_V2
        if ref.pid[1] is _UNTYPED_STORAGE:
            rebuild, args = _REBUILD_TENSOR_V3, args + (t.dtype,)
        if is_param:
            if state is None:
                return _REBUILD_PARAMETER, (_Reduced(rebuild, args), requires_grad, hooks)
            return _REBUILD_PARAMETER_WITH_STATE, (_Reduced(rebuild, args), requires_grad,
                                                   hooks, dict(state))
        if state is None and type(t) is self._tensor_cls:
            return rebuild, args
        # A tensor carrying Python attributes: PyTorch's _rebuild_from_type_v2 wrapper.
        return _REBUILD_FROM_TYPE_V2, (rebuild, _TORCH_TENSOR, args, dict(state or {}))


def _save_as_global(pickler, module, name, obj):
    pickler.write(pickle.GLOBAL + f"{module}\n{name}\n".encode("utf-8"))
    pickler.memoize(obj)


_Pickler.dispatch[_Global] = lambda self, obj: _save_as_global(self, obj.module, obj.name, obj)
_Pickler.dispatch[_dtype_cls] = lambda self, obj: _save_as_global(self, "torch", obj.name, obj)


def _core_classes():
    try:
        from ._tensor import Tensor, Size, device
    except ImportError:  # the pickler still writes plain Python objects
        Tensor = Size = device = None
    return Tensor, _parameter_class(), Size, device


def _parameter_class():
    try:
        from .nn.parameter import Parameter
    except ImportError:
        return None
    return Parameter


def _archive_name(f):
    if isinstance(f, (str, os.PathLike)):
        stem = os.path.splitext(os.path.basename(os.fsdecode(f)))[0]
        return stem or "archive"
    return "archive"


_ZIP32_MAX = 0xFFFFFFFF   # sizes and offsets from here on need zip64 fields


class _ZipWriter:
    """A minimal stored-only zip writer laid out as PyTorch's (miniz) writer lays it out.

    Each record's local header carries zeros for the CRC and sizes, a zip64 extra field when the
    record or its offset needs one, and an ``FB`` extra field padding the data to a 64-byte
    boundary; a data descriptor follows every non-empty record. The archive ends with a zip64
    end-of-central-directory record, its locator and the classic end record. Writing is
    sequential, so ``f`` need not be seekable."""

    def __init__(self, fh):
        self.fh = fh
        self.pos = 0
        self.entries = []   # (name bytes, crc, size, header offset, flags)

    def _write(self, b):
        self.fh.write(b)
        self.pos += len(b)

    def add(self, name, data):
        name = name.encode("utf-8")
        view = memoryview(data).cast("B")
        size, offset = len(view), self.pos
        big_size, big_offset = size >= _ZIP32_MAX, offset >= _ZIP32_MAX
        zip64 = b""
        if big_size or big_offset:
            fields = (struct.pack("<QQ", size, size) if big_size else b"") + \
                (struct.pack("<Q", offset) if big_offset else b"")
            zip64 = struct.pack("<HH", 1, len(fields)) + fields
        start = offset + 30 + len(name) + len(zip64) + 4
        pad = -start % _ALIGNMENT
        extra = zip64 + b"FB" + struct.pack("<H", pad) + b"Z" * pad
        flags = 0x0808 if size else 0x0800   # data descriptor follows; UTF-8 names
        self._write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45 if zip64 else 0, flags, 0, 0, 0,
                                0, 0, 0, len(name), len(extra)))
        self._write(name)
        self._write(extra)
        crc = zlib.crc32(view) if size else 0
        if size:
            self._write(view)
            if big_size or big_offset:
                self._write(struct.pack("<IIQQ", 0x08074B50, crc, size, size))
            else:
                self._write(struct.pack("<IIII", 0x08074B50, crc, size, size))
        self.entries.append((name, crc, size, offset, flags))

    def close(self):
        cd_start = self.pos
        for name, crc, size, offset, flags in self.entries:
            big_size, big_offset = size >= _ZIP32_MAX, offset >= _ZIP32_MAX
            fields = (struct.pack("<QQ", size, size) if big_size else b"") + \
                (struct.pack("<Q", offset) if big_offset else b"")
            extra = struct.pack("<HH", 1, len(fields)) + fields if fields else b""
            size32 = 0xFFFFFFFF if big_size else size
            self._write(struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 45 if extra else 0, 45 if extra else 0, flags,
                0, 0, 0, crc, size32, size32, len(name), len(extra), 0, 0, 0, 0,
                0xFFFFFFFF if big_offset else offset))
            self._write(name)
            self._write(extra)
        cd_size, count = self.pos - cd_start, len(self.entries)
        eocd64 = self.pos
        self._write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 0x031E, 45, 0, 0, count, count,
                                cd_size, cd_start))
        self._write(struct.pack("<IIQI", 0x07064B50, 0, eocd64, 1))
        count16 = min(count, 0xFFFF)
        self._write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count16, count16,
                                min(cd_size, 0xFFFFFFFF), min(cd_start, 0xFFFFFFFF), 0))


def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Saves an object to a disk file in PyTorch's checkpoint format.

    ``torch.load(f, weights_only=True)`` reads the result when ``obj`` holds only tensors,
    parameters and plain containers (dict, ``OrderedDict``, list, tuple, set, numbers, strings,
    ``None``), as state dicts and optimizer state dicts do. Tensors that view the same memory
    are saved once and share storage again when loaded.

    Args:
        obj: the object to save.
        f: a file path (``str`` or ``os.PathLike``) or a binary file-like object with ``write``.
        pickle_module: must be ``None`` or the standard ``pickle`` module.
        pickle_protocol: pickle protocol of ``data.pkl`` (default 2, as PyTorch).
        _use_new_zipfile_serialization: only ``True`` is supported; the legacy format is not
            written.
        _disable_byteorder_record: leave out the ``byteorder`` record.

    Example::

        >>> x = chainrule.tensor([0, 1, 2, 3, 4])
        >>> chainrule.save(x, "tensor.pt")
        >>> buffer = io.BytesIO()
        >>> chainrule.save({"weight": x}, buffer)
    """
    if pickle_module not in (None, pickle):
        raise TypeError("chainrule.save only supports the standard pickle module")
    if not _use_new_zipfile_serialization:
        raise NotImplementedError(
            "chainrule.save writes only PyTorch's zip checkpoint format; "
            "_use_new_zipfile_serialization=False (the legacy format) is not supported")
    storages = _StorageTable()
    buf = io.BytesIO()
    _Pickler(buf, pickle_protocol, storages, _core_classes()).dump(obj)

    prefix = _archive_name(f) + "/"
    close = isinstance(f, (str, os.PathLike))
    fh = open(f, "wb") if close else f
    if not close and not hasattr(fh, "write"):
        raise AttributeError(f"expected 'f' to be string, path, or a file-like object with a "
                             f"'write' attribute, got {type(f).__name__}")
    try:
        zw = _ZipWriter(fh)
        zw.add(prefix + "data.pkl", buf.getbuffer())
        zw.add(prefix + ".format_version", _FORMAT_VERSION.encode())
        zw.add(prefix + ".storage_alignment", str(_ALIGNMENT).encode())
        if not _disable_byteorder_record:
            zw.add(prefix + "byteorder", b"little")
        for key, flat in storages.records:
            zw.add(prefix + "data/" + key, flat.view(np.uint8))
        zw.add(prefix + "version", _ARCHIVE_VERSION.encode())
        sid = f"{secrets.randbits(64):020d}{secrets.randbits(64):020d}"
        zw.add(prefix + ".data/serialization_id", sid.encode())
        zw.close()
    finally:
        if close:
            fh.close()


# ============================================================================ safe globals
# Modules whose globals are refused even if a user allowlists them.
_BLOCKED_MODULES = frozenset({
    "os", "posix", "nt", "sys", "subprocess", "shutil", "importlib", "runpy",
    "pickle", "_pickle", "marshal", "ctypes", "socket", "code", "codeop", "pty", "signal",
    "multiprocessing", "webbrowser", "io", "_io", "pathlib", "tempfile", "types", "inspect",
})
_BLOCKED_BUILTINS = frozenset({
    "eval", "exec", "compile", "open", "__import__", "getattr", "setattr", "delattr", "globals",
    "locals", "vars", "input", "breakpoint", "exit", "quit", "help", "memoryview", "type",
    "super", "classmethod", "staticmethod", "property",
})

_user_safe_globals = {}


def _global_name(obj):
    if isinstance(obj, tuple):
        if len(obj) != 2 or not isinstance(obj[1], str):
            raise ValueError("Expected tuple of length 2 (global, str of callable full path)")
        return obj[1], obj[0]
    return f"{obj.__module__}.{obj.__qualname__}", obj


def add_safe_globals(safe_globals):
    """Marks the given globals as safe for :func:`load`, in either ``weights_only`` mode.

    Args:
        safe_globals (list): classes or functions, or ``(obj, "module.name")`` pairs naming the
            path under which the pickle refers to them.

    Example::

        >>> class MyTensorHolder: ...
        >>> chainrule.serialization.add_safe_globals([MyTensorHolder])
        >>> chainrule.load("holder.pt")
    """
    for g in safe_globals:
        name, obj = _global_name(g)
        _user_safe_globals[name] = obj


def get_safe_globals():
    """The globals added with :func:`add_safe_globals`."""
    return list(_user_safe_globals.values())


def clear_safe_globals():
    """Forget every global added with :func:`add_safe_globals`."""
    _user_safe_globals.clear()


@contextlib.contextmanager
def safe_globals(safe_globals):
    """Context manager that adds ``safe_globals`` (as :func:`add_safe_globals`) for its body."""
    saved = dict(_user_safe_globals)
    add_safe_globals(safe_globals)
    try:
        yield
    finally:
        _user_safe_globals.clear()
        _user_safe_globals.update(saved)


# ============================================================================ loading
class _StorageType:
    """What ``torch.FloatStorage`` and friends resolve to: a name and a NumPy dtype."""

    __slots__ = ("name", "np")

    def __init__(self, name, np_dtype):
        self.name = name
        self.np = np_dtype

    def __repr__(self):
        return f"torch.{self.name}"


_STORAGE_TYPES = {name: _StorageType(name, dt) for name, dt in _STORAGE_TO_NP.items()}


class _Storage:
    """A loaded storage: a 1-D NumPy array and the device it is restored to."""

    __slots__ = ("array", "device")

    def __init__(self, array, device):
        self.array = array
        self.device = device


def _is_int(x):
    return isinstance(x, int) or isinstance(x, np.integer)


def _as_tensor(array, device):
    from ._tensor import Tensor
    _dtype.from_numpy_dtype(array.dtype)    # TypeError for a type chainrule does not have
    t = Tensor._make(array)
    if device is not None:
        t = t.to(device)
    return t


def _rebuild_tensor(storage, storage_offset, size, stride):
    if not isinstance(storage, _Storage):
        raise pickle.UnpicklingError(
            f"expected a storage as first argument of a tensor rebuild, got {type(storage)!r}")
    size, stride = tuple(size), tuple(stride)
    if not (_is_int(storage_offset) and all(_is_int(n) for n in size + stride)
            and len(size) == len(stride)):
        raise pickle.UnpicklingError(
            f"invalid tensor geometry: offset {storage_offset!r}, size {size!r}, "
            f"stride {stride!r}")
    arr = storage.array
    item = arr.dtype.itemsize
    size = tuple(int(n) for n in size)
    stride = tuple(int(s) for s in stride)
    offset = int(storage_offset)
    if any(n < 0 for n in size) or any(s < 0 for s in stride) or offset < 0:
        raise pickle.UnpicklingError(
            f"invalid tensor geometry: offset {offset}, size {size}, stride {stride}")
    if 0 in size:
        view = np.empty(size, dtype=arr.dtype)
    elif offset == 0 and stride == _contiguous_strides(size) and arr.size == _numel(size):
        view = arr.reshape(size)
    else:
        extent = offset + sum((n - 1) * s for n, s in zip(size, stride))
        if extent >= arr.size:
            raise RuntimeError(
                f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset "
                f"{offset} and itemsize {item} requiring a storage size of "
                f"{(extent + 1) * item} are out of bounds for storage of size "
                f"{arr.size * item}")
        view = np.ndarray(size, arr.dtype, buffer=arr, offset=offset * item,
                          strides=tuple(s * item for s in stride))
    return _as_tensor(view, storage.device)


def _numel(size):
    n = 1
    for d in size:
        n *= d
    return n


def _apply_metadata(t, metadata):
    if metadata:
        if not isinstance(metadata, dict):
            raise pickle.UnpicklingError(f"invalid tensor metadata {metadata!r}")
        if metadata.get("conj"):
            t._data = np.conj(t._data)
        if metadata.get("neg"):
            t._data = np.negative(t._data)


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       metadata=None):
    t = _rebuild_tensor(storage, storage_offset, size, stride)
    _apply_metadata(t, metadata)
    if requires_grad:
        t.requires_grad = True
    return t


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       dtype, metadata=None):
    if not isinstance(storage, _Storage) or not isinstance(dtype, _dtype_cls):
        raise pickle.UnpicklingError("invalid arguments to _rebuild_tensor_v3")
    raw = storage.array
    if raw.nbytes % dtype.itemsize:
        raise RuntimeError(f"storage of {raw.nbytes} bytes cannot hold {dtype} elements")
    typed = _Storage(raw.view(np.uint8).view(dtype.np), storage.device)
    return _rebuild_tensor_v2(typed, storage_offset, size, stride, requires_grad,
                              backward_hooks, metadata)


def _make_parameter(data, requires_grad):
    Parameter = _parameter_class()
    if Parameter is None:  # before chainrule.nn exists: a leaf tensor with the flag
        if requires_grad:
            data.requires_grad = True
        return data
    return Parameter(data, requires_grad)


def _set_state(obj, state):
    if state is None:
        return obj
    slots = None
    if isinstance(state, tuple) and len(state) == 2:
        state, slots = state
    for mapping in (state, slots):
        if mapping:
            if not isinstance(mapping, dict):
                raise pickle.UnpicklingError(f"invalid serialized state: {mapping!r}")
            for k, v in mapping.items():
                setattr(obj, k, v)
    return obj


def _rebuild_parameter(data, requires_grad, backward_hooks):
    return _make_parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    return _set_state(_make_parameter(data, requires_grad), state)


def _rebuild_from_type_v2(func, new_type, args, state):
    if func not in (_rebuild_tensor_v2, _rebuild_tensor_v3, _rebuild_tensor, _rebuild_parameter,
                    _rebuild_parameter_with_state):
        raise pickle.UnpicklingError(f"_rebuild_from_type_v2 cannot call {func!r}")
    ret = func(*args)
    Parameter = _parameter_class()
    if Parameter is not None and new_type is Parameter and not isinstance(ret, Parameter):
        ret = Parameter(ret, ret.requires_grad)
    elif not isinstance(new_type, type) or not isinstance(ret, new_type):
        raise pickle.UnpicklingError(f"cannot rebuild a tensor of type {new_type!r}")
    return _set_state(ret, state)


def _torch_names():
    """The table of ``torch.*`` globals a checkpoint may name, mapped to chainrule objects."""
    from ._tensor import Size, Tensor, device
    table = {
        "collections.OrderedDict": collections.OrderedDict,
        "collections.Counter": collections.Counter,
        "builtins.set": set,
        "builtins.complex": complex,
        "builtins.bytearray": bytearray,
        "_codecs.encode": _codecs_encode,
        "torch._utils._rebuild_tensor": _rebuild_tensor,
        "torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
        "torch._utils._rebuild_tensor_v3": _rebuild_tensor_v3,
        "torch._utils._rebuild_parameter": _rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": _rebuild_parameter_with_state,
        "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2,
        "torch.Size": Size,
        "torch.device": device,
        "torch.Tensor": Tensor,
    }
    Parameter = _parameter_class()
    if Parameter is not None:
        table["torch.nn.parameter.Parameter"] = Parameter
    for d in _dtype._ALL + _dtype._EXTRA:
        table["torch." + d.name] = d
    for name, st in _STORAGE_TYPES.items():
        if name == "UntypedStorage" or st.np in _dtype._FROM_NP_ANY:
            table["torch." + name] = st
    table["torch.storage.UntypedStorage"] = _STORAGE_TYPES["UntypedStorage"]
    return table


def _codecs_encode(obj, encoding="utf-8", errors="strict"):
    # protocol 2 writes bytes as _codecs.encode(str, 'latin1'); only text -> bytes is allowed
    import codecs
    if not isinstance(obj, str) or codecs.lookup(encoding).name not in (
            "latin-1", "iso8859-1", "utf-8", "ascii"):
        raise pickle.UnpicklingError("_codecs.encode is only allowed for text to bytes")
    return obj.encode(encoding, errors)


# Additionally allowed with weights_only=False (besides chainrule's core, nn and optim classes).
_FULL_EXTRA = {
    "builtins.frozenset": frozenset,
    "builtins.slice": slice,
    "builtins.range": range,
    "argparse.Namespace": None,            # resolved on first use
    "numpy.ndarray": np.ndarray,
    "numpy.dtype": np.dtype,
    "numpy.core.multiarray._reconstruct": None,
    "numpy._core.multiarray._reconstruct": None,
    "numpy.core.multiarray.scalar": None,
    "numpy._core.multiarray.scalar": None,
}
_NUMPY_DTYPE_CLASSES = "numpy.dtypes."


def _resolve_full_extra(module, name):
    full = f"{module}.{name}"
    if full == "argparse.Namespace":
        import argparse
        return argparse.Namespace
    if module in ("numpy.core.multiarray", "numpy._core.multiarray"):
        try:
            from numpy._core import multiarray
        except ImportError:  # NumPy 1.x
            from numpy.core import multiarray
        return getattr(multiarray, name)
    return _FULL_EXTRA[full]


# Where weights_only=False finds chainrule classes: the tensor core, modules, optimizers and
# schedulers, whose constructors only build objects. Packages whose classes touch files or the
# network (datasets, downloads) are left out.
_CHAINRULE_CLASS_MODULES = ("chainrule", "chainrule._tensor", "chainrule._dtype",
                            "chainrule._random")
_CHAINRULE_CLASS_PACKAGES = ("chainrule.nn", "chainrule.optim")


def _chainrule_class(module, name):
    """A public class of chainrule's tensor core, ``nn`` or ``optim``, or None."""
    if module not in _CHAINRULE_CLASS_MODULES and not any(
            module == p or module.startswith(p + ".") for p in _CHAINRULE_CLASS_PACKAGES):
        return None
    if module == __name__ or any(part.startswith("_") for part in name.split(".")):
        return None
    try:
        obj = importlib.import_module(module)
        for part in name.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        return None
    if isinstance(obj, type) and obj.__module__.startswith("chainrule"):
        return obj
    return None


_UNSAFE_MESSAGE = (
    "Weights only load failed. This file can still be loaded, to do so you have two options, "
    "do those steps only if you trust the source of the checkpoint. \n\t(1) Re-running "
    "`chainrule.load` with `weights_only` set to `False` allows, besides tensors and plain "
    "containers, chainrule's tensor, nn and optim classes, NumPy arrays, slices, ranges and "
    "frozensets, but never arbitrary code.\n\t(2) Alternatively, use "
    "`chainrule.serialization.add_safe_globals` or the "
    "`chainrule.serialization.safe_globals` context manager to allowlist a global you trust.\n"
    "\tWeightsUnpickler error: ")


class _UnsupportedGlobal(pickle.UnpicklingError):
    pass


def _display_name(module, name):
    return name if module == "builtins" else f"{module}.{name}"


class _Unpickler(pickle.Unpickler):
    """``pickle.Unpickler`` whose ``find_class`` resolves names from fixed tables only."""

    def __init__(self, file, loader, weights_only, **kwargs):
        super().__init__(file, **kwargs)
        self._loader = loader
        self._weights_only = weights_only
        self._table = _torch_names()

    def persistent_load(self, pid):
        return self._loader.storage(pid)

    def find_class(self, module, name):
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.IMPORT_MAPPING:
            module = _compat_pickle.IMPORT_MAPPING[module]
        full = f"{module}.{name}"
        root = module.split(".")[0]
        if root in _BLOCKED_MODULES or (module == "builtins" and name in _BLOCKED_BUILTINS):
            raise _UnsupportedGlobal(
                f"Unsupported global: GLOBAL {full}: module '{root}' is blocked and is never "
                f"loaded, whatever weights_only and the allowlist say.")
        if full in self._table:
            return self._table[full]
        if module in ("torch._utils", "torch._tensor") and name.startswith("_rebuild"):
            raise RuntimeError(f"chainrule.load: the checkpoint holds a kind of tensor chainrule "
                               f"does not support (it is rebuilt by {full})")
        if module == "torch" and name.endswith("Storage"):
            missing = _MISSING_DTYPES.get(name) or getattr(_STORAGE_TYPES.get(name), "np", name)
            raise RuntimeError(f"chainrule.load: the checkpoint holds a torch.{name} but "
                               f"chainrule has no {missing} dtype")
        if module == "torch" and name in ("bfloat16", "float8_e4m3fn", "float8_e5m2"):
            raise RuntimeError(f"chainrule.load: the checkpoint uses torch.{name}, a dtype "
                               f"chainrule does not have")
        if full in _user_safe_globals:
            return _user_safe_globals[full]
        if not self._weights_only:
            if full in _FULL_EXTRA:
                return _resolve_full_extra(module, name)
            cls = _chainrule_class(module, name)
            if cls is not None:
                return cls
            raise pickle.UnpicklingError(
                f"chainrule.load refused GLOBAL {full}: even with weights_only=False only "
                f"tensors, plain containers, chainrule's tensor, nn and optim classes, NumPy "
                f"arrays, slices, ranges, frozensets, argparse.Namespace and globals added with "
                f"chainrule.serialization.add_safe_globals are loaded. If you trust this "
                f"checkpoint, use chainrule.serialization.add_safe_globals([{name}]).")
        shown = _display_name(module, name)
        raise _UnsupportedGlobal(
            f"Unsupported global: GLOBAL {shown} was not an allowed global by default. "
            f"Please use `chainrule.serialization.add_safe_globals([{name}])` or the "
            f"`chainrule.serialization.safe_globals([{name}])` context manager to allowlist "
            f"this global if you trust this class/function.")


class _ZipLoader:
    """Reads the records of one checkpoint archive."""

    def __init__(self, zf, prefix, map_location, mmap_path):
        self.zf = zf
        self.prefix = prefix
        self.map_location = map_location
        self.mmap_path = mmap_path
        self.storages = {}
        order = self.record("byteorder", optional=True)
        if order is None:
            order = b"little"
        if order not in (b"little", b"big"):
            raise ValueError("Unknown endianness type: " + order.decode("latin-1"))
        self.swap = order.decode() != sys.byteorder

    def record(self, name, optional=False):
        full = self.prefix + name
        try:
            return self.zf.read(full)
        except KeyError:
            if optional:
                return None
            raise RuntimeError(f"chainrule.load: the checkpoint has no record {full!r}; the "
                               f"file is truncated or corrupt") from None
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
            raise RuntimeError(f"chainrule.load: failed reading record {full!r} of the zip "
                               f"archive ({e}); the file is truncated or corrupt") from None

    def storage(self, pid):
        if not isinstance(pid, tuple) or len(pid) != 5 or pid[0] not in ("storage", b"storage"):
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r} in the checkpoint")
        _, stype, key, location, numel = pid
        if isinstance(key, bytes):
            key = key.decode("ascii")
        if isinstance(location, bytes):
            location = location.decode("ascii")
        if not isinstance(stype, _StorageType) or not isinstance(key, str) \
                or not isinstance(location, str) or not _is_int(numel) or numel < 0:
            raise pickle.UnpicklingError(f"invalid storage reference {pid!r} in the checkpoint")
        cached = self.storages.get(key)
        if cached is not None:
            if cached.array.dtype != stype.np:
                raise RuntimeError(f"chainrule.load: storage {key} is used with two dtypes")
            return cached
        array, device = self._restore(self._read_storage(key, stype.np, int(numel)), location)
        st = _Storage(array, device)
        self.storages[key] = st
        return st

    def _read_storage(self, key, dt, numel):
        name = self.prefix + "data/" + key
        try:
            info = self.zf.getinfo(name)
        except KeyError:
            raise RuntimeError(f"chainrule.load: the checkpoint has no record {name!r}; the "
                               f"file is truncated or corrupt") from None
        nbytes = numel * dt.itemsize
        if info.file_size < nbytes:
            raise RuntimeError(f"chainrule.load: record {name!r} holds {info.file_size} bytes, "
                               f"{nbytes} expected; the file is truncated or corrupt")
        if self.mmap_path is not None and info.compress_type == zipfile.ZIP_STORED and nbytes:
            arr = np.memmap(self.mmap_path, dtype=dt, mode="c", shape=(numel,),
                            offset=self._data_offset(info))
        else:
            arr = np.empty(numel, dtype=dt)
            try:
                with self.zf.open(info) as src:
                    got = src.readinto(memoryview(arr.view(np.uint8)))
                    if got != nbytes:
                        raise EOFError(f"read {got} of {nbytes} bytes")
                    src.read()  # reach the end so that the CRC is checked
            except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
                raise RuntimeError(f"chainrule.load: failed reading record {name!r} of the zip "
                                   f"archive ({e}); the file is truncated or corrupt") from None
        if self.swap and dt.itemsize > 1:
            arr = arr.byteswap()
        return arr

    def _data_offset(self, info):
        with open(self.mmap_path, "rb") as fh:
            fh.seek(info.header_offset)
            header = fh.read(30)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            raise RuntimeError("chainrule.load: bad local zip header; the file is corrupt")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        return info.header_offset + 30 + name_len + extra_len

    def _restore(self, array, location):
        ml = self.map_location
        target = location
        if ml is None:
            pass
        elif isinstance(ml, dict):
            target = ml.get(location, location)
        elif isinstance(ml, (str, _device_class())):
            target = ml
        elif callable(ml):
            result = ml(array, location)
            if result is not None:
                if not isinstance(result, np.ndarray):
                    raise TypeError(f"map_location callable must return None or the storage "
                                    f"array it was given, got {type(result).__name__}")
                array, target = result, "cpu"
        else:
            raise TypeError(f"map_location should be None, a string, a device, a dict or a "
                            f"callable, got {type(ml).__name__}")
        return array, _check_location(str(target))


def _device_class():
    from ._tensor import device
    return device


def _check_location(target):
    kind = target.split(":")[0]
    if kind == "cpu":
        return None
    if kind == "cuda":
        try:
            from . import cuda
            available = cuda.is_available()
        except (ImportError, AttributeError):
            available = False
        if not available:
            raise RuntimeError(
                "Attempting to deserialize object on a CUDA device but "
                "torch.cuda.is_available() is False. If you are running on a CPU-only machine, "
                "please use torch.load with map_location=torch.device('cpu') to map your "
                "storages to the CPU.")
        return target
    raise RuntimeError(f"don't know how to restore data location of storage (tagged with "
                       f"{target})")


def _open_for_read(f):
    if isinstance(f, (str, os.PathLike)):
        return open(f, "rb"), True
    if not hasattr(f, "read"):
        raise AttributeError(f"expected 'f' to be string, path, or a file-like object with a "
                             f"'read' attribute, got {type(f).__name__}")
    seekable = getattr(f, "seekable", None)
    if seekable is None or not seekable():
        return io.BytesIO(f.read()), False
    return f, False


def _check_magic(fh):
    pos = fh.tell()
    head = fh.read(512)
    fh.seek(pos)
    if head[:4] == b"PK\x03\x04":
        return
    if not head:
        raise EOFError("Ran out of input")
    if head[:1] == b"\x80" or head[257:262] == b"ustar":
        raise RuntimeError(
            "chainrule.load: this file is in PyTorch's legacy serialization format (written by "
            "torch < 1.6 or with _use_new_zipfile_serialization=False), which chainrule does not "
            "read. Load it with torch and save it again with torch.save(obj, f) to get the zip "
            "format.")
    raise RuntimeError("chainrule.load: not a checkpoint: PyTorch's zip format starts with the "
                       "bytes 'PK\\x03\\x04' (the file may be corrupt)")


def load(f, map_location=None, pickle_module=None, *, weights_only=True, mmap=None,
         **pickle_load_args):
    """Loads an object saved with :func:`save` or ``torch.save`` from a file.

    Tensors come back on the CPU with their dtype, shape, strides and ``requires_grad``;
    tensors saved from one storage share memory again. torch is never imported, and no code
    from the file runs: the unpickler only constructs what the tables below allow.

    ``weights_only=True`` (the default, as in PyTorch 2.6+) allows tensors, parameters, dtypes,
    ``torch.Size``, ``torch.device``, and the containers dict, ``OrderedDict``, ``Counter``,
    list, tuple, set, plus numbers, strings, bytes, ``bytearray`` and ``None`` — what state dicts
    and optimizer state dicts hold. ``weights_only=False`` also allows the public classes of
    chainrule's tensor core, ``nn`` and ``optim`` (a whole saved ``nn.Module`` or optimizer),
    NumPy arrays and scalars, ``slice``, ``range``, ``frozenset`` and ``argparse.Namespace``;
    unlike PyTorch it never imports arbitrary globals, so a model class of your own must be
    allowlisted.
    Anything else, in either mode, must be allowlisted with :func:`add_safe_globals`; globals
    from ``os``, ``sys``, ``subprocess`` and similar modules are always refused. A refused
    global raises ``pickle.UnpicklingError`` naming it.

    Args:
        f: a file path (``str`` or ``os.PathLike``) or a binary file-like object.
        map_location: ``None`` (restore to the saved device), ``'cpu'``, a device, a dict
            mapping saved locations to locations (``{'cuda:0': 'cpu'}``) or a callable
            ``(storage_array, location)`` returning ``None`` or the array to use. chainrule
            runs on the CPU: storages saved on a CUDA device need ``map_location='cpu'``.
        pickle_module: must be ``None`` (or the standard ``pickle`` with ``weights_only=False``).
        weights_only (bool): restrict unpickling to tensors and plain containers (default).
        mmap (bool): memory-map the storages of a checkpoint given by path instead of reading
            them into memory (copy-on-write).
        pickle_load_args: passed to ``pickle.Unpickler`` (``encoding``, ``errors``).

    Example::

        >>> chainrule.load("tensors.pt", weights_only=True)
        >>> chainrule.load("tensors.pt", map_location="cpu")
        >>> chainrule.load("tensors.pt", map_location={"cuda:1": "cpu"})
        >>> with open("tensor.pt", "rb") as f:
        ...     buffer = io.BytesIO(f.read())
        >>> chainrule.load(buffer)
    """
    if weights_only is None:
        weights_only = True
    if pickle_module is not None:
        if weights_only:
            raise RuntimeError("Can not safely load weights when explicit pickle_module is "
                               "specified")
        if pickle_module is not pickle:
            raise TypeError("chainrule.load only supports the standard pickle module")
    mmap_path = None
    if mmap:
        if not isinstance(f, (str, os.PathLike)):
            raise ValueError("f must be a file path in order to use the mmap argument")
        mmap_path = os.fspath(f)
    pickle_load_args.setdefault("encoding", "utf-8")

    fh, close = _open_for_read(f)
    try:
        _check_magic(fh)
        try:
            zf = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
            raise RuntimeError(f"chainrule.load: failed reading zip archive ({e}); the file is "
                               f"truncated or corrupt") from None
        with zf:
            names = zf.namelist()
            if not names:
                raise RuntimeError("chainrule.load: the zip archive is empty")
            prefix = names[0].split("/")[0] + "/"
            if prefix + "data.pkl" not in names:
                if prefix + "constants.pkl" in names:
                    raise RuntimeError("chainrule.load: this is a TorchScript archive "
                                       "(torch.jit.save), which chainrule cannot load")
                raise RuntimeError(f"chainrule.load: the zip archive has no "
                                   f"{prefix}data.pkl record; not a checkpoint")
            loader = _ZipLoader(zf, prefix, map_location, mmap_path)
            data = loader.record("data.pkl")
            unpickler = _Unpickler(io.BytesIO(data), loader, weights_only, **pickle_load_args)
            try:
                return unpickler.load()
            except _UnsupportedGlobal as e:
                if weights_only:
                    raise pickle.UnpicklingError(_UNSAFE_MESSAGE + str(e)) from None
                raise pickle.UnpicklingError(str(e)) from None
            except pickle.UnpicklingError:
                raise
            except (EOFError, ValueError) as e:
                raise RuntimeError(f"chainrule.load: data.pkl is corrupt "
                                   f"({type(e).__name__}: {e})") from None
    finally:
        if close:
            fh.close()
