"""``VisionDataset``: the base class of the image datasets, as in torchvision."""
import os

from .._tensors import ArrayCache

try:  # the map-style Dataset of chainrule.utils.data, when that package is present
    from chainrule.utils.data import Dataset as _Dataset
except ImportError:  # pragma: no cover - only while the data utilities are missing
    class _Dataset:
        """Placeholder base class used when ``chainrule.utils.data`` is unavailable."""

__all__ = ["VisionDataset", "StandardTransform"]


class VisionDataset(_Dataset):
    """Base class for image datasets (torchvision's ``VisionDataset``).

    Args:
        root (str or os.PathLike, optional): root directory of the dataset.
        transforms (callable, optional): a function taking an image and a target and returning
            transformed versions of both.
        transform (callable, optional): a function taking an image and returning a transformed
            version, e.g. ``transforms.ToTensor()``.
        target_transform (callable, optional): a function taking a target and transforming it.

    ``transforms`` and the pair ``transform``/``target_transform`` are mutually exclusive.
    """

    _repr_indent = 4

    def __init__(self, root=None, transforms=None, transform=None, target_transform=None):
        if isinstance(root, (str, os.PathLike)):
            root = os.path.expanduser(root)
        self.root = root

        has_transforms = transforms is not None
        has_separate_transform = transform is not None or target_transform is not None
        if has_transforms and has_separate_transform:
            raise ValueError("Only transforms or transform/target_transform can be passed as argument")

        self.transform = transform
        self.target_transform = target_transform
        if has_separate_transform:
            transforms = StandardTransform(transform, target_transform)
        self.transforms = transforms

    def __getitem__(self, index):
        """The ``index``-th sample; subclasses implement it."""
        raise NotImplementedError

    def __len__(self):
        """The number of samples; subclasses implement it."""
        raise NotImplementedError

    def __repr__(self):
        head = "Dataset " + self.__class__.__name__
        body = [f"Number of datapoints: {self.__len__()}"]
        if self.root is not None:
            body.append(f"Root location: {self.root}")
        body += self.extra_repr().splitlines()
        if getattr(self, "transforms", None) is not None:
            body += [repr(self.transforms)]
        lines = [head] + [" " * self._repr_indent + line for line in body]
        return "\n".join(lines)

    def extra_repr(self):
        """Extra lines for ``repr`` (e.g. the split); empty by default."""
        return ""


class _LabelledImages(VisionDataset):
    """A classification split held in two tensors, ``data`` (images) and ``targets`` (labels):
    what MNIST and Digits share. Subclasses set ``data``, ``targets`` and ``classes``."""

    def __init__(self, root, train, transform, target_transform):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train  # training set or test set
        self._data_cache = ArrayCache()
        self._targets_cache = ArrayCache()

    def __getitem__(self, index):
        """
        Args:
            index (int): Index

        Returns:
            tuple: ``(image, target)`` where ``image`` is a ``uint8`` array ``(H, W)`` (or what
            the transform made of it) and ``target`` is the index of the target class.
        """
        img = self._data_cache.get(self.data)[index]
        target = int(self._targets_cache.get(self.targets)[index])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __len__(self):
        return len(self.data)

    @property
    def class_to_idx(self):
        """A dict mapping each class name to its index."""
        return {_class: i for i, _class in enumerate(self.classes)}

    def extra_repr(self):
        split = "Train" if self.train is True else "Test"
        return f"Split: {split}"


class StandardTransform:
    """Applies ``transform`` to the input and ``target_transform`` to the target."""

    def __init__(self, transform=None, target_transform=None):
        self.transform = transform
        self.target_transform = target_transform

    def __call__(self, input, target):
        if self.transform is not None:
            input = self.transform(input)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return input, target

    @staticmethod
    def _format_transform_repr(transform, head):
        lines = transform.__repr__().splitlines()
        return [f"{head}{lines[0]}"] + [f"{' ' * len(head)}{line}" for line in lines[1:]]

    def __repr__(self):
        body = [self.__class__.__name__]
        if self.transform is not None:
            body += self._format_transform_repr(self.transform, "Transform: ")
        if self.target_transform is not None:
            body += self._format_transform_repr(self.target_transform, "Target transform: ")
        return "\n".join(body)
