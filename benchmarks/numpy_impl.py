"""Hand-written NumPy forward and backward for every workload: the floor chainrule is held to.

Each ``wN(data)`` mirrors ``benchmarks.workloads.wN``: same data, same initial weights, same
batches, same optimizer arithmetic (PyTorch's SGD and Adam formulas), returning the same
correctness figures. The code is what a careful person writes by hand: float32 throughout,
in-place updates, no autograd bookkeeping.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .workloads import EVAL_SAMPLES, _images_4d


def w1(data, steps=None, probe=None, grad_buffers=False):
    """The seed article's manual two-layer net (its "numpy" version), manual SGD.

    ``grad_buffers=True`` also does what the workload's PyTorch code asks of any implementation
    (``benchmarks.floors``): each gradient is added into a persistent ``.grad`` buffer, which the
    update reads and ``zero_()`` then clears."""
    d, s = data.w1, data.sizes
    steps = s.w1_steps if steps is None else steps
    x, y = d["x"], d["y"]
    w1, w2 = d["w1"].copy(), d["w2"].copy()
    buffers = (np.zeros_like(w1), np.zeros_like(w2)) if grad_buffers else None
    lr = 1e-6

    def train():
        nonlocal w1, w2
        for t in range(steps):
            h = x @ w1
            h_relu = np.maximum(h, 0)
            y_pred = h_relu @ w2
            diff = y_pred - y
            loss = np.square(diff).sum()
            grad_y = 2 * diff
            grad_w2 = h_relu.T @ grad_y
            grad_h = grad_y @ w2.T
            grad_h[h < 0] = 0
            grad_w1 = x.T @ grad_h
            if buffers is not None:  # accumulate into .grad and update from it
                g1, g2 = buffers
                g1 += grad_w1
                g2 += grad_w2
                grad_w1, grad_w2 = g1, g2
            w1 -= lr * grad_w1
            w2 -= lr * grad_w2
            if buffers is not None:
                for buffer in buffers:
                    buffer.fill(0)
            if probe is not None:
                probe(t + 1)
        return float(loss)
    return train


def _cross_entropy(logits, labels):
    """Mean cross-entropy and its gradient w.r.t. the logits (log-sum-exp stabilised)."""
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    rows = np.arange(n)
    loss = (np.log(total[:, 0]) - shifted[rows, labels]).mean()
    grad = exp / total
    grad[rows, labels] -= 1
    grad *= 1.0 / n
    return loss, grad


class _Adam:
    """PyTorch's Adam (betas 0.9/0.999, eps 1e-8, no weight decay), updating arrays in place."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps, self.t = params, lr, betas, eps, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads):
        b1, b2 = self.betas
        self.t += 1
        step_size = self.lr / (1 - b1 ** self.t)
        bc2_sqrt = (1 - b2 ** self.t) ** 0.5
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            denom = np.sqrt(v)
            denom /= bc2_sqrt
            denom += self.eps
            p -= step_size * (m / denom)


def w2(data):
    """Softmax regression with SGD(lr=0.1), batch 256, 3 epochs."""
    xs, labels = data.images
    s = data.sizes
    w, b = (a.copy() for a in data.w2)
    lr, batch, n = 0.1, s.w2_batch, xs.shape[0]

    def train():
        nonlocal w, b
        for _ in range(s.w2_epochs):
            for i in range(0, n, batch):
                xb, yb = xs[i:i + batch], labels[i:i + batch]
                _, g = _cross_entropy(xb @ w.T + b, yb)
                grad_w = g.T @ xb
                grad_b = g.sum(axis=0)
                w -= lr * grad_w
                b -= lr * grad_b
        xe, ye = xs[:EVAL_SAMPLES], labels[:EVAL_SAMPLES]
        return float(_cross_entropy(xe @ w.T + b, ye)[0])
    return train


def w3(data):
    """MLP 784-256-256-10 with ReLU, Adam(lr=1e-3), batch 128, 2 epochs."""
    xs, labels = data.images
    s = data.sizes
    params = [a.copy() for layer in data.w3 for a in layer]
    w1, b1, w2, b2, w3, b3 = params
    opt = _Adam(params, lr=1e-3)
    batch, n = s.w3_batch, xs.shape[0]

    def train():
        for _ in range(s.w3_epochs):
            for i in range(0, n, batch):
                xb, yb = xs[i:i + batch], labels[i:i + batch]
                h1 = np.maximum(xb @ w1.T + b1, 0)
                h2 = np.maximum(h1 @ w2.T + b2, 0)
                _, g3 = _cross_entropy(h2 @ w3.T + b3, yb)
                g2 = g3 @ w3
                g2 *= h2 > 0
                g1 = g2 @ w2
                g1 *= h1 > 0
                opt.step([g1.T @ xb, g1.sum(0), g2.T @ h1, g2.sum(0), g3.T @ h2, g3.sum(0)])
        xe, ye = xs[:EVAL_SAMPLES], labels[:EVAL_SAMPLES]
        h = np.maximum(np.maximum(xe @ w1.T + b1, 0) @ w2.T + b2, 0)
        return float(_cross_entropy(h @ w3.T + b3, ye)[0])
    return train


