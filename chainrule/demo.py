"""``chainrule demo``: train a small classifier on real images and write pictures of the run.

The whole PyTorch workflow, with chainrule in place of torch: a dataset from
``chainrule.vision``, a ``DataLoader``, an ``nn`` model, a loss, an optimizer, the training loop
with ``zero_grad`` / ``backward`` / ``step``, evaluation under ``no_grad``, ``summary`` and
``save``. Into the output folder it writes::

    training_curves.png     train loss, train and test accuracy per epoch
    predictions.png         test images with their true and predicted labels
    autograd_graph.dot      the backward graph of one training step (and .svg with Graphviz)
    model.pt                the final weights: chainrule.save(model.state_dict(), ...)
    metrics.json            the numbers behind the curves

Needs the ``demo`` extra (``tqdm``, ``matplotlib``). Digits ships with chainrule, so the default
run works offline; MNIST and Fashion-MNIST are read from ``--root`` (``--download`` fetches them).
"""
import json
import os
import sys
import time
import warnings

import chainrule as torch
from chainrule import nn
from chainrule.summary import summary_string

__all__ = ["DATASETS", "MODELS", "DemoError", "run"]

#: Per dataset: its class in chainrule.vision.datasets, labels for pictures, and the defaults
#: used when an option is not given.
DATASETS = {
    "digits": dict(cls="Digits", labels=[str(i) for i in range(10)],
                   model="mlp", epochs=20, batch_size=64),
    "mnist": dict(cls="MNIST", labels=[str(i) for i in range(10)],
                  model="mlp", epochs=5, batch_size=128),
    # the seed article's softmax regression: SGD lr 0.1, batch 256, 10 epochs
    "fashion-mnist": dict(cls="FashionMNIST",
                          labels=["t-shirt", "trouser", "pullover", "dress", "coat", "sandal",
                                  "shirt", "sneaker", "bag", "ankle boot"],
                          model="softmax", epochs=10, batch_size=256),
}

#: Per model: its optimizer and default learning rate.
MODELS = {
    "softmax": dict(optimizer="SGD", lr=0.1),
    "mlp": dict(optimizer="Adam", lr=1e-3),
    "cnn": dict(optimizer="Adam", lr=1e-3),
}


class DemoError(Exception):
    """A problem to explain to the user in one line (no traceback)."""


# ---------------------------------------------------------------------------------------- data
def load_data(name, root, download=False):
    """The train and test splits of dataset ``name`` as float tensors ``(N, 1, H, W)`` in [0, 1]
    and int64 labels: ``(train_x, train_y, test_x, test_y)``.

    Raises:
        DemoError: when the files are missing (says where to put them) or cannot be downloaded.
    """
    from chainrule.vision import datasets

    cls = getattr(datasets, DATASETS[name]["cls"])
    splits = []
    for train in (True, False):
        try:
            ds = cls(root, train=train, download=download)
        except RuntimeError as e:
            raise DemoError(_explain_missing(cls, root, download, e)) from None
        except ValueError as e:  # a corrupt IDX file
            raise DemoError(str(e).splitlines()[0]) from None
        x = ds.data.float() / 255
        splits += [x.reshape(x.shape[0], 1, x.shape[1], x.shape[2]), ds.targets]
    return tuple(splits)


def _explain_missing(cls, root, download, error):
    """One line saying why ``cls`` could not be loaded and what to do about it."""
    raw = os.path.abspath(os.path.join(root, cls.__name__, "raw"))
    files = ", ".join(name for name, _ in cls.resources)
    if download:
        lines = str(error).splitlines()  # "Error downloading F; tried:", "  URL: reason", ...
        reason = lines[1].strip() if len(lines) > 1 else lines[0]
        return (f"could not download {cls.__name__} (offline? {reason}); put {files} in {raw} "
                f"by hand, or use --dataset digits, which needs no download")
    return (f"{cls.__name__} not found: put {files} (from {cls.mirrors[0]}) in {raw}, "
            f"or run again with --download")


