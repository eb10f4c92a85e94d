"""Enforcing the contract's bounds (:data:`loaders.contract.BOUNDS`) on one value.

:func:`check` raises :class:`~loaders.rows.RowError` naming the column when a value is
longer than its kind allows, or does not have its kind's shape. The cell helpers
(:mod:`loaders.cells`) call it for every value they read, so every column of every file
is bounded; numeric ranges and dates are checked by the parsers of
:mod:`loaders.normalise`, and the reader (:mod:`loaders.csvsource`) already refused
lines holding control characters, invalid UTF-8 or a line break inside a field.

Values of a reject reason are shown with :func:`shown` (``repr``, cut to 80 characters),
so a reason never carries a long or unreadable value.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from loaders.contract import BOUNDS, COLUMN_KINDS, Bound
from loaders.rows import RowError

SHOWN_MAX = 80


def shown(value: str) -> str:
    """A value as a reject reason quotes it: ``repr``, at most :data:`SHOWN_MAX` characters."""
    if len(value) > SHOWN_MAX:
        return repr(value[:SHOWN_MAX]) + f"... ({len(value):,} characters)"
    return repr(value)


def _identifier(value: str) -> bool:
    return value[0].isalnum() and value.isprintable()


def _ascii_identifier(value: str) -> bool:
    return value[0].isalnum() and value.isascii() and value.isprintable()


# Shapes tested without a regular expression (the same rule, several times faster: a
# call id is read on every one of millions of call rows).
_FAST_SHAPES: dict[str, Callable[[str], bool]] = {"call_id": _ascii_identifier}


def _tester(bound: Bound) -> Callable[[str], bool] | None:
    if bound.kind in _FAST_SHAPES:
        return _FAST_SHAPES[bound.kind]
    if bound.shape is not None:
        return re.compile(bound.shape).fullmatch  # type: ignore[return-value]
    if bound.identifier:
        return _identifier
    return None


class _Compiled:
    __slots__ = ("bound", "max_length", "test")

    def __init__(self, bound: Bound):
        self.bound = bound
        self.max_length = bound.max_length
        self.test = _tester(bound)


_KINDS: dict[str, _Compiled] = {kind: _Compiled(bound) for kind, bound in BOUNDS.items()}
_COLUMNS: dict[str, _Compiled] = {column: _KINDS[kind] for column, kind in COLUMN_KINDS.items()}
_FREE_TEXT = _KINDS["free_text"]
# column -> its longest length, for the columns bounded by length alone (the cell helpers
# test ``len(value) <= LENGTH_ONLY[column]`` inline and call :func:`check` otherwise).
LENGTH_ONLY: dict[str, int] = {column: c.max_length for column, c in _COLUMNS.items() if c.test is None}


def check(column: str, value: str, kind: str | None = None) -> str:
    """``value`` (trimmed, not empty) if it keeps the bound of ``column`` (or of ``kind``);
    else raises :class:`RowError` (kind ``out_of_bounds``: too long; ``invalid``: shape)."""
    compiled = _KINDS[kind] if kind is not None else _COLUMNS.get(column, _FREE_TEXT)
    if len(value) > compiled.max_length:
        raise RowError(
            column,
            value,
            f"{column} is {len(value):,} characters long; at most {compiled.max_length:,} are allowed"
            f" ({compiled.bound.rule})",
            "out_of_bounds",
        )
    test = compiled.test
    if test is not None and not test(value):
        raise RowError(
            column, value, f"{column} {shown(value)} does not have the expected shape: {compiled.bound.rule}", "invalid"
        )
    return value


def max_length(column: str) -> int:
    return _COLUMNS.get(column, _FREE_TEXT).max_length
