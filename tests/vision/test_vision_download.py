"""The downloader against a local HTTP server on 127.0.0.1 (no other network access)."""
import contextlib
import functools
import hashlib
import http.server
import os
import socket
import sys
import threading

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))
from _idx_helpers import gz, idx_bytes  # noqa: E402

from chainrule.vision.datasets import MNIST, FashionMNIST, mnist, utils  # noqa: E402


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory):
    """An HTTP server for ``directory`` on 127.0.0.1 (ephemeral port), shut down on exit."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def dead_mirror():
    """A URL on 127.0.0.1 where nothing listens (a port just released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture(autouse=True)
def _short_timeout(monkeypatch):
    monkeypatch.setattr(utils, "TIMEOUT", 5.0)


def _make_mnist_files(directory, n_train=6, n_test=4):
    """Small gzipped IDX files named like MNIST's; returns (resources, arrays)."""
    rng = np.random.default_rng(1)
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte.gz": rng.integers(0, 10, (n_train,), dtype=np.uint8),
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte.gz": rng.integers(0, 10, (n_test,), dtype=np.uint8),
    }
    resources = []
    for name, arr in arrays.items():
        payload = gz(idx_bytes(arr))
        (directory / name).write_bytes(payload)
        resources.append((name, hashlib.md5(payload).hexdigest()))
    return resources, arrays


def test_torchvision_mirrors_and_md5s():
    assert MNIST.mirrors == ["https://ossci-datasets.s3.amazonaws.com/mnist/",
                             "http://yann.lecun.com/exdb/mnist/"]
    assert FashionMNIST.mirrors == ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    assert dict(MNIST.resources)["train-images-idx3-ubyte.gz"] == "f68b3c2dcbeaaa9fbdd348bbdeb94873"
    assert dict(FashionMNIST.resources)["t10k-labels-idx1-ubyte.gz"] == \
        "bb300cfdad3c16e7a12a480ee83cd310"


def test_download_url_md5_match(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    payload = os.urandom(3 << 20)  # several read chunks
    (served / "blob.bin").write_bytes(payload)
    md5 = hashlib.md5(payload).hexdigest()
    dest = tmp_path / "dest"
    with serve(served) as url:
        path = utils.download_url(url + "blob.bin", dest, md5=md5)
        assert open(path, "rb").read() == payload
        assert os.listdir(dest) == ["blob.bin"]
        # already there with the right MD5: not fetched again (server gone would fail otherwise)
    assert utils.download_url(url + "blob.bin", dest, md5=md5) == path


def test_download_url_md5_mismatch_leaves_nothing(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    (served / "blob.bin").write_bytes(b"not what you expected")
    dest = tmp_path / "dest"
    dest.mkdir()
    with serve(served) as url:
        with pytest.raises(RuntimeError, match="MD5 mismatch"):
            utils.download_url(url + "blob.bin", dest, md5="0" * 32)
    assert os.listdir(dest) == []


def test_download_url_http_error_leaves_nothing(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    dest = tmp_path / "dest"
    dest.mkdir()
    with serve(served) as url:
        with pytest.raises(OSError):
            utils.download_url(url + "missing.bin", dest)
    assert os.listdir(dest) == []


class _CutHandler(http.server.BaseHTTPRequestHandler):
    """Announces 1 MB, sends 1000 bytes, then closes the connection."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(1 << 20))
        self.end_headers()
        self.wfile.write(b"x" * 1000)
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args):
        pass


def test_cut_transfer_skipped_and_leaves_nothing(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    payload = b"the real thing"
    (served / "blob.bin").write_bytes(payload)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CutHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    dest = tmp_path / "dest"
    try:
        cut_url = f"http://127.0.0.1:{server.server_address[1]}/"
        with pytest.raises(RuntimeError, match="Error downloading blob.bin"):
            utils.download_from_mirrors("blob.bin", [cut_url], dest, verbose=False)
        assert os.listdir(dest) == []
        with serve(served) as good_url:
            path = utils.download_from_mirrors("blob.bin", [cut_url, good_url], dest,
                                               md5=hashlib.md5(payload).hexdigest(),
                                               verbose=False)
        assert open(path, "rb").read() == payload and os.listdir(dest) == ["blob.bin"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_mnist_download_skips_dead_mirror(tmp_path, monkeypatch, capsys):
    served = tmp_path / "served"
    served.mkdir()
    resources, arrays = _make_mnist_files(served)
    monkeypatch.setattr(MNIST, "resources", resources)
    root = tmp_path / "root"
    with serve(served) as url:
        monkeypatch.setitem(mnist.MIRRORS, "MNIST", [dead_mirror(), url])
        ds = MNIST(root, train=True, download=True)
    raw = root / "MNIST" / "raw"
    assert sorted(os.listdir(raw)) == sorted(name for name, _ in resources)
    for name, md5 in resources:
        assert utils.check_integrity(raw / name, md5)
    assert "trying next" in capsys.readouterr().out
    assert len(ds) == 6
    img, target = ds[2]
    assert isinstance(img, np.ndarray) and img.dtype == np.uint8 and img.shape == (28, 28)
    np.testing.assert_array_equal(img, arrays["train-images-idx3-ubyte.gz"][2])
    assert type(target) is int and target == arrays["train-labels-idx1-ubyte.gz"][2]
    # the test split is read from the same folder; no download needed now
    test = MNIST(root, train=False)
    assert len(test) == 4


def test_mnist_md5_mismatch_refused(tmp_path, monkeypatch):
    served = tmp_path / "served"
    served.mkdir()
    resources, _ = _make_mnist_files(served)
    bad = [(name, "f" * 32) for name, _ in resources]
    monkeypatch.setattr(MNIST, "resources", bad)
    root = tmp_path / "root"
    with serve(served) as url:
        monkeypatch.setitem(mnist.MIRRORS, "MNIST", [url])
        with pytest.raises(RuntimeError) as info:
            MNIST(root, download=True)
    assert "MD5 mismatch" in str(info.value)
    assert os.listdir(root / "MNIST" / "raw") == []


def test_offline_error_names_files_and_folder(tmp_path, monkeypatch):
    monkeypatch.setitem(mnist.MIRRORS, "FashionMNIST", [dead_mirror(), dead_mirror()])
    root = tmp_path / "root"
    with pytest.raises(RuntimeError) as info:
        FashionMNIST(root, download=True)
    msg = str(info.value)
    raw = os.path.abspath(root / "FashionMNIST" / "raw")
    assert raw in msg
    for name, md5 in FashionMNIST.resources:
        assert name in msg and md5 in msg
    assert msg.count("127.0.0.1") >= 2  # each mirror tried is reported
    assert os.listdir(raw) == []


def test_not_found_without_download(tmp_path):
    with pytest.raises(RuntimeError, match="Dataset not found. You can use download=True") as info:
        MNIST(tmp_path)
    assert "train-images-idx3-ubyte.gz" in str(info.value)
