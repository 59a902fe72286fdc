"""MNIST and Fashion-MNIST, read from the IDX files in torchvision's folder layout."""
import os

import numpy as np

from .._tensors import to_tensor
from .idx import read_idx
from .utils import download_from_mirrors
from .vision import _LabelledImages

__all__ = ["MNIST", "FashionMNIST", "MIRRORS", "read_image_file", "read_label_file"]

#: Download mirrors for each dataset, tried in order (URL prefixes ending in ``/``). Tests and
#: users behind a proxy or with a local copy can point these somewhere else, e.g.
#: ``MIRRORS["MNIST"] = ["http://127.0.0.1:8000/"]``; assigning ``MNIST.mirrors`` also works.
MIRRORS = {
    "MNIST": [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ],
    "FashionMNIST": [
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    ],
}


class _Mirrors:
    """Class attribute that reads the module-level :data:`MIRRORS` entry at access time."""

    def __get__(self, instance, owner):
        return MIRRORS[owner._mirror_key]


def read_image_file(path):
    """Read an IDX file of images: a ``uint8`` array of shape ``(N, H, W)``."""
    x = read_idx(path)
    if x.dtype != np.uint8 or x.ndim != 3:
        raise RuntimeError(f"{path}: expected uint8 images of shape (N, H, W), got "
                           f"{x.dtype} of shape {x.shape}")
    return x


def read_label_file(path):
    """Read an IDX file of labels: an ``int64`` array of shape ``(N,)``."""
    x = read_idx(path)
    if x.dtype != np.uint8 or x.ndim != 1:
        raise RuntimeError(f"{path}: expected uint8 labels of shape (N,), got {x.dtype} of "
                           f"shape {x.shape}")
    return x.astype(np.int64)


class MNIST(_LabelledImages):
    """`MNIST <http://yann.lecun.com/exdb/mnist/>`_ Dataset.

    Args:
        root (str or os.PathLike): root directory of the dataset, where
            ``MNIST/raw/train-images-idx3-ubyte`` and ``MNIST/raw/t10k-images-idx3-ubyte`` exist
            (each file may also be the gzip-compressed ``.gz`` as downloaded).
        train (bool, optional): if True, the 60,000 training images (``train-*``), otherwise the
            10,000 test images (``t10k-*``).
        transform (callable, optional): a function taking the image and returning a transformed
            version, e.g. ``transforms.ToTensor()``.
        target_transform (callable, optional): a function taking the target and transforming it.
        download (bool, optional): if True, download the files that are missing into
            ``root/MNIST/raw`` (from :attr:`mirrors`, MD5-verified). Files already there are not
            downloaded again.

    **Images are NumPy arrays, not PIL images.** ``dataset[i]`` returns ``(img, target)`` where,
    without a transform, ``img`` is a ``uint8`` NumPy array of shape ``(28, 28)`` (values 0..255)
    and ``target`` is a Python ``int``. Every transform in ``chainrule.vision.transforms`` accepts
    such arrays where torchvision's accept PIL images; ``ToTensor()`` turns one into a
    ``float32`` tensor of shape ``(1, 28, 28)`` with values in [0, 1].

    Attributes:
        data (Tensor): all images, ``uint8`` of shape ``(N, 28, 28)``.
        targets (Tensor): all labels, ``int64`` of shape ``(N,)``.
        classes (list of str): the class names.
    """

    _mirror_key = "MNIST"
    mirrors = _Mirrors()

    resources = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]

    classes = [
        "0 - zero",
        "1 - one",
        "2 - two",
        "3 - three",
        "4 - four",
        "5 - five",
        "6 - six",
        "7 - seven",
        "8 - eight",
        "9 - nine",
    ]

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        super().__init__(root, train, transform, target_transform)

        if download:
            self.download()

        if not self._check_exists():
            raise RuntimeError("Dataset not found. You can use download=True to download it. "
                               + self._where_to_put_files())

        self.data, self.targets = self._load_data()

    def _load_data(self):
        split = "train" if self.train else "t10k"
        image_file = self._find(f"{split}-images-idx3-ubyte")
        label_file = self._find(f"{split}-labels-idx1-ubyte")
        data = read_image_file(image_file)
        targets = read_label_file(label_file)
        if len(data) != len(targets):
            raise RuntimeError(f"{image_file} holds {len(data)} images but {label_file} holds "
                               f"{len(targets)} labels")
        return to_tensor(data), to_tensor(targets)

    @property
    def raw_folder(self):
        """``root/<ClassName>/raw``: where the IDX files live."""
        return os.path.join(self.root, self.__class__.__name__, "raw")

    @property
    def processed_folder(self):
        """``root/<ClassName>/processed`` (torchvision's legacy cache folder; unused)."""
        return os.path.join(self.root, self.__class__.__name__, "processed")

    def _find(self, name):
        """The path of raw file ``name``, preferring the uncompressed copy, else ``name.gz``."""
        path = os.path.join(self.raw_folder, name)
        if os.path.isfile(path):
            return path
        return path + ".gz"

    def _check_exists(self):
        return all(os.path.isfile(self._find(os.path.splitext(filename)[0]))
                   for filename, _ in self.resources)

    def _where_to_put_files(self):
        files = "\n".join(f"  {filename} (md5 {md5})" for filename, md5 in self.resources)
        mirrors = ", ".join(self.mirrors) or "(none configured)"
        return (f"{self.__class__.__name__} needs these files (gzip-compressed as downloaded, or "
                f"uncompressed without the .gz suffix) in {os.path.abspath(self.raw_folder)}:\n"
                f"{files}\nThey are published at: {mirrors}")

    def download(self):
        """Download the files that are missing from ``raw_folder``, trying each mirror in turn.

        Raises:
            RuntimeError: when a file cannot be fetched from any mirror (e.g. offline); the
                message lists what was tried, which files are needed and where to put them.
        """
        if self._check_exists():
            return

        os.makedirs(self.raw_folder, exist_ok=True)

        for filename, md5 in self.resources:
            if os.path.isfile(self._find(os.path.splitext(filename)[0])):
                continue
            try:
                download_from_mirrors(filename, self.mirrors, self.raw_folder, md5=md5)
            except RuntimeError as e:
                raise RuntimeError(f"{e}\n{self._where_to_put_files()}") from None


class FashionMNIST(MNIST):
    """`Fashion-MNIST <https://github.com/zalandoresearch/fashion-mnist>`_ Dataset.

    Args:
        root (str or os.PathLike): root directory of the dataset, where
            ``FashionMNIST/raw/train-images-idx3-ubyte`` and
            ``FashionMNIST/raw/t10k-images-idx3-ubyte`` exist (or their ``.gz``).
        train (bool, optional): if True, the training set (``train-*``), otherwise the test
            set (``t10k-*``).
        transform (callable, optional): a function taking the image and returning a transformed
            version, e.g. ``transforms.ToTensor()``.
        target_transform (callable, optional): a function taking the target and transforming it.
        download (bool, optional): if True, download the missing files into
            ``root/FashionMNIST/raw``.

    Images are ``uint8`` NumPy arrays of shape ``(28, 28)``, as in :class:`MNIST`.
    """

    _mirror_key = "FashionMNIST"
    mirrors = _Mirrors()

    resources = [
        ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    ]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]
