"""Tensor creation without PyTorch: values, dtypes, shapes, PyTorch's errors, memory sharing,
random distributions and seeding."""
import numpy as np
import pytest

import chainrule as torch


@pytest.fixture(autouse=True)
def default_dtype():
    yield
    torch.set_default_dtype(torch.float32)


def same(t, values, dtype):
    assert t.dtype is dtype
    np.testing.assert_array_equal(t.numpy(), np.asarray(values))


def test_tensor_infers_dtype_from_every_element():
    same(torch.tensor([1, 2.5]), [1, 2.5], torch.float32)
    same(torch.tensor(True), True, torch.bool)
    same(torch.tensor([True, 1]), [1, 1], torch.int64)
    same(torch.tensor(np.array([1.5, 2.0])), [1.5, 2.0], torch.float64)
    same(torch.tensor([np.float64(1.5), 2]), [1.5, 2], torch.float64)
    same(torch.tensor([np.int8(3), np.uint8(1)]), [3, 1], torch.int16)
    same(torch.tensor([torch.tensor(1, dtype=torch.int32), torch.tensor(2, dtype=torch.int32)]),
         [1, 2], torch.int32)
    same(torch.tensor([[1, 2], (3, 4)]), [[1, 2], [3, 4]], torch.int64)
    same(torch.tensor(range(3)), [0, 1, 2], torch.int64)
    assert torch.tensor([]).dtype is torch.float32 and torch.tensor([[], []]).shape == (2, 0)
    assert torch.tensor([1j]).dtype is torch.complex64
    torch.set_default_dtype(torch.float64)
    assert torch.tensor([1.5]).dtype is torch.float64 and torch.tensor([1j]).dtype is torch.complex128


def test_tensor_with_dtype_converts_and_checks_overflow():
    same(torch.tensor([1.7, -2.7], dtype=torch.int64), [1, -2], torch.int64)
    same(torch.tensor([-1], dtype=torch.uint8), [255], torch.uint8)
    same(torch.tensor([1, 2], dtype=float), [1.0, 2.0], torch.float64)
    with pytest.raises(RuntimeError, match="value cannot be converted to type uint8 without overflow"):
        torch.tensor([300], dtype=torch.uint8)
    with pytest.raises(RuntimeError, match="to type int64 without overflow"):
        torch.tensor([float("nan")], dtype=torch.int64)
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        torch.tensor([2 ** 63])
    with pytest.raises(TypeError, match="argument 'dtype' must be torch.dtype, not str"):
        torch.tensor([1], dtype="float64")


@pytest.mark.parametrize("data, exc, message", [
    ([[1, 2], [3, 4, 5]], ValueError, "expected sequence of length 2 at dim 1 (got 3)"),
    ([[1], []], ValueError, "expected sequence of length 1 at dim 1 (got 0)"),
    ([[1, 2], 3], TypeError, "not a sequence"),
    ([1, [2, 3]], TypeError, "'list' object cannot be interpreted as an integer"),
    ([1.0, [2, 3]], TypeError, "must be real number, not list"),
    ("abc", TypeError, "new(): invalid data type 'str'"),
    (["a"], ValueError, "too many dimensions 'str'"),
    ([1, None], RuntimeError, "Could not infer dtype of NoneType"),
    ({1: 2}, RuntimeError, "Could not infer dtype of dict"),
    ([torch.tensor([1.0, 2.0])], ValueError,
     "only one element tensors can be converted to Python scalars"),
    (np.array(["a"]), TypeError, "can't convert np.ndarray of type numpy.str_. The only supported "
     "types are: float64, float32, float16, complex64, complex128, int64, int32, int16, int8, "
     "uint64, uint32, uint16, uint8, and bool."),
])
def test_tensor_rejects_bad_data(data, exc, message):
    with pytest.raises(exc) as info:
        torch.tensor(data)
    assert str(info.value) == message


def test_from_numpy_and_as_tensor_share_memory():
    a = np.zeros(3)
    t = torch.from_numpy(a)
    t[0] = 5
    assert a[0] == 5 and t.dtype is torch.float64
    assert torch.as_tensor(a).numpy() is a or np.shares_memory(torch.as_tensor(a).numpy(), a)
    assert not np.shares_memory(torch.tensor(a).numpy(), a)
    x = torch.ones(2)
    assert torch.as_tensor(x) is x and torch.as_tensor(x, dtype=torch.float64).dtype is torch.float64
    with pytest.raises(TypeError, match=r"expected np.ndarray \(got list\)"):
        torch.from_numpy([1, 2])
    with pytest.raises(ValueError, match="byte order"):
        torch.from_numpy(np.arange(3, dtype=">i4"))


