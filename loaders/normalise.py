"""Normalisation of source values: phones, names, dates, postcodes, numbers, grading.

Every function takes the raw text of one cell and returns the normalised value, or
raises :class:`ValueProblem` with a reason a reader of the rejects file understands.
Empty optional values come back as ``None``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from functools import lru_cache

import phonenumbers

from graph_service.grading import AGENCIES, ALLOWED_VALUES, ORIGINATING_AGENCY
from loaders.contract import DATE_MAX, DATE_MIN

DEFAULT_REGION = "GB"


class ValueProblem(ValueError):
    """A cell value that cannot be normalised; ``str(error)`` is the reason, ``kind``
    classifies it (``invalid``, or ``out_of_bounds`` for a number or date out of range)."""

    def __init__(self, reason: str, kind: str = "invalid"):
        super().__init__(reason)
        self.kind = kind


# DATE_MIN and DATE_MAX are the first and last days of their years.
_MIN_YEAR, _MAX_YEAR = int(DATE_MIN[:4]), int(DATE_MAX[:4])
assert DATE_MIN[4:] == "-01-01" and DATE_MAX[4:] == "-12-31"


def _in_range(year: int, text: str, what: str) -> None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueProblem(f"{what} {text!r} is outside {DATE_MIN} to {DATE_MAX}", "out_of_bounds")


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
    compact = _PHONE_JUNK.sub("", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    number, problem = _phone(compact, region)
    if problem:
        raise ValueProblem(problem.format(text=repr(text)))
    return number


_PHONE_JUNK = re.compile(r"[\s\-\.\(\)/]")
_PHONE_SHAPE = re.compile(r"\+?[0-9]{4,17}")
_GB_PLAIN = re.compile(r"(?:\+44|0)([1-9][0-9]{8,9})")


# Call records repeat the same numbers in several spellings; parsing costs about
# 30 us a spelling and validating about 100 us a number, so both are cached: the
# spelling (without spaces and brackets) and, apart, the parsed number.
@lru_cache(maxsize=250_000)
def _phone(compact: str, region: str) -> tuple[str, str]:
    """(E.164, "") or ("", reason with a ``{text}`` place for the value as given)."""
    if not _PHONE_SHAPE.fullmatch(compact):
        return "", "unparseable phone number {text}"
    if region == "GB" and (plain := _GB_PLAIN.fullmatch(compact)):
        # +44 or the national 0 before 9 or 10 digits: what the full parse finds too
        # (checked against it in the tests), without its cost.
        return _valid_e164(44, int(plain.group(1)), False, None)
    return _parse_fully(compact, region)


def _parse_fully(compact: str, region: str) -> tuple[str, str]:
    try:
        parsed = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException as error:
        return "", "unparseable phone number {text}: " + str(error).replace("{", "{{").replace("}", "}}")
    return _valid_e164(
        parsed.country_code, parsed.national_number, bool(parsed.italian_leading_zero), parsed.number_of_leading_zeros
    )


@lru_cache(maxsize=100_000)
def _valid_e164(country_code: int, national_number: int, leading_zero: bool, zeros: int | None) -> tuple[str, str]:
    number = phonenumbers.PhoneNumber(
        country_code=country_code,
        national_number=national_number,
        italian_leading_zero=leading_zero or None,
        number_of_leading_zeros=zeros,
    )
    if not phonenumbers.is_valid_number(number):
        return "", "invalid phone number {text}"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), ""


# -- names ------------------------------------------------------------------------------
def display(value: str) -> str:
    """A name part for display: outer spaces removed, inner runs of spaces collapsed, case kept."""
    return " ".join(clean(value).split())


@lru_cache(maxsize=65_536)  # names repeat row after row (a visitor's every visit)
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
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(value: str) -> str:
    """A calendar date ``YYYY-MM-DD`` (the contract's only date form), from
    :data:`~loaders.contract.DATE_MIN` to :data:`~loaders.contract.DATE_MAX`."""
    text = clean(value)
    if not _DATE.fullmatch(text):
        raise ValueProblem(f"unparseable date {text[:40]!r} (expected YYYY-MM-DD)")
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise ValueProblem(f"unparseable date {text!r}: {error}") from None
    _in_range(day.year, text, "date")
    return text


def iso_datetime(value: str) -> str:
    """An ISO 8601 date-time, returned as ``YYYY-MM-DDTHH:MM:SS``.

    A time zone, when given, is converted to UTC and kept as ``+00:00`` (so stored
    values compare as strings); a bare date counts as midnight.
    """
    text = clean(value)
    if not text or not text.isascii() or not text[:4].isdigit():
        raise ValueProblem(f"unparseable date-time {text[:40]!r} (expected ISO 8601)")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueProblem(f"unparseable date-time {text[:40]!r} (expected ISO 8601)") from None
    _in_range(moment.year, text, "date-time")
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)  # cannot overflow: the year is at most 2100
        _in_range(moment.year, text, "date-time")
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
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
INTEGER_MAX_LENGTH = 40


def integer(value: str, *, minimum: int | None = 0, maximum: int | None = None) -> int:
    """A whole number written with ASCII digits (``120``, ``120.0`` or ``1.2e2``), from
    ``minimum`` to ``maximum`` (``None``: no limit on that side)."""
    text = clean(value)
    if len(text) > INTEGER_MAX_LENGTH:
        raise ValueProblem(f"number of {len(text):,} characters (at most {INTEGER_MAX_LENGTH})", "out_of_bounds")
    if (text.isdigit() and text.isascii()) or _INTEGER.fullmatch(text):
        number = int(text)
    elif _DECIMAL.fullmatch(text):
        as_float = float(text)
        if as_float != as_float or as_float in (float("inf"), float("-inf")):
            raise ValueProblem(f"number {text!r} is too large", "out_of_bounds")
        if not as_float.is_integer():
            raise ValueProblem(f"not a whole number: {text!r}")
        number = int(as_float)
    else:
        raise ValueProblem(f"unparseable number {text!r}")
    if minimum is not None and number < minimum:
        raise ValueProblem(f"number {text!r} below {minimum:,}", "out_of_bounds")
    if maximum is not None and number > maximum:
        raise ValueProblem(f"number {text!r} above {maximum:,}", "out_of_bounds")
    return number


def number(value: str, *, minimum: float | None = None, maximum: float | None = None) -> float:
    """A finite number written with ASCII digits, from ``minimum`` to ``maximum``."""
    text = clean(value)
    if len(text) > INTEGER_MAX_LENGTH or not _DECIMAL.fullmatch(text):
        raise ValueProblem(f"unparseable number {text[:40]!r}")
    result = float(text)
    if result != result or result in (float("inf"), float("-inf")):
        raise ValueProblem(f"number {text!r} is not finite", "out_of_bounds")
    if minimum is not None and result < minimum:
        raise ValueProblem(f"number {text!r} below {minimum:g}", "out_of_bounds")
    if maximum is not None and result > maximum:
        raise ValueProblem(f"number {text!r} above {maximum:g}", "out_of_bounds")
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


def grading_value(column: str, value: str) -> str:
    """Validate one grading cell against :data:`graph_service.grading.ALLOWED_VALUES`
    (``source_eval`` 1-3, ``intel_eval`` A-E, ``handling`` P/C, letters in any case);
    ``handling_conditions`` is free text."""
    if column == ORIGINATING_AGENCY:
        return choice(value, AGENCIES, column, lower=True)
    allowed = ALLOWED_VALUES.get(column)
    if allowed is None:
        return display(value)
    return choice(value, allowed, column, upper=True)
