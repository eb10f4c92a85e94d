"""What a file loader is: the :class:`FileLoader` protocol the runner loads a file through.

A file loader (one per contract file: ``loaders/prisoners.py`` ... each exposes its
own as ``LOADER``) provides

* ``contract``: its :class:`~loaders.contract.FileContract`;
* ``transform(row)``: pure, one :class:`~loaders.csvsource.SourceRow` in, a row model
  (:class:`~loaders.rows.RowModel`: the nodes it needs, its duplicate keys, the nodes it
  creates) or :class:`~loaders.rows.Excluded` out; raises :class:`~loaders.rows.RowError`;
* ``prepare(models)``: pure, shapes a window of checked row models for ``load`` (it runs
  on the reading thread while the previous write is in flight; :func:`unchanged` when
  ``load`` takes the models as they are);
* ``load(store, prepared, run, ctx)``: writes what ``prepare`` returned through the
  store port, each statement one ``UNWIND`` (atomic);
* ``gather_chunks``: how many chunks one write may gather (1: each chunk is written
  as soon as it is checked).

:class:`LoaderFunctions` makes one from a module's functions.
:func:`loaders.runner.load_file` ties them together: read -> transform -> reference
check -> duplicate check -> prepare -> load, chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from graph_service.store import GraphStore, LoadRun
from loaders.context import LoaderContext
from loaders.contract import FileContract
from loaders.csvsource import SourceRow
from loaders.rows import Excluded, RowModel


@runtime_checkable
class FileLoader[M: RowModel, P](Protocol):
    """How one contract file is loaded: ``M`` its row model, ``P`` what ``prepare`` makes of a window of them."""

    @property
    def contract(self) -> FileContract:
        """The file's contract: its name, columns and default grading."""
        ...

    @property
    def gather_chunks(self) -> int:
        """How many checked chunks one write may gather (at least 1)."""
        ...

    def transform(self, row: SourceRow) -> M | Excluded:
        """One source row in, its row model or :class:`Excluded` out (pure; raises ``RowError``)."""
        ...

    def prepare(self, models: Sequence[M]) -> P:
        """Shape checked row models for :meth:`load` (pure)."""
        ...

    def load(self, store: GraphStore, prepared: P, run: LoadRun, ctx: LoaderContext) -> None:
        """Write what :meth:`prepare` made through the store port."""
        ...


def unchanged[M: RowModel](models: Sequence[M]) -> Sequence[M]:
    """The ``prepare`` of a loader whose ``load`` takes the row models as they are."""
    return models


@dataclass(frozen=True)
class LoaderFunctions[M: RowModel, P]:
    """A :class:`FileLoader` made of a module's contract and functions."""

    contract: FileContract
    transform: Callable[[SourceRow], M | Excluded]
    prepare: Callable[[Sequence[M]], P]
    load: Callable[[GraphStore, P, LoadRun, LoaderContext], None]
    gather_chunks: int = 1

    def __post_init__(self) -> None:
        if self.gather_chunks < 1:
            raise ValueError(f"{self.contract.name}: gather_chunks must be at least 1, not {self.gather_chunks}")
