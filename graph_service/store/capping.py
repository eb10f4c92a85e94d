"""A row cap the engine applies: a read statement rewritten to stop after ``cap`` rows.

FalkorDB builds a query's whole result before it sends any of it (a console
``RETURN`` over a cartesian product of 3,000 phones is 9 million rows, 19 s), so a cap
applied by the client comes too late. :func:`with_row_limit` gives the statement a
``LIMIT`` at its end instead: appended when its last clause is a ``RETURN`` without one,
lowered when it already ends with ``LIMIT <integer>`` or ``LIMIT $parameter`` above
the cap. Only the top level is read: brackets, strings, comments and backquoted names
are skipped, so a ``RETURN`` inside a subquery or a string does not count. A statement
whose end cannot be read that way (``UNION``, a procedure call without ``RETURN``, a
computed ``LIMIT``) is left as it is (``None``): its rows are then cut by the client,
bounded by the statement's time limit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_KEYWORD = re.compile(r"\b(RETURN|UNION|LIMIT|WITH|MATCH|CALL|UNWIND|CREATE|MERGE|DELETE|SET|REMOVE)\b", re.I)
_LIMIT_ARGUMENT = re.compile(r"\s*(?:(\d+)|\$([A-Za-z_][A-Za-z0-9_]*))\s*;?\s*$")


def blank_literals(text: str) -> str:
    """``text`` with string literals, comments and backquoted names replaced by spaces
    (same length, so positions still match the original).

    Examples
    --------
    >>> blank_literals("RETURN 'a // b' AS `x y` // note")
    'RETURN          AS              '
    """
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in "'\"`":
            end = i + 1
            while end < n and text[end] != char:
                end += 2 if text[end] == "\\" and char != "`" else 1
            end = min(end + 1, n)
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
        else:
            i += 1
            continue
        out[i:end] = " " * (end - i)
        i = end
    return "".join(out)


def _top_level_keywords(code: str) -> list[tuple[int, int, str]]:
    """(start, end, upper-cased word) of each clause keyword outside brackets."""
    depth_at = []
    depth = 0
    for char in code:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        depth_at.append(depth)
    return [
        (m.start(), m.end(), m.group(1).upper())
        for m in _KEYWORD.finditer(code)
        # not a property (n.limit) nor a parameter ($limit)
        if depth_at[m.start()] == 0 and not code[: m.start()].rstrip().endswith((".", "$"))
    ]


def with_row_limit(cypher: str, cap: int, params: Mapping[str, Any] | None = None) -> str | None:
    """``cypher`` made to return at most ``cap`` rows, or None when that cannot be done
    by editing its end alone.

    Examples
    --------
    >>> with_row_limit("MATCH (a), (b) RETURN a.id, b.id", 6)
    'MATCH (a), (b) RETURN a.id, b.id\\nLIMIT 6'
    >>> with_row_limit("MATCH (n) RETURN n ORDER BY n.id LIMIT $limit", 6, {"limit": 50})
    'MATCH (n) RETURN n ORDER BY n.id LIMIT 6'
    >>> with_row_limit("MATCH (n) RETURN n LIMIT 3", 6)
    'MATCH (n) RETURN n LIMIT 3'
    >>> with_row_limit("MATCH (n) RETURN n.id AS id UNION MATCH (m) RETURN m.id AS id", 6) is None
    True
    """
    text = cypher.rstrip().rstrip(";").rstrip()
    code = blank_literals(text)
    keywords = _top_level_keywords(code)
    if not keywords or any(word == "UNION" for _, _, word in keywords):
        return None
    returns = [k for k in keywords if k[2] == "RETURN"]
    if not returns:
        return None
    after_return = [k for k in keywords if k[0] > returns[-1][0]]
    if any(word != "LIMIT" for _, _, word in after_return):
        return None  # a clause after the last RETURN: not a plain statement end
    if not after_return:
        return f"{text}\nLIMIT {cap}"
    start, end, _ = after_return[-1]
    argument = _LIMIT_ARGUMENT.fullmatch(code[end:])
    if argument is None:
        return None  # a computed LIMIT
    literal, name = argument.groups()
    given = int(literal) if literal is not None else (params or {}).get(name)
    if not isinstance(given, int) or isinstance(given, bool):
        return None  # the engine will refuse it with its own message
    return f"{text[:start]}LIMIT {min(given, cap)}"
