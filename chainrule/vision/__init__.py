"""``chainrule.vision``: torchvision's datasets and transforms for chainrule.

``from chainrule import vision as torchvision`` lets torchvision-style data code run::

    from chainrule import vision as torchvision
    from chainrule.vision import transforms

    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    train = torchvision.datasets.MNIST("data", train=True, download=True, transform=tf)

Where torchvision hands PIL images to transforms, chainrule hands ``uint8`` NumPy arrays
(``H x W`` or ``H x W x C``); Pillow is never required.
"""
from . import datasets, transforms

__all__ = ["datasets", "transforms"]
