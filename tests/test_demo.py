"""The `chainrule demo` command: a run end to end, its files, and its errors."""
import gzip
import json
import os
import pathlib
import socket
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("tqdm")
pytest.importorskip("matplotlib")

import chainrule as torch  # noqa: E402
from chainrule.__main__ import main  # noqa: E402
from chainrule.vision.datasets import mnist  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_size(path):
    """(width, height) from a PNG's IHDR chunk, after checking the signature."""
    data = pathlib.Path(path).read_bytes()
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _idx(arr):
    arr = np.asarray(arr, dtype=np.uint8)
    header = bytes([0, 0, 0x08, arr.ndim]) + np.asarray(arr.shape, dtype=">u4").tobytes()
    return gzip.compress(header + arr.tobytes(), mtime=0)


def _fake_fashion_mnist(root, n_train=400, n_test=100):
    """Small Fashion-MNIST-shaped IDX files: each class lights its own band of rows."""
    rng = np.random.default_rng(0)
    raw = pathlib.Path(root) / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for split, n in (("train", n_train), ("t10k", n_test)):
        labels = rng.integers(0, 10, n)
        images = rng.integers(0, 60, (n, 28, 28))
        for i, c in enumerate(labels):
            images[i, 2 + 2 * c:4 + 2 * c, 4:24] += 180
        (raw / f"{split}-images-idx3-ubyte.gz").write_bytes(_idx(images))
        (raw / f"{split}-labels-idx1-ubyte.gz").write_bytes(_idx(labels))


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_digits_one_epoch_writes_everything(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["demo", "--epochs", "1", "--out", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert "Layer (type)" in stdout and "Total params: 9,610" in stdout  # the summary
    assert "epoch   1/1  train loss" in stdout and "test acc" in stdout
    for name in ("training_curves.png", "predictions.png", "autograd_graph.dot", "model.pt",
                 "metrics.json"):
        assert (out / name).is_file(), name
    width, height = _png_size(out / "training_curves.png")
    assert width > 300 and height > 200
    _png_size(out / "predictions.png")
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["model"] == "mlp" and metrics["optimizer"] == "Adam"
    assert metrics["epochs"] == 1 and len(metrics["test_acc"]) == 1
    assert metrics["test_acc"][0] > 0.3  # chance is 0.1
    dot = (out / "autograd_graph.dot").read_text()
    assert dot.startswith("digraph") and "NllLossBackward0" in dot and "AccumulateGrad" in dot
    assert "1.weight\\n(128, 64)" in dot and "3.bias\\n(10,)" in dot
    state = torch.load(out / "model.pt")
    assert list(state) == ["1.weight", "1.bias", "3.weight", "3.bias"]
    assert tuple(state["1.weight"].shape) == (128, 64)


def test_plots_read_back_with_matplotlib(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.image

    from chainrule.demo import plot_curves, plot_predictions
    history = dict(train_loss=[1.0, 0.5], train_acc=[0.5, 0.8], test_acc=[0.4, 0.7], title="t")
    plot_curves(history, tmp_path / "c.png")
    pixels = matplotlib.image.imread(tmp_path / "c.png")
    assert pixels.ndim == 3 and pixels.shape[0] > 100 and pixels.std() > 0.01
    images = np.zeros((3, 8, 8))
    plot_predictions(images, [1, 2, 3], [1, 2, 0], [str(i) for i in range(10)], tmp_path / "p.png")
    assert matplotlib.image.imread(tmp_path / "p.png").shape[0] > 100


def test_fashion_mnist_trains_the_seed_softmax_regression(tmp_path, capsys):
    _fake_fashion_mnist(tmp_path / "data")
    out = tmp_path / "out"
    argv = ["demo", "--dataset", "fashion-mnist", "--root", str(tmp_path / "data"),
            "--out", str(out), "--epochs", "2"]
    assert main(argv) == 0
    stdout = capsys.readouterr().out
    assert "model softmax, SGD lr 0.1, batch 256" in stdout
    assert "Linear-2                   [-1, 10]           7,850" in stdout
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["batch_size"] == 256 and metrics["lr"] == 0.1
    assert metrics["test_acc"][-1] > 0.5
    assert list(torch.load(out / "model.pt")) == ["1.weight", "1.bias"]


def test_defaults_per_dataset():
    from chainrule.demo import DATASETS, MODELS
    assert DATASETS["fashion-mnist"]["model"] == "softmax"
    assert (DATASETS["fashion-mnist"]["epochs"], DATASETS["fashion-mnist"]["batch_size"]) == (10, 256)
    assert MODELS["softmax"] == dict(optimizer="SGD", lr=0.1)
    assert DATASETS["digits"]["model"] == "mlp"


@pytest.mark.parametrize("kind", ["softmax", "cnn"])
def test_other_models_build_and_run(kind):
    from chainrule.demo import build_model
    model = build_model(kind, (1, 8, 8))
    assert tuple(model(torch.zeros(2, 1, 8, 8)).shape) == (2, 10)


def test_missing_dataset_explains_where_to_put_files(tmp_path, capsys):
    code = main(["demo", "--dataset", "mnist", "--root", str(tmp_path), "--out",
                 str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("chainrule demo: error: MNIST not found")
    assert str(tmp_path / "MNIST" / "raw") in err and "train-images-idx3-ubyte.gz" in err
    assert "--download" in err
    assert not (tmp_path / "out").exists()


def test_download_failing_offline_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(mnist.MIRRORS, "FashionMNIST", [f"http://127.0.0.1:{_closed_port()}/"])
    code = main(["demo", "--dataset", "fashion-mnist", "--download", "--root", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert err.count("\n") == 1
    assert err.startswith("chainrule demo: error: could not download FashionMNIST")


@pytest.mark.parametrize("argv, message", [
    (["demo", "--dataset", "cifar"], "invalid choice: 'cifar'"),
    (["demo", "--model", "resnet"], "invalid choice: 'resnet'"),
    (["demo", "--epochs", "0"], "must be greater than 0"),
    (["demo", "--epochs", "two"], "invalid int value: 'two'"),
    (["demo", "--lr", "-1"], "must be greater than 0"),
    (["demo", "--batch-size", "1.5"], "invalid int value"),
    (["demo", "--bogus"], "unrecognized arguments: --bogus"),
    ([], "required: COMMAND"),
])
def test_bad_options_are_argparse_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_python_dash_m_chainrule():
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "chainrule", "demo", "--help"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0 and "--dataset {digits,mnist,fashion-mnist}" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "chainrule", "demo", "--epochs", "-3"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2 and "usage: chainrule demo" in proc.stderr


def test_default_demo_reaches_95_percent_on_digits(tmp_path, capsys):
    """The README's first command: the defaults train the MLP on Digits to >= 95% test accuracy."""
    out = tmp_path / "out"
    assert main(["demo", "--out", str(out)]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["dataset"] == "digits" and metrics["model"] == "mlp"
    assert metrics["test_acc"][-1] >= 0.95
