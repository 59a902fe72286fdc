"""The ``chainrule`` command (also ``python -m chainrule``).

    chainrule demo [--dataset digits|mnist|fashion-mnist] [--model softmax|mlp|cnn]
                   [--epochs N] [--batch-size N] [--lr F] [--download] [--out DIR]
                   [--root DIR] [--seed N]
"""
import argparse
import sys

__all__ = ["main", "build_parser"]


def _positive(kind):
    """An argparse type: a number of type ``kind`` greater than zero."""
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid {kind.__name__} value: {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be greater than 0, got {text}")
        return value
    parse.__name__ = kind.__name__
    return parse


def build_parser():
    """The command-line parser: one sub-command, ``demo``."""
    from .demo import DATASETS, MODELS

    parser = argparse.ArgumentParser(
        prog="chainrule", description="chainrule: PyTorch's autograd and training stack in "
                                      "plain Python on NumPy.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    demo = commands.add_parser(
        "demo", help="train a small image classifier and write pictures of the run",
        description="Train a classifier with chainrule and write the training curves, "
                    "predictions, the autograd graph of one step and the weights into --out. "
                    "Defaults depend on the dataset: digits trains an MLP (Adam) for 20 epochs "
                    "in batches of 64; fashion-mnist the seed's softmax regression (SGD lr 0.1, "
                    "batch 256, 10 epochs); mnist an MLP for 5 epochs in batches of 128.")
    demo.add_argument("--dataset", choices=list(DATASETS), default="digits",
                      help="digits ships with chainrule (8x8 images, offline); mnist and "
                           "fashion-mnist are read from --root (default: %(default)s)")
    demo.add_argument("--model", choices=list(MODELS),
                      help="softmax regression, one-hidden-layer MLP or small CNN "
                           "(default: per dataset)")
    demo.add_argument("--epochs", type=_positive(int), metavar="N",
                      help="passes over the training set (default: per dataset)")
    demo.add_argument("--batch-size", type=_positive(int), metavar="N",
                      help="training batch size (default: per dataset)")
    demo.add_argument("--lr", type=_positive(float), metavar="F",
                      help="learning rate (default: 0.1 for softmax with SGD, 0.001 for the "
                           "others with Adam)")
    demo.add_argument("--download", action="store_true",
                      help="download mnist / fashion-mnist into --root if missing")
    demo.add_argument("--root", default="data", metavar="DIR",
                      help="folder holding MNIST/raw and FashionMNIST/raw (default: %(default)s)")
    demo.add_argument("--out", default="demo-out", metavar="DIR",
                      help="folder for the pictures, graph and checkpoint (default: %(default)s)")
    demo.add_argument("--seed", type=int, default=0, metavar="N",
                      help="random seed (default: %(default)s)")
    return parser


def main(argv=None):
    """Run the command line ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    args = build_parser().parse_args(argv)
    from .demo import DemoError, run

    try:
        run(args)
    except DemoError as e:
        print(f"chainrule {args.command}: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"chainrule {args.command}: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