def w4(data):
    """The scalar chain on float32 NumPy scalars with a hand-kept tape."""
    s = data.sizes
    x, a, b = np.float32(0.5), np.float32(0.9), np.float32(0.1)
    grads = {"x": np.float32(0), "a": np.float32(0), "b": np.float32(0)}

    def train():
        for _ in range(s.w4_reps):
            y, tape = x, []
            for i in range(s.w4_ops):
                k = i % 3
                if k == 0:
                    tape.append(y)
                    y = y * a
                elif k == 1:
                    y = y + b
                else:
                    y = np.tanh(y)
                    tape.append(y)
            g, ga, gb = np.float32(1), np.float32(0), np.float32(0)
            for i in reversed(range(s.w4_ops)):
                k = i % 3
                if k == 0:
                    ga += g * tape.pop()
                    g = g * a
                elif k == 1:
                    gb += g
                else:
                    t = tape.pop()
                    g = g * (1 - t * t)
            grads["x"] += g
            grads["a"] += ga
            grads["b"] += gb
        return float(y), float(grads["a"]), float(grads["b"])
    return train


def _conv_forward(x, w, b):
    """Valid 3x3 (any k) convolution by im2col. Returns (out, cols) for the backward."""
    f, c, k, _ = w.shape
    n, _, h, wd = x.shape
    ho, wo = h - k + 1, wd - k + 1
    cols = sliding_window_view(x, (k, k), axis=(2, 3))           # n, c, ho, wo, k, k
    cols = cols.transpose(0, 2, 3, 1, 4, 5).reshape(n * ho * wo, c * k * k)
    out = cols @ w.reshape(f, -1).T + b                           # n*ho*wo, f
    return out.reshape(n, ho, wo, f).transpose(0, 3, 1, 2), cols


def _conv_backward(grad_out, x_shape, w, cols, need_input_grad):
    """Gradients of :func:`_conv_forward` w.r.t. weight, bias and (optionally) input."""
    f, c, k, _ = w.shape
    n, _, h, wd = x_shape
    ho, wo = h - k + 1, wd - k + 1
    g = grad_out.transpose(0, 2, 3, 1).reshape(-1, f)
    grad_w = (g.T @ cols).reshape(w.shape)
    grad_b = g.sum(axis=0)
    grad_x = None
    if need_input_grad:
        gcols = (g @ w.reshape(f, -1)).reshape(n, ho, wo, c, k, k).transpose(0, 3, 4, 5, 1, 2)
        grad_x = np.zeros(x_shape, dtype=grad_out.dtype)
        for i in range(k):
            for j in range(k):
                grad_x[:, :, i:i + ho, j:j + wo] += gcols[:, :, i, j]
    return grad_w, grad_b, grad_x


def _pool_forward(x):
    """2x2 max-pool, stride 2, odd edges dropped. Returns (out, window view, argmax mask)."""
    n, c, h, w = x.shape
    h2, w2 = h // 2, w // 2
    win = x[:, :, :2 * h2, :2 * w2].reshape(n, c, h2, 2, w2, 2)
    out = win.max(axis=(3, 5))
    mask = win == out[:, :, :, None, :, None]
    return out, mask


def _pool_backward(grad_out, x_shape, mask):
    """Route each pooled gradient to its window's maximum (ties only occur at ReLU zeros, whose
    gradient the ReLU backward discards anyway)."""
    n, c, h, w = x_shape
    h2, w2 = grad_out.shape[2:]
    grad_x = np.zeros(x_shape, dtype=grad_out.dtype)
    grad_x[:, :, :2 * h2, :2 * w2] = (mask * grad_out[:, :, :, None, :, None]).reshape(
        n, c, 2 * h2, 2 * w2)
    return grad_x


def w5(data):
    """Small CNN with SGD(lr=0.05), batch 64, 50 steps."""
    s = data.sizes
    xs, labels = data.images
    n_img = s.w5_batch * s.w5_steps
    x_all = _images_4d(xs, n_img)
    y_all = labels[:n_img]
    params = [a.copy() for layer in data.w5 for a in layer]
    cw1, cb1, cw2, cb2, fw, fb = params
    lr = 0.05

    def train():
        for i in range(0, n_img, s.w5_batch):
            xb, yb = x_all[i:i + s.w5_batch], y_all[i:i + s.w5_batch]
            a1, cols1 = _conv_forward(xb, cw1, cb1)
            r1 = np.maximum(a1, 0)
            p1, m1 = _pool_forward(r1)
            a2, cols2 = _conv_forward(p1, cw2, cb2)
            r2 = np.maximum(a2, 0)
            p2, m2 = _pool_forward(r2)
            flat = p2.reshape(p2.shape[0], -1)
            loss, g = _cross_entropy(flat @ fw.T + fb, yb)
            grads = [None] * 6
            grads[4], grads[5] = g.T @ flat, g.sum(axis=0)
            g = (g @ fw).reshape(p2.shape)
            g = _pool_backward(g, r2.shape, m2) * (a2 > 0)
            grads[2], grads[3], g = _conv_backward(g, p1.shape, cw2, cols2, True)
            g = _pool_backward(g, r1.shape, m1) * (a1 > 0)
            grads[0], grads[1], _ = _conv_backward(g, xb.shape, cw1, cols1, False)
            for p, gp in zip(params, grads):
                p -= lr * gp
        return float(loss)
    return train


def w6(data):
    """``(A @ B).sum()`` and its gradients by two more matmuls, 10 times, accumulated."""
    a, b = data.w6
    reps = data.sizes.w6_reps

    def train():
        grad_a = grad_b = None
        for _ in range(reps):
            loss = (a @ b).sum()
            ones = np.ones((a.shape[0], b.shape[1]), dtype=a.dtype)
            ga, gb = ones @ b.T, a.T @ ones
            if grad_a is None:
                grad_a, grad_b = ga, gb
            else:
                grad_a += ga
                grad_b += gb
        return float(loss) / a.size, float(grad_a.mean()), float(grad_b.mean())
    return train


WORKLOADS = {"W1": w1, "W2": w2, "W3": w3, "W4": w4, "W5": w5, "W6": w6}
