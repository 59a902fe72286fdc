"""Pictures of the backward graph: :func:`to_dot` writes Graphviz DOT text, :func:`render` writes
it to a file and, when Graphviz's ``dot`` program is installed, draws it as SVG or PNG.

The picture follows the data: arrows go from the inputs towards the output. Each backward node
is a grey box named like its class (``MulBackward0``, ``AccumulateGrad``); each leaf tensor that
requires grad is a blue box above its ``AccumulateGrad`` with its name (from ``params``) and shape;
the tensor the graph was drawn from is a green box at the bottom. The idea comes from torchviz's
``make_dot``; the code is our own and needs nothing but the standard library.

Example::

    >>> import chainrule as torch
    >>> from chainrule.autograd.graph import to_dot, render
    >>> model = torch.nn.Linear(3, 2)
    >>> loss = model(torch.randn(4, 3)).pow(2).sum()
    >>> print(to_dot(loss, params=dict(model.named_parameters())))   # DOT source text
    >>> render(loss, "graph", params=dict(model.named_parameters()))  # ['graph.dot', 'graph.svg']
"""
import os
import shutil
import subprocess
import warnings

__all__ = ["to_dot", "render"]

_HEADER = ('digraph {\n'
           '\tgraph [ranksep=0.3]\n'
           '\tnode [shape=box style="filled" fillcolor=lightgrey fontname=monospace '
           'fontsize=10 height=0.2]\n'
           '\tedge [arrowsize=0.6]\n')
_LEAF_COLOR = "lightblue"
_OUTPUT_COLOR = "darkolivegreen1"
_SAVED_COLOR = "orange"


def _shape(value):
    """``(2, 3)`` for anything with a shape (Tensor or array), else ``None``."""
    shape = getattr(value, "shape", None)
    if shape is None:
        return None
    return str(tuple(int(d) for d in shape))


def _quote(text):
    """A DOT double-quoted string (newlines become DOT's centred line breaks)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _node_name(fn):
    """``'MulBackward0'``; PyTorch's ``'torch::autograd::AccumulateGrad'`` loses its prefix."""
    name = getattr(fn, "name", None)
    return (name() if callable(name) else type(fn).__name__).rsplit("::", 1)[-1]


def _saved_values(fn):
    """``[(label, value), ...]`` of the values a node saved for backward, if they can be read.

    PyTorch's nodes expose them as ``_saved_<name>`` attributes; chainrule's through the
    ``saved_tensors`` property. Freed or unreadable values are skipped.
    """
    found = []
    for attr in dir(fn):
        if attr.startswith("_saved_") and not attr.startswith("_saved_tensors"):
            try:
                found.append((attr[len("_saved_"):], getattr(fn, attr)))
            except RuntimeError:  # freed by backward
                pass
    if found:
        return found
    try:
        saved = fn.saved_tensors
    except (AttributeError, RuntimeError, TypeError):
        return []
    return [(str(i), value) for i, value in enumerate(saved)]


def _post_order(root):
    """The nodes reachable from ``root``, each after all of its inputs (iterative DFS)."""
    order, seen, stack = [], {id(root)}, [(root, False)]
    while stack:
        fn, expanded = stack.pop()
        if expanded:
            order.append(fn)
            continue
        stack.append((fn, True))
        for next_fn, _ in reversed(tuple(getattr(fn, "next_functions", ()))):
            if next_fn is not None and id(next_fn) not in seen:
                seen.add(id(next_fn))
                stack.append((next_fn, False))
    return order


