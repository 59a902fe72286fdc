"""Image transforms (torchvision's ``transforms`` v1).

Transforms before ``ToTensor`` take and return images as NumPy arrays (``H x W`` or
``H x W x C``, usually ``uint8``) where torchvision uses PIL images; after it they take chainrule
tensors ``(..., C, H, W)``. ``functional`` holds the function forms (``F.resize``, ``F.crop`` …).
"""
from . import functional
from .functional import InterpolationMode
from .transforms import (CenterCrop, Compose, Lambda, Normalize, Pad, RandomCrop,
                         RandomHorizontalFlip, RandomVerticalFlip, Resize, ToTensor)

__all__ = ["Compose", "ToTensor", "Normalize", "Lambda", "Resize", "RandomHorizontalFlip",
           "RandomVerticalFlip", "RandomCrop", "CenterCrop", "Pad", "InterpolationMode",
           "functional"]
