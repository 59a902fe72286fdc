"""chainrule.save / chainrule.load: PyTorch's zip checkpoint format, both directions."""
import collections
import io
import os
import pickle
import struct
import zipfile

import numpy as np
import pytest

import chainrule
from chainrule import serialization

DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]


def T(array):
    return chainrule.from_numpy(np.asarray(array))


def sample(dtype):
    rng = np.random.default_rng(0)
    if dtype == "bool":
        return rng.random((3, 4)) > 0.5
    if dtype.startswith(("int", "uint")):
        return rng.integers(0, 100, (3, 4)).astype(dtype)
    return rng.standard_normal((3, 4)).astype(dtype)


def roundtrip(obj, **load_kwargs):
    buf = io.BytesIO()
    chainrule.save(obj, buf)
    buf.seek(0)
    return chainrule.load(buf, **load_kwargs)


def assert_same(a, b):
    """chainrule tensor ``a`` equals chainrule tensor or NumPy array ``b`` in dtype/shape/values."""
    b = b._data if isinstance(b, chainrule.Tensor) else np.asarray(b)
    assert a._data.dtype == b.dtype
    assert a._data.shape == b.shape
    np.testing.assert_array_equal(a._data, b)


def rewrite_pickle(data, pkl):
    """A copy of checkpoint bytes ``data`` whose data.pkl is replaced by ``pkl``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, pkl if name.endswith("/data.pkl") else src.read(name))
    return out.getvalue()


def checkpoint_bytes(obj):
    buf = io.BytesIO()
    chainrule.save(obj, buf)
    return buf.getvalue()


# ------------------------------------------------------------------ chainrule -> chainrule
@pytest.mark.parametrize("dtype", DTYPES)
def test_roundtrip_every_dtype(dtype):
    x = T(sample(dtype))
    y = roundtrip(x)
    assert_same(y, x)
    assert y.dtype is x.dtype


def test_roundtrip_zero_dim_empty_and_noncontiguous():
    base = np.arange(24, dtype=np.float32).reshape(4, 6)
    obj = {
        "scalar": T(np.array(3.5)),
        "int_scalar": T(np.array(7, dtype=np.int64)),
        "empty": T(np.zeros((0, 3), dtype=np.float32)),
        "transpose": T(base.T),
        "slice": T(base[1:3, ::2]),
        "flipped": T(base[::-1]),
        "broadcast": T(np.broadcast_to(np.arange(3.0), (4, 3))),
        "fortran": T(np.asfortranarray(base)),
    }
    out = roundtrip(obj)
    assert list(out) == list(obj)
    for k in obj:
        assert_same(out[k], obj[k])


def test_roundtrip_shared_storage_and_identity():
    w = T(np.arange(12, dtype=np.float32).reshape(3, 4))
    obj = {"w": w, "wt": T(w._data.T), "row": T(w._data[1]), "again": w}
    out = roundtrip(obj)
    assert out["again"] is out["w"]
    assert np.shares_memory(out["w"]._data, out["wt"]._data)
    assert np.shares_memory(out["w"]._data, out["row"]._data)
    out["w"]._data[1, 0] = 100.0
    assert out["row"]._data[0] == 100.0 and out["wt"]._data[0, 1] == 100.0
    # one storage record for the three views
    names = zipfile.ZipFile(io.BytesIO(checkpoint_bytes(obj))).namelist()
    assert [n for n in names if "/data/" in n] == ["archive/data/0"]


def test_roundtrip_containers_and_optimizer_state():
    sd = collections.OrderedDict((f"layer{i}.weight", T(np.full((2,), i, np.float32)))
                                 for i in (3, 1, 2))
    opt = {"state": {0: {"step": T(np.array(5.0)), "exp_avg": T(np.ones(2, np.float32)),
                         "momentum_buffer": None}},
           "param_groups": [{"lr": 0.01, "betas": (0.9, 0.999), "params": [0, 1],
                             "nesterov": False, "name": "adam", "foreach": None}]}
    obj = {"model": sd, "optim": opt, "epoch": 3, "loss": 0.25, "tags": ("a", "b"),
           "bytes": b"\x00\xff", "set": {1, 2}, "complex": 1 + 2j, "big": 2 ** 70,
           "nested": [[1, [2.5, None]], {"k": True}], "dtype": chainrule.float16,
           "size": chainrule.Size([2, 3]), "device": chainrule.device("cpu")}
    out = roundtrip(obj)
    assert type(out["model"]) is collections.OrderedDict
    assert list(out["model"]) == ["layer3.weight", "layer1.weight", "layer2.weight"]
    for k in sd:
        assert_same(out["model"][k], sd[k])
    st = out["optim"]["state"][0]
    assert_same(st["step"], opt["state"][0]["step"])
    assert st["momentum_buffer"] is None
    assert out["optim"]["param_groups"] == opt["param_groups"]
    for k in ("epoch", "loss", "tags", "bytes", "set", "complex", "big", "nested"):
        assert out[k] == obj[k] and type(out[k]) is type(obj[k])
    assert out["dtype"] is chainrule.float16
    assert out["size"] == (2, 3) and type(out["size"]) is chainrule.Size
    assert out["device"] == chainrule.device("cpu")


def test_requires_grad_roundtrip():
    x = T(np.ones(3, np.float32)).requires_grad_()
    y = roundtrip({"x": x, "n": T(np.ones(2))})
    assert y["x"].requires_grad and y["x"].is_leaf and y["x"].grad_fn is None
    assert not y["n"].requires_grad


def test_parameter_roundtrip():
    nn_param = pytest.importorskip("chainrule.nn.parameter")
    p = nn_param.Parameter(T(np.arange(4, dtype=np.float32)))
    frozen = nn_param.Parameter(T(np.zeros(2, np.float32)), requires_grad=False)
    out = roundtrip({"p": p, "frozen": frozen})
    assert isinstance(out["p"], nn_param.Parameter) and out["p"].requires_grad
    assert isinstance(out["frozen"], nn_param.Parameter) and not out["frozen"].requires_grad
    assert_same(out["p"], p)


def test_path_and_file_object(tmp_path):
    x = T(np.arange(5, dtype=np.int32))
    path = tmp_path / "weights.pt"
    chainrule.save({"x": x}, path)
    assert_same(chainrule.load(path)["x"], x)
    assert_same(chainrule.load(str(path))["x"], x)
    assert zipfile.ZipFile(path).namelist()[0] == "weights/data.pkl"
    with open(path, "rb") as fh:
        assert_same(chainrule.load(fh)["x"], x)
    with open(tmp_path / "other.pt", "wb") as fh:
        chainrule.save(x, fh)
    assert_same(chainrule.load(tmp_path / "other.pt"), x)
    assert_same(chainrule.load(path, mmap=True)["x"], x)


def test_non_seekable_streams():
    class WriteOnly:
        def __init__(self):
            self.data = bytearray()

        def write(self, b):
            self.data += b
            return len(b)

    class ReadOnly(io.RawIOBase):
        def __init__(self, data):
            self._src = io.BytesIO(data)

        def readable(self):
            return True

        def seekable(self):
            return False

        def readinto(self, b):
            return self._src.readinto(b)

    x = T(np.arange(6.0).reshape(2, 3))
    sink = WriteOnly()
    chainrule.save({"x": x}, sink)
    assert_same(chainrule.load(ReadOnly(bytes(sink.data)))["x"], x)


def test_record_layout_is_aligned():
    data = checkpoint_bytes({"a": T(np.ones(3, np.int8)), "b": T(np.ones(5))})
    zf = zipfile.ZipFile(io.BytesIO(data))
    assert zf.testzip() is None
    names = zf.namelist()
    assert names[:4] == ["archive/data.pkl", "archive/.format_version",
                         "archive/.storage_alignment", "archive/byteorder"]
    assert names[-2:] == ["archive/version", "archive/.data/serialization_id"]
    assert zf.read("archive/byteorder") == b"little"
    for info in zf.infolist():
        name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:
                                                        info.header_offset + 30])
        assert (info.header_offset + 30 + name_len + extra_len) % 64 == 0


def test_zip64_fields(monkeypatch):
    # Force the zip64 layout (normally used past 4 GiB) on a small archive.
    monkeypatch.setattr(serialization, "_ZIP32_MAX", 100)
    x = T(np.arange(60, dtype=np.float32))
    data = checkpoint_bytes({"x": x, "y": T(np.ones(3))})
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    out = chainrule.load(io.BytesIO(data))
    assert_same(out["x"], x)


def test_safe_globals_allowlist():
    blob = checkpoint_bytes({"x": T(np.ones(1))})
    pkl = pickle.dumps({"c": collections.namedtuple}, protocol=2)
    bad = rewrite_pickle(blob, pkl)
    with pytest.raises(pickle.UnpicklingError, match="collections.namedtuple"):
        chainrule.load(io.BytesIO(bad))
    with serialization.safe_globals([collections.namedtuple]):
        assert chainrule.load(io.BytesIO(bad))["c"] is collections.namedtuple
    assert collections.namedtuple not in serialization.get_safe_globals()
    with pytest.raises(pickle.UnpicklingError):
        chainrule.load(io.BytesIO(bad))


def test_weights_only_false_allows_documented_extras():
    blob = checkpoint_bytes({})
    obj = {"s": slice(1, 5, 2), "r": range(3), "f": frozenset({1}), "a": np.arange(3)}
    data = rewrite_pickle(blob, pickle.dumps(obj, protocol=2))
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        chainrule.load(io.BytesIO(data))
    out = chainrule.load(io.BytesIO(data), weights_only=False)
    assert out["s"] == obj["s"] and out["r"] == obj["r"] and out["f"] == obj["f"]
    np.testing.assert_array_equal(out["a"], obj["a"])


class _Holder:
    def __init__(self, v):
        self.v = v


def test_weights_only_false_still_refuses_unknown_classes():
    data = rewrite_pickle(checkpoint_bytes({}), pickle.dumps(_Holder(3), protocol=2))
    with pytest.raises(pickle.UnpicklingError, match="_Holder"):
        chainrule.load(io.BytesIO(data), weights_only=False)
    serialization.add_safe_globals([_Holder])
    try:
        assert chainrule.load(io.BytesIO(data)).v == 3
    finally:
        serialization.clear_safe_globals()


def test_whole_module_needs_weights_only_false():
    module = pytest.importorskip("chainrule.nn.modules.module")
    nn_param = pytest.importorskip("chainrule.nn.parameter")
    m = module.Module()
    m.w = nn_param.Parameter(T(np.arange(3, dtype=np.float32)))
    data = checkpoint_bytes(m)
    with pytest.raises(pickle.UnpicklingError, match="Module"):
        chainrule.load(io.BytesIO(data))
    m2 = chainrule.load(io.BytesIO(data), weights_only=False)
    assert type(m2) is module.Module
    assert [name for name, _ in m2.named_parameters()] == ["w"]
    assert_same(m2.w, m.w)


# ------------------------------------------------------------------ malicious and broken files
class _Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


@pytest.mark.parametrize("weights_only", [True, False])
def test_malicious_pickle_is_refused_and_never_run(tmp_path, weights_only):
    marker = tmp_path / "pwned"
    pkl = pickle.dumps({"w": _Exploit(marker)}, protocol=2)
    data = rewrite_pickle(checkpoint_bytes({"x": T(np.ones(2))}), pkl)
    with pytest.raises(pickle.UnpicklingError) as info:
        chainrule.load(io.BytesIO(data), weights_only=weights_only)
    msg = str(info.value)
    assert "Unsupported global: GLOBAL" in msg and ".system" in msg
    if weights_only:
        assert msg.startswith("Weights only load failed")
    assert not marker.exists()
    # even an explicit allowlist never opens the os module
    with serialization.safe_globals([os.system]):
        with pytest.raises(pickle.UnpicklingError):
            chainrule.load(io.BytesIO(data), weights_only=weights_only)
    assert not marker.exists()


@pytest.mark.parametrize("name", ["builtins eval", "builtins getattr", "subprocess Popen",
                                  "__main__ anything", "numpy load",
                                  "chainrule.vision.datasets.digits Digits",
                                  "chainrule.serialization _ZipWriter"])
def test_other_dangerous_globals_refused(name):
    module, attr = name.split()
    pkl = b"\x80\x02c" + f"{module}\n{attr}\n".encode() + b"X\x01\x00\x00\x00x\x85R."
    data = rewrite_pickle(checkpoint_bytes({}), pkl)
    for weights_only in (True, False):
        with pytest.raises(pickle.UnpicklingError, match=attr):
            chainrule.load(io.BytesIO(data), weights_only=weights_only)


def test_truncated_and_corrupt_files(tmp_path):
    data = checkpoint_bytes({"x": T(np.arange(100, dtype=np.float64))})
    with pytest.raises(RuntimeError, match="truncated or corrupt"):
        chainrule.load(io.BytesIO(data[: len(data) // 2]))
    with pytest.raises(RuntimeError, match="truncated or corrupt"):
        chainrule.load(io.BytesIO(data[:-10]))
    # flip a byte of the tensor data: the CRC check catches it
    zf = zipfile.ZipFile(io.BytesIO(data))
    info = zf.getinfo("archive/data/0")
    start = info.header_offset + 30 + sum(struct.unpack(
        "<HH", data[info.header_offset + 26:info.header_offset + 30]))
    broken = bytearray(data)
    broken[start + 5] ^= 0xFF
    with pytest.raises(RuntimeError, match="truncated or corrupt"):
        chainrule.load(io.BytesIO(bytes(broken)))
    with pytest.raises(EOFError):
        chainrule.load(io.BytesIO(b""))
    with pytest.raises(RuntimeError, match="not a checkpoint"):
        chainrule.load(io.BytesIO(b"hello world, not a zip"))
    path = tmp_path / "junk.pt"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(RuntimeError, match="truncated or corrupt"):
        chainrule.load(path)


def test_out_of_bounds_geometry_refused():
    # a storage of 4 floats viewed with size 10: refused instead of reading past the buffer
    x = T(np.arange(4, dtype=np.float32))
    data = checkpoint_bytes(x)
    pkl = zipfile.ZipFile(io.BytesIO(data)).read("archive/data.pkl")
    assert b"K\x04\x85" in pkl                     # the size tuple (4,)
    bad = rewrite_pickle(data, pkl.replace(b"K\x04\x85", b"K\x0a\x85", 1))
    with pytest.raises(RuntimeError, match="out of bounds"):
        chainrule.load(io.BytesIO(bad))


def test_map_location():
    x = T(np.arange(3.0))
    data = checkpoint_bytes({"x": x})
    for ml in (None, "cpu", chainrule.device("cpu"), {"cuda:0": "cpu"},
               lambda storage, loc: storage, lambda storage, loc: None):
        assert_same(chainrule.load(io.BytesIO(data), map_location=ml)["x"], x)
    with pytest.raises(RuntimeError, match="CUDA"):
        chainrule.load(io.BytesIO(data), map_location="cuda")
    with pytest.raises(RuntimeError, match="CUDA"):
        chainrule.load(io.BytesIO(data), map_location={"cpu": "cuda:0"})
    with pytest.raises(TypeError):
        chainrule.load(io.BytesIO(data), map_location=3)


def test_cuda_checkpoint_needs_map_location():
    data = checkpoint_bytes({"x": T(np.arange(3.0))})
    pkl = zipfile.ZipFile(io.BytesIO(data)).read("archive/data.pkl")
    gpu = rewrite_pickle(data, pkl.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0"))
    with pytest.raises(RuntimeError, match="map_location"):
        chainrule.load(io.BytesIO(gpu))
    for ml in ("cpu", {"cuda:0": "cpu"}, lambda s, loc: s):
        out = chainrule.load(io.BytesIO(gpu), map_location=ml)
        assert_same(out["x"], np.arange(3.0))


def test_misuse_errors():
    with pytest.raises(NotImplementedError):
        chainrule.save({}, io.BytesIO(), _use_new_zipfile_serialization=False)
    with pytest.raises(RuntimeError, match="pickle_module"):
        chainrule.load(io.BytesIO(checkpoint_bytes({})), pickle_module=pickle)
    with pytest.raises(ValueError, match="mmap"):
        chainrule.load(io.BytesIO(checkpoint_bytes({})), mmap=True)


# ------------------------------------------------------------------ against real PyTorch
@pytest.mark.parametrize("dtype", DTYPES)
def test_chainrule_save_torch_load_dtypes(dtype):
    torch = pytest.importorskip("torch")
    arr = sample(dtype)
    got = torch.load(io.BytesIO(checkpoint_bytes({"x": T(arr), "t": T(arr.T)})),
                     weights_only=True)
    for key, ref in (("x", arr), ("t", arr.T)):
        assert str(got[key].dtype) == f"torch.{dtype}"
        assert tuple(got[key].shape) == ref.shape
        np.testing.assert_array_equal(got[key].numpy(), ref)


def test_chainrule_save_torch_load_state_dict(tmp_path):
    torch = pytest.importorskip("torch")
    w = np.arange(12, dtype=np.float32).reshape(3, 4)
    sd = collections.OrderedDict([("fc.weight", T(w)), ("fc.bias", T(np.zeros(3, np.float32))),
                                  ("tied", None), ("count", T(np.array(4)))])
    sd["tied"] = T(w.T)
    opt = {"state": {0: {"step": T(np.array(2.0, np.float32)), "exp_avg": T(w[0])}},
           "param_groups": [{"lr": 0.1, "betas": (0.9, 0.99), "params": [0], "name": None}]}
    path = tmp_path / "ckpt.pth"
    chainrule.save({"model": sd, "optim": opt, "epoch": 7, "dtype": chainrule.float64,
                    "shape": chainrule.Size([3, 4]), "set": {1}, "b": b"xy", "z": 1j}, path)
    assert zipfile.ZipFile(path).namelist()[0] == "ckpt/data.pkl"
    got = torch.load(path, weights_only=True)
    assert type(got["model"]) is collections.OrderedDict
    assert list(got["model"]) == ["fc.weight", "fc.bias", "tied", "count"]
    np.testing.assert_array_equal(got["model"]["tied"].numpy(), w.T)
    assert got["model"]["tied"].untyped_storage().data_ptr() == \
        got["model"]["fc.weight"].untyped_storage().data_ptr()
    assert got["model"]["tied"].stride() == (1, 4)
    assert got["model"]["count"].dtype == torch.int64 and got["model"]["count"].dim() == 0
    assert got["optim"]["param_groups"] == opt["param_groups"]
    np.testing.assert_array_equal(got["optim"]["state"][0]["exp_avg"].numpy(), w[0])
    assert got["optim"]["state"][0]["exp_avg"].untyped_storage().data_ptr() == \
        got["model"]["fc.weight"].untyped_storage().data_ptr()
    assert got["epoch"] == 7 and got["dtype"] is torch.float64
    assert got["shape"] == torch.Size([3, 4]) and type(got["shape"]) is torch.Size
    assert got["set"] == {1} and got["b"] == b"xy" and got["z"] == 1j
    assert torch.load(path, weights_only=True, mmap=True)["model"]["fc.weight"].sum() == w.sum()


def test_chainrule_save_torch_load_requires_grad_and_parameter():
    torch = pytest.importorskip("torch")
    x = T(np.ones(2, np.float32)).requires_grad_()
    got = torch.load(io.BytesIO(checkpoint_bytes({"x": x})), weights_only=True)
    assert got["x"].requires_grad and got["x"].is_leaf
    nn_param = pytest.importorskip("chainrule.nn.parameter")
    p = nn_param.Parameter(T(np.ones(2, np.float32)))
    got = torch.load(io.BytesIO(checkpoint_bytes({"p": p})), weights_only=True)
    assert type(got["p"]) is torch.nn.Parameter and got["p"].requires_grad


@pytest.mark.parametrize("dtype", DTYPES)
def test_torch_save_chainrule_load_dtypes(dtype):
    torch = pytest.importorskip("torch")
    t = torch.from_numpy(sample(dtype))
    buf = io.BytesIO()
    torch.save({"x": t, "t": t.t(), "s": t[1, 2]}, buf)
    out = chainrule.load(io.BytesIO(buf.getvalue()))
    for key, ref in (("x", t), ("t", t.t()), ("s", t[1, 2])):
        assert out[key].dtype is getattr(chainrule, dtype)
        assert tuple(out[key].shape) == tuple(ref.shape)
        np.testing.assert_array_equal(out[key]._data, ref.numpy())


def test_torch_save_chainrule_load_state_dicts(tmp_path):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2),
                                torch.nn.BatchNorm1d(2))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    model(torch.randn(5, 4)).sum().backward()
    opt.step()
    w = torch.randn(4, 6)
    extra = {"view": w[1:3, ::2], "expanded": torch.randn(3).expand(4, 3), "base": w,
             "param": torch.nn.Parameter(torch.ones(2)), "empty": torch.zeros(0, 2),
             "half": torch.ones(2, dtype=torch.float16), "dtype": torch.int8,
             "size": torch.Size([1, 2]), "device": torch.device("cpu")}
    path = tmp_path / "torch_ckpt.pt"
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "extra": extra}, path)
    for mmap in (False, True):
        out = chainrule.load(path, mmap=mmap)
        ref = model.state_dict()
        assert type(out["model"]) is collections.OrderedDict
        assert list(out["model"]) == list(ref)
        for k, v in ref.items():
            assert tuple(out["model"][k].shape) == tuple(v.shape)
            assert out["model"][k].dtype.name == str(v.dtype).split(".")[1]
            np.testing.assert_array_equal(out["model"][k]._data, v.numpy())
        osd = opt.state_dict()
        assert out["optim"]["param_groups"] == osd["param_groups"]
        assert sorted(out["optim"]["state"]) == sorted(osd["state"])
        for i, st in osd["state"].items():
            for k, v in st.items():
                np.testing.assert_array_equal(out["optim"]["state"][i][k]._data, v.numpy())
        e = out["extra"]
        np.testing.assert_array_equal(e["view"]._data, w[1:3, ::2].numpy())
        assert np.shares_memory(e["view"]._data, e["base"]._data)
        np.testing.assert_array_equal(e["expanded"]._data, extra["expanded"].numpy())
        assert e["param"].requires_grad
        if hasattr(chainrule.nn, "Parameter"):
            assert isinstance(e["param"], chainrule.nn.Parameter)
        assert e["empty"].shape == (0, 2) and e["half"].dtype is chainrule.float16
        assert e["dtype"] is chainrule.int8 and e["size"] == (1, 2)
        assert e["device"] == chainrule.device("cpu")


def test_torch_untyped_storage_rebuild_v3():
    torch = pytest.importorskip("torch")
    buf = io.BytesIO()
    torch.save({"x": torch.tensor([1, 2, 300], dtype=torch.uint16)}, buf)
    x = chainrule.load(io.BytesIO(buf.getvalue()))["x"]
    assert x.dtype is chainrule.uint16
    assert_same(x, np.array([1, 2, 300], np.uint16))
    # the same _rebuild_tensor_v3 record, reinterpreted as another dtype
    data = buf.getvalue()
    pkl = zipfile.ZipFile(io.BytesIO(data)).read("archive/data.pkl")
    assert b"torch\nuint16\n" in pkl
    out = chainrule.load(io.BytesIO(rewrite_pickle(
        data, pkl.replace(b"torch\nuint16\n", b"torch\nint16\n"))))
    assert_same(out["x"], np.array([1, 2, 300], np.int16))


def test_state_dict_metadata_attribute():
    torch = pytest.importorskip("torch")
    sd = collections.OrderedDict(w=T(np.ones(2, np.float32)))
    sd._metadata = collections.OrderedDict([("", {"version": 1})])
    data = checkpoint_bytes(sd)
    assert chainrule.load(io.BytesIO(data))._metadata == sd._metadata
    assert torch.load(io.BytesIO(data), weights_only=True)._metadata == sd._metadata
    ref = torch.nn.Linear(2, 2).state_dict()
    buf = io.BytesIO()
    torch.save(ref, buf)
    assert chainrule.load(io.BytesIO(buf.getvalue()))._metadata == ref._metadata


def test_tensor_attributes_roundtrip_both_ways():
    torch = pytest.importorskip("torch")
    nn_param = pytest.importorskip("chainrule.nn.parameter")
    t = T(np.ones(2, np.float32))
    t.note = "hello"
    p = nn_param.Parameter(T(np.ones(2, np.float32)))
    p.tag = 3
    data = checkpoint_bytes({"t": t, "p": p})
    for out in (chainrule.load(io.BytesIO(data)), torch.load(io.BytesIO(data), weights_only=True)):
        assert out["t"].note == "hello" and out["p"].tag == 3 and out["p"].requires_grad
    tt, tp = torch.ones(2), torch.nn.Parameter(torch.ones(1))
    tt.note, tp.tag = "x", 5
    buf = io.BytesIO()
    torch.save({"t": tt, "p": tp}, buf)
    out = chainrule.load(io.BytesIO(buf.getvalue()))
    assert out["t"].note == "x" and out["p"].tag == 5
    assert isinstance(out["p"], nn_param.Parameter)


def test_torch_legacy_format_gives_clear_error():
    torch = pytest.importorskip("torch")
    buf = io.BytesIO()
    torch.save({"x": torch.ones(2)}, buf, _use_new_zipfile_serialization=False)
    with pytest.raises(RuntimeError, match="legacy"):
        chainrule.load(io.BytesIO(buf.getvalue()))


def test_torch_only_dtype_gives_clear_error():
    torch = pytest.importorskip("torch")
    buf = io.BytesIO()
    torch.save({"x": torch.ones(2, dtype=torch.bfloat16)}, buf)
    with pytest.raises(RuntimeError, match="no bfloat16 dtype"):
        chainrule.load(io.BytesIO(buf.getvalue()))


@pytest.mark.parametrize("dtype", ["complex128", "uint16", "uint32", "uint64"])
def test_wider_dtypes_roundtrip(dtype):
    """complex128 has a typed storage; uint16/32/64 are written as PyTorch writes them: an
    untyped (byte-counted) storage rebuilt by _rebuild_tensor_v3 with the dtype."""
    values = np.arange(6).reshape(2, 3).astype(dtype)
    t = T(values)
    data = checkpoint_bytes({"t": t, "column": t[:, 1]})
    out = chainrule.load(io.BytesIO(data))
    assert out["t"].dtype is getattr(chainrule, dtype)
    assert_same(out["t"], values)
    assert np.shares_memory(out["t"]._data, out["column"]._data)   # one storage, as saved
    torch = pytest.importorskip("torch")
    theirs = torch.load(io.BytesIO(data), weights_only=True)
    assert theirs["t"].dtype is getattr(torch, dtype)
    assert theirs["t"].tolist() == values.tolist()
    assert theirs["column"].tolist() == values[:, 1].tolist()
    buf = io.BytesIO()
    torch.save({"t": torch.from_numpy(values)}, buf)
    assert_same(chainrule.load(io.BytesIO(buf.getvalue()))["t"], values)


def test_torch_refuses_what_chainrule_refuses(tmp_path):
    torch = pytest.importorskip("torch")
    marker = tmp_path / "pwned"
    data = rewrite_pickle(checkpoint_bytes({}), pickle.dumps(_Exploit(marker), protocol=2))
    with pytest.raises(pickle.UnpicklingError):
        torch.load(io.BytesIO(data), weights_only=True)
    with pytest.raises(pickle.UnpicklingError):
        chainrule.load(io.BytesIO(data))
    assert not marker.exists()


def test_library_never_imports_torch():
    import subprocess
    import sys
    code = ("import io, sys, numpy as np, chainrule\n"
            "b = io.BytesIO(); chainrule.save({'x': chainrule.from_numpy(np.ones(2))}, b)\n"
            "b.seek(0); chainrule.load(b)\n"
            "assert 'torch' not in sys.modules, 'torch imported'\n")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
