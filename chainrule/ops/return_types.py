"""PyTorch's named tuples for ops that return values and indices (``torch.return_types.sort``).

``return_types.sort(values, indices)`` is a tuple (it unpacks and indexes like one) with
``.values`` / ``.indices`` and PyTorch's printed form::

    torch.return_types.sort(
    values=tensor([1., 2., 3.]),
    indices=tensor([1, 2, 0]))

Every op module uses these classes; add a name to ``_NAMES`` for a new op.
"""
import collections

__all__ = []  # the classes are reached as chainrule.return_types.<name>


def _make(name, fields):
    base = collections.namedtuple(name, fields)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"torch.return_types.{name}(\n{body})"

    cls = type(name, (base,), {"__slots__": (), "__repr__": __repr__, "__str__": __repr__,
                               "__module__": __name__,
                               "__doc__": f"Result of ``{name}``: a named tuple {fields}."})
    return cls


_NAMES = ["sort", "topk", "kthvalue", "median", "mode", "max", "min", "aminmax", "cummax",
          "cummin", "nanmedian", "std_mean", "var_mean", "slogdet", "qr", "svd",
          "linalg_eigh", "geqrf", "frexp"]
_FIELDS = {"aminmax": ("min", "max"), "std_mean": ("std", "mean"), "var_mean": ("var", "mean"),
           "slogdet": ("sign", "logabsdet"), "qr": ("Q", "R"), "svd": ("U", "S", "V"),
           "linalg_eigh": ("eigenvalues", "eigenvectors"), "geqrf": ("a", "tau"),
           "frexp": ("mantissa", "exponent")}

for _name in _NAMES:
    globals()[_name] = _make(_name, _FIELDS.get(_name, ("values", "indices")))
del _name
