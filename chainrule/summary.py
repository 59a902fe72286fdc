"""``chainrule.summary(model, input_size)``: a Keras-style model summary, printed exactly as the
``torchsummary`` package prints it.

It runs the model once on a random batch of 2 with a forward hook on every module except the
containers (``Sequential``, ``ModuleList``); each hook records the module's output shape (batch
dimension shown as ``batch_size``, -1 by default) and the number of elements of its ``weight``
and ``bias``. Modules are named ``<Class>-<n>`` in the order their forward *finishes*, so the
model itself comes last. Sizes assume 4 bytes per number; the forward/backward size counts each
recorded output twice (values and gradients).
"""
import sys
import types
from collections import OrderedDict

import numpy as np

__all__ = ["summary", "summary_string"]

_RULE = "-" * 64
_DOUBLE_RULE = "=" * 64


def _input_dtype(dtype):
    """A chainrule dtype from a dtype, a legacy type (``FloatTensor``) or its name."""
    from . import _dtype
    from ._tensor import _LEGACY_TYPES
    if dtype is None:
        return _dtype.float32
    if isinstance(dtype, _dtype.dtype):
        return dtype
    name = dtype if isinstance(dtype, str) else getattr(dtype, "__name__", "")
    return _LEGACY_TYPES[name.rsplit(".", 1)[-1]]


def summary_string(model, input_size, batch_size=-1, device="cpu", dtypes=None):
    """The summary table as a string, and ``(total_params, trainable_params)``."""
    from . import nn
    from ._creation import rand, tensor

    if dtypes is None:
        dtypes = [None] * len(input_size)

    def register_hook(module):
        def hook(module, input, output):
            class_name = str(module.__class__).split(".")[-1].split("'")[0]
            m_key = "%s-%i" % (class_name, len(layers) + 1)
            info = layers[m_key] = OrderedDict()
            info["input_shape"] = list(input[0].size())
            info["input_shape"][0] = batch_size
            if isinstance(output, (list, tuple)):
                info["output_shape"] = [[-1] + list(o.size())[1:] for o in output]
            else:
                info["output_shape"] = list(output.size())
                info["output_shape"][0] = batch_size
            params, counted = 0, False
            weight = getattr(module, "weight", None)
            if hasattr(module, "weight") and hasattr(weight, "size"):
                params += int(np.prod(list(weight.size()), dtype=np.int64))
                counted = True
                info["trainable"] = weight.requires_grad
            bias = getattr(module, "bias", None)
            if hasattr(module, "bias") and hasattr(bias, "size"):
                params += int(np.prod(list(bias.size()), dtype=np.int64))
                counted = True
            info["nb_params"] = params
            info["counted"] = counted

        if not isinstance(module, (nn.Sequential, nn.ModuleList)):
            hooks.append(module.register_forward_hook(hook))

    # multiple inputs to the network
    if isinstance(input_size, tuple):
        input_size = [input_size]
    # a batch of 2 so that batch normalisation works
    x = [rand(2, *in_size).to(dtype=_input_dtype(dt), device=device)
         for in_size, dt in zip(input_size, dtypes)]

    layers = OrderedDict()
    hooks = []
    model.apply(register_hook)
    try:
        model(*x)
    finally:
        for h in hooks:
            h.remove()

    lines = [_RULE, "{:>20}  {:>25} {:>15}".format("Layer (type)", "Output Shape", "Param #"),
             _DOUBLE_RULE]
    total_params = trainable_params = 0
    total_output = 0
    total_is_tensor = trainable_is_tensor = False
    for layer, info in layers.items():
        lines.append("{:>20}  {:>25} {:>15}".format(layer, str(info["output_shape"]),
                                                   "{0:,}".format(info["nb_params"])))
        total_params += info["nb_params"]
        total_is_tensor |= info["counted"]
        total_output += np.prod(info["output_shape"])
        if info.get("trainable") is True:
            trainable_params += info["nb_params"]
            trainable_is_tensor = True

    # assume 4 bytes/number (float on cuda).
    total_input_size = abs(np.prod(sum(input_size, ())) * batch_size * 4. / (1024 ** 2.))
    total_output_size = abs(2. * total_output * 4. / (1024 ** 2.))  # x2 for gradients
    total_params_size = abs(total_params * 4. / (1024 ** 2.))
    total_size = total_params_size + total_output_size + total_input_size

    lines += [_DOUBLE_RULE,
              "Total params: {0:,}".format(total_params),
              "Trainable params: {0:,}".format(trainable_params),
              "Non-trainable params: {0:,}".format(total_params - trainable_params),
              _RULE,
              "Input size (MB): %0.2f" % total_input_size,
              "Forward/backward pass size (MB): %0.2f" % total_output_size,
              "Params size (MB): %0.2f" % total_params_size,
              "Estimated Total Size (MB): %0.2f" % total_size,
              _RULE]
    # torchsummary counts parameters with int64 tensors; a plain 0 where nothing was counted
    params_info = (tensor(total_params) if total_is_tensor else total_params,
                   tensor(trainable_params) if trainable_is_tensor else trainable_params)
    return "\n".join(lines) + "\n", params_info


def summary(model, input_size, batch_size=-1, device="cpu", dtypes=None):
    r"""Print a summary of ``model`` as the ``torchsummary`` package does, and return
    ``(total_params, trainable_params)``.

    Args:
        model (nn.Module): the model; its ``forward`` is run once.
        input_size (tuple or list of tuples): the shape of one input sample, without the batch
            dimension (a list of shapes for a model taking several inputs).
        batch_size (int): the batch size shown in the table (default: -1, "any").
        device: where to build the random input (default: ``"cpu"``).
        dtypes (list, optional): the dtype of each input (default: float32).

    Example::

        >>> model = nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))
        >>> summary(model, (1000,))
        ----------------------------------------------------------------
                Layer (type)               Output Shape         Param #
        ================================================================
                    Linear-1                  [-1, 100]         100,100
                      ReLU-2                  [-1, 100]               0
                    Linear-3                   [-1, 10]           1,010
        ================================================================
        ...
    """
    result, params_info = summary_string(model, input_size, batch_size, device, dtypes)
    print(result)
    return params_info


class _CallableModule(types.ModuleType):
    """Importing ``chainrule.summary`` binds the module as the package attribute; calling it
    calls :func:`summary`, so ``chainrule.summary(model, ...)`` works either way."""

    def __call__(self, *args, **kwargs):
        return summary(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
