"""The workloads, written once against the PyTorch API.

Each ``wN(torch, data)`` takes the ``torch``-like module (``chainrule`` or ``torch``) and a
:class:`benchmarks.data.Data`, does its untimed setup (converting the shared NumPy arrays, building
the model, loading the shared initial weights) and returns ``train()``: the timed part, which
returns the workload's correctness figures: a final loss (a Python float) or a tuple of floats
whose first item is the loss.
"""
import numpy as np

from .data import IMAGE


def _t(torch, array):
    """A tensor sharing memory with ``array`` (copied first when it must be writable)."""
    return torch.from_numpy(array)


def _param(torch, array):
    """A fresh leaf that requires grad, initialised from (a copy of) ``array``."""
    return torch.from_numpy(array.copy()).requires_grad_()


def _load(torch, layer, weight, bias):
    """Overwrite a layer's parameters with the shared initial values."""
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(weight))
        layer.bias.copy_(torch.from_numpy(bias))


def w1(torch, data, steps=None, probe=None):
    """The seed article's two-layer net with manual SGD, 500 steps.

    ``probe(step)``, when given, is called after every step (the W7 leak check reads memory there).
    """
    d, s = data.w1, data.sizes
    steps = s.w1_steps if steps is None else steps
    x, y = _t(torch, d["x"]), _t(torch, d["y"])
    w1, w2 = _param(torch, d["w1"]), _param(torch, d["w2"])
    lr = 1e-6

    def train():
        nonlocal w1, w2  # the in-place updates rebind the names (to the same tensors)
        for t in range(steps):
            y_pred = x.mm(w1).clamp(min=0).mm(w2)
            loss = (y_pred - y).pow(2).sum()
            loss.backward()
            with torch.no_grad():
                w1 -= lr * w1.grad
                w2 -= lr * w2.grad
                w1.grad.zero_()
                w2.grad.zero_()
            if probe is not None:
                probe(t + 1)
        return loss.item()
    return train


EVAL_SAMPLES = 4096


def _classifier_loop(torch, data, model, optimizer, batch, epochs):
    """Mini-batch training over the shared (already shuffled) images by contiguous slices.

    Returns the loss over the first 4096 training samples after training: steadier than the last
    batch's loss, so implementations that agree step by step agree here too."""
    xs, labels = data.images
    x, y = _t(torch, xs), _t(torch, labels)
    n = xs.shape[0]
    loss_fn = torch.nn.CrossEntropyLoss()

    def train():
        for _ in range(epochs):
            for i in range(0, n, batch):
                optimizer.zero_grad()
                loss = loss_fn(model(x[i:i + batch]), y[i:i + batch])
                loss.backward()
                optimizer.step()
        with torch.no_grad():
            return loss_fn(model(x[:EVAL_SAMPLES]), y[:EVAL_SAMPLES]).item()
    return train


def w2(torch, data):
    """Softmax regression: Linear(784, 10), CrossEntropyLoss, SGD(lr=0.1), batch 256, 3 epochs."""
    model = torch.nn.Linear(IMAGE * IMAGE, 10)
    _load(torch, model, *data.w2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    s = data.sizes
    return _classifier_loop(torch, data, model, opt, s.w2_batch, s.w2_epochs)


def w3(torch, data):
    """MLP 784-256-256-10 with ReLU, Adam(lr=1e-3), batch 128, 2 epochs."""
    nn = torch.nn
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                          nn.Linear(256, 10))
    for layer, (w, b) in zip((model[0], model[2], model[4]), data.w3):
        _load(torch, layer, w, b)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    s = data.sizes
    return _classifier_loop(torch, data, model, opt, s.w3_batch, s.w3_epochs)


def w4(torch, data):
    """A chain of scalar (0-d) ops cycling mul, add, tanh, forward and backward, repeated.

    Returns (final value, ``a.grad``, ``b.grad``): together they check every forward value and
    every backward step (``x.grad`` underflows: the chain is a contraction).
    """
    s = data.sizes
    x = torch.tensor(0.5, requires_grad=True)
    a = torch.tensor(0.9, requires_grad=True)
    b = torch.tensor(0.1, requires_grad=True)

    def train():
        for _ in range(s.w4_reps):
            y = x
            for i in range(s.w4_ops):
                k = i % 3
                if k == 0:
                    y = y * a
                elif k == 1:
                    y = y + b
                else:
                    y = y.tanh()
            y.backward()
        return y.item(), a.grad.item(), b.grad.item()
    return train


def w5(torch, data):
    """Small CNN on 28x28 images: two conv/ReLU/max-pool stages and Linear(400, 10), batch 64,
    50 SGD(lr=0.05) steps with CrossEntropyLoss."""
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(400, 10))
    for layer, (w, b) in zip((model[0], model[3], model[7]), data.w5):
        _load(torch, layer, w, b)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    loss_fn = nn.CrossEntropyLoss()
    s = data.sizes
    xs, labels = data.images
    n_img = s.w5_batch * s.w5_steps
    x = _t(torch, _images_4d(xs, n_img))
    y = _t(torch, labels[:n_img])

    def train():
        for i in range(0, n_img, s.w5_batch):
            opt.zero_grad()
            loss = loss_fn(model(x[i:i + s.w5_batch]), y[i:i + s.w5_batch])
            loss.backward()
            opt.step()
        return loss.item()
    return train


def _images_4d(xs, n):
    """The first ``n`` images as (n, 1, 28, 28), cycling the set if it is smaller than ``n``."""
    if n > xs.shape[0]:
        xs = np.resize(xs, (n, xs.shape[1]))
    return xs[:n].reshape(n, 1, IMAGE, IMAGE)


def w6(torch, data):
    """``(A @ B).sum().backward()`` on two 2048x2048 float32 leaves, 10 times (grads accumulate).

    Returns (last loss / (n*n), mean of ``A.grad``, mean of ``B.grad``).
    """
    a_np, b_np = data.w6
    a, b = _param(torch, a_np), _param(torch, b_np)
    reps = data.sizes.w6_reps

    def train():
        for _ in range(reps):
            loss = (a @ b).sum()
            loss.backward()
        size = a_np.size
        return loss.item() / size, a.grad.mean().item(), b.grad.mean().item()
    return train


WORKLOADS = {"W1": w1, "W2": w2, "W3": w3, "W4": w4, "W5": w5, "W6": w6}
