"""PyTorch's tensor print format: ``tensor([0.2000, 0.0400], requires_grad=True)``.

The rules follow PyTorch 2.x exactly:

* One formatter per tensor (two for complex: real and imaginary parts) looks at the values that
  will be shown (the edges only, when summarising) and picks a mode: integer-valued floats print
  as ``1.``, scientific notation when the nonzero finite magnitudes span more than 1000x or leave
  ``[1e-4, 1e8]``, fixed ``precision`` digits otherwise. Every element is right-aligned to the
  widest nonzero finite value.
* Rows wrap at ``linewidth``; nested dimensions get one more space of indent per level and
  ``ndim - 1`` newlines between blocks; past ``threshold`` elements only ``edgeitems`` at each
  end of every dimension are shown, around ``...``.
* Suffixes come in order: ``size=`` (empty or ``edgeitems=0``), ``dtype=`` (unless the default
  float dtype, int64 or bool), ``grad_fn=<...>`` or ``requires_grad=True``.
"""
import contextlib
import math

import numpy as np

__all__ = ["set_printoptions", "get_printoptions", "printoptions", "legacy_type_name"]

_LEGACY = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
           "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
           "complex64": "ComplexFloat"}


def legacy_type_name(np_dtype):
    """PyTorch's legacy type string for a NumPy dtype, e.g. ``'torch.FloatTensor'``."""
    return f"torch.{_LEGACY[np.dtype(np_dtype).name]}Tensor"


# ---------------------------------------------------------------------------- print options
class _PrinterOptions:
    """The current print options (``PRINT_OPTS``), shared by every tensor."""

    __slots__ = ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")

    def __init__(self):
        self.precision = 4
        self.threshold = 1000
        self.edgeitems = 3
        self.linewidth = 80
        self.sci_mode = None

    def __repr__(self):
        fields = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__)
        return f"_PrinterOptions({fields})"


PRINT_OPTS = _PrinterOptions()

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None,
                     sci_mode=None):
    """Set options for printing tensors (``torch.set_printoptions``).

    Args:
        precision: digits after the decimal point for floating point values (default 4).
        threshold: number of elements above which a tensor is summarised (default 1000).
        edgeitems: items shown at each end of each dimension when summarising (default 3).
        linewidth: characters per line before wrapping (default 80).
        profile: ``"default"``, ``"short"`` or ``"full"``; the other arguments override it.
        sci_mode: ``True``/``False`` forces scientific notation on/off; ``None`` (the default,
            and what every call without it sets) lets each tensor choose.
    """
    if profile in _PROFILES:
        for name, value in _PROFILES[profile].items():
            setattr(PRINT_OPTS, name, value)
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions():
    """The current print options as a dict that can be passed back to :func:`set_printoptions`."""
    return {name: getattr(PRINT_OPTS, name) for name in _PrinterOptions.__slots__}


