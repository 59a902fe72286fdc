"""The Tensor: a NumPy array plus autograd state. Methods are thin: the math lives in ``ops/``."""
import re
import warnings
import weakref

import numpy as np

from . import _dtype
from ._dtype import dtype as _dtype_cls
from .autograd import grad_mode
from .autograd.graph import RemovableHandle, _add_hook

__all__ = ["Tensor", "Size", "device"]

_state = grad_mode._state


class Size(tuple):
    """The shape of a tensor: a tuple of ints that prints as ``torch.Size([2, 3])``."""

    def __new__(cls, sizes=()):
        sizes = tuple(sizes)
        if not all(type(d) is int for d in sizes):
            sizes = tuple(_size_item(d, i) for i, d in enumerate(sizes))
        return tuple.__new__(cls, sizes)

    def __repr__(self):
        return f"torch.Size([{', '.join(str(d) for d in self)}])"

    __str__ = __repr__

    def numel(self):
        """Number of elements of a tensor of this shape."""
        n = 1
        for d in self:
            n *= d
        return n

    def __getitem__(self, item):
        out = tuple.__getitem__(self, item)
        return Size(out) if isinstance(item, slice) else out

    def __add__(self, other):
        return Size(tuple.__add__(self, other))

    def __radd__(self, other):
        return Size(tuple.__add__(tuple(other), self))

    def __mul__(self, n):
        return Size(tuple.__mul__(self, n))

    __rmul__ = __mul__

    def __reduce__(self):
        return (Size, (tuple(self),))


def _size_item(d, i):
    if isinstance(d, (int, np.integer)) and not isinstance(d, bool) or \
            isinstance(d, Tensor) and d._data.dtype.kind in "iu" and d._data.size == 1:
        return int(d)
    raise TypeError(f"torch.Size() takes an iterable of 'int' (item {i} is "
                    f"'{type(d).__name__}')")


_DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
                 "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                 "privateuseone")
_DEVICE_STRING = re.compile(r"([a-zA-Z_]+)(?::([1-9][0-9]*|0))?")


class device:
    """Where a tensor lives: ``device('cpu')``, ``device('cuda:1')``, ``device('cuda', 1)``.

    Prints as ``device(type='cpu')``; ``str()`` gives ``'cpu'`` / ``'cuda:1'``. Only the CPU
    holds tensors in this build.
    """

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        elif not isinstance(type, str):
            if isinstance(type, int) and not isinstance(type, bool):
                raise RuntimeError("Cannot access accelerator device when none is available.")
            raise TypeError(
                f"device() received an invalid combination of arguments - got "
                f"({type.__class__.__name__}), but expected one of:\n"
                f" * (torch.device device)\n      didn't match because some of the arguments "
                f"have invalid types: (!{type.__class__.__name__}!)\n"
                f" * (str type, int index = -1)\n")
        if index is not None and (not isinstance(index, (int, np.integer)) or
                                  isinstance(index, bool)):
            raise TypeError(f"device(): argument 'index' (position 2) must be int, not "
                            f"{index.__class__.__name__}")
        match = _DEVICE_STRING.fullmatch(type)
        if match is None:
            raise RuntimeError(f"Invalid device string: '{type}'")
        kind, idx = match.groups()
        if kind not in _DEVICE_TYPES:
            raise RuntimeError(f"Expected one of {', '.join(_DEVICE_TYPES)} device type at start "
                               f"of device string: {kind}")
        if idx is not None:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was "
                                   f"passed explicitly: {type}")
            index = int(idx)
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        self.type = kind
        self.index = None if index is None else int(index)

    def __repr__(self):
        idx = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{idx})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type,) if self.index is None else (self.type, self.index))


_CPU = device("cpu")

_NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information.")


def _check_can_require_grad(arr):
    if arr.dtype.kind not in "fc":
        raise RuntimeError("only Tensors of floating point dtype can require gradients")


_make_size = tuple.__new__
_warned_float = False   # float() of a tensor that requires grad warns once


