"""Evaluating one expression table entry against a torch-like module, for parity tables."""
import warnings

import numpy as np


def evaluate(module, expression, describe):
    """``describe(result)`` of ``expression`` evaluated with ``torch`` bound to ``module``, or
    the raised exception's (type name, message). An expression starting with ``!`` is a
    statement that leaves its result in ``r``."""
    scope = {"torch": module, "np": np}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if expression.startswith("!"):
                exec(expression[1:], scope)
                result = scope.get("r")
            else:
                result = eval(expression, scope)
        except Exception as exc:
            return type(exc).__name__, str(exc)
    return describe(result)
