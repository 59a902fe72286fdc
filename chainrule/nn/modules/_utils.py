"""Helpers the layer modules share."""
from ... import _creation
from ..parameter import Parameter


def register_empty_parameters(module, dtype, weight_shape, bias_shape=None):
    """Register ``module.weight`` and ``module.bias`` as uninitialised Parameters of the given
    shapes (the layer's ``reset_parameters`` fills them); a shape of None registers None, as
    PyTorch does for a layer built without that parameter."""
    for name, shape in (("weight", weight_shape), ("bias", bias_shape)):
        module.register_parameter(
            name, None if shape is None else Parameter(_creation.empty(*shape, dtype=dtype)))
