"""Stage 4: recommendations kept over time: the snapshot store, the semantic diff that
names the cause of every change, and drift against the current rule pack."""

from __future__ import annotations

from advisor.lazy import exports

# Each name is imported from its module on first use (PEP 562): saving a snapshot does not
# load the diff, and listing history does not load the engine.
_EXPORTS = {
    "SnapshotDiff": "diff", "diff_snapshots": "diff", "drift": "drift", "compare": "select", "resolve": "select",
    "Entry": "store", "entries": "store", "history_dir": "store", "load": "store", "load_latest": "store",
    "save": "store",
}
__all__ = sorted(_EXPORTS)


__getattr__ = exports(__name__, _EXPORTS)
