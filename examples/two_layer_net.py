import chainrule as torch
import chainrule.nn as nn

# The seed article's two-layer net (1000 -> 100 -> ReLU -> 10, squared-error loss summed over a
# batch of 64), trained five ways: NumPy by hand, tensors by hand, autograd, nn.Sequential with
# manual updates, and an nn.Module subclass with Adam. Replace the two import lines by
# `import torch` / `import torch.nn as nn` and it runs on PyTorch and prints the same numbers.
#
# The data and the initial weights come from NumPy with a fixed seed (PyTorch's and chainrule's
# random streams differ), so that every way and both libraries start from the same point.
# STEPS sets the number of iterations: 100 by default to run fast, the seed's 500 with STEPS=500.
import contextlib
import io
import os

import numpy as np

N, D_in, H, D_out = 64, 1000, 100, 10  # batch, input, hidden and output sizes
STEPS = int(os.environ.get("STEPS", 100))


def make_data(seed=0):
    """Random inputs and targets, the seed's raw N(0, 1) weights (for the by-hand ways) and
    nn.Linear-style U(-1/sqrt(fan_in), 1/sqrt(fan_in)) weights (for the nn ways), float32."""
    rng = np.random.default_rng(seed)
    f32 = np.float32
    return dict(
        X=rng.standard_normal((N, D_in)).astype(f32),
        y=rng.standard_normal((N, D_out)).astype(f32),
        W1=rng.standard_normal((D_in, H)).astype(f32),
        W2=rng.standard_normal((H, D_out)).astype(f32),
        linear1=rng.uniform(-D_in ** -0.5, D_in ** -0.5, (H, D_in)).astype(f32),
        bias1=rng.uniform(-D_in ** -0.5, D_in ** -0.5, H).astype(f32),
        linear2=rng.uniform(-H ** -0.5, H ** -0.5, (D_out, H)).astype(f32),
        bias2=rng.uniform(-H ** -0.5, H ** -0.5, D_out).astype(f32),
    )


def numpy_by_hand(d, steps=STEPS, learning_rate=1e-6):
    """1. Forward and backward written out with NumPy."""
    X, y, W1, W2 = d["X"], d["y"], d["W1"].copy(), d["W2"].copy()
    losses = []
    for t in range(steps):
        h = X.dot(W1)                        # N x H
        h_relu = np.maximum(h, 0)            # N x H
        y_hat = h_relu.dot(W2)               # N x D_out
        loss = np.square(y_hat - y).sum()    # squared error, not divided by N
        losses.append(float(loss))
        grad_y_hat = 2.0 * (y_hat - y)       # d loss / d y_hat
        grad_W2 = h_relu.T.dot(grad_y_hat)
        grad_h_relu = grad_y_hat.dot(W2.T)
        grad_h = grad_h_relu.copy()
        grad_h[h < 0] = 0                    # ReLU passes the gradient where h > 0
        grad_W1 = X.T.dot(grad_h)
        W1 -= learning_rate * grad_W1
        W2 -= learning_rate * grad_W2
    return losses


def tensors_by_hand(d, steps=STEPS, learning_rate=1e-6):
    """2. The same with tensors: mm, clamp, t(), clone and a boolean mask, no autograd."""
    X, y = torch.from_numpy(d["X"]), torch.from_numpy(d["y"])
    W1, W2 = torch.tensor(d["W1"]), torch.tensor(d["W2"])
    losses = []
    for t in range(steps):
        h = X.mm(W1)
        h_relu = h.clamp(min=0)
        y_hat = h_relu.mm(W2)
        loss = (y_hat - y).pow(2).sum().item()
        losses.append(loss)
        grad_y_hat = 2.0 * (y_hat - y)
        grad_W2 = h_relu.t().mm(grad_y_hat)
        grad_h_relu = grad_y_hat.mm(W2.t())
        grad_h = grad_h_relu.clone()
        grad_h[h < 0] = 0
        grad_W1 = X.t().mm(grad_h)
        W1 -= learning_rate * grad_W1
        W2 -= learning_rate * grad_W2
    return losses