class _Builder:
    """Collects DOT statements: each node once, each edge after its two ends."""

    def __init__(self, names, show_saved):
        self.names = names  # id(tensor) -> name
        self.show_saved = show_saved
        self.lines = []
        self.seen = set()

    def node(self, key, label, color=None):
        attrs = f"label={_quote(label)}"
        if color:
            attrs += f" fillcolor={color}"
        self.lines.append(f"\t{key} [{attrs}]")

    def edge(self, tail, head):
        self.lines.append(f"\t{tail} -> {head}")

    def add_tensor(self, tensor, color, default=""):
        key = str(id(tensor))
        if key not in self.seen:
            self.seen.add(key)
            name = self.names.get(id(tensor), default)
            shape = _shape(tensor)
            self.node(key, f"{name}\n{shape}" if name else shape, color)
        return key

    def add_graph(self, root):
        """Add ``root`` and every node reachable through ``next_functions``, inputs first."""
        for fn in _post_order(root):
            key = str(id(fn))
            if key in self.seen:  # already drawn for an earlier output
                continue
            self.seen.add(key)
            variable = getattr(fn, "variable", None)
            leaf = self.add_tensor(variable, _LEAF_COLOR) if variable is not None else None
            label = _node_name(fn)
            if self.show_saved:
                for name, value in _saved_values(fn):
                    shape = _shape(value)
                    if shape is not None:
                        label += f"\n{name}: {shape}"
            self.node(key, label)
            if leaf is not None:  # AccumulateGrad: the leaf it accumulates into feeds it
                self.edge(leaf, key)
            for next_fn, _ in getattr(fn, "next_functions", ()):
                if next_fn is not None:
                    self.edge(str(id(next_fn)), key)


def to_dot(tensor, params=None, show_saved=False):
    """The backward graph of ``tensor`` as Graphviz DOT source text.

    Args:
        tensor (Tensor or sequence of Tensors): the output(s) whose graph is drawn.
        params (dict, optional): names of leaf tensors, ``name -> tensor``, e.g.
            ``dict(model.named_parameters())``; leaves not in it are shown by shape only.
        show_saved (bool): also list, inside each node, the shapes of the tensors it saved for
            backward (when they are still there: ``backward()`` frees them).

    Returns:
        str: a ``digraph`` whose edges run from the inputs towards the output: leaf tensor ->
        ``AccumulateGrad`` -> ... -> ``<Op>Backward0`` -> output tensor.
    """
    outputs = list(tensor) if isinstance(tensor, (list, tuple)) else [tensor]
    names = {id(t): name for name, t in (params or {}).items()}
    builder = _Builder(names, show_saved)
    for out in outputs:
        fn = getattr(out, "grad_fn", None)
        if fn is not None:
            builder.add_graph(fn)
        out_key = builder.add_tensor(out, _OUTPUT_COLOR, default="output")
        if fn is not None:
            builder.edge(str(id(fn)), out_key)
    return _HEADER + "".join(line + "\n" for line in builder.lines) + "}\n"


def render(tensor, path, params=None, format=None, show_saved=False):
    """Write the graph of ``tensor`` to ``<path>.dot`` and, with Graphviz, to an image.

    Args:
        tensor, params, show_saved: as for :func:`to_dot`.
        path (str or os.PathLike): the file to write, with or without a suffix: ``graph``,
            ``graph.dot``, ``graph.svg`` or ``graph.png`` all write ``graph.dot``.
        format (str, optional): the image format (``"svg"``, ``"png"``, ``"pdf"``, ...).
            Default: the suffix of ``path`` if it is not ``.dot``, else ``"svg"``.

    Returns:
        list of str: the paths written: the ``.dot`` file always, then the image when Graphviz's
        ``dot`` program is on the ``PATH`` (a warning says so when it is missing or fails).
    """
    path = os.fspath(path)
    stem, suffix = os.path.splitext(path)
    if suffix.lower() not in (".dot", ".gv", ".svg", ".png", ".pdf", ".jpg", ".jpeg"):
        stem, suffix = path, ""
    if format is None:
        format = suffix[1:].lower() if suffix.lower() not in ("", ".dot", ".gv") else "svg"
    dot_path = stem + ".dot"
    parent = os.path.dirname(dot_path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    with open(dot_path, "w", encoding="utf-8") as f:
        f.write(to_dot(tensor, params=params, show_saved=show_saved))
    written = [dot_path]
    dot = shutil.which("dot")
    if dot is None:
        warnings.warn("Graphviz's `dot` program was not found: wrote only " + dot_path,
                      RuntimeWarning, stacklevel=2)
        return written
    image_path = f"{stem}.{format}"
    proc = subprocess.run([dot, f"-T{format}", dot_path, "-o", image_path],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        warnings.warn(f"Graphviz's `dot` failed ({proc.stderr.strip()}): wrote only {dot_path}",
                      RuntimeWarning, stacklevel=2)
        return written
    written.append(image_path)
    return written
