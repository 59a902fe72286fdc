"""DataLoader internals: collation (``collate``) and worker processes (``worker``)."""
from . import collate, worker

__all__ = ["collate", "worker"]