def with_autograd(d, steps=STEPS, learning_rate=1e-6):
    """3. loss.backward() computes the gradients; the update runs under no_grad."""
    X, y = torch.from_numpy(d["X"]), torch.from_numpy(d["y"])
    W1 = torch.tensor(d["W1"], requires_grad=True)
    W2 = torch.tensor(d["W2"], requires_grad=True)
    losses = []
    for t in range(steps):
        y_hat = X.mm(W1).clamp(min=0).mm(W2)
        loss = (y_hat - y).pow(2).sum()      # loss is a computation graph
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            W1 -= learning_rate * W1.grad
            W2 -= learning_rate * W2.grad
            W1.grad.zero_()
            W2.grad.zero_()
    return losses


def _load_linear(linear, weight, bias=None):
    """Start an nn.Linear from the given NumPy weights."""
    with torch.no_grad():
        linear.weight.copy_(torch.from_numpy(weight))
        if bias is not None:
            linear.bias.copy_(torch.from_numpy(bias))


def with_nn_sequential(d, steps=STEPS, learning_rate=1e-4):
    """4. nn.Sequential and MSELoss(reduction='sum'); updates by hand, then model.zero_grad()."""
    X, y = torch.from_numpy(d["X"]), torch.from_numpy(d["y"])
    model = torch.nn.Sequential(
        torch.nn.Linear(D_in, H, bias=True),  # W1 * X + b
        torch.nn.ReLU(),
        torch.nn.Linear(H, D_out),
    )
    _load_linear(model[0], d["linear1"], d["bias1"])
    _load_linear(model[2], d["linear2"], d["bias2"])
    loss_fn = nn.MSELoss(reduction='sum')
    losses = []
    for t in range(steps):
        y_hat = model(X)
        loss = loss_fn(y_hat, y)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad
        model.zero_grad()
    return losses


class TwoLayerNet(torch.nn.Module):
    """5. The model as an nn.Module subclass (no biases, as in the seed)."""

    def __init__(self, D_in, H, D_out):
        super(TwoLayerNet, self).__init__()
        self.linear1 = torch.nn.Linear(D_in, H, bias=False)
        self.linear2 = torch.nn.Linear(H, D_out, bias=False)

    def forward(self, x):
        y_hat = self.linear2(self.linear1(x).clamp(min=0))
        return y_hat


def with_module_and_adam(d, steps=STEPS, learning_rate=1e-4):
    """5. TwoLayerNet trained by optim.Adam: zero_grad, backward, step."""
    X, y = torch.from_numpy(d["X"]), torch.from_numpy(d["y"])
    model = TwoLayerNet(D_in, H, D_out)
    _load_linear(model.linear1, d["linear1"])
    _load_linear(model.linear2, d["linear2"])
    loss_fn = nn.MSELoss(reduction='sum')
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    losses = []
    for t in range(steps):
        y_hat = model(X)
        loss = loss_fn(y_hat, y)
        losses.append(loss.item())
        optimizer.zero_grad()                # clear the gradients before backward
        loss.backward()
        optimizer.step()                     # update all parameters at once
    return losses, model


def print_summary(model):
    """torchsummary's table: built into chainrule; `pip install torchsummary` for PyTorch."""
    if torch.__name__ == "chainrule":
        from chainrule import summary
    else:
        from torchsummary import summary
    print(summary(model, (64, 1000), device="cpu"))


if __name__ == "__main__":
    data = make_data()
    ways = [numpy_by_hand, tensors_by_hand, with_autograd, with_nn_sequential,
            lambda d: with_module_and_adam(d)[0]]
    names = ["numpy by hand", "tensors by hand", "autograd", "nn.Sequential", "Module + Adam"]
    for name, way in zip(names, ways):
        losses = way(data)
        shown = ", ".join(f"{t}: {losses[t]:.4g}" for t in range(0, len(losses), 25))
        print(f"{name:16s} loss at step {shown}; last {losses[-1]:.3g}")
    # torchsummary's releases differ in whether they list the model itself as a last row, so
    # only the totals are printed here; call print_summary(model) for the whole table.
    with contextlib.redirect_stdout(io.StringIO()) as table:
        print_summary(with_module_and_adam(data, steps=1)[1])
    print("\n".join(line for line in table.getvalue().splitlines() if "params:" in line))
