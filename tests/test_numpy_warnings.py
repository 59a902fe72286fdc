"""Floating-point edge cases are silent in chainrule (as in PyTorch) but not in the user's NumPy.

Run in a fresh interpreter: pytest installs its own warning filters around each test."""
import subprocess
import sys

PROGRAM = """
import numpy as np
import chainrule as torch
x = torch.tensor([0.0, 1.0], requires_grad=True)
y = (x.sqrt() + torch.log(x) + x / 0).sum()
y.backward()
assert np.isinf(x.grad.numpy()).all()
print("chainrule done", flush=True)
np.log(np.zeros(1))
"""


def test_chainrule_is_silent_and_numpy_still_warns():
    done = subprocess.run([sys.executable, "-W", "default", "-c", PROGRAM],
                          capture_output=True, text=True, check=True)
    assert done.stdout == "chainrule done\n"
    warnings = [line for line in done.stderr.splitlines() if "RuntimeWarning" in line]
    assert len(warnings) == 1 and "<string>" in warnings[0]   # the user's np.log, only
