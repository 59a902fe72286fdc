"""Datasets in torchvision's shape: ``MNIST``, ``FashionMNIST`` and the bundled ``Digits``.

Images are returned as ``uint8`` NumPy arrays (``H x W``) where torchvision returns PIL images,
so that no imaging library is needed; ``chainrule.vision.transforms`` accepts them.
"""
from .digits import Digits
from .idx import read_idx
from .mnist import MIRRORS, MNIST, FashionMNIST
from .utils import check_integrity, download_url
from .vision import StandardTransform, VisionDataset

__all__ = ["MNIST", "FashionMNIST", "Digits", "VisionDataset", "StandardTransform", "read_idx",
           "download_url", "check_integrity", "MIRRORS"]
