"""What the ad-hoc console may send: one read statement that stays inside the store.

The engines refuse writes themselves (read-only execution); this guard refuses what a
read may still do that a console must not:

* more than one statement;
* ``LOAD CSV`` (it makes the database fetch a URL, one request per row when the URL is
  built from data: an outbound connection from the store's machine);
* procedures (``CALL name(...)``) other than the schema introspection of
  ``ALLOWED_PROCEDURES`` (``CALL { ... }`` subqueries are not procedures and pass);
* namespaced functions outside ``ALLOWED_FUNCTION_NAMESPACES`` (the temporal, spatial
  and vector functions of Cypher); plug-in libraries such as ``apoc.load.json`` reach
  files and URLs;
* ``reduce()`` and more than one ``range()`` in a statement: an expression that builds
  a list or string inside one row is not covered by the time limit
  (``reduce(s = 'ab', x IN range(1, 30) | s + s)`` builds a gigabyte string, past a 2 s
  limit by 10 s);
* ``range()`` other than of whole-number literals spanning at most ``MAX_RANGE`` values:
  the engine builds the whole list before its time limit applies (measured here:
  ``range(1, 300000000)`` held a query thread for 8-9 s past a 2 s limit and gigabytes
  of the store's memory);
* brackets nested deeper than ``MAX_NESTING``: embedded FalkorDB's parser takes time
  that doubles with each level (measured here: 14 levels 0.05 s, 18 levels 1 s, 22
  levels 20 s, beyond the query time limit, which does not cover parsing).

Text inside string literals, backticked names and comments is not looked at, so a
string holding ``LOAD CSV`` is only a string. The reason of every refusal is given.
"""

from __future__ import annotations

import re

ALLOWED_PROCEDURES: frozenset[str] = frozenset(
    {"db.labels", "db.relationshiptypes", "db.propertykeys", "db.indexes", "db.constraints", "db.schema.visualization"}
)
ALLOWED_FUNCTION_NAMESPACES: frozenset[str] = frozenset(
    {"date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector"}
)
MAX_STATEMENT = 20_000
MAX_NESTING = 12
MAX_RANGE = 100_000

_TOKEN = re.compile(
    r"""
    '(?:[^'\\]|\\.)*'?      # single-quoted string (an unterminated one runs to the end)
  | "(?:[^"\\]|\\.)*"?      # double-quoted string
  | `(?:[^`]|``)*`?         # backticked name
  | //[^\n]*                # line comment
  | /\*.*?(?:\*/|\Z)        # block comment
    """,
    re.VERBOSE | re.DOTALL,
)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)
_CALL = re.compile(r"(?<![.\w])CALL\b\s*", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*")
_FUNCTION = re.compile(r"(?<![.\w])([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)+)\s*\(")
_REDUCE = re.compile(r"(?<![.\w])reduce\s*\(", re.IGNORECASE)
_RANGE = re.compile(r"(?<![.\w])range\s*\(([^()]*)\)?", re.IGNORECASE)
_RANGE_ARGS = re.compile(r"\s*(-?\d{1,18})\s*,\s*(-?\d{1,18})\s*(?:,\s*(-?\d{1,18})\s*)?")
_ESCAPED_CALLABLE = re.compile(r"``(?:\s*\.\s*(?:``|[A-Za-z_]\w*))*\s*\(")


class StatementRefused(ValueError):
    """A console statement the guard refuses; the message says why."""


def code_of(statement: str) -> str:
    """The statement with strings, backticked names and comments blanked out.

    Examples
    --------
    >>> code_of("MATCH (n {name: 'LOAD CSV'}) // CALL x()\\nRETURN n")
    "MATCH (n {name: ''}) \\nRETURN n"
    """

    def blank(match: re.Match[str]) -> str:
        text = match.group(0)
        if text.startswith(("//", "/*")):
            return " " if text.startswith("/*") else ""
        return text[0] + text[0] if text[0] in "'\"`" else ""

    return _TOKEN.sub(blank, statement)


def _check_range(match: re.Match[str]) -> None:
    args = _RANGE_ARGS.fullmatch(match.group(1) or "") if match.group(0).endswith(")") else None
    if args is not None:
        start, end, step = int(args.group(1)), int(args.group(2)), int(args.group(3) or 1)
        if step != 0 and (end - start) // step < MAX_RANGE:
            return
    raise StatementRefused(
        f"range() is allowed only over whole-number literals spanning at most {MAX_RANGE:,} values: "
        "the database builds the whole list before its time limit applies"
    )


def check_console_statement(statement: str) -> str:
    """``statement`` when the console may run it, else :class:`StatementRefused`.

    Examples
    --------
    >>> check_console_statement("MATCH (n:Person) RETURN n.name LIMIT 5")
    'MATCH (n:Person) RETURN n.name LIMIT 5'
    >>> check_console_statement("LOAD CSV FROM 'https://x.example/a.csv' AS row RETURN row")
    Traceback (most recent call last):
    ...
    graph_service.store.guard.StatementRefused: LOAD CSV is refused: it makes the database fetch files or URLs
    """
    if len(statement) > MAX_STATEMENT:
        raise StatementRefused(f"a statement has at most {MAX_STATEMENT:,} characters")
    code = code_of(statement)
    depth = deepest = 0
    for char in code:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    if deepest > MAX_NESTING:
        raise StatementRefused(f"brackets nested {deepest} deep: at most {MAX_NESTING} levels")
    if ";" in code.rstrip().rstrip(";"):
        raise StatementRefused("one statement at a time: remove the ';' between statements")
    if _LOAD_CSV.search(code):
        raise StatementRefused("LOAD CSV is refused: it makes the database fetch files or URLs")
    if _ESCAPED_CALLABLE.search(code):
        raise StatementRefused("a procedure or function named with backticks is refused: name it plainly")
    if _REDUCE.search(code):
        raise StatementRefused("reduce() is refused: it can build a list or string past the time limit in one row")
    ranges = list(_RANGE.finditer(code))
    if len(ranges) > 1:
        raise StatementRefused("one range() a statement: ranges combined can build lists past the time limit")
    for match in ranges:
        _check_range(match)
    calls = set()
    for match in _CALL.finditer(code):
        rest = code[match.end() :]
        if rest.startswith(("{", "(")):
            continue  # CALL { ... } or CALL (x) { ... }: a subquery
        found = _NAME.match(rest)
        name = re.sub(r"\s+", "", found.group(0)) if found else rest[:20]
        if not found or name.lower() not in ALLOWED_PROCEDURES:
            allowed = ", ".join(sorted(ALLOWED_PROCEDURES))
            raise StatementRefused(f"procedure {name or '?'} is refused: the console allows only {allowed}")
        calls.add(match.end())
    for match in _FUNCTION.finditer(code):
        if match.start(1) in calls:
            continue
        namespace = re.sub(r"\s+", "", match.group(1)).split(".")[0].lower()
        if namespace not in ALLOWED_FUNCTION_NAMESPACES:
            raise StatementRefused(
                f"function {re.sub(r'\\s+', '', match.group(1))} is refused: namespaced functions other than "
                f"{', '.join(sorted(ALLOWED_FUNCTION_NAMESPACES))} may reach outside the store"
            )
    return statement