def test_filled_creators():
    same(torch.zeros(2, 3), np.zeros((2, 3)), torch.float32)
    same(torch.ones((2,), dtype=torch.int64), [1, 1], torch.int64)
    same(torch.full((2,), 3), [3, 3], torch.int64)
    same(torch.full((2,), 3.0), [3, 3], torch.float32)
    same(torch.full((2,), True), [True, True], torch.bool)
    same(torch.full((), 7), 7, torch.int64)
    same(torch.eye(2, 3), np.eye(2, 3), torch.float32)
    assert torch.empty(2, 3).shape == (2, 3) and torch.zeros(torch.Size([4])).shape == (4,)
    x = torch.tensor([[1, 2]], dtype=torch.int32)
    same(torch.zeros_like(x), [[0, 0]], torch.int32)
    same(torch.ones_like(x, dtype=torch.float64), [[1, 1]], torch.float64)
    same(torch.full_like(x, 2.7), [[2, 2]], torch.int32)
    assert torch.ones_like(torch.zeros(2, 3).T).stride() == (1, 3)


@pytest.mark.parametrize("call, exc, message", [
    (lambda: torch.zeros(-1), RuntimeError, "zeros: Dimension size must be non-negative."),
    (lambda: torch.ones(2, -3), RuntimeError, "Trying to create tensor with negative dimension -3: [2, -3]"),
    (lambda: torch.zeros(2.5), TypeError, "zeros(): argument 'size' (position 1) must be tuple of ints, not float"),
    (lambda: torch.ones((2, 2.5)), TypeError, "ones(): argument 'size' failed to unpack the object at pos 2 with error \"type must be tuple of ints,but got float\""),
    (lambda: torch.full(2, 1), TypeError, "full(): argument 'size' (position 1) must be tuple of ints, not int"),
    (lambda: torch.full((2,), None), TypeError, "full(): argument 'fill_value' (position 2) must be Number, not NoneType"),
    (lambda: torch.full((2,), 300, dtype=torch.uint8), RuntimeError, "value cannot be converted to type uint8_t without overflow"),
    (lambda: torch.eye(-1), RuntimeError, "n must be greater or equal to 0, got -1"),
    (lambda: torch.zeros(2, dtype=torch.int64, requires_grad=True), RuntimeError, "Only Tensors of floating point and complex dtype can require gradients"),
    (lambda: torch.arange(0, 10, -1), RuntimeError, "upper bound and lower bound inconsistent with step sign"),
    (lambda: torch.arange(0, 10, 0), RuntimeError, "step must be nonzero"),
    (lambda: torch.arange(5, dtype=torch.bool), NotImplementedError, "\"arange_cpu\" not implemented for 'Bool'"),
    (lambda: torch.linspace(0, 1, -1), RuntimeError, "number of steps must be non-negative"),
    (lambda: torch.rand(2, dtype=torch.int64), NotImplementedError, "\"check_uniform_bounds\" not implemented for 'Long'"),
    (lambda: torch.randn(2, dtype=torch.int64), NotImplementedError, "\"normal_kernel_cpu\" not implemented for 'Long'"),
    (lambda: torch.randint(5, 3, (2,)), RuntimeError, "random_ expects 'from' to be less than 'to', but got from=5 >= to=3"),
    (lambda: torch.randint(300, (2,), dtype=torch.uint8), RuntimeError, "to - 1 is out of bounds for unsigned char"),
    (lambda: torch.normal(0.0, -1.0, (2,)), RuntimeError, "normal expects std >= 0.0, but found std -1"),
    (lambda: torch.zeros(2, device="cuda"), AssertionError, "Torch not compiled with CUDA enabled"),
])
def test_creation_errors(call, exc, message):
    with pytest.raises(exc) as info:
        call()
    assert str(info.value) == message


def test_arange_and_linspace_values():
    r = torch.arange(0, 1, 0.1)
    assert len(r) == 10 and r.dtype is torch.float32
    np.testing.assert_allclose(r.numpy(), np.arange(10) / 10, rtol=1e-6)
    same(torch.arange(5), range(5), torch.int64)
    same(torch.arange(10, 0, -3), [10, 7, 4, 1], torch.int64)
    same(torch.arange(0, 5, 1.5, dtype=torch.int64), [0, 1, 2, 3, 4], torch.int64)
    assert torch.arange(1, 4, 0.5).tolist() == [1, 1.5, 2, 2.5, 3, 3.5]
    l = torch.linspace(-1, 1, 7)
    assert l[0].item() == -1 and l[-1].item() == 1 and len(l) == 7
    same(torch.linspace(0, 10, 5, dtype=torch.int64), [0, 2, 5, 7, 10], torch.int64)
    same(torch.linspace(0, 1, 1), [0], torch.float32)
    np.testing.assert_allclose(torch.logspace(0, 2, 3).numpy(), [1, 10, 100])


