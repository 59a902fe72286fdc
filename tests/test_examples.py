"""The example programs print exactly what the same programs print with real PyTorch."""
import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
HAVE_TORCH = importlib.util.find_spec("torch") is not None


def _as_torch(source):
    """The program with chainrule's import lines swapped for PyTorch's."""
    lines = source.splitlines()
    assert lines[0] == "import chainrule as torch", "an example starts with `import chainrule as torch`"
    return "\n".join(line.replace("chainrule", "torch") if line.startswith(("import chainrule",
                                                                            "from chainrule"))
                     else line for line in lines) + "\n"


def _run(source, tmp_path, name):
    script = tmp_path / name
    script.write_text(source)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_prints_what_pytorch_prints(path, tmp_path):
    source = path.read_text()
    ours = _run(source, tmp_path, "ours.py")
    assert ours.strip()
    if not HAVE_TORCH:
        pytest.skip("PyTorch is not installed: ran the example without comparing")
    theirs = _run(_as_torch(source), tmp_path, "theirs.py")
    assert ours.splitlines() == theirs.splitlines()
