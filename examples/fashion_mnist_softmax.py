import chainrule as torch
from chainrule.utils import data

# The seed article's softmax regression on Fashion-MNIST, from scratch and with
# nn.Sequential(nn.Flatten(), nn.Linear(784, 10)) + CrossEntropyLoss + optim.SGD over a
# DataLoader. Replace the two import lines by `import torch` / `from torch.utils import data` and
# it runs on PyTorch (with torchvision for the real files) and prints the same numbers.
#
# The real files are read from $FASHION_MNIST_ROOT (default ../data, the seed's root: put them in
# ../data/FashionMNIST/raw). Without them the programs train on synthetic Fashion-MNIST-shaped
# data (28x28 images in [0, 1], 10 classes), in a fixed order so that runs are reproducible.
# Initial weights come from NumPy with a fixed seed, the same for chainrule and PyTorch.
import os

import numpy as np

ROOT = os.environ.get("FASHION_MNIST_ROOT", "../data")
NUM_EPOCHS = int(os.environ.get("EPOCHS", 10))
NUM_INPUTS, NUM_OUTPUTS = 784, 10
LABELS = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag',
          'ankle boot']


def _vision():
    """chainrule.vision under chainrule, torchvision under PyTorch."""
    if torch.__name__ == "chainrule":
        import chainrule.vision as torchvision
    else:
        import torchvision
    return torchvision


def synthetic_fashion_mnist(n, seed):
    """``n`` images ``(n, 1, 28, 28)`` in [0, 1] and labels: each class brightens its own band of
    rows, on top of noise, so that a linear model can learn them but not perfectly."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    images = rng.uniform(0.0, 0.6, (n, 1, 28, 28)).astype(np.float32)
    for i, c in enumerate(labels):
        images[i, 0, 2 + 2 * c:6 + 2 * c, 4:24] += 0.15
    return torch.from_numpy(np.minimum(images, 1.0)), torch.from_numpy(labels.astype(np.int64))


def load_data_fashion_mnist(batch_size, root=ROOT, n_synthetic=(2048, 512)):
    """Train and test DataLoaders: Fashion-MNIST from ``root`` when its files are there (shuffled
    each epoch, as in the seed), else synthetic data (fixed order). Also says which it is."""
    try:
        torchvision = _vision()
        trans = torchvision.transforms.ToTensor()
        train = torchvision.datasets.FashionMNIST(root=root, train=True, transform=trans)
        test = torchvision.datasets.FashionMNIST(root=root, train=False, transform=trans)
        real = True
    except (ImportError, RuntimeError):  # no torchvision, or the files are missing
        train = data.TensorDataset(*synthetic_fashion_mnist(n_synthetic[0], seed=1))
        test = data.TensorDataset(*synthetic_fashion_mnist(n_synthetic[1], seed=2))
        real = False
    return (data.DataLoader(train, batch_size, shuffle=real),
            data.DataLoader(test, batch_size, shuffle=False), real)


def softmax(X):
    """exp of each entry, divided by its row's sum."""
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition


def cross_entropy(y_hat, y):
    """-log of the probability given to the true class, per example."""
    return -torch.log(y_hat[torch.arange(len(y_hat)), y])  # the seed indexes with range(...)


def accuracy(y_hat, y):
    """The number of correct predictions."""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(dim=1)  # the seed writes axis=1
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def evaluate_accuracy(net, data_iter):
    """Accuracy of ``net`` over ``data_iter``."""
    if isinstance(net, torch.nn.Module):
        net.eval()
    correct = total = 0.0
    with torch.no_grad():
        for X, y in data_iter:
            correct += accuracy(net(X), y)
            total += y.numel()
    return correct / total


def train_epoch(net, train_iter, loss, updater):
    """One epoch; returns the mean train loss and train accuracy."""
    if isinstance(net, torch.nn.Module):
        net.train()
    loss_sum = correct = total = 0.0
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            l.sum().backward()
            updater(X.shape[0])
        loss_sum += float(l.sum())
        correct += accuracy(y_hat, y)
        total += y.numel()
    return loss_sum / total, correct / total


def train(net, train_iter, test_iter, loss, num_epochs, updater):
    """Train for ``num_epochs``; returns ``[(train loss, train acc, test acc), ...]``."""
    history = []
    for epoch in range(num_epochs):
        train_loss, train_acc = train_epoch(net, train_iter, loss, updater)
        history.append((train_loss, train_acc, evaluate_accuracy(net, test_iter)))
    return history


def initial_weight(seed=0):
    """N(0, 0.01) weights of shape (784, 10), from NumPy."""
    return np.random.default_rng(seed).normal(0.0, 0.01, (NUM_INPUTS, NUM_OUTPUTS)).astype(np.float32)


def from_scratch(train_iter, test_iter, num_epochs=NUM_EPOCHS, lr=0.1):
    """Softmax regression with hand-written softmax, cross-entropy and minibatch SGD."""
    W = torch.tensor(initial_weight(), requires_grad=True)
    b = torch.zeros(NUM_OUTPUTS, requires_grad=True)

    def net(X):
        return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)

    def sgd(params, lr, batch_size):
        with torch.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    def updater(batch_size):
        return sgd([W, b], lr, batch_size)

    return train(net, train_iter, test_iter, cross_entropy, num_epochs, updater), net


def concise(train_iter, test_iter, num_epochs=NUM_EPOCHS, lr=0.1):
    """The same with nn.Sequential(nn.Flatten(), nn.Linear(784, 10)), CrossEntropyLoss and SGD."""
    net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 10))
    with torch.no_grad():  # the seed draws N(0, 0.01) weights; the bias starts at zero here
        net[1].weight.copy_(torch.from_numpy(initial_weight().T.copy()))
        net[1].bias.zero_()
    loss = torch.nn.CrossEntropyLoss(reduction='none')
    trainer = torch.optim.SGD(net.parameters(), lr=lr)
    return train(net, train_iter, test_iter, loss, num_epochs, trainer), net


def predict(net, test_iter, n=6):
    """True and predicted labels of the first ``n`` test images."""
    for X, y in test_iter:
        break
    preds = net(X).argmax(dim=1)
    return [f"{LABELS[int(t)]} / {LABELS[int(p)]}" for t, p in zip(y[:n], preds[:n])]


if __name__ == "__main__":
    batch_size = 256
    train_iter, test_iter, real = load_data_fashion_mnist(batch_size)
    print("Fashion-MNIST" if real else "synthetic Fashion-MNIST-shaped data")
    for name, fit in (("from scratch", from_scratch), ("nn.Sequential", concise)):
        history, net = fit(train_iter, test_iter)
        print(name)
        for epoch, (train_loss, train_acc, test_acc) in enumerate(history, 1):
            print(f"  epoch {epoch}, loss {train_loss:.4f}, train acc {train_acc:.3f}, "
                  f"test acc {test_acc:.3f}")
        print("  true / predicted:", ", ".join(predict(net, test_iter)))
