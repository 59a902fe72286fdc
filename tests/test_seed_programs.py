"""The seed programs in examples/ give the same losses with chainrule and with real PyTorch when
both start from the same data and weights (made with NumPy), for a few iterations each."""
import pathlib
import sys
import types

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _load(name, library):
    """Module ``examples/<name>.py`` with its leading chainrule imports pointed at ``library``."""
    source = (EXAMPLES / f"{name}.py").read_text()
    if library == "torch":
        lines = source.splitlines()
        head = [line.replace("chainrule", "torch") if line.startswith(("import chainrule",
                                                                        "from chainrule"))
                else line for line in lines[:2]]
        source = "\n".join(head + lines[2:]) + "\n"
    module = types.ModuleType(f"{name}_{library}")
    module.__file__ = str(EXAMPLES / f"{name}.py")
    sys.modules[module.__name__] = module  # classes defined in it need their module importable
    try:
        exec(compile(source, module.__file__, "exec"), module.__dict__)
    finally:
        del sys.modules[module.__name__]
    return module


@pytest.fixture(scope="module")
def two_layer():
    ours = _load("two_layer_net", "chainrule")
    assert ours.torch.__name__ == "chainrule"
    theirs = _load("two_layer_net", "torch") if _have_torch() else None
    return ours, theirs, ours.make_data()


def _have_torch():
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


WAYS = ["numpy_by_hand", "tensors_by_hand", "with_autograd", "with_nn_sequential",
        "with_module_and_adam"]


@pytest.mark.parametrize("way", WAYS)
def test_two_layer_net_losses_fall_and_match_pytorch(two_layer, way):
    ours, theirs, data = two_layer
    losses = getattr(ours, way)(data, steps=6)
    losses = losses[0] if way == "with_module_and_adam" else losses
    assert len(losses) == 6 and all(np.isfinite(losses))
    assert losses[-1] < losses[0]
    if theirs is None:
        pytest.skip("PyTorch is not installed")
    expected = getattr(theirs, way)(data, steps=6)
    expected = expected[0] if way == "with_module_and_adam" else expected
    np.testing.assert_allclose(losses, expected, rtol=1e-4)


def test_by_hand_and_autograd_agree(two_layer):
    ours, _, data = two_layer
    reference = ours.numpy_by_hand(data, steps=4)
    np.testing.assert_allclose(ours.tensors_by_hand(data, steps=4), reference, rtol=1e-5)
    np.testing.assert_allclose(ours.with_autograd(data, steps=4), reference, rtol=1e-5)


def test_two_layer_net_summary(two_layer, capsys):
    ours, _, data = two_layer
    _, model = ours.with_module_and_adam(data, steps=1)
    ours.print_summary(model)
    out = capsys.readouterr().out
    assert "Linear-1              [-1, 64, 100]         100,000" in out
    assert "Total params: 101,000" in out


@pytest.fixture(scope="module")
def fashion():
    ours = _load("fashion_mnist_softmax", "chainrule")
    theirs = _load("fashion_mnist_softmax", "torch") if _have_torch() else None
    return ours, theirs


def _loaders(module, tmp_path):
    train_iter, test_iter, real = module.load_data_fashion_mnist(
        256, root=str(tmp_path), n_synthetic=(512, 256))
    assert not real  # no files in an empty root: synthetic data
    return train_iter, test_iter


@pytest.mark.parametrize("fit", ["from_scratch", "concise"])
def test_softmax_regression_matches_pytorch(fashion, fit, tmp_path):
    ours, theirs = fashion
    history, net = getattr(ours, fit)(*_loaders(ours, tmp_path), num_epochs=2)
    assert len(history) == 2 and history[1][0] < history[0][0]
    assert len(ours.predict(net, _loaders(ours, tmp_path)[1], n=3)) == 3
    if theirs is None:
        pytest.skip("PyTorch is not installed")
    expected, _ = getattr(theirs, fit)(*_loaders(theirs, tmp_path), num_epochs=2)
    np.testing.assert_allclose(np.array(history), np.array(expected), rtol=1e-4)


def test_scratch_and_concise_agree(fashion, tmp_path):
    ours, _ = fashion
    scratch, _ = ours.from_scratch(*_loaders(ours, tmp_path), num_epochs=1)
    concise, _ = ours.concise(*_loaders(ours, tmp_path), num_epochs=1)
    np.testing.assert_allclose(scratch, concise, rtol=1e-4)


def test_softmax_regression_reads_real_files(fashion, tmp_path):
    """With IDX files in root/FashionMNIST/raw the program trains on them, shuffled."""
    ours, _ = fashion
    sys.path.insert(0, str(ROOT / "tests"))
    from test_demo import _fake_fashion_mnist
    sys.path.pop(0)
    _fake_fashion_mnist(tmp_path, n_train=300, n_test=60)
    train_iter, test_iter, real = ours.load_data_fashion_mnist(100, root=str(tmp_path))
    assert real and len(train_iter.dataset) == 300 and len(test_iter.dataset) == 60
    X, y = next(iter(train_iter))
    assert tuple(X.shape) == (100, 1, 28, 28) and float(X.max()) <= 1.0
    history, _ = ours.concise(train_iter, test_iter, num_epochs=1)
    assert len(history) == 1
