"""Which nodes exist, for the reference checks: created by this load, or found in the store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from graph_service.store import GraphStore
from loaders.rows import Ref

# Most ids of one label read from the store in one go for the reference checks of a
# file (a read waits for the write in flight; a per-chunk lookup would stall the load).
PRELOAD_MAX = 500_000


class KnownNodes:
    """Node ids known to exist: created by this load, or found in the store.

    The first time a file refers to a label's node this load has not created, every
    id of that label in the store is read at once (when there are at most
    :data:`PRELOAD_MAX`): the file's later checks need no store round trip, and an id
    not there is unknown. Larger labels are looked up chunk by chunk instead.
    """

    def __init__(self, store: GraphStore):
        self.store = store
        self.ids: dict[str, set[str]] = defaultdict(set)
        self._complete: set[str] = set()  # labels whose store ids are all in ``ids``
        self._tried: set[str] = set()

    def add(self, label: str, ids: Iterable[str]) -> None:
        self.ids[label].update(ids)

    def new_file(self) -> None:
        """Forget which labels were read whole (another writer may have added nodes since)."""
        self._complete.clear()
        self._tried.clear()

    def unknown(self, refs: Iterable[Ref]) -> set[tuple[str, str]]:
        """The (label, id) pairs among ``refs`` that exist neither in this load nor in the store."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for ref in refs:
            if ref.label == "Phone":
                continue  # numbers are created on demand
            if ref.node_id not in self.ids[ref.label]:
                wanted[ref.label].add(ref.node_id)
        missing: set[tuple[str, str]] = set()
        for label, ids in wanted.items():
            if label not in self._tried:
                self._read_whole(label)
            if label in self._complete:
                known = self.ids[label]
                missing.update((label, i) for i in ids if i not in known)
            else:
                missing.update((label, i) for i in ids - self._look_up(label, ids))
        return missing

    def _read_whole(self, label: str) -> None:
        self._tried.add(label)
        total = self.store.read_internal("label-node-count", label=label)
        if total and int(total[0]["n"]) <= PRELOAD_MAX:
            self.ids[label].update(r["id"] for r in self.store.read_internal("label-node-ids", label=label))
            self._complete.add(label)

    def _look_up(self, label: str, ids: set[str]) -> set[str]:
        found: set[str] = set()
        ordered = sorted(ids)
        for start in range(0, len(ordered), 5000):
            records = self.store.read_internal(
                "label-node-ids-present", {"ids": ordered[start : start + 5000]}, label=label
            )
            found.update(r["id"] for r in records)
        self.ids[label].update(found)
        return found
