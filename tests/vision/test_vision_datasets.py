import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))
from _idx_helpers import gz, idx_bytes  # noqa: E402

import chainrule  # noqa: E402
from chainrule import vision as torchvision  # noqa: E402
from chainrule.vision import transforms  # noqa: E402
from chainrule.vision.datasets import Digits, FashionMNIST, MNIST  # noqa: E402


def test_namespace():
    assert torchvision.datasets.MNIST is MNIST
    assert torchvision.transforms.ToTensor is transforms.ToTensor


def test_digits_offline_split():
    train, test = Digits(train=True), Digits(train=False, root="unused")
    assert len(train) == 1442 and len(test) == 355 and len(train) + len(test) == 1797
    assert train.classes == [str(i) for i in range(10)]
    assert train.class_to_idx["7"] == 7
    assert train.data.dtype == chainrule.uint8 and tuple(train.data.shape) == (1442, 8, 8)
    assert train.targets.dtype == chainrule.int64 and tuple(test.targets.shape) == (355,)
    labels = np.concatenate([np.asarray(train.targets), np.asarray(test.targets)])
    assert labels.min() == 0 and labels.max() == 9
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    # every class appears in the test split
    assert np.bincount(np.asarray(test.targets), minlength=10).min() >= 30


def test_digits_items():
    ds = Digits()
    img, target = ds[0]
    assert isinstance(img, np.ndarray) and img.dtype == np.uint8 and img.shape == (8, 8)
    assert type(target) is int and target == 0
    # 16 grey levels rescaled to 0..255 with round(v * 255 / 16)
    levels = np.unique(np.asarray(ds.data))
    expected = np.round(np.arange(17) * 255 / 16).astype(np.uint8)
    assert set(levels.tolist()) <= set(expected.tolist())
    assert levels.max() == 255 and levels.min() == 0
    # the first UCI test image (a zero), row 0 = 0,0,5,13,9,1,0,0
    np.testing.assert_array_equal(img[0], np.round(np.array([0, 0, 5, 13, 9, 1, 0, 0]) * 255 / 16))


def test_digits_with_transforms():
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
    ds = Digits(train=False, transform=tf, target_transform=transforms.Lambda(lambda t: t + 100))
    x, y = ds[5]
    assert tuple(x.shape) == (1, 8, 8) and x.dtype == chainrule.float32
    arr = x.numpy()
    assert arr.min() >= -1.0 and arr.max() <= 1.0
    assert 100 <= y <= 109
    # torchvision's layout: only the first line of the StandardTransform block is indented
    assert repr(ds) == (
        "Dataset Digits\n"
        "    Number of datapoints: 355\n"
        "    Split: Test\n"
        "    StandardTransform\n"
        "Transform: Compose(\n"
        "               ToTensor()\n"
        "               Normalize(mean=(0.5,), std=(0.5,))\n"
        "           )\n"
        "Target transform: Lambda()")
    assert "Root location: unused" in repr(Digits(root="unused"))


def test_to_tensor_on_digits_range():
    ds = Digits(transform=transforms.ToTensor())
    x, _ = ds[0]
    arr = x.numpy()
    assert arr.dtype == np.float32 and arr.min() >= 0.0 and arr.max() <= 1.0


def _write_split(raw, prefix, images, labels, compressed):
    raw.mkdir(parents=True, exist_ok=True)
    for kind, arr in (("images-idx3", images), ("labels-idx1", labels)):
        data = idx_bytes(arr)
        name = f"{prefix}-{kind}-ubyte"
        if compressed:
            (raw / (name + ".gz")).write_bytes(gz(data))
        else:
            (raw / name).write_bytes(data)


@pytest.mark.parametrize("compressed", [False, True])
def test_mnist_layout(tmp_path, compressed):
    rng = np.random.default_rng(0)
    raw = tmp_path / "FashionMNIST" / "raw"
    imgs = rng.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    labels = np.array([3, 1, 4, 1, 5], dtype=np.uint8)
    _write_split(raw, "train", imgs, labels, compressed)
    _write_split(raw, "t10k", imgs[:2], labels[:2], not compressed)
    ds = FashionMNIST(str(tmp_path), transform=transforms.ToTensor())
    assert ds.classes[0] == "T-shirt/top" and ds.classes[9] == "Ankle boot"
    assert ds.raw_folder == os.path.join(str(tmp_path), "FashionMNIST", "raw")
    assert ds.data.dtype == chainrule.uint8 and tuple(ds.data.shape) == (5, 28, 28)
    assert ds.targets.dtype == chainrule.int64
    x, y = ds[2]
    assert tuple(x.shape) == (1, 28, 28) and x.dtype == chainrule.float32 and y == 4
    np.testing.assert_allclose(x.numpy()[0], imgs[2] / 255.0, rtol=1e-6)
    test = FashionMNIST(tmp_path, train=False)
    assert len(test) == 2
    assert repr(test) == (f"Dataset FashionMNIST\n    Number of datapoints: 2\n"
                          f"    Root location: {tmp_path}\n    Split: Test")


def test_mnist_rebinding_data_is_followed(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    imgs = np.arange(4 * 28 * 28, dtype=np.uint32).reshape(4, 28, 28).astype(np.uint8)
    _write_split(raw, "train", imgs, np.arange(4, dtype=np.uint8), True)
    _write_split(raw, "t10k", imgs, np.arange(4, dtype=np.uint8), True)
    ds = MNIST(tmp_path)
    assert MNIST.classes[3] == "3 - three"
    assert ds[3][1] == 3
    ds.data = chainrule.from_numpy(imgs[2:].copy())
    ds.targets = chainrule.from_numpy(np.array([7, 8], dtype=np.int64))
    assert len(ds) == 2
    img, y = ds[1]
    np.testing.assert_array_equal(img, imgs[3])
    assert y == 8


def test_mnist_rejects_wrong_contents(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    _write_split(raw, "train", np.zeros((3, 28, 28), np.uint8), np.zeros(2, np.uint8), True)
    _write_split(raw, "t10k", np.zeros((3, 28, 28), np.uint8), np.zeros(3, np.uint8), True)
    with pytest.raises(RuntimeError, match="3 images but .* 2 labels"):
        MNIST(tmp_path)
    _write_split(raw, "train", np.zeros((3, 28, 28), np.float32), np.zeros(3, np.uint8), False)
    with pytest.raises(RuntimeError, match="expected uint8 images"):
        MNIST(tmp_path)  # the uncompressed file is preferred over the .gz
