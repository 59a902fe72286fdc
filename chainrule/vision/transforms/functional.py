"""Functional forms of the transforms, working on images and tensors.

Two kinds of input, as in torchvision (with NumPy standing in for PIL):

* an **image**: a NumPy array of shape ``(H, W)`` or ``(H, W, C)``, usually ``uint8`` (what the
  datasets return). Geometric functions return an array of the same layout and dtype.
* a **tensor**: a chainrule tensor of shape ``(..., H, W)`` (``ToTensor``'s output).

Geometric functions (``resize``, ``hflip``, ``crop``, ``pad``) compute with NumPy and return a new
tensor; unlike torchvision's they are not recorded by autograd. ``normalize`` is made of tensor
arithmetic and is.
"""
import enum
import functools
import numbers

import numpy as np

from .._tensors import is_tensor, to_numpy
from .._tensors import to_tensor as _wrap

__all__ = ["InterpolationMode", "to_tensor", "normalize", "resize", "hflip", "vflip", "crop",
           "center_crop", "pad", "get_dimensions", "get_image_size", "get_image_num_channels"]


class InterpolationMode(enum.Enum):
    """Interpolation modes (torchvision's names and values). ``resize`` supports ``NEAREST``,
    ``NEAREST_EXACT`` and ``BILINEAR``."""

    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


_INTERPOLATION_FROM_INT = {0: InterpolationMode.NEAREST, 2: InterpolationMode.BILINEAR,
                           3: InterpolationMode.BICUBIC, 4: InterpolationMode.BOX,
                           5: InterpolationMode.HAMMING, 1: InterpolationMode.LANCZOS}


def _is_image(img):
    return isinstance(img, np.ndarray)


def _pil_to_array(pic):
    """A PIL image as a NumPy image, when Pillow is installed and ``pic`` is one; else None."""
    try:
        from PIL import Image
    except ImportError:
        return None
    if not isinstance(pic, Image.Image):
        return None
    arr = np.array(pic)
    if pic.mode == "1":
        arr = arr.astype(np.uint8) * 255
    return arr


def _check_input(img, fname):
    if is_tensor(img) or _is_image(img):
        return img
    arr = _pil_to_array(img)
    if arr is not None:
        return arr
    raise TypeError(f"{fname}: img should be a NumPy array (H x W or H x W x C) or a Tensor. "
                    f"Got {type(img)}")


def get_dimensions(img):
    """``[channels, height, width]`` of an image (``H x W [x C]``) or tensor (``..., H, W``)."""
    img = _check_input(img, "get_dimensions")
    if is_tensor(img):
        shape = tuple(img.shape)
        if len(shape) < 2:
            raise TypeError("Tensor is not a torch image.")
        return [1 if len(shape) == 2 else shape[-3], shape[-2], shape[-1]]
    if img.ndim not in (2, 3):
        raise ValueError(f"image should be 2/3 dimensional. Got {img.ndim} dimensions.")
    return [1 if img.ndim == 2 else img.shape[2], img.shape[0], img.shape[1]]


def get_image_size(img):
    """``[width, height]`` of an image or tensor (torchvision's order)."""
    _, h, w = get_dimensions(img)
    return [w, h]


def get_image_num_channels(img):
    """The number of channels of an image or tensor."""
    return get_dimensions(img)[0]


def _hw_axes(arr, is_t):
    """The (height, width) axes of ``arr``: the last two for tensors, the first two for images."""
    return (arr.ndim - 2, arr.ndim - 1) if is_t else (0, 1)


def _apply(img, fn, fname):
    """Run ``fn(array, (h_axis, w_axis))`` on the data of ``img``; wrap a tensor's result back."""
    img = _check_input(img, fname)
    if is_tensor(img):
        arr = to_numpy(img)
        if arr.ndim < 2:
            raise TypeError("Tensor is not a torch image.")
        return _wrap(fn(arr, _hw_axes(arr, True)))
    if img.ndim not in (2, 3):
        raise ValueError(f"image should be 2/3 dimensional. Got {img.ndim} dimensions.")
    return np.ascontiguousarray(fn(img, (0, 1)))


