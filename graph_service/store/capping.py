"""A row cap the engine applies: a read statement rewritten to stop after ``cap`` rows.

FalkorDB builds a query's whole result before it sends any of it (a console
``RETURN`` over a cartesian product of 3,000 phones is 9 million rows, 19 s and
gigabytes), so a cap applied by the client comes too late, and the engine's time limit
does not bound the sending and decoding. :func:`with_row_limit` gives the statement a
``LIMIT`` at its end instead: appended when its last clause is a ``RETURN`` without one,
lowered when it already ends with ``LIMIT <integer>`` or ``LIMIT $parameter`` above the
cap. Only the top level is read: brackets, strings, comments and backquoted names are
skipped, and a keyword used as a name (``AS limit``, ``n.set``, ``$union``) is not a
clause. A statement whose end cannot be edited that way (``UNION``, a computed
``LIMIT``) is wrapped instead (:func:`wrapped_with_limit`): ``CALL { ... } RETURN *
LIMIT n``, with the columns put back in the statement's own order.
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
        # not a property (n.limit), a parameter ($limit), an alias (AS limit) or a key (limit:)
        if depth_at[m.start()] == 0 and not _is_a_name(code, m.start(), m.end())
    ]


def _is_a_name(code: str, start: int, end: int) -> bool:
    before = code[:start].rstrip()
    if before.endswith((".", "$", ":")) or re.search(r"\bAS$", before, re.I):
        return True
    return code[end:].lstrip().startswith(":")


def _end(cypher: str) -> str:
    """The statement without trailing whitespace and semicolons (``; ;`` included)."""
    text = cypher.rstrip()
    while text.endswith(";"):
        text = text[:-1].rstrip()
    return text


def return_columns(cypher: str) -> list[str] | None:
    """The column names of the statement's last top-level ``RETURN`` (an alias, or the
    expression text as the engine names an unaliased column), or None for ``RETURN *``.

    Examples
    --------
    >>> return_columns("MATCH (n) RETURN n.id AS id, count(*), n.name ORDER BY id LIMIT 3")
    ['id', 'count(*)', 'n.name']
    """
    text = _end(cypher)
    code = blank_literals(text)
    keywords = _top_level_keywords(code)
    returns = [k for k in keywords if k[2] == "RETURN"]
    if not returns:
        return None
    start = returns[-1][1]
    stop = re.search(r"\b(ORDER\s+BY|SKIP|LIMIT)\b", code[start:], re.I)
    body = text[start : start + stop.start()] if stop else text[start:]
    body = re.sub(r"^\s*DISTINCT\b", "", body, flags=re.I)
    columns, depth, current = [], 0, ""
    for char, blank in zip(body, blank_literals(body)):
        depth += blank in "([{"
        depth -= blank in ")]}"
        if blank == "," and depth == 0:
            columns.append(current)
            current = ""
        else:
            current += char
    columns.append(current)
    names = []
    for item in (c.strip() for c in columns):
        if item == "*":
            return None
        alias = re.search(r"\bAS\s+(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\s*$", item, re.I)
        names.append(alias.group(1).strip("`") if alias else item)
    return names


def wrapped_with_limit(cypher: str, cap: int) -> str:
    """``cypher`` inside a subquery that stops at ``cap`` rows (``RETURN *`` orders the
    columns by name: put them back with :func:`return_columns`).

    Examples
    --------
    >>> wrapped_with_limit("MATCH (a) RETURN a.id AS x UNION MATCH (b) RETURN b.id AS x", 6)
    'CALL {\\nMATCH (a) RETURN a.id AS x UNION MATCH (b) RETURN b.id AS x\\n} RETURN * LIMIT 6'
    """
    return f"CALL {{\n{_end(cypher)}\n}} RETURN * LIMIT {cap}"


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
    text = _end(cypher)
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
