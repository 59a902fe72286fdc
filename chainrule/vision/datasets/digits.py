"""The 8x8 handwritten digits, shipped with chainrule so that examples run offline."""
import importlib.resources

import numpy as np

from .._tensors import to_tensor
from .vision import _LabelledImages

__all__ = ["Digits"]

#: Credit for the bundled data (CC BY 4.0 requires it wherever the data is redistributed).
ATTRIBUTION = (
    "Optical Recognition of Handwritten Digits: E. Alpaydin and C. Kaynak (1998), "
    "UCI Machine Learning Repository, https://doi.org/10.24432/C50P49, "
    "licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).")



def _test_mask(targets):
    """Every fifth image of each class, in the bundled order, is a test image: a stratified 80/20
    split (1442 / 355) that needs no random numbers and mixes writers from the whole file."""
    rank = np.empty(len(targets), np.int64)
    for c in np.unique(targets):
        members = np.flatnonzero(targets == c)
        rank[members] = np.arange(len(members))
    return rank % 5 == 4


def _load_bundled():
    with importlib.resources.files("chainrule.vision").joinpath("data/digits.npz").open("rb") as f:
        with np.load(f, allow_pickle=False) as npz:
            return npz["images"], npz["targets"]


class Digits(_LabelledImages):
    """The 8x8 handwritten digits: UCI's *Optical Recognition of Handwritten Digits* test set.

    1797 greyscale images of 8x8 pixels, each pixel the count (0..16) of set pixels in a 4x4
    block of a 32x32 bitmap, with labels 0..9. The data ships with chainrule (about 45 KB), so
    this dataset needs no download and works offline; it is the same data as scikit-learn's
    ``load_digits``.

    The split is fixed, stratified and needs no random numbers: every fifth image of each class
    (in the bundled order) is in the test set (355 images, 35 or 36 per class), the other 1442
    are the training set.

    Args:
        root (str or os.PathLike, optional): ignored except in ``repr``; accepted so that code
            written for other datasets runs unchanged.
        train (bool, optional): the training split (1442 images) if True, else the test split
            (355 images).
        transform (callable, optional): a function taking the image and returning a transformed
            version, e.g. ``transforms.ToTensor()``.
        target_transform (callable, optional): a function taking the target and transforming it.
        download (bool, optional): ignored: the data is bundled.

    ``dataset[i]`` returns ``(img, target)``: without a transform ``img`` is a ``uint8`` NumPy
    array of shape ``(8, 8)``, **rescaled from 0..16 to 0..255** (``round(v * 255 / 16)``) so
    that ``ToTensor()`` gives a ``float32`` tensor ``(1, 8, 8)`` in [0, 1] (close to ``v / 16``),
    like MNIST; ``target`` is a Python ``int``.

    Attributes:
        data (Tensor): the split's images, ``uint8`` of shape ``(N, 8, 8)``, values 0..255.
        targets (Tensor): the labels, ``int64`` of shape ``(N,)``.
        classes (list of str): ``['0', '1', ..., '9']``.

    Data credit: E. Alpaydin and C. Kaynak (1998), *Optical Recognition of Handwritten Digits*,
    UCI Machine Learning Repository, https://doi.org/10.24432/C50P49, CC BY 4.0.
    """

    classes = [str(i) for i in range(10)]
    #: Credit line for the bundled data.
    attribution = ATTRIBUTION

    def __init__(self, root=None, train=True, transform=None, target_transform=None,
                 download=False):
        super().__init__(root, train, transform, target_transform)
        images, targets = _load_bundled()
        part = _test_mask(targets) != train
        images = images[part].astype(np.uint16)
        images = ((images * 255 + 8) // 16).astype(np.uint8)
        self.data = to_tensor(images)
        self.targets = to_tensor(targets[part].astype(np.int64))