@contextlib.contextmanager
def printoptions(**kwargs):
    """Context manager that sets print options (as :func:`set_printoptions`) and restores the
    previous ones on exit."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


# ---------------------------------------------------------------------------- element formatting
class _Formatter:
    """Formats the elements of one real array to a common width.

    ``values`` are the elements that will be shown; the mode and the width are decided from them.
    """

    def __init__(self, values, floating):
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        flat = values.reshape(-1)
        if not floating:
            if flat.size:
                self.width = max(len(str(v)) for v in flat.tolist())
            return

        nonzero = flat[np.isfinite(flat) & (flat != 0)]
        if nonzero.size == 0:
            return  # only zeros, nan and inf: integer mode, whatever sci_mode says
        magnitude = np.abs(nonzero)
        lo, hi = float(magnitude.min()), float(magnitude.max())  # Python floats: hi / lo may be inf
        self.int_mode = bool(np.all(nonzero == np.ceil(nonzero)))
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = bool(hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4)
        else:
            self.sci_mode = PRINT_OPTS.sci_mode

        p = PRINT_OPTS.precision
        values = nonzero.astype(np.float64).tolist()
        if self.sci_mode:
            self.width = max(len(f"{v:.{p}e}") for v in values)
        elif self.int_mode:
            self.width = max(len(f"{v:.0f}") for v in values) + 1  # room for the trailing "."
        else:
            self.width = max(len(f"{v:.{p}f}") for v in values)

    def format(self, value):
        """One Python number as a right-aligned string."""
        if not self.floating:
            s = str(value)
        elif self.sci_mode:
            s = f"{value:{self.width}.{PRINT_OPTS.precision}e}"
        elif self.int_mode:
            s = f"{value:.0f}"
            if math.isfinite(value):
                s += "."
        else:
            s = f"{value:.{PRINT_OPTS.precision}f}"
        return s.rjust(self.width)


class _ComplexFormatter:
    """Formats complex elements as ``real+imagj`` with one formatter per part."""

    def __init__(self, values):
        self.real = _Formatter(values.real, True)
        self.imag = _Formatter(values.imag, True)
        self.width = self.real.width + self.imag.width + 1  # the "j"

    def format(self, value):
        """One Python complex as ``real+imagj`` (the sign of the imaginary part kept)."""
        real = self.real.format(value.real)
        imag = (self.imag.format(value.imag) + "j").lstrip()
        return real + imag if imag[0] in "+-" else real + "+" + imag


# ---------------------------------------------------------------------------- layout
def _summarized(a):
    """The elements left when summarising: ``edgeitems`` from each end of every dimension."""
    e = PRINT_OPTS.edgeitems
    if a.ndim == 0:
        return a
    if a.ndim == 1:
        # a[-0:] is the whole vector, so edgeitems=0 keeps every element (as PyTorch does).
        return np.concatenate((a[:e], a[-e:])) if a.shape[0] > 2 * e else a
    if not e:
        return a[(slice(0, 0),) * a.ndim]
    rows = list(a[:e]) + list(a[-e:]) if a.shape[0] > 2 * e else list(a)
    return np.stack([_summarized(r) for r in rows])


def _vector_str(a, indent, summarize, fmt):
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / (fmt.width + 2)))
    e = PRINT_OPTS.edgeitems
    if summarize and not e:
        items = ["..."]
    elif summarize and a.shape[0] > 2 * e:
        items = ([fmt.format(v) for v in a[:e].tolist()] + [" ..."]
                 + [fmt.format(v) for v in a[-e:].tolist()])
    else:
        items = [fmt.format(v) for v in a.tolist()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested_str(a, indent, summarize, fmt):
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        return _vector_str(a, indent, summarize, fmt)
    e = PRINT_OPTS.edgeitems
    if summarize and a.shape[0] > 2 * e:
        blocks = ([_nested_str(a[i], indent + 1, summarize, fmt) for i in range(e)] + ["..."]
                  + [_nested_str(a[i], indent + 1, summarize, fmt)
                     for i in range(a.shape[0] - e, a.shape[0])])
    else:
        blocks = [_nested_str(r, indent + 1, summarize, fmt) for r in a]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(blocks) + "]"


def _array_str(a, indent):
    """The bracketed body of a non-empty array printed at ``indent``."""
    summarize = a.size > PRINT_OPTS.threshold
    shown = _summarized(a) if summarize else a
    if a.dtype.kind == "c":
        fmt = _ComplexFormatter(shown)
    else:
        fmt = _Formatter(shown, a.dtype.kind == "f")
    return _nested_str(a, indent, summarize, fmt)


def _add_suffixes(text, suffixes, indent):
    # PyTorch measures the last line this way (two more than its length on a one-line string).
    last_line_len = len(text) - text.rfind("\n") + 1
    parts = [text]
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


# ---------------------------------------------------------------------------- entry points
def _is_plain(cls):
    """Tensor and Parameter print as ``tensor(...)``; other subclasses print their class name."""
    return cls.__name__ in ("Tensor", "Parameter")


def _host_array(data):
    if isinstance(data, np.ndarray):
        return data
    get = getattr(data, "get", None)  # a device array copies itself to the host
    return get() if get is not None else np.asarray(data)


def _str(tensor):
    """``repr(tensor)`` and ``str(tensor)``, byte for byte as PyTorch prints them."""
    from . import _dtype

    cls = type(tensor)
    plain = _is_plain(cls)
    prefix = "tensor(" if plain else cls.__name__ + "("
    indent = len(prefix)
    data = _host_array(tensor._data)
    dtype = tensor.dtype
    default = _dtype.get_default_dtype()
    suffixes = []

    device = getattr(tensor, "device", None)
    if device is not None and getattr(device, "type", str(device)) != "cpu":
        suffixes.append(f"device='{device}'")

    if data.size == 0:
        # Nothing to infer the dtype from, so anything but the default float dtype is shown.
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
        if dtype.name != default.name:
            suffixes.append(f"dtype={dtype!r}")
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(data.shape)}")
        default_complex = "complex128" if default.name == "float64" else "complex64"
        if dtype.name not in (default.name, default_complex, "int64", "bool"):
            suffixes.append(f"dtype={dtype!r}")
        body = _array_str(data, indent)

    grad_fn = getattr(tensor, "grad_fn", None)
    if grad_fn is not None:
        name = getattr(grad_fn, "name", None)
        name = name() if callable(name) else type(grad_fn).__name__
        # C++-only nodes are namespaced ('torch::autograd::CopyBackwards'); print the last part
        suffixes.append(f"grad_fn=<{name.rsplit('::', 1)[-1]}>")
    elif getattr(tensor, "requires_grad", False):
        suffixes.append("requires_grad=True")

    text = _add_suffixes(prefix + body, suffixes, indent)
    if not plain and any(c.__name__ == "Parameter" for c in cls.__mro__):
        text = f"Parameter({text})"
    return text


def _parameter_str(param):
    """``repr`` of an ``nn.Parameter``: ``Parameter containing:`` over the tensor's string."""
    return "Parameter containing:\n" + _str(param)
