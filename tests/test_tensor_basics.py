"""Tensor attributes, queries and conversions without PyTorch."""
import warnings

import numpy as np
import pytest

import chainrule as torch


def test_shape_queries():
    x = torch.zeros(2, 3)
    assert x.shape == x.size() == torch.Size([2, 3]) and repr(x.shape) == "torch.Size([2, 3])"
    assert x.size(1) == 3 and x.size(-1) == 3 and x.dim() == x.ndim == 2 and x.numel() == 6
    assert x.stride() == (3, 1) and x.T.stride() == (1, 3) and x.stride(-1) == 1
    assert x.is_contiguous() and not x.T.is_contiguous()
    assert torch.zeros(0, 3).stride() == (3, 1) and torch.zeros(4)[2:].storage_offset() == 2
    assert x.element_size() == 4 and torch.zeros(1, dtype=torch.int16).element_size() == 2
    assert x.dtype is torch.float32 and repr(x.device) == "device(type='cpu')"
    assert x.is_floating_point() and not torch.tensor([1]).is_floating_point()
    assert x.is_leaf and not x.requires_grad and x.grad is None and x.grad_fn is None
    with pytest.raises(IndexError, match="Dimension out of range \\(expected to be in range of "
                                         "\\[-2, 1\\], but got 2\\)"):
        x.size(2)
    with pytest.raises(IndexError, match="Dimension specified as 0 but tensor has no dimensions"):
        torch.tensor(1).size(0)


def test_size_type():
    s = torch.Size([2, 3])
    assert isinstance(s, tuple) and s.numel() == 6 and s[1:] == torch.Size([3])
    assert isinstance(s + (4,), torch.Size) and isinstance((4,) + s, torch.Size)
    assert repr(s * 2) == "torch.Size([2, 3, 2, 3])" and str(torch.Size([])) == "torch.Size([])"
    assert torch.Size([torch.tensor(2)]) == (2,)
    with pytest.raises(TypeError, match="torch.Size\\(\\) takes an iterable of 'int' \\(item 0 is 'float'\\)"):
        torch.Size([2.5])


def test_transposes():
    x = torch.arange(6).reshape(2, 3)
    assert x.T.tolist() == [[0, 3], [1, 4], [2, 5]] and x.mT.shape == (3, 2)
    assert torch.zeros(2, 3, 4).mT.shape == (2, 4, 3)
    with pytest.warns(UserWarning, match="The use of `x.T` on tensors of dimension other than 2"):
        assert torch.zeros(2, 3, 4).T.shape == (4, 3, 2)
    with pytest.raises(RuntimeError, match="tensor.mT is only supported on matrices or batches of "
                                           "matrices. Got 1-D tensor."):
        torch.zeros(3).mT


def test_item_tolist_numpy():
    assert torch.tensor([[2]]).item() == 2 and isinstance(torch.tensor(1.5).item(), float)
    assert torch.tensor([True]).item() is True
    assert torch.tensor([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]
    assert torch.tensor(3.5).tolist() == 3.5
    x = torch.tensor([1.0, 2.0])
    assert np.shares_memory(x.numpy(), x.numpy()) and x.numpy().dtype == np.float32
    with pytest.raises(RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"):
        x.item()
    w = torch.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="Can't call numpy\\(\\) on Tensor that requires grad. "
                                           "Use tensor.detach\\(\\).numpy\\(\\) instead."):
        w.numpy()
    assert w.numpy(force=True).tolist() == [1.0] and w.item() == 1.0


def test_python_protocols():
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(torch.tensor(1))
    assert len(torch.zeros(3, 2)) == 3 and [t.item() for t in torch.tensor([1, 2])] == [1, 2]
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with more than one value is ambiguous"):
        bool(torch.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with no values is ambiguous"):
        bool(torch.tensor([]))
    with pytest.raises(ValueError, match="only one element tensors can be converted to Python scalars"):
        float(torch.tensor([1, 2]))
    assert float(torch.tensor([2])) == 2.0 and int(torch.tensor([2.7])) == 2
    assert [1, 2, 3][torch.tensor(1)] == 2 and [1, 2, 3][torch.tensor([1])] == 2
    with pytest.raises(TypeError, match="only integer tensors of a single element"):
        [1, 2][torch.tensor(1.0)]
    assert f"{torch.tensor(1.5)}" == "1.5" and f"{torch.tensor(1.5):.2f}" == "1.50"


def test_conversions():
    x = torch.tensor([1.7, -2.7])
    assert x.float() is x and x.to(torch.float32) is x and x.cpu() is x and x.to("cpu") is x
    assert x.to(torch.float32, copy=True) is not x
    assert x.double().dtype is torch.float64 and x.half().dtype is torch.float16
    assert x.long().tolist() == [1, -2] and x.int().dtype is torch.int32
    assert x.bool().tolist() == [True, True]
    assert x.to(dtype=torch.int64).dtype is torch.int64 and x.to(float).dtype is torch.float64
    assert x.to("cpu", torch.int8).dtype is torch.int8
    assert x.to(torch.tensor([1], dtype=torch.int32)).dtype is torch.int32
    assert x.type() == "torch.FloatTensor" and torch.tensor([1]).type() == "torch.LongTensor"
    assert x.type("torch.DoubleTensor").dtype is torch.float64
    assert x.type(torch.IntTensor).dtype is torch.int32 and x.type(torch.int16).dtype is torch.int16
    with pytest.raises(ValueError, match="invalid type: 'DoubleTensor'"):
        x.type("DoubleTensor")
    with pytest.raises(TypeError, match="to\\(\\) received an invalid combination of arguments"):
        x.to(torch.float64, torch.int32)
    w = torch.tensor([1.0], requires_grad=True)
    y = w.double()
    assert y.requires_grad and y.grad_fn.name() == "ToCopyBackward0"


def test_cuda_is_unavailable():
    assert not torch.cuda.is_available() and torch.cuda.device_count() == 0
    torch.cuda.manual_seed_all(0)
    for call in (lambda: torch.zeros(1).cuda(), lambda: torch.zeros(1).to("cuda"),
                 lambda: torch.ones(2, device="cuda:0"), lambda: torch.tensor([1], device="cuda")):
        with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
            call()


def test_devices():
    d = torch.device("cuda:1")
    assert (d.type, d.index, str(d), repr(d)) == ("cuda", 1, "cuda:1", "device(type='cuda', index=1)")
    assert torch.device("cuda", 1) == d and torch.device("cpu") != "cpu"
    assert torch.zeros(1).device == torch.device("cpu") and str(torch.zeros(1).device) == "cpu"
    with pytest.raises(RuntimeError, match="Invalid device string: 'cuda:-1'"):
        torch.device("cuda:-1")
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda, ipu, xpu, .* device type at "
                                           "start of device string: gpu"):
        torch.device("gpu")
    with pytest.raises(RuntimeError, match="PyTorch is not linked with support for mps devices"):
        torch.zeros(1).to("mps")


def test_comparisons_with_other_objects_defer_to_python():
    t = torch.tensor([1, 2])
    assert (t == "a") is False and (t != "a") is True
    assert (t == None) is False and (t != None) is True  # noqa: E711 - the operator is tested
    assert (t == [1, 2]) is False and t not in [None, "a"]
    with pytest.raises(TypeError, match="^'<' not supported between instances of 'Tensor' and "
                                        "'str'$"):
        t < "a"  # noqa: B015
    assert (t == 1).tolist() == [True, False]
    with pytest.raises(TypeError):
        torch.eq(t, "a")   # the function still refuses it
