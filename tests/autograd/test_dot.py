"""Graph pictures: to_dot's nodes, labels and edge order, and render's files."""
import re
import shutil

import pytest

import chainrule as torch
from chainrule.autograd.graph import render, to_dot


def _parse(dot):
    """``({key: label}, [(tail, head), ...], {key: fillcolor})`` of DOT text written by to_dot."""
    labels, colors, edges = {}, {}, []
    for line in dot.splitlines():
        m = re.fullmatch(r'\t(\d+) \[label="(.*?)"(?: fillcolor=(\w+))?\]', line)
        if m:
            labels[m[1]] = m[2].replace("\\n", "\n")
            colors[m[1]] = m[3]
            continue
        m = re.fullmatch(r"\t(\d+) -> (\d+)", line)
        if m:
            edges.append((m[1], m[2]))
    return labels, edges, colors


def _key(labels, label):
    keys = [k for k, v in labels.items() if v == label]
    assert len(keys) == 1, (label, labels)
    return keys[0]


def test_mul_sum_graph():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = torch.tensor([0.5, 0.5, 0.5], requires_grad=True)
    y = (x * w).sum()
    dot = to_dot(y, params={"x": x, "w": w})
    assert dot.startswith("digraph {") and dot.rstrip().endswith("}")
    labels, edges, colors = _parse(dot)
    assert sorted(labels.values()) == sorted(["x\n(3,)", "w\n(3,)", "AccumulateGrad",
                                              "AccumulateGrad", "MulBackward0", "SumBackward0",
                                              "output\n()"])
    mul, total = _key(labels, "MulBackward0"), _key(labels, "SumBackward0")
    out, leaf_x = _key(labels, "output\n()"), _key(labels, "x\n(3,)")
    assert colors[leaf_x] == "lightblue" and colors[out] == "darkolivegreen1"
    # data-flow direction: leaf -> AccumulateGrad -> MulBackward0 -> SumBackward0 -> output
    acc_x = next(h for t, h in edges if t == leaf_x)
    assert labels[acc_x] == "AccumulateGrad"
    assert (acc_x, mul) in edges and (mul, total) in edges and (total, out) in edges
    assert len(edges) == 6
    # every edge is written after both of its ends, and the graph's edges in topological order
    position = {e: i for i, e in enumerate(edges)}
    assert position[(mul, total)] < position[(total, out)]
    assert all(position[e] < position[(mul, total)] for e in edges if e[1] == mul)


def test_unnamed_leaves_show_shapes_and_constants_are_skipped():
    a = torch.randn(2, 3, requires_grad=True)
    b = torch.randn(3, 4)  # no grad: not drawn
    labels, edges, _ = _parse(to_dot(a.mm(b).relu()))
    assert sorted(labels.values()) == sorted(["(2, 3)", "AccumulateGrad", "MmBackward0",
                                              "ReluBackward0", "output\n(2, 4)"])
    assert len(edges) == 4


def test_shared_leaf_is_drawn_once():
    x = torch.tensor(2.0, requires_grad=True)
    labels, edges, _ = _parse(to_dot(x * x, params={"x": x}))
    assert list(labels.values()).count("AccumulateGrad") == 1
    acc, mul = _key(labels, "AccumulateGrad"), _key(labels, "MulBackward0")
    assert edges.count((acc, mul)) == 2  # both inputs of the product


def test_model_parameters_and_several_outputs():
    model = torch.nn.Linear(3, 2)
    out = model(torch.randn(4, 3))
    labels, _, _ = _parse(to_dot([out.sum(), out.mean()], params=dict(model.named_parameters())))
    values = list(labels.values())
    assert "weight\n(2, 3)" in values and "bias\n(2,)" in values
    assert values.count("output\n()") == 2
    assert values.count("weight\n(2, 3)") == 1


def test_show_saved_lists_saved_shapes():
    x = torch.randn(5, 3, requires_grad=True)
    y = torch.randn(3, 2, requires_grad=True)
    z = x.mm(y).sum()
    labels, _, _ = _parse(to_dot(z, show_saved=True))
    mm = next(v for v in labels.values() if v.startswith("MmBackward0"))
    assert "(5, 3)" in mm and "(3, 2)" in mm
    z.backward()  # frees the saved values: the picture still works
    labels, _, _ = _parse(to_dot(z, show_saved=True))
    assert "MmBackward0" in labels.values()


def test_tensor_without_graph():
    x = torch.ones(2, 2, requires_grad=True)
    labels, edges, _ = _parse(to_dot(x, params={"x": x}))
    assert list(labels.values()) == ["x\n(2, 2)"] and edges == []


def test_same_node_names_as_pytorch():
    real = pytest.importorskip("torch")
    names = []
    for lib in (torch, real):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        labels, _, _ = _parse(to_dot((x * 2).exp().mean(), params={"x": x}))
        names.append(sorted(labels.values()))
    assert names[0] == names[1]


def test_render_writes_dot_and_image_when_graphviz_is_there(tmp_path, monkeypatch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.warns(RuntimeWarning, match="dot"):
        paths = render(y, tmp_path / "g.svg", params={"x": x})
    assert paths == [str(tmp_path / "g.dot")]
    assert (tmp_path / "g.dot").read_text() == to_dot(y, params={"x": x})
    assert not (tmp_path / "g.svg").exists()
    monkeypatch.undo()
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    paths = render(y, tmp_path / "sub" / "g", params={"x": x})
    assert paths == [str(tmp_path / "sub" / "g.dot"), str(tmp_path / "sub" / "g.svg")]
    assert "<svg" in (tmp_path / "sub" / "g.svg").read_text()
    paths = render(y, tmp_path / "p", format="png")
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
