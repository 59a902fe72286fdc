"""Transform classes (torchvision's ``transforms`` v1 API)."""
import numbers

from . import functional as F
from .functional import InterpolationMode

__all__ = ["Compose", "ToTensor", "Normalize", "Lambda", "Resize", "RandomHorizontalFlip",
           "RandomVerticalFlip", "RandomCrop", "CenterCrop", "Pad"]


def _rng():
    """The NumPy generator behind chainrule's default generator (seeded by ``manual_seed``)."""
    from chainrule import _random
    return _random.default_generator.rng


def _rand():
    """A uniform float in [0, 1) from chainrule's default generator (``torch.rand(1)``)."""
    return float(_rng().random())


def _randint(low, high):
    """A uniform int in [low, high) from chainrule's default generator (``torch.randint``)."""
    return int(_rng().integers(low, high))


def _setup_size(size, error_msg):
    if isinstance(size, numbers.Number):
        return int(size), int(size)
    if isinstance(size, (tuple, list)) and len(size) == 1:
        return size[0], size[0]
    if len(size) != 2:
        raise ValueError(error_msg)
    return size


class Compose:
    """Composes several transforms together, applied in order.

    Args:
        transforms (list of callables): the transforms to compose.

    Example::

        >>> transforms.Compose([
        >>>     transforms.ToTensor(),
        >>>     transforms.Normalize((0.1307,), (0.3081,)),
        >>> ])
    """

    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self):
        format_string = self.__class__.__name__ + "("
        for t in self.transforms:
            format_string += "\n"
            format_string += f"    {t}"
        format_string += "\n)"
        return format_string


class ToTensor:
    """Convert an image (NumPy array ``H x W`` or ``H x W x C``) to a ``C x H x W`` tensor.

    A ``uint8`` array (values 0..255, what the datasets return) becomes a ``float32`` tensor with
    values in [0.0, 1.0]. Arrays of other dtypes are only transposed: their dtype and values are
    kept, as torchvision does for non-``uint8`` input. PIL images are accepted when Pillow is
    installed.
    """

    def __call__(self, pic):
        """
        Args:
            pic (numpy.ndarray): image to be converted to tensor.

        Returns:
            Tensor: converted image.
        """
        return F.to_tensor(pic)

    def __repr__(self):
        return f"{self.__class__.__name__}()"


class Normalize:
    """Normalize a float tensor image with mean and standard deviation per channel:
    ``output[channel] = (input[channel] - mean[channel]) / std[channel]``.

    Args:
        mean (sequence): sequence of means for each channel.
        std (sequence): sequence of standard deviations for each channel.
        inplace (bool, optional): make this operation in place. Default: False.
    """

    def __init__(self, mean, std, inplace=False):
        self.mean = mean
        self.std = std
        self.inplace = inplace

    def forward(self, tensor):
        """
        Args:
            tensor (Tensor): tensor image of size ``(C, H, W)`` to be normalized.

        Returns:
            Tensor: normalized tensor image.
        """
        return F.normalize(tensor, self.mean, self.std, self.inplace)

    __call__ = forward

    def __repr__(self):
        return f"{self.__class__.__name__}(mean={self.mean}, std={self.std})"


class Lambda:
    """Apply a user-defined function as a transform.

    Args:
        lambd (function): the function to apply.
    """

    def __init__(self, lambd):
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {repr(type(lambd).__name__)}")
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)

    def __repr__(self):
        return f"{self.__class__.__name__}()"


class Resize:
    """Resize an image (NumPy ``H x W [x C]``) or tensor (``..., H, W``) to the given size.

    Args:
        size (sequence or int): desired output size. With a sequence ``(h, w)`` the output has
            exactly that size; with an int the smaller edge is matched to it, keeping the aspect
            ratio (``(size * height / width, size)`` when ``height > width``).
        interpolation (InterpolationMode): ``BILINEAR`` (default), ``NEAREST`` or
            ``NEAREST_EXACT``.
        max_size (int, optional): the longer edge is at most this (only with an int ``size``).
        antialias (bool, optional): low-pass filter when downsampling (default True, as in
            torchvision). Upsampling is plain bilinear interpolation with half-pixel centres,
            identical to ``interpolate(..., mode='bilinear', align_corners=False)`` whichever
            ``antialias`` is given.

    ``uint8`` input is computed in float32 and rounded back to ``uint8``.
    """

    def __init__(self, size, interpolation=InterpolationMode.BILINEAR, max_size=None,
                 antialias=True):
        if not isinstance(size, (int, list, tuple)):
            raise TypeError(f"Size should be int or sequence. Got {type(size)}")
        if isinstance(size, (list, tuple)) and len(size) not in (1, 2):
            raise ValueError("If size is a sequence, it should have 1 or 2 values")
        self.size = size
        self.max_size = max_size
        if isinstance(interpolation, int):
            interpolation = F._INTERPOLATION_FROM_INT[interpolation]
        self.interpolation = interpolation
        self.antialias = antialias

    def forward(self, img):
        """
        Args:
            img (numpy.ndarray or Tensor): image to be scaled.

        Returns:
            numpy.ndarray or Tensor: rescaled image.
        """
        return F.resize(img, self.size, self.interpolation, self.max_size, self.antialias)

    __call__ = forward

    def __repr__(self):
        detail = (f"(size={self.size}, interpolation={self.interpolation.value}, "
                  f"max_size={self.max_size}, antialias={self.antialias})")
        return f"{self.__class__.__name__}{detail}"