def to_tensor(pic):
    """Convert an image (NumPy array ``H x W`` or ``H x W x C``) to a ``C x H x W`` tensor.

    ``uint8`` data is converted to the default float dtype (``float32``) and divided by 255, giving
    values in [0, 1]. Other dtypes keep their dtype and values (as torchvision does for
    non-``uint8`` arrays). A PIL image is accepted too when Pillow is installed.
    """
    if not _is_image(pic):
        arr = _pil_to_array(pic)
        if arr is None:
            raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
        pic = arr
    if pic.ndim not in (2, 3):
        raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
    if pic.ndim == 2:
        pic = pic[:, :, None]
    chw = pic.transpose((2, 0, 1))
    if pic.dtype == np.uint8:
        out = np.empty(chw.shape, dtype=_default_float())
        np.divide(chw, 255, out=out, dtype=out.dtype)
        return _wrap(out)
    return _wrap(chw)


def _default_float():
    try:
        from chainrule import get_default_dtype
    except ImportError:
        return np.dtype(np.float32)
    d = get_default_dtype()
    return np.dtype(getattr(d, "np", np.float32))


def normalize(tensor, mean, std, inplace=False):
    """Normalize a float tensor image ``(..., C, H, W)`` with per-channel mean and std:
    ``output[c] = (input[c] - mean[c]) / std[c]``.

    Args:
        tensor (Tensor): float tensor image of shape ``(..., C, H, W)``.
        mean (sequence): means for each channel.
        std (sequence): standard deviations for each channel.
        inplace (bool, optional): modify ``tensor`` in place. Default: False.

    Returns:
        Tensor: the normalized tensor (``tensor`` itself when ``inplace``).
    """
    if not is_tensor(tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
    if not tensor.is_floating_point():
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError("Expected tensor to be a tensor image of size (..., C, H, W). Got "
                         f"tensor.size() = {tensor.size()}")
    import chainrule

    dtype = tensor.dtype
    mean_t = chainrule.as_tensor(mean, dtype=dtype, device=tensor.device)
    std_t = chainrule.as_tensor(std, dtype=dtype, device=tensor.device)
    if (to_numpy(std_t) == 0).any():
        raise ValueError(f"std evaluated to zero after conversion to {dtype}, leading to "
                         "division by zero.")
    if mean_t.ndim == 1:
        mean_t = mean_t.view(-1, 1, 1)
    if std_t.ndim == 1:
        std_t = std_t.view(-1, 1, 1)
    if inplace:
        return tensor.sub_(mean_t).div_(std_t)
    return tensor.sub(mean_t).div_(std_t)


# ------------------------------------------------------------------------------------ resize
def _compute_resized_output_size(image_size, size, max_size=None):
    h, w = image_size
    short, long = (w, h) if w <= h else (h, w)
    if len(size) == 1:
        requested_new_short = size[0]
        new_short, new_long = requested_new_short, int(requested_new_short * long / short)
        if max_size is not None:
            if max_size <= requested_new_short:
                raise ValueError(f"max_size = {max_size} must be strictly greater than the "
                                 f"requested size for the smaller edge size = {size}")
            if new_long > max_size:
                new_short, new_long = int(max_size * new_short / new_long), max_size
        new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    else:
        new_w, new_h = size[1], size[0]
    return [new_h, new_w]


@functools.lru_cache(maxsize=128)
def _linear_weights(in_size, out_size, antialias):
    """The ``(out_size, in_size)`` matrix of bilinear weights along one axis.

    Half-pixel centres (``align_corners=False``): output pixel ``i`` sits at input coordinate
    ``(i + 0.5) * in_size / out_size - 0.5``. Without antialiasing (or when upsampling) each output
    pixel blends its two neighbouring input pixels, clamped at the border, exactly as
    ``interpolate(mode='bilinear', align_corners=False)``. With antialiasing a downsampling
    triangle filter is widened by the scale factor to cover every input pixel that falls under
    the output pixel (PIL's and ``antialias=True``'s convention).
    """
    scale = in_size / out_size
    support = scale if (antialias and scale > 1.0) else 1.0
    invscale = 1.0 / scale if (antialias and scale > 1.0) else 1.0
    weights = np.zeros((out_size, in_size), dtype=np.float64)
    for i in range(out_size):
        center = scale * (i + 0.5)
        xmin = max(int(center - support + 0.5), 0)
        xmax = min(int(center + support + 0.5), in_size)
        j = np.arange(xmin, xmax, dtype=np.float64)
        w = np.clip(1.0 - np.abs((j - center + 0.5) * invscale), 0.0, None)
        total = w.sum()
        if total > 0:
            weights[i, xmin:xmax] = w / total
    weights.setflags(write=False)
    return weights


def _nearest_index(in_size, out_size, exact):
    scale = in_size / out_size
    if exact:
        idx = np.floor((np.arange(out_size) + 0.5) * scale)
    else:
        idx = np.floor(np.arange(out_size) * scale)
    return np.minimum(idx.astype(np.int64), in_size - 1)


def _resize_array(arr, axes, out_hw, interpolation, antialias):
    if interpolation in (InterpolationMode.NEAREST, InterpolationMode.NEAREST_EXACT):
        exact = interpolation is InterpolationMode.NEAREST_EXACT
        for ax, n in zip(axes, out_hw):
            arr = np.take(arr, _nearest_index(arr.shape[ax], n, exact), axis=ax)
        return arr
    if interpolation is not InterpolationMode.BILINEAR:
        raise NotImplementedError(f"resize: interpolation {interpolation.value!r} is not "
                                  "supported; use BILINEAR, NEAREST or NEAREST_EXACT")
    if arr.dtype.kind == "f":
        work = arr
    else:
        work = arr.astype(np.float32)
    out = work
    for ax, n in zip(axes, out_hw):
        if out.shape[ax] == n:
            continue
        w = _linear_weights(out.shape[ax], n, antialias).astype(work.dtype)
        out = np.moveaxis(np.tensordot(w, np.moveaxis(out, ax, 0), axes=(1, 0)), 0, ax)
    if arr.dtype.kind != "f":
        if arr.dtype == np.bool_:
            return out >= 0.5
        info = np.iinfo(arr.dtype)
        out = np.clip(np.round(out), info.min, info.max)
    return out.astype(arr.dtype, copy=False)


def resize(img, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
    """Resize an image or tensor.

    Args:
        img (ndarray or Tensor): an image ``H x W [x C]`` or a tensor ``(..., H, W)``.
        size (int or sequence): ``(h, w)`` for an exact size; an int (or 1-element sequence)
            resizes the smaller edge to it, keeping the aspect ratio.
        interpolation (InterpolationMode): ``BILINEAR`` (default), ``NEAREST`` or
            ``NEAREST_EXACT``.
        max_size (int, optional): bound on the longer edge when ``size`` is an int.
        antialias (bool, optional): when downsampling with ``BILINEAR``, low-pass filter as PIL
            and torchvision do (default True). Upsampling is the same either way: bilinear with
            half-pixel centres, i.e. ``interpolate(..., mode='bilinear', align_corners=False)``.

    Integer images are computed in float, rounded and clipped back to their dtype. An image
    already of the requested size is returned unchanged.
    """
    if isinstance(interpolation, int):
        interpolation = _INTERPOLATION_FROM_INT[interpolation]
    elif isinstance(interpolation, str):
        interpolation = InterpolationMode(interpolation)
    if not isinstance(interpolation, InterpolationMode):
        raise TypeError("Argument interpolation should be a InterpolationMode or a "
                        "corresponding Pillow integer constant")
    if isinstance(size, (list, tuple)):
        if len(size) not in (1, 2):
            raise ValueError("Size must be an int or a 1 or 2 element tuple/list, not a "
                             f"{len(size)} element tuple/list")
        if max_size is not None and len(size) != 1:
            raise ValueError("max_size should only be passed if size specifies the length of the "
                             "smaller edge, i.e. size should be an int or a sequence of length 1")
    elif isinstance(size, numbers.Integral):
        size = [int(size)]
    else:
        raise TypeError(f"Size should be int or sequence. Got {type(size)}")
    _, h, w = get_dimensions(img)
    out_hw = _compute_resized_output_size((h, w), list(size), max_size)
    if [h, w] == out_hw:
        return img
    if out_hw[0] <= 0 or out_hw[1] <= 0:
        raise ValueError(f"resize: output size {tuple(out_hw)} must be positive")
    return _apply(img, lambda a, axes: _resize_array(a, axes, out_hw, interpolation, antialias),
                  "resize")


# ----------------------------------------------------------------------------- flip / crop / pad
def hflip(img):
    """Flip an image or tensor horizontally (along its width)."""
    return _apply(img, lambda a, axes: np.flip(a, axes[1]), "hflip")


def vflip(img):
    """Flip an image or tensor vertically (along its height)."""
    return _apply(img, lambda a, axes: np.flip(a, axes[0]), "vflip")


def _parse_padding(padding):
    if isinstance(padding, numbers.Integral):
        p = int(padding)
        return p, p, p, p  # left, top, right, bottom
    if not isinstance(padding, (list, tuple)):
        raise TypeError("Got inappropriate padding arg")
    if len(padding) not in (1, 2, 4):
        raise ValueError("Padding must be an int or a 1, 2, or 4 element tuple, not a "
                         f"{len(padding)} element tuple")
    if not all(isinstance(p, numbers.Integral) for p in padding):
        raise TypeError("Got inappropriate padding arg")
    if len(padding) == 1:
        p = int(padding[0])
        return p, p, p, p
    if len(padding) == 2:
        lr, tb = int(padding[0]), int(padding[1])
        return lr, tb, lr, tb
    return tuple(int(p) for p in padding)


_NP_PAD_MODE = {"constant": "constant", "edge": "edge", "reflect": "reflect",
                "symmetric": "symmetric"}


def _pad_array(arr, axes, left, top, right, bottom, fill, padding_mode):
    # Negative padding crops, as in torchvision.
    index = [slice(None)] * arr.ndim
    index[axes[0]] = slice(max(-top, 0), arr.shape[axes[0]] - max(-bottom, 0))
    index[axes[1]] = slice(max(-left, 0), arr.shape[axes[1]] - max(-right, 0))
    arr = arr[tuple(index)]
    width = [(0, 0)] * arr.ndim
    width[axes[0]] = (max(top, 0), max(bottom, 0))
    width[axes[1]] = (max(left, 0), max(right, 0))
    if not any(any(w) for w in width):
        return arr
    mode = _NP_PAD_MODE[padding_mode]
    if mode != "constant":
        return np.pad(arr, width, mode=mode)
    if isinstance(fill, (list, tuple)):
        channels = arr.shape[2] if arr.ndim == 3 and axes == (0, 1) else None
        if len(fill) == 1:
            fill = fill[0]
        elif channels is not None and len(fill) == channels:
            out = np.stack([np.pad(arr[..., c], width[:2], mode="constant",
                                   constant_values=fill[c]) for c in range(channels)], axis=-1)
            return out
        else:
            raise ValueError("fill should be a number, or a sequence with one value per channel "
                             "of an H x W x C image")
    return np.pad(arr, width, mode="constant", constant_values=fill)


def pad(img, padding, fill=0, padding_mode="constant"):
    """Pad an image or tensor on its four sides.

    Args:
        img (ndarray or Tensor): an image ``H x W [x C]`` or a tensor ``(..., H, W)``.
        padding (int or sequence): an int pads every side; ``(lr, tb)`` pads left/right and
            top/bottom; ``(left, top, right, bottom)`` pads each side. Negative values crop.
        fill (number or tuple): the value of constant padding (a tuple gives one per channel of
            an ``H x W x C`` image). Default: 0.
        padding_mode (str): ``'constant'``, ``'edge'``, ``'reflect'`` or ``'symmetric'``.
    """
    if not isinstance(fill, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate fill arg")
    if not isinstance(padding_mode, str):
        raise TypeError("Got inappropriate padding_mode arg")
    if padding_mode not in _NP_PAD_MODE:
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    left, top, right, bottom = _parse_padding(padding)
    return _apply(img, lambda a, axes: _pad_array(a, axes, left, top, right, bottom, fill,
                                                  padding_mode), "pad")


def crop(img, top, left, height, width):
    """Crop the region ``[top, top + height) x [left, left + width)`` of an image or tensor.

    Parts of the region outside the image are filled with zeros, as in torchvision.
    """
    def fn(a, axes):
        h, w = a.shape[axes[0]], a.shape[axes[1]]
        right, bottom = left + width, top + height
        if left < 0 or top < 0 or right > w or bottom > h:
            pads = (max(-left, 0), max(-top, 0), max(right - w, 0), max(bottom - h, 0))
            a = _pad_array(a, axes, pads[0], pads[1], pads[2], pads[3], 0, "constant")
            t, l = top + pads[1], left + pads[0]
        else:
            t, l = top, left
        index = [slice(None)] * a.ndim
        index[axes[0]] = slice(t, t + height)
        index[axes[1]] = slice(l, l + width)
        return a[tuple(index)]

    return _apply(img, fn, "crop")


def center_crop(img, output_size):
    """Crop the centre of an image or tensor to ``output_size`` (int or ``(h, w)``)."""
    if isinstance(output_size, numbers.Integral):
        output_size = (int(output_size), int(output_size))
    elif isinstance(output_size, (tuple, list)) and len(output_size) == 1:
        output_size = (output_size[0], output_size[0])
    _, h, w = get_dimensions(img)
    ch, cw = output_size
    top = int(round((h - ch) / 2.0))
    left = int(round((w - cw) / 2.0))
    return crop(img, top, left, ch, cw)
