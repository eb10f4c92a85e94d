"""What a transform gives back for one source row: a row model, ``Excluded``, or a ``RowError``.

A row model (a frozen dataclass per file: ``CustodyRow``, ``CallRow`` ...) satisfies
:class:`RowModel`: its source line, the nodes it needs (:class:`Ref`), the keys that
identify it for duplicate detection (:class:`Key`) and the nodes it creates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, runtime_checkable


class RowError(ValueError):
    """A row that breaks the contract: which column, its value, why.

    ``kind`` classifies the reason in the report (missing, invalid, unknown_reference,
    conflicting_duplicate, malformed).
    """

    def __init__(self, column: str, value: str, reason: str, kind: str = "invalid"):
        super().__init__(reason)
        self.column = column
        self.value = value
        self.reason = reason
        self.kind = kind


class Ref(NamedTuple):
    """A node a row needs to exist (in this load or already in the store)."""

    column: str
    value: str
    label: str
    node_id: str


class Key(NamedTuple):
    """An identity of a row for duplicate detection: same ``key`` with other ``values`` conflicts."""

    name: str
    key: tuple[Any, ...]
    values: Mapping[str, Any]


@dataclass(frozen=True)
class Excluded:
    """A row deliberately not loaded (privileged call, exact duplicate...).

    ``refs``: nodes the row names; an unknown one still makes the row a reject
    (written with ``withheld`` instead of its value when the row is confidential).
    """

    reason: str
    refs: tuple[Ref, ...] = ()
    withheld: bool = False


@runtime_checkable
class RowModel(Protocol):
    """One accepted source row, as the runner's checks read it."""

    @property
    def line(self) -> int:
        """The physical line of the source file the row starts on."""
        ...

    def refs(self) -> Sequence[Ref]:
        """The nodes the row needs (an unknown one makes the row a reject)."""
        ...

    def keys(self) -> Sequence[Key]:
        """The row's identities for duplicate detection, the row's own key first."""
        ...

    def defines(self) -> Sequence[tuple[str, str]]:
        """The ``(label, node id)`` of each node the row creates."""
        ...
