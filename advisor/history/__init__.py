"""Stage 4: recommendations kept over time: the snapshot store, the semantic diff that
names the cause of every change, and drift against the current rule pack."""

from advisor.history.diff import SnapshotDiff, diff_snapshots
from advisor.history.drift import drift
from advisor.history.select import compare, resolve
from advisor.history.store import Entry, entries, history_dir, load, load_latest, save

__all__ = ["Entry", "SnapshotDiff", "compare", "diff_snapshots", "drift", "entries", "history_dir", "load",
           "load_latest", "resolve", "save"]