def test_legacy_constructors():
    same(torch.FloatTensor([[1, 1], [1, 1]]), np.ones((2, 2)), torch.float32)
    same(torch.Tensor([1, 2]), [1, 2], torch.float32)
    same(torch.LongTensor([1.7, -2.7]), [1, -2], torch.int64)
    same(torch.BoolTensor([0, 2]), [False, True], torch.bool)
    same(torch.DoubleTensor([1]), [1], torch.float64)
    t = torch.Tensor(2, 3)
    assert t.shape == (2, 3) and t.dtype is torch.float32 and type(t) is torch.Tensor
    assert torch.Tensor().shape == (0,) and torch.Tensor(torch.Size([2, 1])).shape == (2, 1)
    assert isinstance(torch.zeros(1), torch.FloatTensor)
    assert not isinstance(torch.zeros(1), torch.LongTensor)
    assert torch.LongTensor.dtype is torch.int64 and repr(torch.FloatTensor) == "<class 'torch.FloatTensor'>"
    with pytest.raises(TypeError, match=r"new\(\): data must be a sequence \(got float\)"):
        torch.Tensor(2.5)
    with pytest.raises(TypeError, match="expected TensorOptions"):
        torch.FloatTensor(torch.tensor([1, 2]))


# ---------------------------------------------------------------------------- random tensors
def test_random_distributions():
    torch.manual_seed(0)
    n = 200_000
    u = torch.rand(n).numpy()
    assert u.min() >= 0 and u.max() < 1
    assert abs(u.mean() - 0.5) < 0.005 and abs(u.std() - 12 ** -0.5) < 0.005
    z = torch.randn(n, dtype=torch.float64).numpy()
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01
    g = torch.normal(3.0, 2.0, (n,)).numpy()
    assert abs(g.mean() - 3) < 0.02 and abs(g.std() - 2) < 0.02
    m = torch.normal(torch.full((n,), -1.0), torch.full((n,), 0.5)).numpy()
    assert abs(m.mean() + 1) < 0.01 and abs(m.std() - 0.5) < 0.01
    k = torch.randint(3, 7, (n,))
    assert k.dtype is torch.int64
    counts = np.bincount(k.numpy())[3:]
    assert len(counts) == 4 and np.all(np.abs(counts / n - 0.25) < 0.01)
    p = torch.randperm(10)
    assert sorted(p.tolist()) == list(range(10)) and p.dtype is torch.int64
    assert torch.rand(2, 3, dtype=torch.float64).dtype is torch.float64
    assert torch.randn_like(torch.zeros(2, dtype=torch.float16)).dtype is torch.float16
    assert torch.randint_like(torch.zeros(3), 5).dtype is torch.float32


def test_manual_seed_repeats_and_generators_are_independent():
    torch.manual_seed(42)
    a = torch.randn(4)
    b = torch.randint(0, 100, (4,))
    torch.manual_seed(42)
    assert torch.equal(a, torch.randn(4)) and torch.equal(b, torch.randint(0, 100, (4,)))
    g = torch.Generator().manual_seed(5)
    x = torch.rand(3, generator=g)
    torch.manual_seed(1)
    torch.rand(10)                            # the global stream does not touch g's
    assert torch.equal(x, torch.rand(3, generator=torch.Generator().manual_seed(5)))
    assert not torch.equal(x, torch.rand(3, generator=g))
    assert torch.manual_seed(3) is torch.default_generator and torch.initial_seed() == 3
    assert torch.Generator().initial_seed() == 67280421310721
    assert torch.manual_seed(-1).initial_seed() == 2 ** 64 - 1
    state = torch.get_rng_state()
    assert state.dtype is torch.uint8 and state.shape == (5056,)
    y = torch.randn(3)
    torch.set_rng_state(state)
    assert torch.equal(y, torch.randn(3))
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        torch.manual_seed(2 ** 64)
    with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
        torch.set_rng_state(torch.zeros(3))


def test_multinomial_samples_and_rules():
    torch.manual_seed(0)
    p = torch.tensor([1., 2., 7.])
    counts = np.bincount(torch.multinomial(p, 30000, replacement=True).numpy(), minlength=3)
    np.testing.assert_allclose(counts / 30000, [0.1, 0.2, 0.7], atol=0.015)
    firsts = np.bincount([torch.multinomial(p, 2)[0].item() for _ in range(3000)], minlength=3)
    np.testing.assert_allclose(firsts / 3000, [0.1, 0.2, 0.7], atol=0.03)
    rows = torch.multinomial(torch.tensor([[1., 1., 1., 1.], [0., 3., 0., 1.]]), 4)
    assert rows.dtype == torch.int64 and [sorted(r) for r in rows.tolist()] == [[0, 1, 2, 3]] * 2
    # without replacement, categories of probability 0 come last, in index order
    assert torch.multinomial(torch.tensor([0., 0., 5., 0.]), 3).tolist() == [2, 0, 1]
    with pytest.raises(RuntimeError, match="^invalid multinomial distribution"):
        torch.multinomial(torch.zeros(3), 1)


def test_bernoulli_keeps_dtype_and_checks_probabilities():
    torch.manual_seed(0)
    draws = torch.bernoulli(torch.full((20000,), 0.3, dtype=torch.float64))
    assert draws.dtype == torch.float64 and abs(draws.mean().item() - 0.3) < 0.02
    assert torch.bernoulli(torch.tensor([0., 1.])).tolist() == [0., 1.]
    with pytest.raises(RuntimeError, match="^Expected p_in >= 0 && p_in <= 1"):
        torch.bernoulli(torch.tensor([1.5]))