class RandomHorizontalFlip:
    """Horizontally flip the given image or tensor randomly with a given probability.

    Random draws come from chainrule's default generator, so ``chainrule.manual_seed`` makes them
    repeatable.

    Args:
        p (float): probability of the image being flipped. Default value is 0.5
    """

    _flip = staticmethod(F.hflip)                 # RandomVerticalFlip swaps in F.vflip

    def __init__(self, p=0.5):
        self.p = p

    def forward(self, img):
        """
        Args:
            img (numpy.ndarray or Tensor): image to be flipped.

        Returns:
            numpy.ndarray or Tensor: randomly flipped image.
        """
        if _rand() < self.p:
            return self._flip(img)
        return img

    __call__ = forward

    def __repr__(self):
        return f"{self.__class__.__name__}(p={self.p})"


class RandomVerticalFlip(RandomHorizontalFlip):
    """Vertically flip the given image or tensor randomly with a given probability.

    Args:
        p (float): probability of the image being flipped. Default value is 0.5
    """

    _flip = staticmethod(F.vflip)


class Pad:
    """Pad the given image or tensor on all sides (see :func:`functional.pad`).

    Args:
        padding (int or sequence): ``int``, ``(left/right, top/bottom)`` or
            ``(left, top, right, bottom)``.
        fill (number or tuple): pixel fill value for constant fill. Default is 0.
        padding_mode (str): ``'constant'``, ``'edge'``, ``'reflect'`` or ``'symmetric'``.
    """

    def __init__(self, padding, fill=0, padding_mode="constant"):
        if not isinstance(padding, (numbers.Number, tuple, list)):
            raise TypeError("Got inappropriate padding arg")
        if not isinstance(fill, (numbers.Number, tuple, list)):
            raise TypeError("Got inappropriate fill arg")
        if padding_mode not in ["constant", "edge", "reflect", "symmetric"]:
            raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
        if isinstance(padding, (tuple, list)) and len(padding) not in [1, 2, 4]:
            raise ValueError("Padding must be an int or a 1, 2, or 4 element tuple, not a "
                             f"{len(padding)} element tuple")
        self.padding = padding
        self.fill = fill
        self.padding_mode = padding_mode

    def forward(self, img):
        """
        Args:
            img (numpy.ndarray or Tensor): image to be padded.

        Returns:
            numpy.ndarray or Tensor: padded image.
        """
        return F.pad(img, self.padding, self.fill, self.padding_mode)

    __call__ = forward

    def __repr__(self):
        return (f"{self.__class__.__name__}(padding={self.padding}, fill={self.fill}, "
                f"padding_mode={self.padding_mode})")


class CenterCrop:
    """Crop the given image or tensor at the center.

    Args:
        size (sequence or int): desired output size ``(h, w)``; an int gives a square crop.
    """

    def __init__(self, size):
        self.size = _setup_size(size, error_msg="Please provide only two dimensions (h, w) for size.")

    def forward(self, img):
        """
        Args:
            img (numpy.ndarray or Tensor): image to be cropped.

        Returns:
            numpy.ndarray or Tensor: cropped image.
        """
        return F.center_crop(img, self.size)

    __call__ = forward

    def __repr__(self):
        return f"{self.__class__.__name__}(size={self.size})"


class RandomCrop:
    """Crop the given image or tensor at a random location.

    Random draws come from chainrule's default generator, so ``chainrule.manual_seed`` makes them
    repeatable.

    Args:
        size (sequence or int): desired output size ``(h, w)``; an int gives a square crop.
        padding (int or sequence, optional): padding applied to each border before cropping:
            an int pads all borders, ``(lr, tb)`` left/right and top/bottom,
            ``(left, top, right, bottom)`` each border. Default: None (no padding).
        pad_if_needed (bool): pad the image if it is smaller than the desired size, to avoid
            raising an exception.
        fill (number or tuple): pixel fill value for constant padding. Default is 0.
        padding_mode (str): ``'constant'``, ``'edge'``, ``'reflect'`` or ``'symmetric'``.
    """

    @staticmethod
    def get_params(img, output_size):
        """Get parameters ``(i, j, h, w)`` for ``crop`` for a random crop.

        Args:
            img (numpy.ndarray or Tensor): image to be cropped.
            output_size (tuple): expected output size of the crop.

        Returns:
            tuple: params (i, j, h, w) to be passed to ``crop`` for random crop.
        """
        _, h, w = F.get_dimensions(img)
        th, tw = output_size

        if h < th or w < tw:
            raise ValueError(f"Required crop size {(th, tw)} is larger than input image size {(h, w)}")

        if w == tw and h == th:
            return 0, 0, h, w

        i = _randint(0, h - th + 1)
        j = _randint(0, w - tw + 1)
        return i, j, th, tw

    def __init__(self, size, padding=None, pad_if_needed=False, fill=0, padding_mode="constant"):
        self.size = tuple(_setup_size(size, error_msg="Please provide only two dimensions (h, w) for size."))
        self.padding = padding
        self.pad_if_needed = pad_if_needed
        self.fill = fill
        self.padding_mode = padding_mode

    def forward(self, img):
        """
        Args:
            img (numpy.ndarray or Tensor): image to be cropped.

        Returns:
            numpy.ndarray or Tensor: cropped image.
        """
        if self.padding is not None:
            img = F.pad(img, self.padding, self.fill, self.padding_mode)

        _, height, width = F.get_dimensions(img)
        # pad the width if needed
        if self.pad_if_needed and width < self.size[1]:
            padding = [self.size[1] - width, 0]
            img = F.pad(img, padding, self.fill, self.padding_mode)
        # pad the height if needed
        if self.pad_if_needed and height < self.size[0]:
            padding = [0, self.size[0] - height]
            img = F.pad(img, padding, self.fill, self.padding_mode)

        i, j, h, w = self.get_params(img, self.size)

        return F.crop(img, i, j, h, w)

    __call__ = forward

    def __repr__(self):
        return f"{self.__class__.__name__}(size={self.size}, padding={self.padding})"