class Tensor:
    """A multi-dimensional array that can record the operations applied to it for autograd.

    ``Tensor(data)`` follows PyTorch's legacy constructor: a sequence gives a float32 tensor with
    that data, integers give an uninitialised tensor of that shape. Use :func:`chainrule.tensor`.
    """

    __slots__ = ("_data", "_requires_grad", "_grad", "grad_fn", "_output_nr", "_version_counter",
                 "_accumulator", "_base", "_backward_hooks", "_post_accumulate_hooks",
                 "__weakref__", "__dict__")

    # NumPy must hand mixed expressions (``array * tensor``) to our operators.
    __array_ufunc__ = None
    __array_priority__ = 1000

    def __new__(cls, *args, **kwargs):
        from ._creation import legacy_new
        return legacy_new(cls, _dtype.get_default_dtype(), args, kwargs)

    @classmethod
    def _make(cls, array, _new=object.__new__):
        """Wrap an ndarray (no copy, no checks): the one fast constructor used by every op."""
        t = _new(cls)
        t._data = array
        t._requires_grad = False
        t._grad = t.grad_fn = t._accumulator = t._base = None
        t._backward_hooks = t._post_accumulate_hooks = None
        t._output_nr = 0
        t._version_counter = [0]
        return t

    def _set_from(self, array, requires_grad=False):
        self._data = array
        self._requires_grad = False
        self._grad = self.grad_fn = self._accumulator = self._base = None
        self._backward_hooks = self._post_accumulate_hooks = None
        self._output_nr = 0
        self._version_counter = [0]
        if requires_grad:
            self.requires_grad = True

    # ------------------------------------------------------------------ pickling / copying
    def __reduce_ex__(self, protocol):
        return (_rebuild, (type(self), self._data, self._requires_grad))

    def __deepcopy__(self, memo):
        if not self.is_leaf:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support "
                               "the deepcopy protocol at the moment.  If you were attempting to "
                               "deepcopy a module, this may be because of a torch.nn.utils."
                               "weight_norm usage, see https://github.com/pytorch/pytorch/pull/"
                               "103001")
        if id(self) in memo:
            return memo[id(self)]
        new = type(self).__new__(type(self), self._data.copy()) if type(self) is not Tensor else \
            Tensor._make(self._data.copy())
        new._requires_grad = self._requires_grad
        if self._grad is not None:
            new._grad = Tensor._make(self._grad._data.copy())
        for k, v in getattr(self, "__dict__", {}).items():
            setattr(new, k, v)
        memo[id(self)] = new
        return new

    # ------------------------------------------------------------------ basic attributes
    @property
    def shape(self):
        """The size of each dimension, a :class:`Size`."""
        return _make_size(Size, self._data.shape)  # NumPy's shape: ints, nothing to check

    def size(self, dim=None):
        """``size()`` gives the :class:`Size`; ``size(dim)`` one dimension's length."""
        if dim is None:
            return _make_size(Size, self._data.shape)
        return self._data.shape[self._wrap_dim_strict(dim)]

    def _wrap_dim_strict(self, dim):
        """Like ``_wrap_dim`` but a 0-d tensor has no dimension at all (``size(0)``)."""
        if self._data.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return self._wrap_dim(dim)

    def _wrap_dim(self, dim):
        n = self._data.ndim
        lo, hi = (-1, 0) if n == 0 else (-n, n - 1)
        if not lo <= dim <= hi:
            raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], "
                             f"but got {dim})")
        return dim % n if n else 0

    @property
    def dtype(self):
        """The element type, e.g. ``torch.float32``."""
        return _dtype.from_numpy_dtype(self._data.dtype)

    @property
    def device(self):
        """The device the data lives on."""
        return _CPU

    @property
    def is_cuda(self):
        return False

    @property
    def is_cpu(self):
        return True

    @property
    def ndim(self):
        """Number of dimensions."""
        return self._data.ndim

    def dim(self):
        """Number of dimensions."""
        return self._data.ndim

    ndimension = dim

    def numel(self):
        """Total number of elements."""
        return self._data.size

    nelement = numel

    def element_size(self):
        """Size of one element in bytes."""
        return self._data.itemsize

    @property
    def itemsize(self):
        """Size of one element in bytes."""
        return self._data.itemsize

    @property
    def nbytes(self):
        """Bytes taken by the elements (``numel() * itemsize``)."""
        return self._data.size * self._data.itemsize

    def is_signed(self):
        """Whether the dtype holds negative numbers (False for bool and unsigned types)."""
        return self._data.dtype.kind in "ifc"

    def is_floating_point(self):
        """True for float16/float32/float64 tensors."""
        return self._data.dtype.kind == "f"

    def is_complex(self):
        return self._data.dtype.kind == "c"

    def is_contiguous(self, memory_format=None):
        """True if the elements are laid out in row-major order without gaps."""
        return self._data.flags.c_contiguous

    def stride(self, dim=None):
        """Step in elements between consecutive indices of each dimension."""
        a = self._data
        if a.size == 0 or a.flags.c_contiguous:
            strides, step = [], 1          # contiguous: PyTorch's strides, whatever NumPy says
            for n in reversed(a.shape):
                strides.append(step)
                step *= max(n, 1)
            strides = tuple(reversed(strides))
        else:
            strides = tuple(s // a.itemsize for s in a.strides)
        return strides if dim is None else strides[self._wrap_dim_strict(dim)]

    def storage_offset(self):
        """Offset in elements of this tensor's first element within the memory it views."""
        a = self._data
        base = a
        while isinstance(base.base, np.ndarray):
            base = base.base
        if base is a or not a.size:
            return 0
        offset = a.__array_interface__["data"][0] - base.__array_interface__["data"][0]
        return max(offset, 0) // a.itemsize

    def data_ptr(self):
        return self._data.__array_interface__["data"][0]

    def get_device(self):
        return -1

    def type(self, dtype=None, non_blocking=False):
        """Without argument the legacy type string (``'torch.FloatTensor'``); otherwise a cast."""
        if dtype is None:
            return _LEGACY_NAMES[self._data.dtype.name]
        if isinstance(dtype, str):
            if dtype.startswith("torch.cuda."):
                raise RuntimeError(_NO_CUDA_LIBRARY.format("initialize CUDA"))
            if not dtype.startswith("torch.") or dtype[6:] not in _LEGACY_TYPES:
                raise ValueError(f"invalid type: '{dtype}'")
            dtype = _LEGACY_TYPES[dtype[6:]]
        elif isinstance(getattr(dtype, "dtype", None), _dtype_cls) and isinstance(dtype, type):
            dtype = dtype.dtype                      # torch.FloatTensor & co.
        elif type(dtype) is not _dtype_cls:
            if any(dtype is t for t in (float, int, bool, complex)):
                raise ValueError(f"invalid type: '{dtype.__name__}'")
            raise TypeError("dtype must be a type, str, or dtype object")
        return self.to(dtype)

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __hash__(self):
        return id(self)

    def __bool__(self):
        n = self._data.size
        if n != 1:
            raise RuntimeError("Boolean value of Tensor with no values is ambiguous" if n == 0 else
                               "Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()))

    def _python_number(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.reshape(()).item()

    def __float__(self):
        global _warned_float
        if self._requires_grad and not _warned_float:  # once per process, as PyTorch
            _warned_float = True
            warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to "
                          "unexpected behavior.\nConsider using tensor.detach() first.",
                          UserWarning, stacklevel=2)
        return float(self._python_number())

    def __int__(self):
        return int(self._python_number())

    def __index__(self):
        if self._data.dtype.kind not in "biu" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self._data.reshape(()))

    def __complex__(self):
        return complex(self._python_number())

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)

    def __repr__(self):
        from ._tensor_str import _str
        return _str(self)

    def __format__(self, spec):
        if self._data.ndim == 0 and type(self) is Tensor:
            return self.item().__format__(spec)
        return object.__format__(self, spec) if spec else repr(self)

    # ------------------------------------------------------------------ conversions
    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to "
                               "Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        """The data as (nested) Python lists of numbers."""
        return self._data.tolist()

    def numpy(self, force=False):
        """The data as an ndarray sharing memory with this tensor."""
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        return self._data

    def to(self, *args, **kwargs):
        """Cast to a dtype and/or move to a device: ``to(dtype)``, ``to(device, dtype)``,
        ``to(other_tensor)``, keywords ``dtype=``, ``device=``, ``copy=``. Returns ``self`` when
        nothing changes, unless ``copy=True``."""
        dtype, dev, copy = _parse_to(args, kwargs)
        if dev is not None:
            _require_cpu(dev)
        if dtype is None or dtype.np == self._data.dtype:
            if not copy:
                return self
            dtype = self.dtype
        from .ops.elementwise import to_dtype
        return to_dtype(self, dtype)

    def cpu(self, memory_format=None):
        """This tensor on the CPU (itself: every tensor lives there)."""
        return self

    def cuda(self, device=None, non_blocking=False, memory_format=None):
        """Move to a CUDA device: raises PyTorch's error, this build has none."""
        if device is not None and not isinstance(device, (str, globals()["device"])):
            raise RuntimeError("Cannot access accelerator device when none is available.")
        from ._backend import require_device
        require_device("cuda")

    def float(self):
        return self.to(_dtype.float32)

    def double(self):
        return self.to(_dtype.float64)

    def half(self):
        return self.to(_dtype.float16)

    def long(self):
        return self.to(_dtype.int64)

    def int(self):
        return self.to(_dtype.int32)

    def short(self):
        return self.to(_dtype.int16)

    def char(self):
        return self.to(_dtype.int8)

    def byte(self):
        return self.to(_dtype.uint8)

    def bool(self):
        return self.to(_dtype.bool)

    def type_as(self, other):
        return self.to(other.dtype)

    # ------------------------------------------------------------------ autograd state
    @property
    def requires_grad(self):
        """Whether operations on this tensor are recorded for autograd."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        if self.grad_fn is not None:
            if value:
                return
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if value:
            _check_can_require_grad(self._data)
        elif self._base is not None and self._base._requires_grad and \
                self.__dict__.get("_unrecorded_view"):
            return  # as in PyTorch, such a view requires grad as long as its base does
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` in place and return ``self``."""
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self):
        """True for tensors created by the user (and all tensors that do not require grad)."""
        return self.grad_fn is None

    @property
    def grad(self):
        """Gradient accumulated by ``backward()`` (leaves and ``retain_grad()`` tensors)."""
        if self.grad_fn is not None and self._grad is None and not self.retains_grad:
            warnings.warn(_NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                                f"type {type(value).__name__}")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError("assigned grad has data of a different type")
            if value._data.shape != self._data.shape:
                raise RuntimeError("assigned grad has data of a different size")
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def retains_grad(self):
        """True if ``retain_grad()`` was called on this non-leaf tensor."""
        fn = self.grad_fn
        if fn is None or not fn._retained:
            return False
        return any(ref() is self for _, ref in fn._retained)

    def retain_grad(self):
        """Make ``backward()`` populate ``.grad`` for this non-leaf tensor."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        fn = self.grad_fn
        if fn is None or self.retains_grad:
            return
        fn._retain(self._output_nr, self)

    @property
    def _version(self):
        return self._version_counter[0]

    @property
    def data(self):
        """A tensor sharing this one's storage, outside autograd (not version-checked)."""
        t = Tensor._make(self._data)
        return t

    @data.setter
    def data(self, value):
        self._data = value._data

    def detach(self):
        """A new tensor sharing storage, detached from the graph (in-place changes are still
        seen by autograd's version check)."""
        t = Tensor._make(self._data)
        t._version_counter = self._version_counter
        return t

    def detach_(self):
        """Detach this tensor from the graph in place, making it a leaf."""
        if self._base is not None and self._base._requires_grad:
            raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are "
                               "using DistributedDataParallel (DDP) for training, and "
                               "gradient_as_bucket_view is set as True, gradients are views of "
                               "DDP buckets, and hence detach_() cannot be called on these "
                               "gradients. To fix this error, please refer to the Optimizer."
                               "zero_grad() function in torch/optim/optimizer.py as the solution.")
        self.grad_fn = None
        self._requires_grad = False
        self._output_nr = 0
        return self

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute the gradient of this tensor w.r.t. graph leaves and accumulate it in ``.grad``.

        ``gradient`` is required unless the tensor has one element. The graph is freed afterwards
        unless ``retain_graph`` (default: ``create_graph``) is true.
        """
        from .autograd import backward
        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def register_hook(self, hook):
        """Register ``hook(grad)`` to run when this tensor's gradient is computed; it may return a
        replacement gradient. Returns a handle with ``remove()``."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            return self.grad_fn._register_tensor_hook(self._output_nr, hook)
        if self._backward_hooks is None:
            self._backward_hooks = {}
        return _add_hook(self._backward_hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Register ``hook(tensor)`` to run after the gradient is accumulated into this leaf."""
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf "
                               "tensors")
        if self._post_accumulate_hooks is None:
            self._post_accumulate_hooks = {}
        return _add_hook(self._post_accumulate_hooks, hook)

    # ------------------------------------------------------------------ shape helpers that are
    # methods only (vararg signatures differ from the functions)
    def view(self, *shape):
        """A view with a new shape (``-1`` infers one dimension); ``view(dtype)`` reinterprets."""
        from .ops import shape as S
        if len(shape) == 1 and isinstance(shape[0], _dtype_cls):
            return S.view_dtype(self, shape[0])
        return S.view(self, _shape_arg(shape))

    def reshape(self, *shape):
        """Same data with a new shape; a view when possible."""
        from .ops.shape import reshape
        return reshape(self, _shape_arg(shape))

    def expand(self, *sizes):
        """Broadcast singleton dimensions to ``sizes`` (``-1`` keeps a size) without copying."""
        from .ops.shape import expand
        return expand(self, _shape_arg(sizes))

    def repeat(self, *sizes):
        """Tile the tensor ``sizes[i]`` times along each dimension."""
        from .ops.shape import repeat
        return repeat(self, _shape_arg(sizes))

    def permute(self, *dims):
        """Reorder the dimensions."""
        from .ops.shape import permute
        return permute(self, _shape_arg(dims))

    def flip(self, *dims):
        from .ops.shape import flip
        return flip(self, _shape_arg(dims))

    def tile(self, *dims):
        from .ops.shape import tile
        return tile(self, _shape_arg(dims))

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        from ._creation import zeros
        return zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        from ._creation import ones
        return ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
        from ._creation import full
        return full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        return self.new_zeros(*size, dtype=dtype, requires_grad=requires_grad)

    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        from ._creation import tensor
        return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

    @property
    def T(self):
        """All dimensions reversed (deprecated by PyTorch for tensors that are not 2-d)."""
        from .ops.shape import permute
        n = self._data.ndim
        if n not in (0, 2):
            warnings.warn(
                "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                "deprecated and it will throw an error in a future release. Consider `x.mT` to "
                "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` "
                "to reverse the dimensions of a tensor.", UserWarning, stacklevel=2)
        return permute(self, tuple(range(n - 1, -1, -1)))

    @property
    def mT(self):
        """The last two dimensions transposed (batches of matrices)."""
        return self._matrix_transpose("mT")

    @property
    def H(self):
        """Conjugate transpose of a matrix (the transpose for real tensors)."""
        n = self._data.ndim
        if n > 2 or n == 1:
            hint = " For batches of matrices, consider using tensor.mH" if n > 2 else ""
            raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {n}-D "
                               f"tensor.{hint}")
        return self.T

    @property
    def mH(self):
        """Conjugate transpose of the last two dimensions (the transpose for real tensors)."""
        return self._matrix_transpose("mH")

    def _matrix_transpose(self, name):
        from .ops.shape import transpose
        n = self._data.ndim
        if n == 0:
            warnings.warn(f"Tensor.{name} is deprecated on 0-D tensors. This function is the "
                          "identity in these cases.", UserWarning, stacklevel=3)
            return transpose(self, 0, 0)
        if n < 2:
            raise RuntimeError(f"tensor.{name} is only supported on matrices or batches of "
                               f"matrices. Got {n}-D tensor.")
        return transpose(self, -2, -1)


def _shape_arg(shape):
    """Accept both ``f(2, 3)`` and ``f((2, 3))`` / ``f(torch.Size([2, 3]))``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list, Size)):
        return tuple(shape[0])
    return shape


