"""Normalisation of source values: phones, names, dates, postcodes, numbers, grading.

Every function takes the raw text of one cell and returns the normalised value, or
raises :class:`ValueProblem` with a reason a reader of the rejects file understands.
Empty optional values come back as ``None``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timezone
from functools import lru_cache

import phonenumbers

from graph_service.schema import HANDLING_CODES, INTEL_EVALS, SOURCE_EVALS

DEFAULT_REGION = "GB"


class ValueProblem(ValueError):
    """A cell value that cannot be normalised; ``str(error)`` is the reason."""


def clean(value: str | None) -> str:
    """Strip the cell; ``None`` becomes the empty string."""
    return (value or "").strip()


# -- phones -----------------------------------------------------------------------------
def phone(value: str, region: str = DEFAULT_REGION) -> str:
    """A telephone number in E.164 (``+447700900123``); national numbers read as ``region``.

    Accepts spaces, dashes, dots and brackets, a ``00`` international prefix and a
    leading ``+``. Numbers that do not parse, or are not valid numbers, are refused.
    """
    text = clean(value)
    if not text:
        raise ValueProblem("missing phone number")
    ok, result = _phone(text, region)
    if not ok:
        raise ValueProblem(result)
    return result


_PHONE_JUNK = re.compile(r"[\s\-\.\(\)/]")
_PHONE_SHAPE = re.compile(r"\+?[0-9]{4,17}")


@lru_cache(maxsize=100_000)
def _phone(text: str, region: str) -> tuple[bool, str]:
    """(True, E.164) or (False, reason); cached: call records repeat the same numbers
    (parsing and validating with ``phonenumbers`` costs about 0.2 ms a number)."""
    compact = _PHONE_JUNK.sub("", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not _PHONE_SHAPE.fullmatch(compact):
        return False, f"unparseable phone number {text!r}"
    try:
        parsed = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException as error:
        return False, f"unparseable phone number {text!r}: {error}"
    if not phonenumbers.is_valid_number(parsed):
        return False, f"invalid phone number {text!r}"
    return True, phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# -- names ------------------------------------------------------------------------------
def display(value: str) -> str:
    """A name part for display: outer spaces removed, inner runs of spaces collapsed, case kept."""
    return " ".join(clean(value).split())


def fold(value: str) -> str:
    """Fold a name for matching: accents removed, lower case, ``'`` dropped, other
    punctuation to spaces, spaces collapsed (``"O'Brien-Dvořák"`` -> ``"obrien dvorak"``)."""
    text = unicodedata.normalize("NFKD", clean(value))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O").replace("ß", "ss")
    text = text.lower().replace("'", "").replace("\u2019", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def full_name(forenames: str, surname: str) -> str:
    """Display name ``"Forenames SURNAME"``."""
    return " ".join(x for x in (display(forenames), display(surname).upper()) if x)


def name_key(forenames: str, surname: str) -> str:
    """The folded key used for matching: ``"forenames surname"`` folded."""
    return " ".join(x for x in (fold(forenames), fold(surname)) if x)


# -- dates ------------------------------------------------------------------------------
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(value: str) -> str:
    """A calendar date ``YYYY-MM-DD`` (the contract's only date form)."""
    text = clean(value)
    if not _DATE.fullmatch(text):
        raise ValueProblem(f"unparseable date {text!r} (expected YYYY-MM-DD)")
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as error:
        raise ValueProblem(f"unparseable date {text!r}: {error}") from None


def iso_datetime(value: str) -> str:
    """An ISO 8601 date-time, returned as ``YYYY-MM-DDTHH:MM:SS``.

    A time zone, when given, is converted to UTC and kept as ``+00:00`` (so stored
    values compare as strings); a bare date counts as midnight.
    """
    text = clean(value)
    if not text or not text[:4].isdigit():
        raise ValueProblem(f"unparseable date-time {text!r} (expected ISO 8601)")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueProblem(f"unparseable date-time {text!r} (expected ISO 8601)") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.isoformat(timespec="seconds")


# -- postcodes --------------------------------------------------------------------------
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})")


def postcode(value: str) -> str:
    """A UK postcode in upper case with one space before the inward code (``SE1 7PB``)."""
    text = clean(value)
    compact = re.sub(r"\s+", "", text).upper()
    match = _POSTCODE.fullmatch(compact)
    if not match:
        raise ValueProblem(f"unparseable UK postcode {text!r}")
    return f"{match.group(1)} {match.group(2)}"


# -- numbers and codes ------------------------------------------------------------------
def integer(value: str, *, minimum: int | None = 0) -> int:
    text = clean(value)
    try:
        number = int(text)
    except ValueError:
        try:
            as_float = float(text)
        except ValueError:
            raise ValueProblem(f"unparseable number {text!r}") from None
        if not as_float.is_integer():
            raise ValueProblem(f"not a whole number: {text!r}")
        number = int(as_float)
    if minimum is not None and number < minimum:
        raise ValueProblem(f"number {text!r} below {minimum}")
    return number


def number(value: str) -> float:
    text = clean(value)
    try:
        result = float(text)
    except ValueError:
        raise ValueProblem(f"unparseable number {text!r}") from None
    if result != result or result in (float("inf"), float("-inf")):
        raise ValueProblem(f"unparseable number {text!r}")
    return result


def choice(value: str, allowed: tuple[str, ...], what: str, *, upper: bool = False, lower: bool = False) -> str:
    text = clean(value)
    if upper:
        text = text.upper()
    if lower:
        text = text.lower()
    if text not in allowed:
        raise ValueProblem(f"unknown {what} {clean(value)!r} (expected one of {', '.join(allowed)})")
    return text


def yes_no(value: str, default: bool = False) -> bool:
    text = clean(value).upper()
    if not text:
        return default
    if text in ("Y", "YES", "TRUE", "1"):
        return True
    if text in ("N", "NO", "FALSE", "0"):
        return False
    raise ValueProblem(f"expected Y or N, got {clean(value)!r}")


GRADING_COLUMNS = ("source_eval", "intel_eval", "handling", "handling_conditions")


def grading_value(column: str, value: str) -> str:
    """Validate one grading cell (``source_eval`` 1-3, ``intel_eval`` A-E, ``handling`` P/C)."""
    if column == "source_eval":
        return choice(value, SOURCE_EVALS, "source_eval")
    if column == "intel_eval":
        return choice(value, INTEL_EVALS, "intel_eval", upper=True)
    if column == "handling":
        return choice(value, HANDLING_CODES, "handling", upper=True)
    return display(value)
