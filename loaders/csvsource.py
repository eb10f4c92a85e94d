"""Reading contract CSV files: bytes to physical lines to records, every line accounted for.

A file is read in binary, in blocks of at most :data:`BLOCK` bytes, never whole: a
national ``calls.csv`` streams in bounded memory. Each block is split into **physical
lines** (LF, CRLF or a lone CR ends a line) and each line is one record: the contract
allows no line break inside a field, so a quoted field still open at the end of its
line is an *unclosed quote*, rejected with that line, and reading resumes at the next
line. Every line that cannot be read is a row with a ``problem``
(:class:`~loaders.rows.RowError`) that the runner rejects: so ``rows read = loaded +
rejected + excluded`` counts every non-blank line after the header.

* A line that is not valid UTF-8 (strictly: no overlong forms, no surrogates), or that
  holds a NUL or another control character (C0 but tab, DEL, C1, U+2028/U+2029), is
  rejected naming the column where it can be found; the value shows the raw bytes
  escaped (``\\xe9``).
* A line longer than :data:`~loaders.contract.MAX_LINE_BYTES` is rejected; it is read
  past in pieces, never held whole.
* An unclosed quote is rejected on its line. When the next few lines complete the
  quoted field into a record of the header's width (a field holding a line break, which
  the contract does not allow), those lines are rejected too, as its continuation,
  instead of being read as rows of their own.
* The file as a whole fails before anything is read from it (:class:`EncodingError`,
  :class:`HeaderError`) when it is UTF-16 or UTF-32 (a byte-order mark, or NUL bytes in
  the pattern of one in the first KB), another detectable encoding or a binary format
  (a ZIP/xlsx, gzip or OLE2/xls signature), or when its header line cannot be read, lacks
  required columns, repeats a column, or has more than
  :data:`~loaders.contract.MAX_COLUMNS` columns or a name over
  :data:`~loaders.contract.MAX_COLUMN_NAME` characters.

A UTF-8 byte-order mark on the first line is tolerated; header names are trimmed and
lower-cased; blank lines (nothing but spaces and commas) are skipped and not counted as
rows. A reject of a row that is, or may be, confidential (``calls.csv``: a privileged
call, or a line not readable far enough to know) carries no value.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NamedTuple

from loaders import normalise as norm
from loaders.contract import COLUMN_KINDS, MAX_COLUMN_NAME, MAX_COLUMNS, MAX_LINE_BYTES, FileContract
from loaders.rows import RowError

csv.field_size_limit(1 << 24)

# Bytes read at a time (at most MAX_LINE_BYTES: a line inside one block is never too long).
BLOCK = 1 << 20
# Characters of a bad line or cell shown (escaped) in its reject.
PREVIEW = 200
# How many lines after an unclosed quote may be its continuation (see the module doc).
CONTINUATION_MAX = 10
# No contract value holds these: C0 controls but tab (LF and CR end lines), DEL, C1, and
# the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# ... or a tab, which only free text may hold (handling_conditions, columns outside the contract).
_CONTROL_OR_TAB = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\udc80-\udcff]")
# The same in UTF-8 bytes: C0 but LF and CR, DEL (deleted by ``bytes.translate`` to find
# them fast), C1 (0xC2 0x80-0x9F) and U+2028/U+2029 (0xE2 0x80 0xA8/0xA9).
_CONTROL_BYTES = bytes([*range(0, 10), 11, 12, *range(14, 32), 127])
_WIDE_CONTROL = re.compile(rb"\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]")
_BREAKS = re.compile(r"\r\n|\r|\n")
_BREAKS_BYTES = re.compile(rb"\r\n|\r|\n")

# Signatures of files that are not UTF-8 text, checked on the first bytes.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian byte-order mark)"),
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian byte-order mark)"),
    (b"\xfe\xff", "UTF-16 (big-endian byte-order mark)"),
    (b"\xff\xfe", "UTF-16 (little-endian byte-order mark)"),
    (b"+/v8", "UTF-7"),
    (b"+/v9", "UTF-7"),
    (b"+/v+", "UTF-7"),
    (b"+/v/", "UTF-7"),
    (b"\xf7\x64\x4c", "UTF-1"),
    (b"\xdd\x73\x66\x73", "UTF-EBCDIC"),
    (b"\x0e\xfe\xff", "SCSU"),
    (b"\xfb\xee\x28", "BOCU-1"),
    (b"\x84\x31\x95\x33", "GB 18030"),
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook?), not CSV text"),
    (b"\x1f\x8b", "gzip-compressed, not CSV text"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 file (an Excel .xls workbook?), not CSV text"),
)


class FileFormatError(ValueError):
    """The file as a whole cannot be read as the contract says: nothing is loaded from it."""

    status = "failed"

    def __init__(self, file: str, reason: str):
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}; nothing was loaded from this file")


class EncodingError(FileFormatError):
    """The file is not UTF-8 text (UTF-16, UTF-32, a workbook ...), or its header line is not."""

    status = "encoding_failed"


class HeaderError(FileFormatError):
    """The header lacks required columns, repeats one, or cannot be read: nothing is loaded."""

    status = "header_failed"

    def __init__(
        self,
        file: str,
        missing: list[str] | tuple[str, ...] = (),
        found: list[str] | tuple[str, ...] = (),
        *,
        reason: str | None = None,
        duplicates: list[str] | tuple[str, ...] = (),
    ):
        self.missing = list(missing)
        self.found = list(found)
        self.duplicates = list(duplicates)
        if reason is None:
            reason = (
                f"header is missing required column(s) {', '.join(self.missing)} "
                f"(found: {', '.join(self.found) or 'nothing'})"
            )
        super().__init__(file, reason)


@dataclass
class SourceRow:
    """One data row: its physical line number (1 = the first line) and cells by column.

    ``problem`` is set (and ``values`` empty) when the line could not be read as a row:
    the reject the runner writes for it.
    """

    line: int
    values: dict[str, str]
    # Set when the row has more or fewer cells than the header.
    width_problem: str | None = None
    problem: RowError | None = None


def normalise_header(cell: str) -> str:
    return cell.strip().lstrip("\ufeff").strip().lower()


def escape(text: str | bytes, limit: int = PREVIEW) -> str:
    """``text`` readable on one line: invalid UTF-8 bytes, control characters and other
    invisible ones (format characters, unusual spaces) as ``\\xNN`` / ``\\uNNNN`` escapes,
    cut to ``limit`` characters (``...`` marks a cut)."""
    if isinstance(text, bytes):
        text = text[: limit * 4].decode("utf-8", "surrogateescape")

    def one(match: re.Match[str]) -> str:
        code = ord(match.group())
        if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte (surrogateescape)
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    cut = len(text) > limit
    shown = _ESCAPE.sub(one, text[:limit])
    if not shown.isprintable():  # format characters (a BOM, bidi controls), unusual spaces
        shown = "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in shown)
    return shown + "..." if cut else shown


# -- bytes to physical lines -------------------------------------------------------------
class _Overlong(NamedTuple):
    """A physical line over the limit: its first bytes and its length (without terminator)."""

    head: bytes
    length: int


def _last_break(data: bytes) -> int:
    """The index just past the last line terminator of ``data`` (0 when none); a CR at
    the very end does not count (the LF of a CRLF may follow in the next block)."""
    end = len(data) - 1 if data.endswith(b"\r") else len(data)
    return max(data.rfind(b"\n", 0, end), data.rfind(b"\r", 0, end)) + 1


def _first_break(data: bytes, start: int = 0) -> int:
    """The index of the first CR or LF of ``data`` from ``start``, or -1."""
    n = data.find(b"\n", start)
    r = data.find(b"\r", start, n if n >= 0 else len(data))
    return r if r >= 0 else n


def _pieces(handle: IO[bytes], limit: int | None = None) -> Iterator[bytes | _Overlong]:
    """The file from the handle's position as runs of whole physical lines (each at most
    ``limit`` bytes; the last run may end without a terminator) and overlong lines, in
    order. Memory: at most about two blocks."""
    limit = MAX_LINE_BYTES if limit is None else limit
    block = min(BLOCK, limit) or 1
    carry = b""
    skip_lf = False
    while True:
        chunk = handle.read(block)
        if skip_lf and chunk:
            skip_lf = False
            if chunk.startswith(b"\n"):
                chunk = chunk[1:]
                if not chunk:
                    continue
        if not chunk:
            if carry:
                first = _first_break(carry)
                length = first if first >= 0 else len(carry)
                if length > limit:
                    yield _Overlong(carry[: PREVIEW * 4], length)
                    rest = carry[length:]
                    carry = rest[2:] if rest.startswith(b"\r\n") else rest[1:]
                    if carry:
                        yield carry
                else:
                    yield carry
            return
        data = carry + chunk if carry else chunk
        cut = _last_break(data)
        if cut == 0:
            if len(data) - data.endswith(b"\r") <= limit:  # (a final CR ends the line)
                carry = data
                continue
            # One line over the limit: read past it in pieces, keeping only its start.
            head, length = data[: PREVIEW * 4], len(data) - (1 if data.endswith(b"\r") else 0)
            carry = b""
            if data.endswith(b"\r"):
                skip_lf = True
                yield _Overlong(head, length)
                continue
            while True:
                chunk = handle.read(block)
                if not chunk:
                    yield _Overlong(head, length)
                    return
                end = _first_break(chunk)
                if end < 0:
                    length += len(chunk)
                    continue
                length += end
                if chunk[end] == 13 and end + 1 == len(chunk):
                    skip_lf, carry = True, b""
                else:
                    carry = chunk[end + (2 if chunk[end : end + 2] == b"\r\n" else 1) :]
                yield _Overlong(head, length)
                break
            continue
        complete, carry = data[:cut], data[cut:]
        first = _first_break(complete)
        if first > limit:  # the first line began in the previous block and is too long
            yield _Overlong(complete[: PREVIEW * 4], first)
            complete = complete[first + (2 if complete[first : first + 2] == b"\r\n" else 1) :]
        if complete:
            yield complete


def _has_controls(piece: bytes) -> bool:
    """Whether valid UTF-8 ``piece`` holds a character of :data:`_CONTROL_OR_TAB`."""
    if len(piece.translate(None, _CONTROL_BYTES)) != len(piece):
        return True
    return not piece.isascii() and _WIDE_CONTROL.search(piece) is not None


def _split(text: str) -> list[str]:
    """Physical lines of a decoded run of whole lines (terminators removed)."""
    if "\r" not in text:
        lines = text.split("\n")
    elif text.count("\r") == text.count("\r\n") == text.count("\n"):
        lines = text.split("\r\n")  # CRLF only (a Windows export): faster than the pattern
    else:
        lines = _BREAKS.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class _Block(NamedTuple):
    """Decoded physical lines: text, or ``None`` for a line in ``bad`` (its raw bytes
    and why it could not be decoded); whether any holds a quote or a control character."""

    lines: list[str | None]
    bad: dict[int, tuple[bytes, str]]
    quotes: bool
    controls: bool


def _decode_error(raw: bytes, error: UnicodeDecodeError) -> str:
    bad = raw[error.start : error.end]
    shown = " ".join(f"0x{b:02X}" for b in bad[:4])
    return f"not valid UTF-8 (byte {shown} at position {error.start + 1} of the line); save the export as UTF-8"


def _blocks(handle: IO[bytes], limit: int | None = None) -> Iterator[_Block]:
    limit = MAX_LINE_BYTES if limit is None else limit
    for piece in _pieces(handle, limit):
        if isinstance(piece, _Overlong):
            reason = f"line of {piece.length:,} bytes; at most {limit:,} are allowed (the value shows its start)"
            yield _Block([None], {0: (piece.head, reason)}, False, False)
            continue
        try:
            text = piece.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            yield _Block(_split(text), {}, b'"' in piece, _has_controls(piece))  # type: ignore[arg-type]
            continue
        lines: list[str | None] = []
        bad: dict[int, tuple[bytes, str]] = {}
        raws = _BREAKS_BYTES.split(piece)
        if raws and raws[-1] == b"":
            raws.pop()
        for raw in raws:
            try:
                lines.append(raw.decode("utf-8"))
            except UnicodeDecodeError as error:
                bad[len(lines)] = (raw, _decode_error(raw, error))
                lines.append(None)
        quotes = any('"' in line for line in lines if line is not None)
        controls = any(_CONTROL_OR_TAB.search(line) for line in lines if line is not None)
        yield _Block(lines, bad, quotes, controls)


def sniff(head: bytes) -> str | None:
    """Why a file starting with ``head`` is not UTF-8 text, or ``None``."""
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return f"the file is {what}" if what.startswith(("a ", "an ", "gzip")) else f"the file is {what} text"
    first = head[:1024]
    nuls = first.count(0)
    if len(first) >= 4 and nuls * 4 >= len(first):
        return (
            f"the file looks like UTF-16 or UTF-32 text without a byte-order mark ({nuls} of its first "
            f"{len(first)} bytes are NUL)"
        )
    return None


def text_lines(path: Path, name: str | None = None) -> Iterator[tuple[int, str | None, str]]:
    """Every physical line of ``path``: ``(line number, text, "")`` or ``(line number,
    None, reason)`` for a line that is not valid UTF-8 or is too long; a UTF-8 BOM on the
    first line removed. Raises :class:`EncodingError` for a file in another encoding."""
    name = name or Path(path).name
    with Path(path).open("rb") as handle:
        problem = sniff(handle.read(4096))
        if problem:
            raise EncodingError(name, f"{problem}; save it as UTF-8")
        handle.seek(0)
        number = 0
        for block in _blocks(handle):
            for index, line in enumerate(block.lines):
                number += 1
                if line is None:
                    yield number, None, block.bad[index][1]
                    continue
                if number == 1:
                    line = line.lstrip("\ufeff")
                yield number, line, ""


class _Guard:
    """The lines of a block as ``csv.reader`` input, one record per line: when the
    reader asks for another line before the record of the last one is handed back (a
    quoted field left open), it gets the end of input instead, so the record ends with
    its line (``cut`` set). Lines that are ``None`` are passed over."""

    __slots__ = ("cut", "lines", "pending", "pos")

    def __init__(self, lines: list[str | None]):
        self.lines = lines
        self.pos = 0
        self.pending = False
        self.cut = False

    def __iter__(self) -> _Guard:
        return self

    def __next__(self) -> str:
        if self.pending:
            self.pending = False
            self.cut = True
            raise StopIteration
        lines, pos = self.lines, self.pos
        while pos < len(lines) and lines[pos] is None:
            pos += 1
        if pos >= len(lines):
            self.pos = pos
            raise StopIteration
        self.pos = pos + 1
        self.pending = True
        return lines[pos]  # type: ignore[return-value]


def _one_record(line: str) -> tuple[list[str], bool]:
    """The cells of one line and whether a quoted field is left open at its end."""
    guard = _Guard([line])
    cells = next(csv.reader(guard), [])
    return cells, guard.cut


class CsvSource:
    """One contract file, checked against its contract when opened."""

    def __init__(self, path: Path, contract: FileContract):
        self.path = Path(path)
        self.contract = contract
        self.name = contract.name
        header, self.header_line, raw = self._read_header()
        self._raw_header = raw
        self.header = header
        self.width = len(header)
        missing = [c for c in contract.required if c not in self.header]
        if missing:
            raise HeaderError(self.name, missing, self.header)
        self.extra_columns = [c for c in self.header if c and c not in contract.columns]
        confidential = contract.confidential
        self._confidential = (
            (self.header.index(confidential) if confidential in self.header else -1) if confidential else None
        )

    # -- the header --------------------------------------------------------------------
    def _read_header(self) -> tuple[list[str], int, list[str]]:
        """The normalised header, its line, its cells as written; raises for a file or a
        header that cannot be read."""
        for number, line, reason in text_lines(self.path, self.name):
            if line is None:
                error = HeaderError if reason.startswith("line of") else EncodingError
                raise error(self.name, reason=f"the header (line {number}) cannot be read: {reason}")
            cells, cut = _one_record(line)
            if not any(c.strip() for c in cells):
                continue
            return self._check_header(number, line, cells, cut), number, cells
        return [], 0, []

    def _check_header(self, number: int, line: str, cells: list[str], cut: bool) -> list[str]:
        def fail(reason: str, **extra: list[str]) -> HeaderError:
            return HeaderError(self.name, found=[normalise_header(c) for c in cells], reason=reason, **extra)

        if cut:
            raise fail(f"the header (line {number}) has an unclosed quote")
        control = _CONTROL_OR_TAB.search(line)
        if control and control.group() == "\t" and "," not in line:
            raise fail(f"the header (line {number}) is tab-separated; contract files are comma-separated")
        if control:
            raise fail(f"the header (line {number}) holds the control character U+{ord(control.group()):04X}")
        if len(cells) > MAX_COLUMNS:
            raise fail(f"the header has {len(cells):,} columns; at most {MAX_COLUMNS} are allowed")
        header = [normalise_header(c) for c in cells]
        long = [c for c in header if len(c) > MAX_COLUMN_NAME]
        if long:
            raise fail(
                f"header column {escape(long[0], 40)!r} is {len(long[0]):,} characters long; "
                f"at most {MAX_COLUMN_NAME} are allowed"
            )
        seen: set[str] = set()
        duplicates = []
        for column in header:
            if column and column in seen and column not in duplicates:
                duplicates.append(column)
            seen.add(column)
        if duplicates:
            raise fail(
                f"the header repeats column(s) {', '.join(duplicates)}: which one holds the values is not known",
                duplicates=duplicates,
            )
        return header

    # -- the rows ----------------------------------------------------------------------
    def rows(self) -> Iterator[SourceRow]:
        """Every data row, blank lines skipped, with its physical line; a line that
        cannot be read is a row with its ``problem``."""
        for records in self._blocks_of_rows():
            yield from records

    def _blocks_of_rows(self) -> Iterator[Iterator[SourceRow]]:
        """The rows block by block (:meth:`chunks` takes them without a generator between)."""
        if not self.header_line:
            return
        with self.path.open("rb") as handle:
            number = 0  # lines before this block
            for block in _blocks(handle):
                lines = block.lines
                start = number
                number += len(lines)
                if number <= self.header_line:
                    continue
                skip = self.header_line - start if start < self.header_line else 0
                yield self._records(block, start, skip)

    def _records(self, block: _Block, start: int, skip: int) -> Iterator[SourceRow]:
        """The rows of one block (its first line is line ``start + 1``; the first ``skip``
        lines are the header and what comes before it)."""
        lines, bad = block.lines, block.bad
        if skip:
            lines = lines[skip:]
            bad = {i - skip: problem for i, problem in bad.items() if i >= skip}
            start += skip
        if bad:
            yield from self._guarded(lines, bad, start, 0)
            return
        # Fast path: csv.reader over the lines as they are, one record per line as long as
        # reader.line_num keeps step. A record over more lines (a quote left open) sends
        # the rest of the block to the guarded path, from the line that record began on;
        # so does an open quote on the last line (where the reader meets the end of input).
        header, width = self.header, self.width
        controls, quotes, raw_header, last = block.controls, block.quotes, self._raw_header, len(lines)
        reader = csv.reader(lines)  # type: ignore[arg-type]
        count = 0
        for cells in reader:
            if reader.line_num != count + 1 or (quotes and count + 1 == last and _one_record(lines[-1])[1]):  # type: ignore[arg-type]
                yield from self._guarded(lines, bad, start, count)
                return
            count += 1
            first = cells[0] if cells else ""
            if (
                len(cells) == width
                and first
                and not first.isspace()
                and not (controls and _CONTROL_OR_TAB.search(lines[count - 1]))  # type: ignore[arg-type]
                and cells != raw_header
            ):
                yield SourceRow(start + count, dict(zip(header, cells)))
                continue
            row = self._odd(start + count, lines[count - 1], cells, False)  # type: ignore[arg-type]
            if row is not None:
                yield row

    def _guarded(
        self, lines: list[str | None], bad: dict[int, tuple[bytes, str]], start: int, begin: int
    ) -> Iterator[SourceRow]:
        """The rows of ``lines[begin:]`` read through :class:`_Guard`: each line one record,
        an open quote cut at its line; undecodable lines (``None``) rejected in place."""
        guard = _Guard(lines)
        guard.pos = begin
        reader = csv.reader(guard)
        done = begin  # the next line not yet accounted for
        continuation: dict[int, int] = {}  # line index -> line where its quoted field opened
        for cells in reader:
            index = guard.pos - 1
            guard.pending = False
            cut, guard.cut = guard.cut, False
            for i in range(done, index):
                if i in bad:
                    yield self._undecodable(start + i + 1, *bad[i])
            done = index + 1
            line = lines[index]
            assert line is not None
            number = start + index + 1
            if index in continuation:
                opened = continuation[index]
                yield self._problem(
                    number,
                    "",
                    escape(line),
                    f"continuation of the quoted field opened on line {opened}: a field may not hold a line break",
                    "malformed",
                    None,
                )
                continue
            if cut:
                following = self._continuation(lines, index)
                for i in range(index + 1, index + 1 + following):
                    continuation[i] = number
            row = self._odd(number, line, cells, cut)
            if row is not None:
                yield row
        for i in range(done, len(lines)):
            if i in bad:
                yield self._undecodable(start + i + 1, *bad[i])

    def _odd(self, number: int, line: str, cells: list[str], cut: bool) -> SourceRow | None:
        """A record off the fast path: blank (``None``), an unclosed quote, a control
        character, the header again, or a row of the wrong width."""
        header, width = self.header, self.width
        if cut:
            column = header[len(cells) - 1] if 0 < len(cells) <= width else ""
            where = f"the quoted field of {column}" if column else "a quoted field"
            return self._problem(
                number,
                column,
                escape(line),
                f"unclosed quote: {where} opened on this line is not closed before the line ends "
                "(a field may not hold a line break)",
                "malformed",
                cells[:-1],
            )
        joined = "".join(cells)
        if not joined or joined.isspace():
            return None
        if _CONTROL_OR_TAB.search(line):
            problem = self._control(number, cells)
            if problem is not None:
                return problem
        if cells == self._raw_header:
            return self._problem(number, "", "", "the header line again (exports joined together?)", "malformed", cells)
        if len(cells) == width:
            return SourceRow(number, dict(zip(header, cells)))
        values = {column: (cells[i] if i < len(cells) else "") for i, column in enumerate(header)}
        return SourceRow(number, values, f"row has {len(cells)} fields, header has {width}")

    def _control(self, number: int, cells: list[str]) -> SourceRow | None:
        """The reject of a row with a control character in a cell (a tab: in a cell that
        is not free text), or ``None``."""
        for at, cell in enumerate(cells):
            found = _CONTROL.search(cell)
            code = ord(found.group()) if found else (9 if "\t" in cell and not self._tab_ok(at) else -1)
            if code < 0:
                continue
            column = self.header[at] if at < self.width else ""
            what = (
                "a NUL byte (\\x00)"
                if code == 0
                else "a tab (only free text may hold one)"
                if code == 9
                else f"the control character U+{code:04X}"
            )
            return self._problem(
                number,
                column,
                escape(cell),
                f"{what} in {column or 'a field beyond the header'}: no value may hold control characters",
                "encoding",
                cells,
            )
        return None

    def _tab_ok(self, at: int) -> bool:
        return at < self.width and COLUMN_KINDS.get(self.header[at], "free_text") == "free_text"

    def _continuation(self, lines: list[str | None], index: int) -> int:
        """How many lines after ``lines[index]`` (whose quoted field is left open) complete
        it into one record of the header's width; 0 when they do not."""
        window: list[str] = []
        for line in lines[index : index + CONTINUATION_MAX + 1]:
            if line is None:
                break
            window.append(line)
        if len(window) < 2:
            return 0
        reader = csv.reader(window, strict=True)
        try:
            record = next(reader)
        except (csv.Error, StopIteration):
            return 0
        used = reader.line_num
        return used - 1 if used >= 2 and len(record) == self.width else 0

    def _undecodable(self, number: int, raw: bytes, reason: str) -> SourceRow:
        """The reject of a line that is not UTF-8 (or too long): the column holding the bad
        bytes where the line still splits into cells, the bytes escaped."""
        if reason.startswith("line of"):
            return self._problem(number, "", escape(raw), reason, "out_of_bounds", None)
        text = raw.decode("utf-8", "surrogateescape")
        cells, cut = _one_record(text)
        at = next((i for i, c in enumerate(cells) if any(0xDC80 <= ord(ch) <= 0xDCFF for ch in c)), -1)
        column = self.header[at] if 0 <= at < self.width and not (cut and at == len(cells) - 1) else ""
        value = escape(cells[at]) if column else escape(raw)
        readable = cells[:-1] if cut else cells
        return self._problem(number, column, value, reason, "encoding", readable if len(readable) else None)

    def _problem(
        self, number: int, column: str, value: str, reason: str, kind: str, cells: list[str] | None
    ) -> SourceRow:
        """A row the reader rejects. In a file with a confidential column (calls.csv:
        privileged) the value is withheld unless ``cells`` (the cells that could be read)
        show the row is not confidential."""
        if self._confidential is not None and not self._not_confidential(cells):
            value = ""
            reason = f"{reason} (the row may be a privileged call: value withheld)"
        return SourceRow(number, {}, None, RowError(column, value, reason, kind))

    def _not_confidential(self, cells: list[str] | None) -> bool:
        at = self._confidential
        if at is None or at < 0:
            return True  # no such column: every row is not confidential (the default)
        if cells is None or at >= len(cells):
            return False
        try:
            return not norm.yes_no(cells[at])
        except norm.ValueProblem:
            return False

    def chunks(self, size: int) -> Iterator[list[SourceRow]]:
        """The rows in lists of ``size`` (the last may be shorter)."""
        chunk: list[SourceRow] = []
        append = chunk.append
        for records in self._blocks_of_rows():
            for row in records:
                append(row)
                if len(chunk) >= size:
                    yield chunk
                    chunk = []
                    append = chunk.append
        if chunk:
            yield chunk