_TO_SIGNATURES = (
    " * (torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, "
    "bool copy = False, *, torch.memory_format memory_format = None)\n"
    " * (torch.dtype dtype, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)\n"
    " * (Tensor tensor, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)\n")
_PY_DTYPES = {float: _dtype.float64, int: _dtype.int64, bool: _dtype.bool,
              complex: _dtype.complex128}


def _as_dtype(x):
    """A torch dtype for ``x`` (a dtype or ``float``/``int``/``bool``/``complex``), else None."""
    if type(x) is _dtype_cls:
        return x
    return _PY_DTYPES.get(x) if isinstance(x, type) else None


def _arg_typename(x):
    if type(x) is _dtype_cls:
        return "torch.dtype"
    if isinstance(x, device):
        return "torch.device"
    return "Tensor" if isinstance(x, Tensor) else type(x).__name__


def _parse_to(args, kwargs):
    """(dtype, device, copy) from ``Tensor.to``'s three signatures, with PyTorch's error."""
    def invalid():
        got = [_arg_typename(a) for a in args] + [f"{k}={_arg_typename(v)}"
                                                   for k, v in kwargs.items()]
        text = ", ".join(got) + (", " if kwargs and not args else "")
        return TypeError(f"to() received an invalid combination of arguments - got ({text}), "
                         f"but expected one of:\n{_TO_SIGNATURES}")

    if set(kwargs) - {"dtype", "device", "non_blocking", "copy", "memory_format"}:
        raise invalid()
    first = args[0] if args else None
    if args and (_as_dtype(first) is not None or isinstance(first, Tensor)):
        if len(args) > 3 or "dtype" in kwargs or "device" in kwargs:
            raise invalid()
        flags = dict(zip(("non_blocking", "copy"), args[1:]))
        if set(flags) & set(kwargs) or not all(isinstance(f, bool) for f in flags.values()):
            raise invalid()
        copy = flags.get("copy", kwargs.get("copy", False))
        if isinstance(first, Tensor):
            return first.dtype, first.device, copy
        return _as_dtype(first), None, copy
    names = ("device", "dtype", "non_blocking", "copy")
    if len(args) > 4:
        raise invalid()
    given = dict(zip(names, args))
    if set(given) & set(kwargs):
        raise invalid()
    given.update(kwargs)
    dev, dtype = given.get("device"), given.get("dtype")
    if dtype is not None:
        dtype = _as_dtype(dtype)
        if dtype is None:
            raise invalid()
    if dev is not None and not isinstance(dev, (str, device, int)) or isinstance(dev, bool):
        raise invalid()
    return dtype, dev, given.get("copy", False)


