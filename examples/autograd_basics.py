import chainrule as torch
from chainrule.autograd import Variable

# A tour of autograd, following the seed articles. Replace the two import lines above by
# `import torch` / `from torch.autograd import Variable` and the output is the same.
# Data is deterministic (arange-based) so that both runs print identical numbers.

print("== requires_grad, leaves and .grad ==")
x = torch.tensor(2.0, requires_grad=True)
y = torch.pow(x, 2)
z = torch.add(y, 3)
z.backward()
print(x.grad)                       # dz/dx = 2 * x
print(x.is_leaf, y.is_leaf, y.requires_grad)
x.grad = None
y = torch.pow(x, 2)
y.retain_grad()                     # keep the gradient of this non-leaf too
torch.add(y, 3).backward()
print(x.grad, y.grad)
try:
    y.requires_grad_(False)
except RuntimeError as e:
    print("RuntimeError:", e)

print("== grad_fn ==")
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
z = y.mean()
print(x.grad_fn)
print(y.grad_fn.name(), z.grad_fn.name())
print(y)
print(z)
print([type(fn).__name__ for fn, _ in y.grad_fn.next_functions])

print("== y = 2 * dot(x, x) ==")
x = torch.arange(4.0)
x.requires_grad_(True)
y = 2 * torch.dot(x, x)
print(y)
y.backward()
print(x.grad)
print(x.grad == 4 * x)
x.grad.zero_()
y = x.sum()
y.backward()
print(x.grad)

print("== backward of a non-scalar ==")
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x ** 2
try:
    y.backward()
except RuntimeError as e:
    print("RuntimeError:", e)
y.backward(torch.tensor([0.1, 0.01]))
print(x.grad)

print("== the Jacobian, one row per backward (retain_graph) ==")
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x ** 2
jacobian = torch.zeros(2, 2)
for i in range(2):
    y.backward(torch.tensor([1.0 if j == i else 0.0 for j in range(2)]), retain_graph=True)
    jacobian[i] = x.grad
    x.grad.zero_()
print(jacobian)

print("== detach ==")
x = torch.arange(4.0, requires_grad=True)
y = x * x
y.sum().backward()
print(x.grad)
x.grad.zero_()
y = x * x
u = y.detach()
z = u * x
z.backward(torch.ones_like(x))
print(x.grad == u)
x.grad.zero_()
y.sum().backward()
print(x.grad == 2 * x)

print("== Python control flow ==")


def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


a = torch.tensor(-1, dtype=torch.float32, requires_grad=True)
print(a)
d = f(a)
d.backward()
print(a.grad)
print(a.grad == d / a)

print("== Variable (legacy) ==")
a = Variable(torch.Tensor([[2, 3]]), requires_grad=True)
print(a.type())
w = Variable(torch.ones(2, 1), requires_grad=True)
out = torch.mm(a, w)
out.backward()
print("gradients are:{}".format(w.grad.data))
print("gradients are:{}".format(a.grad.data))

a = Variable(torch.Tensor([[2, 3], [1, 2]]), requires_grad=True)
w = Variable(torch.ones(2, 2), requires_grad=True)
out = torch.mm(a, w)
out.backward(torch.FloatTensor([[1, 1], [1, 1]]))
print("gradients are:{}".format(w.grad.data))
print("gradients are:{}".format(a.grad.data))

print("== a two-layer net with gradients by hand ==")
N, D_in, H, D_out = 8, 10, 6, 3


def data():
    X = torch.arange(N * D_in, dtype=torch.float32).reshape(N, D_in) % 7 / 7 - 0.4
    y = torch.arange(N * D_out, dtype=torch.float32).reshape(N, D_out) % 5 / 5
    W1 = torch.arange(D_in * H, dtype=torch.float32).reshape(D_in, H) % 11 / 11 - 0.3
    W2 = torch.arange(H * D_out, dtype=torch.float32).reshape(H, D_out) % 3 / 3 - 0.2
    return X, y, W1, W2


X, y, W1, W2 = data()
learning_rate = 1e-2
for t in range(5):
    h = X.mm(W1)
    h_relu = h.clamp(min=0)
    y_hat = h_relu.mm(W2)
    loss = (y_hat - y).pow(2).sum().item()
    print("Epoch:{} Loss:{:.4f}".format(t, loss))
    grad_y_hat = 2.0 * (y_hat - y)
    grad_W2 = h_relu.t().mm(grad_y_hat)
    grad_h_relu = grad_y_hat.mm(W2.t())
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_W1 = X.t().mm(grad_h)
    W1 -= learning_rate * grad_W1
    W2 -= learning_rate * grad_W2

print("== the same net with autograd ==")
X, y, W1, W2 = data()
W1.requires_grad_(True)
W2.requires_grad_(True)
for t in range(5):
    y_hat = X.mm(W1).clamp(min=0).mm(W2)
    loss = (y_hat - y).pow(2).sum()
    print("Epoch:{} Loss:{:.4f}".format(t, loss.item()))
    loss.backward()
    with torch.no_grad():
        W1 -= learning_rate * W1.grad
        W2 -= learning_rate * W2.grad
        W1.grad.zero_()
        W2.grad.zero_()
print(loss.grad_fn.name(), W1.grad.abs().sum() == 0)