# -------------------------------------------------------------------------------------- models
def build_model(kind, image_shape, num_classes=10):
    """The model ``kind`` for images of ``image_shape`` ``(C, H, W)``.

    ``softmax`` is the seed's ``Sequential(Flatten(), Linear(784, 10))`` with N(0, 0.01)
    weights; ``mlp`` has one hidden layer of 128 ReLU units; ``cnn`` two 3x3 convolutions with
    max pooling.
    """
    c, h, w = image_shape
    if kind == "softmax":
        model = nn.Sequential(nn.Flatten(), nn.Linear(c * h * w, num_classes))
        nn.init.normal_(model[1].weight, std=0.01)
        return model
    if kind == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(c * h * w, 128), nn.ReLU(),
                             nn.Linear(128, num_classes))
    if kind == "cnn":
        return nn.Sequential(
            nn.Conv2d(c, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * (h // 4) * (w // 4), num_classes))
    raise ValueError(f"unknown model {kind!r}")


def build_optimizer(kind, params, lr):
    """``SGD`` for the softmax regression (as in the seed), ``Adam`` for the others."""
    if MODELS[kind]["optimizer"] == "SGD":
        return torch.optim.SGD(params, lr=lr)
    return torch.optim.Adam(params, lr=lr)


# ------------------------------------------------------------------------------------ training
def evaluate(model, loader):
    """Accuracy of ``model`` over ``loader``."""
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:
            correct += int((model(x).argmax(dim=1) == y).sum())
            total += len(y)
    return correct / total


def train_epoch(model, loader, loss_fn, optimizer, progress):
    """One pass over ``loader``; returns the mean train loss and train accuracy."""
    model.train()
    loss_sum = correct = total = 0.0
    for x, y in progress:
        out = model(x)
        loss = loss_fn(out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(y)
        correct += int((out.argmax(dim=1) == y).sum())
        total += len(y)
        progress.set_postfix(loss=f"{loss.item():.4f}")
    return loss_sum / total, correct / total


# ------------------------------------------------------------------------------------ pictures
def plot_curves(history, path):
    """Train loss (left) and train / test accuracy (right) per epoch, as a PNG."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = range(1, len(history["train_loss"]) + 1)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9, 3.5))
    ax_loss.plot(epochs, history["train_loss"], "o-", color="tab:blue", label="train loss")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", title="Training loss")
    ax_acc.plot(epochs, history["train_acc"], "o-", color="tab:orange", label="train")
    ax_acc.plot(epochs, history["test_acc"], "s--", color="tab:green", label="test")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="Accuracy")
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(history["title"])
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_predictions(images, true, pred, labels, path, rows=4, cols=8):
    """A grid of test images titled ``true / predicted`` (red when wrong), as a PNG."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.3, rows * 1.5))
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= len(images):
            continue
        ax.imshow(images[i], cmap="gray_r")
        ok = true[i] == pred[i]
        ax.set_title(f"{labels[true[i]]} / {labels[pred[i]]}", fontsize=8,
                     color="black" if ok else "red")
    fig.suptitle("test images: true / predicted (red: wrong)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# -------------------------------------------------------------------------------------- driver
def _imports():
    """tqdm, or a DemoError naming the extra to install."""
    try:
        import matplotlib  # noqa: F401
        from tqdm import tqdm
    except ImportError as e:
        raise DemoError(f"the demo needs {e.name}: pip install 'chainrule[demo]'") from None
    return tqdm


def run(args, stdout=None):
    """Run the demo for parsed options ``args`` (see ``chainrule demo --help``).

    Returns:
        dict: the metrics written to ``metrics.json``.

    Raises:
        DemoError: for problems to report in one line (missing data, failed download, ...).
    """
    out = stdout or sys.stdout
    tqdm = _imports()
    spec = DATASETS[args.dataset]
    kind = args.model or spec["model"]
    epochs = args.epochs or spec["epochs"]
    batch_size = args.batch_size or spec["batch_size"]
    lr = args.lr or MODELS[kind]["lr"]
    torch.manual_seed(args.seed)

    train_x, train_y, test_x, test_y = load_data(args.dataset, args.root, args.download)
    mean, std = float(train_x.mean()), float(train_x.std())
    train_set = torch.utils.data.TensorDataset((train_x - mean) / std, train_y)
    test_set = torch.utils.data.TensorDataset((test_x - mean) / std, test_y)
    train_loader = torch.utils.data.DataLoader(train_set, batch_size=batch_size, shuffle=True)
    test_loader = torch.utils.data.DataLoader(test_set, batch_size=512)

    image_shape = tuple(train_x.shape[1:])
    model = build_model(kind, image_shape)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = build_optimizer(kind, model.parameters(), lr)
    print(f"{args.dataset}: {len(train_set)} training and {len(test_set)} test images of "
          f"{image_shape}; model {kind}, {type(optimizer).__name__} lr {lr}, batch {batch_size}, "
          f"{epochs} epochs", file=out)
    print(summary_string(model, image_shape)[0], end="", file=out)

    history = dict(train_loss=[], train_acc=[], test_acc=[],
                   title=f"chainrule demo: {kind} on {args.dataset}")
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        with tqdm(train_loader, desc=f"epoch {epoch}/{epochs}", unit="batch", leave=False,
                  file=sys.stderr, disable=None) as progress:
            train_loss, train_acc = train_epoch(model, train_loader, loss_fn, optimizer, progress)
        test_acc = evaluate(model, test_loader)
        for key, value in zip(("train_loss", "train_acc", "test_acc"),
                              (train_loss, train_acc, test_acc)):
            history[key].append(value)
        print(f"epoch {epoch:3d}/{epochs}  train loss {train_loss:.4f}  "
              f"train acc {train_acc:.4f}  test acc {test_acc:.4f}", file=out)
    seconds = time.perf_counter() - start

    os.makedirs(args.out, exist_ok=True)
    written = _write_outputs(args.out, model, loss_fn, history, test_set, test_x, spec["labels"])
    metrics = dict(dataset=args.dataset, model=kind, optimizer=type(optimizer).__name__, lr=lr,
                   epochs=epochs, batch_size=batch_size, seed=args.seed,
                   train_seconds=round(seconds, 3),
                   **{k: history[k] for k in ("train_loss", "train_acc", "test_acc")})
    path = os.path.join(args.out, "metrics.json")
    with open(path, "w") as f:
        json.dump(metrics, f, indent=1)
    written.append(path)
    print(f"test accuracy {history['test_acc'][-1]:.4f} after {epochs} epochs "
          f"({seconds:.1f} s of training)", file=out)
    print("wrote " + ", ".join(written), file=out)
    return metrics


def _write_outputs(folder, model, loss_fn, history, test_set, test_images, labels):
    """The pictures, the graph and the checkpoint; returns the paths written."""
    from chainrule.autograd.graph import render

    paths = [os.path.join(folder, "training_curves.png"), os.path.join(folder, "predictions.png")]
    plot_curves(history, paths[0])

    x, y = test_set[:32]
    model.eval()
    with torch.no_grad():
        pred = model(x).argmax(dim=1)
    plot_predictions(test_images[:32, 0].numpy(), y.tolist(), pred.tolist(), labels, paths[1])

    # the graph of one training step: forward and loss of a small batch, before backward
    model.train()
    loss = loss_fn(model(x[:8]), y[:8])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # no Graphviz: the .dot is enough
        paths += render(loss, os.path.join(folder, "autograd_graph"),
                        params=dict(model.named_parameters()))

    paths.append(os.path.join(folder, "model.pt"))
    torch.save(model.state_dict(), paths[-1])
    return paths
