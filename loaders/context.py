"""The state one load shares between its files."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from graph_service.store import GraphStore
from loaders.duplicates import DuplicateIndex
from loaders.known import KnownNodes


@dataclass
class LoaderContext:
    """State one load shares between its files."""

    store: GraphStore
    known: KnownNodes
    duplicates: DuplicateIndex
    # Phone and Postcode ids this load has already merged (so repeats are not sent
    # again). Kept apart from ``known``, which the reference check fills before the
    # chunk defining them is written.
    written: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
