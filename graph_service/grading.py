"""The UK 3x5x2 intelligence grading, declared once.

Every link carries a grading (see /work/shared/spec/input-formats.md, "Intelligence
grading"): how reliable the source is (``source_eval`` ``1``-``3``), how the
information is known (``intel_eval`` ``A``-``E``), whether it may be shared
(``handling`` ``P``/``C``) and, for ``C``, the conditions (``handling_conditions``,
free text). Rows and links without grading are official system records and take
:data:`OFFICIAL_GRADING` (``1``/``A``/``P``).

The schema (:mod:`graph_service.schema`), the input contract (:mod:`loaders.contract`),
the loaders' validation (:func:`loaders.normalise.grading_value`), the generator, the
analyses' scope rules and the maps read the vocabulary from here; nothing else spells
the values out.

Examples
--------
>>> grading_codes({"source_eval": 2, "intel_eval": "c"})
('2', 'C', 'P')
>>> grading_text({"source_eval": "3", "intel_eval": "C", "handling": "C"}), OFFICIAL_GRADING_TEXT
('3/C/C', '1/A/P')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# -- the properties (and the contract's columns) -------------------------------------
SOURCE_EVAL = "source_eval"
INTEL_EVAL = "intel_eval"
HANDLING = "handling"
HANDLING_CONDITIONS = "handling_conditions"
# The partner a fact came from (graph_service.visibility: who may see a C fact).
ORIGINATING_AGENCY = "originating_agency"
AGENCIES: tuple[str, ...] = ("police", "hmpps", "probation", "nca")

# Every grading property of a link, in the contract's column order.
GRADING_PROPERTIES: tuple[str, ...] = (SOURCE_EVAL, INTEL_EVAL, HANDLING, HANDLING_CONDITIONS)
# The three coded properties (the "3", "5" and "2"); handling_conditions is free text.
CODED_PROPERTIES: tuple[str, ...] = (SOURCE_EVAL, INTEL_EVAL, HANDLING)

# -- the values, best first (a lower value is a better grade) ---------------------------
SOURCE_EVALS: tuple[str, ...] = ("1", "2", "3")  # reliable, untested, not reliable
INTEL_EVALS: tuple[str, ...] = ("A", "B", "C", "D", "E")  # known directly .. suspected false
PERMITTED = "P"  # lawful sharing permitted
CONDITIONAL = "C"  # sharing only with conditions (handling_conditions says which)
HANDLING_CODES: tuple[str, ...] = (PERMITTED, CONDITIONAL)

# The allowed values of each coded property.
ALLOWED_VALUES: dict[str, tuple[str, ...]] = {
    SOURCE_EVAL: SOURCE_EVALS,
    INTEL_EVAL: INTEL_EVALS,
    HANDLING: HANDLING_CODES,
}

# -- the official default ---------------------------------------------------------------
# Official system records (custody, visits, HR) and rows without grading take this:
# (source_eval, intel_eval, handling), as a property dict and as a row's four cells.
OFFICIAL_CODES: tuple[str, str, str] = ("1", "A", PERMITTED)
OFFICIAL_GRADING: dict[str, str] = dict(zip(CODED_PROPERTIES, OFFICIAL_CODES, strict=True))
OFFICIAL_CELLS: tuple[str, str, str, str] = (*OFFICIAL_CODES, "")

# -- the text form ------------------------------------------------------------------------
TEXT_SEPARATOR = "/"
UNKNOWN_PART = "?"
OFFICIAL_GRADING_TEXT = TEXT_SEPARATOR.join(OFFICIAL_CODES)  # "1/A/P"
TEXT_LABEL = "3x5x2 grading"  # how maps and tooltips name the text form


# The codes of each stored (source_eval, intel_eval, handling) seen: a few dozen
# distinct triples stand for millions of links; bounded should values be hostile.
MAX_REMEMBERED_CODES = 4096
_CODES: dict[tuple[Any, Any, Any], tuple[str, str, str]] = {}


def grading_codes(attrs: Mapping[str, Any]) -> tuple[str, str, str]:
    """(source_eval, intel_eval, handling) of a link, official defaults filled in.

    Letters are upper-cased; an empty or missing value takes the official default.

    Examples
    --------
    >>> grading_codes({})
    ('1', 'A', 'P')
    >>> grading_codes({"source_eval": "3", "intel_eval": "e", "handling": "c"})
    ('3', 'E', 'C')
    """
    raw = (attrs.get(SOURCE_EVAL), attrs.get(INTEL_EVAL), attrs.get(HANDLING))
    try:
        return _CODES[raw]
    except (KeyError, TypeError):  # not seen yet, or an unhashable value
        pass
    codes = (
        str(raw[0] or OFFICIAL_GRADING[SOURCE_EVAL]),
        str(raw[1] or OFFICIAL_GRADING[INTEL_EVAL]).upper(),
        str(raw[2] or OFFICIAL_GRADING[HANDLING]).upper(),
    )
    # Only text: True == 1 == 1.0 would share one entry, and their codes differ.
    if len(_CODES) < MAX_REMEMBERED_CODES and all(x is None or type(x) is str for x in raw):
        _CODES[raw] = codes
    return codes


def is_official_grade(attrs: Mapping[str, Any]) -> bool:
    """Whether a link is graded as official records are (source ``1``, intel ``A``).

    Handling is not looked at; missing values count as official.

    Examples
    --------
    >>> is_official_grade({}), is_official_grade({"intel_eval": "b"})
    (True, False)
    """
    return grading_codes(attrs)[:2] == OFFICIAL_CODES[:2]


def grading_text(attrs: Mapping[str, Any]) -> str | None:
    """The grading as maps show it, ``"1/A/P"``, or None when the item carries none.

    A missing part is shown as ``?`` (no defaults are filled in: the text says what
    the item carries).

    Examples
    --------
    >>> grading_text({"source_eval": "2", "intel_eval": "B"}), grading_text({"name": "x"})
    ('2/B/?', None)
    """
    if not any(attrs.get(k) for k in CODED_PROPERTIES):
        return None
    return TEXT_SEPARATOR.join(str(attrs.get(k) or UNKNOWN_PART) for k in CODED_PROPERTIES)


def allowed_values(prop: str) -> tuple[str, ...]:
    """The allowed values of a coded grading property (KeyError for another name).

    Examples
    --------
    >>> allowed_values("handling")
    ('P', 'C')
    """
    return ALLOWED_VALUES[prop]


__all__ = [
    "AGENCIES",
    "ALLOWED_VALUES",
    "CODED_PROPERTIES",
    "CONDITIONAL",
    "GRADING_PROPERTIES",
    "HANDLING",
    "HANDLING_CODES",
    "HANDLING_CONDITIONS",
    "INTEL_EVAL",
    "INTEL_EVALS",
    "OFFICIAL_CELLS",
    "OFFICIAL_CODES",
    "OFFICIAL_GRADING",
    "OFFICIAL_GRADING_TEXT",
    "ORIGINATING_AGENCY",
    "PERMITTED",
    "SOURCE_EVAL",
    "SOURCE_EVALS",
    "TEXT_LABEL",
    "TEXT_SEPARATOR",
    "UNKNOWN_PART",
    "allowed_values",
    "grading_codes",
    "grading_text",
    "is_official_grade",
]