def _require_cpu(dev):
    """Accept a CPU device; raise PyTorch's error for any other in this CPU-only build."""
    if dev == "cpu" or isinstance(dev, device) and dev.type == "cpu":
        return
    dev = device(dev)
    if dev.type != "cpu":
        from ._backend import require_device
        require_device(dev.type)


_NO_CUDA_LIBRARY = (
    "Cannot {} without ATen_cuda library. PyTorch splits its backend into two shared libraries: "
    "a CPU library and a CUDA library; this error has occurred because you are trying to use "
    "some CUDA functionality, but the CUDA library has not been loaded by the dynamic linker for "
    "some reason.  The CUDA library MUST be loaded, EVEN IF you don't directly use any symbols "
    "from the CUDA library! One common culprit is a lack of -Wl,--no-as-needed in your link "
    "arguments; many dynamic linkers will delete dynamic library dependencies if you don't "
    "depend on any of their symbols.  You can check if this has occurred by using ldd on your "
    "binary to see if there is a dependency on *_cuda.so library.")


def _rebuild(cls, array, requires_grad):
    t = Tensor._make(array)
    if cls is not Tensor:
        t = cls(t, requires_grad) if requires_grad is not None else cls(t)
    else:
        t._requires_grad = requires_grad
    return t


_LEGACY_TYPES = {"FloatTensor": _dtype.float32, "DoubleTensor": _dtype.float64,
                 "HalfTensor": _dtype.float16, "LongTensor": _dtype.int64,
                 "IntTensor": _dtype.int32, "ShortTensor": _dtype.int16,
                 "CharTensor": _dtype.int8, "ByteTensor": _dtype.uint8, "BoolTensor": _dtype.bool,
                 "ComplexFloatTensor": _dtype.complex64, "ComplexDoubleTensor": _dtype.complex128,
                 "UInt16Tensor": _dtype.uint16, "UInt32Tensor": _dtype.uint32,
                 "UInt64Tensor": _dtype.uint64}
_LEGACY_NAMES = {d.np.name: "torch." + name for name, d in _LEGACY_TYPES.items()}


def attach_methods(namespace, names):
    """Install functions whose first argument is the tensor as Tensor methods (``x.exp()``)."""
    for name in names:
        if not hasattr(Tensor, name) or name.startswith("__"):
            setattr(Tensor, name, namespace[name])


def _bind_autograd():
    """The autograd modules are imported before Tensor exists; hand them the class now."""
    from .autograd import engine, function
    function.Tensor = engine.Tensor = Tensor


_bind_autograd()
