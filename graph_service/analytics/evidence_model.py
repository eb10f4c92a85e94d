"""The evidence model of the corruption bridges: what each fact weighs, in one place.

Every fact the hub holds about a member of staff is weighed as a **log-likelihood
ratio** (llr, natural log; "weight of evidence"): how much more likely the fact is if
the member of staff has a corrupt connection to organised crime than if not.
``llr = ln(LR)``; 0 says nothing, 0.69 doubles the odds, 2.3 multiplies them by 10.
:class:`EvidenceModel` holds every weight; :data:`MODEL` is the one the product uses.
docs/analytics.md ("Evidence model") has the same table for readers.

One item (an evidence item of the person graph,
:data:`~graph_service.analytics.results.EvidenceItem`) weighs::

    llr = reliability x specificity x (base + volume + pattern + source)

``base`` (per kind, :class:`EvidenceModel` fields; LR = e^base)
    ``call`` 0.25 (one call between two numbers: staff phones call many people, and
    one call is a coincidence until repeated), ``visit`` 1.1 (LR 3: a social visit is
    booked and recorded), ``pin_list`` 1.1 (a prisoner asked to be allowed to call the
    number), ``shared_phone`` 3.0 (LR 20: two people attributed one number),
    ``postcode`` 1.1 (LR 3: a full postcode is ~15 households, so two residents are as
    often neighbours as a household) plus ``same_surname`` 1.2 (the same surname there
    says one household), intelligence by type (``CORRUPT_APPROACH`` 1.1: an approach
    shows the officer was targeted, not that they accepted; staff must report
    approaches, so one graded 1A, known directly from a reliable source, is read as
    the officer's own report and weighs ``reported_approach`` (0.25) of that;
    ``ASSOCIATE_OF`` 1.8, ``FAMILY_OF`` (undeclared) 1.8, ``SHARES_ADDRESS`` 2.1,
    ``FINANCIAL`` 2.7: money between staff and criminals has few innocent
    explanations; other types 1.1; hostile types (``THREATENED``, assault, harassment,
    intimidation, complaint) 0: being threatened is not evidence of corruption),
    ``identity`` 3.7 (LR 40, an undecided identity candidate scoring 1.0; a score
    ``s`` carries ``(s - 0.5) / 0.5`` of it), OCG ``membership`` 4.6 (LR 100; times a
    role factor: principal and member 1.0, facilitator 0.9, associate 0.6).
``reliability`` (grading, 3x5x2)
    shrinks the log ratio: source 1/2/3 = 1.0/0.85/0.4 times intel A..E =
    1.0/0.9/0.75/0.4/0.02 (E, suspected false, is near zero; 2B 0.77, 3D 0.16). An
    item resting on several stored facts (a call and the attributions of its two
    numbers) takes the weakest; attributions of one number to one person by several
    sources (intelligence and a seized handset agreeing) are one fact,
    ``1 - prod(1 - r)``.
``volume``
    ``volume`` (0.5) per doubling of the count of calls or visits, ``log2(count)``,
    capped at ``volume_cap`` (5 doublings, 32 events). Calls each way between the
    same two numbers are one fact (:func:`merged_calls`).
``pattern`` (calls; visits take the spread only)
    ``night`` (1.5) x the share of calls started 00:00-05:59 (``night_count``);
    ``spread`` (0.5) x ``log2(1 + months) / log2(13)`` (capped at 1, a year) between
    the first and the last, times :func:`repetition` (a spread means nothing for one
    call, all from 8); ``brief`` (0.3) x ``max(0, 1 - mean seconds / 120)``.
``source``
    ``handset`` (1.0) when a call comes from a handset download; ``hidden_number``
    (0.7) when a number is attributed by intelligence or a seized handset, not
    declared; ``outside_postings`` (0.4) on a member of staff's own contact with a
    prisoner held only where they have no post.
``specificity``
    a number: ``1 / max(1, log2(degree / 16) + 1)`` for the less specific number of a
    call (1.0 up to 16 contacts, 0.5 at 32, 0.33 at 64: a number everybody calls says
    nothing; numbers at the common-number rule make no link at all); a shared postcode
    or number: ``ln(1 + (e^base - 1) / (members - 1))`` replaces the base
    (:func:`shared_llr`: postcode with 2 residents 1.1, 3: 0.74, 10: 0.2, 40: 0.05).

Combination
-----------
* **Items on one link add** (independent facts multiply their likelihood ratios),
  except that facts resting on the same doubtful stored link count once
  (:func:`link_llrs`: every call on a number attributed by one low-graded report is
  one fact, the strongest).
* **Discounts**: every item between declared relatives (``FAMILY_OF`` 1/A) is
  multiplied by ``declared`` (0.1), and so is every line that reaches or passes
  through a declared relative or their circle (their other records, household,
  visitors). A *duty contact* (:func:`is_duty_contact`) is multiplied by ``duty``
  (0.1). Structural parts are computed without declared or duty links.
* **Steps of a path** are turned into probabilities ``p = 1 - exp(-llr)`` (``1 - 1/LR``:
  the chance the step is not an innocent coincidence), multiplied along the path with
  the membership's (:func:`membership_probability`) and turned back, ``-ln(1 - p)``
  (:func:`chain`). A step leaving an intermediary is first scaled by the
  intermediary's specificity (:func:`person_specificity`: 1.0 up to 4 contacts, 0.5 at
  8, 0.33 at 16): a person with few contacts carries more than a hub. So three strong,
  specific steps (llr 4 each: p 0.98, path llr 2.9) outrank one weak coincidence (a
  single call, llr 0.25), and a chain of weak steps fades. An unattributed number
  (its holder unknown) can be an intermediary too.
* **Lines add.** A line is everything reaching OCGs through one first fact: one
  person, one shared postcode or number, one call link, or one number attributed to
  the member of staff below official grading (every call on it rests on that one
  attribution). Different lines are independent, so their llrs add (the noisy-or of
  their probabilities), the strongest ``max_lines`` (3) of them, so that many weak
  coincidences do not make a case.
* **Colleagues**: a second pass. The contact of a member of staff with a colleague
  weighs only what is unusual among staff (:func:`colleague_llr`: night share above
  the usual one, volume above the 99th-percentile staff-to-staff link), chained with
  the colleague's first-pass weight; at most one colleague line counts. Contact with
  a suspected colleague counts; rota and union calls in the day do not.
* **Structure** adds ``betweenness`` (0.5), ``cut`` (0.5) and ``brokerage`` (0.3)
  times their parts in [0, 1] (see :mod:`~graph_service.analytics.bridges`), on links
  of at least ``structure_min`` (0.5) whose strongest fact is graded at least
  ``structure_reliability`` (0.5).
* **No evidence, no rank**: staff below ``min_weight`` (0.25, LR 1.3) are not ranked.

Examples
--------
>>> call = {"kind": "call", "count": 8, "night_count": 4, "links": [{"grading": "1A P"}],
...         "degrees": [2, 3], "first": "2024-01-01", "last": "2024-07-01"}
>>> round(item_llr(call), 3)  # 0.25 + 0.5 x 3 (volume) + 1.5 x 0.5 (night) + 0.5 x 0.757 (spread)
2.879
>>> round(chain([2.0, 2.0]), 3)  # two steps of LR 7.4: the path weighs less than either
1.377
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import lru_cache
from typing import Any

from graph_service.grading import grading_codes

LLR_CAP = 12.0  # p = 1 - 6e-6: keeps -ln(1 - p) finite
HOSTILE_WORDS: tuple[str, ...] = ("THREAT", "ASSAULT", "HARASS", "COMPLAIN", "INTIMIDAT")
DUTY_ROLE_WORDS: tuple[str, ...] = (
    "chaplain",
    "health",
    "nurse",
    "doctor",
    "medical",
    "family",
    "visits",
    "probation",
    "offender manage",
    "resettlement",
    "psycholog",
    "safer custody",
    "mental",
)
HIDDEN_ATTRIBUTIONS: frozenset[str] = frozenset({"intelligence", "seized_handset"})
DUTY_KINDS: frozenset[str] = frozenset({"call", "pin_list", "visit"})


def _intel_default() -> dict[str, float]:
    return {
        "CORRUPT_APPROACH": 1.1,
        "ASSOCIATE_OF": 1.8,
        "FAMILY_OF": 1.8,
        "SHARES_ADDRESS": 2.1,
        "FINANCIAL": 2.7,
    }


@dataclass(frozen=True)
class EvidenceModel:
    """Every weight of the evidence model (log-likelihood ratios, natural log).

    See the module docstring for what each means and why it has its value.
    :meth:`scaled` gives a copy with one weight moved (the sensitivity table of
    ``bench/bench_bridges.py``); :data:`WEIGHT_NAMES` lists the weights it moves.

    Examples
    --------
    >>> MODEL.scaled("call", 1.2).call == round(MODEL.call * 1.2, 12)
    True
    >>> MODEL.scaled("intel:FINANCIAL", 0.8).intel["FINANCIAL"]
    2.16
    """

    # base log ratios per kind
    call: float = 0.25
    visit: float = 1.1
    pin_list: float = 1.1
    shared_phone: float = 3.0
    postcode: float = 1.1
    same_surname: float = 1.2
    intel: Mapping[str, float] = field(default_factory=_intel_default)
    other_intel: float = 1.1
    hostile_intel: float = 0.0
    reported_approach: float = 0.25
    identity: float = 3.7
    membership: float = 4.6
    role_factor: Mapping[str, float] = field(
        default_factory=lambda: {"principal": 1.0, "member": 1.0, "facilitator": 0.9, "associate": 0.6}
    )
    # grading
    source_reliability: Mapping[str, float] = field(default_factory=lambda: {"1": 1.0, "2": 0.85, "3": 0.4})
    intel_reliability: Mapping[str, float] = field(
        default_factory=lambda: {"A": 1.0, "B": 0.9, "C": 0.75, "D": 0.4, "E": 0.02}
    )
    # volume and pattern
    volume: float = 0.5
    volume_cap: float = 5.0
    night: float = 1.5
    spread: float = 0.5
    brief: float = 0.3
    brief_seconds: float = 120.0
    # source
    handset: float = 1.0
    hidden_number: float = 0.7
    outside_postings: float = 0.4
    # specificity
    number_degree: int = 16
    person_degree: int = 4
    # discounts
    declared: float = 0.1
    duty: float = 0.1
    duty_night_share: float = 0.25
    # colleagues
    colleague_night: float = 2.0
    colleague_volume: float = 1.0
    colleague_prior_calls: float = 4.0
    # structure (log ratio at a part of 1)
    betweenness: float = 0.5
    cut: float = 0.5
    cut_full: int = 8
    brokerage: float = 0.3
    structure_min: float = 0.5
    structure_reliability: float = 0.5
    _reliability: dict[str, float] = field(default_factory=dict, init=False, repr=False, compare=False)
    # ranking
    min_step: float = 0.05
    min_path: float = 0.02
    max_lines: int = 3
    min_weight: float = 0.25

    def scaled(self, name: str, factor: float) -> EvidenceModel:
        """A copy with the weight ``name`` (``"call"``, ``"intel:FINANCIAL"``...) times ``factor``."""
        if name.startswith("intel:"):
            key = name.split(":", 1)[1]
            return replace(self, intel={**self.intel, key: round(self.intel[key] * factor, 12)})
        value = getattr(self, name)
        return replace(self, **{name: round(value * factor, 12)})


MODEL = EvidenceModel()
"""The product's evidence model."""

# The weights the sensitivity table moves (structural, volume, pattern and discount
# weights and each kind's base; not the grading tables or the search limits).
WEIGHT_NAMES: tuple[str, ...] = (
    "call",
    "visit",
    "pin_list",
    "shared_phone",
    "postcode",
    "same_surname",
    *(f"intel:{k}" for k in _intel_default()),
    "other_intel",
    "identity",
    "membership",
    "volume",
    "night",
    "spread",
    "brief",
    "handset",
    "hidden_number",
    "outside_postings",
    "declared",
    "duty",
    "colleague_night",
    "betweenness",
    "cut",
    "brokerage",
    "min_weight",
)
assert all(n.startswith("intel:") or n in {f.name for f in fields(EvidenceModel)} for n in WEIGHT_NAMES)


# ----------------------------------------------------------------------------- probabilities
def probability(llr: float) -> float:
    """``1 - exp(-llr)``: a log ratio as the chance the fact is not innocent.

    Examples
    --------
    >>> probability(0.0), round(probability(math.log(4)), 3)
    (0.0, 0.75)
    """
    return -math.expm1(-min(max(llr, 0.0), LLR_CAP))


def weight(p: float) -> float:
    """``-ln(1 - p)``, the inverse of :func:`probability` (capped at ``LLR_CAP``).

    Examples
    --------
    >>> round(weight(0.75), 6) == round(math.log(4), 6)
    True
    """
    if p <= 0.0:
        return 0.0
    return min(LLR_CAP, -math.log1p(-min(p, 1.0 - 1e-12)))


def chain(llrs: Iterable[float]) -> float:
    """The log ratio of a path of steps: probabilities multiplied, turned back.

    Examples
    --------
    >>> round(chain([4.0, 4.0, 4.0]), 3), chain([0.7])
    (2.92, 0.7)
    """
    p = 1.0
    for llr in llrs:
        p *= probability(llr)
    return weight(p)


# ----------------------------------------------------------------------------- grading
def reliability(code: str | Mapping[str, Any] | None, model: EvidenceModel = MODEL) -> float:
    """The reliability factor of a grading (``"2B P"`` or a link's properties).

    Examples
    --------
    >>> reliability("1A P"), reliability("2B C"), reliability("3E P")
    (1.0, 0.765, 0.008)
    """
    if code is None:
        source, intel = "1", "A"
    elif isinstance(code, str):
        cached = model._reliability.get(code)
        if cached is not None:
            return cached
        text = code.strip().upper()
        source, intel = (text[0], text[1]) if len(text) >= 2 else ("1", "A")
        value = model.source_reliability.get(source, 0.4) * model.intel_reliability.get(intel, 0.35)
        model._reliability[code] = value
        return value
    else:
        source, intel, _ = grading_codes(code)
    return model.source_reliability.get(source, 0.4) * model.intel_reliability.get(intel, 0.35)


def _fact_key(link: Mapping[str, Any]) -> tuple[str, str, str]:
    """The stored fact a link states: attributions of one number to one person are one fact."""
    kind = str(link.get("type"))
    return (str(link.get("src")), str(link.get("dst")), "ATTRIBUTION" if kind == "USES_PHONE" else kind)


def _facts(item: Mapping[str, Any], model: EvidenceModel) -> dict[tuple[str, str, str], float] | None:
    """Reliability of each doubtful stored fact an item rests on (sources agreeing
    combine, noisy-or; a fact with an official source is certain and left out); ``None``
    when the item names no stored link with a grading."""
    graded = []
    doubtful = False
    for link in item.get("links") or ():
        code = link.get("grading")
        if code:
            r = reliability(code, model)
            graded.append((link, r))
            doubtful = doubtful or r < 1.0
    if not graded:
        return None
    if not doubtful:
        return {}
    doubt: dict[tuple[str, str, str], float] = {}
    certain: set[tuple[str, str, str]] = set()
    for link, r in graded:
        key = _fact_key(link)
        if r >= 1.0:
            certain.add(key)
        else:
            doubt[key] = doubt.get(key, 1.0) * (1.0 - r)
    return {key: 1.0 - d for key, d in doubt.items() if key not in certain}


def _reliability_and_weakest(
    item: Mapping[str, Any], model: EvidenceModel
) -> tuple[float, tuple[str, str, str] | None]:
    facts = _facts(item, model)
    if facts is None:
        return reliability(item.get("grading"), model), None
    if not facts:
        return 1.0, None
    key = min(facts, key=lambda k: (facts[k], k))
    return facts[key], key


def item_reliability(item: Mapping[str, Any], model: EvidenceModel = MODEL) -> float:
    """The reliability of an item: its weakest stored fact (its ``grading`` if none).

    Two attributions of one number to one person (intelligence and a seized handset
    agreeing) are one fact, more reliable than either: ``1 - prod(1 - r)``.

    Examples
    --------
    >>> call = {"src": "phone:1", "dst": "phone:2", "type": "CALLED", "grading": "1A P"}
    >>> use = {"src": "person:X", "dst": "phone:2", "type": "USES_PHONE", "grading": "3D P"}
    >>> round(item_reliability({"grading": "1A P", "links": [call, use]}), 2)
    0.16
    >>> agree = [{"src": "staff:S", "dst": "phone:1", "type": "USES_PHONE", "grading": g} for g in ("3C P", "2B P")]
    >>> round(item_reliability({"links": agree}), 3)
    0.836
    """
    return _reliability_and_weakest(item, model)[0]


def weakest_fact(item: Mapping[str, Any], model: EvidenceModel = MODEL) -> tuple[str, str, str] | None:
    """The stored fact below official grading an item's weight rests on, if any.

    Items resting on the same doubtful fact (a low-graded attribution) are not
    independent: :func:`link_llrs` counts the strongest of them only.

    Examples
    --------
    >>> weakest_fact({"links": [{"src": "staff:S", "dst": "phone:1", "type": "USES_PHONE", "grading": "3D C"}]})
    ('staff:S', 'phone:1', 'ATTRIBUTION')
    >>> weakest_fact({"links": [{"src": "a", "dst": "b", "type": "CALLED", "grading": "1A P"}]}) is None
    True
    """
    return _reliability_and_weakest(item, model)[1]


def weakest_grading(item: Mapping[str, Any], model: EvidenceModel = MODEL) -> str:
    """The grading code of the weakest stored link of an item, as shown to analysts.

    Examples
    --------
    >>> weakest_grading({"grading": "1A P", "links": [{"grading": "1A P"}, {"grading": "2C C"}]})
    '2C C'
    """
    codes = [link.get("grading") for link in item.get("links") or () if link.get("grading")]
    if not codes:
        return str(item.get("grading") or "1A P")
    return min(codes, key=lambda c: (reliability(c, model), c))


# ----------------------------------------------------------------------------- specificity
def number_specificity(degree: int, model: EvidenceModel = MODEL) -> float:
    """``1 / max(1, log2(degree / number_degree) + 1)``: 1 up to ``number_degree`` (16) contacts.

    Examples
    --------
    >>> [round(number_specificity(d), 2) for d in (1, 16, 32, 64, 256)]
    [1.0, 1.0, 0.5, 0.33, 0.2]
    """
    if degree <= model.number_degree:
        return 1.0
    return 1.0 / max(1.0, math.log2(degree) - math.log2(model.number_degree) + 1.0)


def person_specificity(degree: int, model: EvidenceModel = MODEL) -> float:
    """An intermediary's specificity: 1 up to ``person_degree`` (4) contacts, 0.5 at 8, 0.33 at 16.

    Examples
    --------
    >>> [round(person_specificity(d), 2) for d in (3, 4, 8, 16, 64)]
    [1.0, 1.0, 0.5, 0.33, 0.2]
    """
    if degree <= model.person_degree:
        return 1.0
    return 1.0 / max(1.0, math.log2(degree) - math.log2(model.person_degree) + 1.0)


def shared_llr(base: float, members: int) -> float:
    """Log ratio of a place (postcode, number) shared by ``members`` people.

    ``ln(1 + (e^base - 1) / (members - 1))``: ``base`` for two, falling with each
    resident (the other person is one of many who live there).

    Examples
    --------
    >>> [round(shared_llr(2.3, n), 2) for n in (2, 3, 10, 40)]
    [2.3, 1.7, 0.69, 0.21]
    """
    others = max(1, int(members or 2) - 1)
    return math.log1p(math.expm1(base) / others)


# ----------------------------------------------------------------------------- volume and pattern
def volume(count: Any, model: EvidenceModel = MODEL) -> float:
    """``volume x min(log2(count), volume_cap)``.

    Examples
    --------
    >>> [round(volume(c), 2) for c in (1, 2, 8, 1000)]
    [0.0, 0.5, 1.5, 2.5]
    """
    return _volume(_count(count), model)


def _volume(n: int, model: EvidenceModel) -> float:
    return model.volume * min(math.log2(n), model.volume_cap)


def _count(count: Any) -> int:
    if type(count) is int:  # most counts: as below, without the conversion
        return count if count > 1 else 1
    try:
        return max(1, int(count or 1))
    except (TypeError, ValueError):
        return 1


def _day(value: Any) -> date | None:
    return _parse_day(str(value)[:10]) if value else None


@lru_cache(maxsize=8192)
def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def spread_share(first: Any, last: Any) -> float:
    """``log2(1 + months) / log2(13)`` between two dates, capped at 1 (a year).

    Examples
    --------
    >>> spread_share("2024-01-01", "2024-01-01"), round(spread_share("2024-01-01", "2024-04-01"), 2)
    (0.0, 0.54)
    """
    a, b = _day(first), _day(last)
    if a is None or b is None:
        return 0.0
    months = abs((b - a).days) / 30.44
    return min(1.0, math.log2(1.0 + months) / math.log2(13.0))


def repetition(count: Any) -> float:
    """How much a spread over time means: ``min(1, log2(count) / 3)`` (none for one event, full from 8).

    Examples
    --------
    >>> repetition(1), round(repetition(2), 3), repetition(8)
    (0.0, 0.333, 1.0)
    """
    return _repetition(_count(count))


def _repetition(n: int) -> float:
    return min(1.0, math.log2(n) / 3.0)


def _spread(item: Mapping[str, Any], n: int, model: EvidenceModel) -> float:
    """``spread x spread_share x repetition`` of an item of ``n`` events (no dates read
    for one event, whose repetition is 0)."""
    if n == 1:
        return 0.0
    return model.spread * spread_share(item.get("first"), item.get("last")) * _repetition(n)


def night_share(item: Mapping[str, Any]) -> float:
    """Share of an item's calls started 00:00-05:59 (0 without a ``night_count``).

    Examples
    --------
    >>> night_share({"count": 4, "night_count": 1})
    0.25
    """
    return _night_share(item, _count(item.get("count")))


def _night_share(item: Mapping[str, Any], n: int) -> float:
    return min(1.0, float(item.get("night_count") or 0) / n)


def _brief_share(item: Mapping[str, Any], n: int, model: EvidenceModel) -> float:
    seconds = item.get("total_seconds")
    if not seconds:
        return 0.0
    mean = float(seconds) / n
    return max(0.0, 1.0 - mean / model.brief_seconds)


def _hidden(item: Mapping[str, Any]) -> bool:
    return any(a in HIDDEN_ATTRIBUTIONS for a in item.get("attribution") or ())


# ----------------------------------------------------------------------------- one item
def is_hostile(link_type: str | None) -> bool:
    """Whether an intelligence type records hostility (a threat, an assault, a complaint).

    Examples
    --------
    >>> is_hostile("THREATENED"), is_hostile("ASSOCIATE_OF")
    (True, False)
    """
    name = str(link_type or "").upper()
    return any(word in name for word in HOSTILE_WORDS)


def intel_base(link_type: str | None, model: EvidenceModel = MODEL) -> float:
    """The base log ratio of an intelligence link type.

    Examples
    --------
    >>> intel_base("FINANCIAL"), intel_base("SUPPLIES_DRUGS"), intel_base("THREATENED")
    (2.7, 1.1, 0.0)
    """
    name = str(link_type or "")
    if name in model.intel:
        return model.intel[name]
    return model.hostile_intel if is_hostile(name) else model.other_intel


def identity_share(score: Any) -> float:
    """How much of ``EvidenceModel.identity`` a candidate's score carries: ``(score - 0.5) / 0.5``.

    Examples
    --------
    >>> identity_share(1.0), identity_share(0.75), identity_share(None)
    (1.0, 0.5, 0.0)
    """
    try:
        value = float(score)
    except (TypeError, ValueError):
        return 0.0
    return min(1.0, max(0.0, (value - 0.5) / 0.5))


def item_llr(item: Mapping[str, Any], model: EvidenceModel = MODEL) -> float:
    """The log-likelihood ratio of one evidence item (before declared or duty discounts).

    Examples
    --------
    >>> round(item_llr({"kind": "postcode", "members": 2, "links": []}), 2)
    1.1
    >>> round(item_llr({"kind": "postcode", "members": 2, "same_surname": True, "links": []}), 2)
    2.3
    >>> round(item_llr({"kind": "postcode", "members": 40, "links": []}), 2)
    0.05
    >>> item_llr({"kind": "intelligence", "type": "CORRUPT_APPROACH", "grading": "3E P", "links": []}) < 0.01
    True
    """
    return _item_llr(item, model, item_reliability(item, model))


def _item_llr(item: Mapping[str, Any], model: EvidenceModel, rel: float) -> float:
    kind = item.get("kind")
    if kind == "call":
        degrees = item.get("degrees")
        spec = number_specificity(max(map(int, degrees)) if degrees else 1, model)
        n = _count(item.get("count"))
        body = model.call + _volume(n, model)
        body += model.night * _night_share(item, n)
        body += _spread(item, n, model)
        body += model.brief * _brief_share(item, n, model)
        if "handset_download" in (item.get("sources") or ()):
            body += model.handset
        if _hidden(item):
            body += model.hidden_number
        return rel * spec * body
    if kind == "visit":
        n = _count(item.get("count"))
        body = model.visit + _volume(n, model) + _spread(item, n, model)
        return rel * body
    if kind == "pin_list":
        spec = number_specificity(max((int(d) for d in item.get("degrees") or ()), default=1), model)
        return rel * spec * model.pin_list
    if kind == "shared_phone":
        return rel * shared_llr(model.shared_phone, int(item.get("members") or 2))
    if kind == "postcode":
        base = model.postcode + (model.same_surname if item.get("same_surname") else 0.0)
        return rel * shared_llr(base, int(item.get("members") or 2))
    if kind == "intelligence":
        base = intel_base(item.get("type"), model)
        if item.get("type") == "CORRUPT_APPROACH" and rel >= 1.0:
            base *= model.reported_approach  # known directly from a reliable source: reported
        return rel * base
    if kind == "identity":
        return rel * model.identity * identity_share(item.get("score"))
    return 0.0


def merged_calls(items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The call items of one pair of numbers (both directions) as one fact.

    Calls each way between the same two numbers are one contact: the counts, night
    counts and seconds of their distinct ``CALLED`` links add (an item repeated for a
    second attribution of a number counts once), the period spans both, sources and
    attributions join and the least specific number's degree is kept.

    Examples
    --------
    >>> call = lambda s, d: {"src": s, "dst": d, "type": "CALLED", "grading": "1A P"}
    >>> a = {"kind": "call", "count": 8, "night_count": 1, "via": ["phone:1", "phone:2"], "degrees": [3, 9],
    ...      "first": "2024-01-01", "last": "2024-02-01", "links": [call("phone:1", "phone:2")]}
    >>> b = {**a, "count": 2, "night_count": 2, "via": ["phone:2", "phone:1"], "degrees": [9, 3],
    ...      "last": "2024-06-01", "links": [call("phone:2", "phone:1")]}
    >>> m = merged_calls([a, b, a])
    >>> m["count"], m["night_count"], m["last"], m["degrees"]
    (10, 3, '2024-06-01', [9])
    """
    distinct: dict[Any, Mapping[str, Any]] = {}
    firsts: list[str] = []
    lasts: list[str] = []
    sources: set[Any] = set()
    attribution: set[Any] = set()
    degree: int | None = None
    seen: set[tuple] = set()
    links = []
    for item in items:  # one pass over every item and stored link
        calls = []
        for link in item.get("links") or ():
            kind = link.get("type")
            if kind == "CALLED":
                calls.append((str(link.get("src")), str(link.get("dst"))))
            key = (link.get("src"), link.get("dst"), kind, link.get("grading"))
            if key not in seen:
                seen.add(key)
                links.append(link)
        distinct.setdefault(tuple(sorted(calls)) or id(item), item)
        if item.get("first"):
            firsts.append(str(item["first"]))
        if item.get("last"):
            lasts.append(str(item["last"]))
        sources.update(item.get("sources") or ())
        attribution.update(item.get("attribution") or ())
        for d in item.get("degrees") or ():
            degree = int(d) if degree is None else max(degree, int(d))
    counted = list(distinct.values())
    merged: dict[str, Any] = dict(items[0])
    merged["count"] = sum(_count(i.get("count")) for i in counted)
    merged["night_count"] = sum(int(i.get("night_count") or 0) for i in counted)
    seconds = [i.get("total_seconds") for i in counted if i.get("total_seconds") is not None]
    merged["total_seconds"] = sum(seconds) if seconds else None
    merged["first"] = min(firsts) if firsts else None
    merged["last"] = max(lasts) if lasts else None
    merged["sources"] = sorted(sources)
    merged["attribution"] = sorted(attribution)
    merged["degrees"] = [1 if degree is None else degree]
    merged["links"] = links
    return merged


def link_llrs(items: Sequence[Mapping[str, Any]], model: EvidenceModel = MODEL) -> list[float]:
    """The log ratio of each item of one person link.

    Calls between the same two numbers are weighed once (:func:`merged_calls`) and the
    weight shared among them by count; every other item is weighed alone. Facts that
    rest on the same doubtful stored link (:func:`weakest_fact`: every call on a
    number attributed to someone by one low-graded report) are not independent: only
    the strongest of them counts, the others weigh 0. The sum is the link's weight
    (before declared or duty discounts).

    Examples
    --------
    >>> a = {"kind": "call", "count": 3, "via": ["phone:1", "phone:2"], "links": []}
    >>> b = {**a, "count": 1, "via": ["phone:2", "phone:1"]}
    >>> round(sum(link_llrs([a, b])), 3) == round(item_llr({**a, "count": 4}), 3)
    True
    >>> weak = {"src": "staff:S", "dst": "phone:1", "type": "USES_PHONE", "grading": "3D C"}
    >>> shared = {"kind": "shared_phone", "members": 2, "via": ["phone:1"], "links": [weak]}
    >>> call = {"kind": "call", "count": 20, "via": ["phone:1", "phone:3"], "links": [weak]}
    >>> llrs = link_llrs([shared, call])
    >>> llrs[1] == 0.0 < llrs[0]
    True
    """
    return link_weights(items, model)[0]


def link_weights(items: Sequence[Mapping[str, Any]], model: EvidenceModel = MODEL) -> tuple[list[float], list[float]]:
    """:func:`link_llrs` and the reliability of each item's fact (as weighed, calls merged).

    Examples
    --------
    >>> link_weights([{"kind": "intelligence", "type": "FINANCIAL", "grading": "2B P", "links": []}])
    ([2.0655], [0.765])
    """
    if len(items) == 1:  # one fact: nothing to merge or share
        rel = item_reliability(items[0], model)
        return [_item_llr(items[0], model, rel)], [rel]
    units: list[tuple[list[int], Mapping[str, Any]]] = []
    calls: dict[frozenset, list[int]] = {}
    for index, item in enumerate(items):
        if item.get("kind") == "call":
            calls.setdefault(frozenset(str(v) for v in item.get("via") or ()), []).append(index)
        else:
            units.append(([index], item))
    for members in calls.values():
        group = [items[i] for i in members]
        units.append((members, merged_calls(group) if len(group) > 1 else group[0]))
    graded = [_reliability_and_weakest(fact, model) for _, fact in units]
    weights = [_item_llr(fact, model, rel) for (_, fact), (rel, _) in zip(units, graded, strict=True)]
    strongest: dict[tuple[str, str, str], int] = {}
    for u, (_, key) in enumerate(graded):
        if key is not None and (key not in strongest or weights[u] > weights[strongest[key]]):
            strongest[key] = u
    llrs = [0.0] * len(items)
    rels = [1.0] * len(items)
    for u, (members, _fact) in enumerate(units):
        rel, key = graded[u]
        total = weights[u] if key is None or strongest[key] == u else 0.0
        if len(members) == 1:
            llrs[members[0]], rels[members[0]] = total, rel
            continue
        counts = [_count(items[i].get("count")) for i in members]
        whole = sum(counts)
        for index, count in zip(members, counts, strict=True):
            llrs[index] = total * count / whole
            rels[index] = rel
    return llrs, rels


def membership_probability(membership: Mapping[str, Any] | None, model: EvidenceModel = MODEL) -> float:
    """The chance an OCG membership holds: ``1 - exp(-membership x reliability x role factor)``.

    Examples
    --------
    >>> round(membership_probability({"grading": "1A P", "role": "member"}), 3)
    0.99
    >>> round(membership_probability({"grading": "2C P", "role": "associate"}), 3)
    0.828
    """
    if membership is None:
        return 1.0
    role = model.role_factor.get(str(membership.get("role")), 0.8)
    return probability(model.membership * reliability(membership.get("grading"), model) * role)


# ----------------------------------------------------------------------------- duty and colleagues
def is_duty_role(roles: Iterable[Any]) -> bool:
    """Whether a role is one whose duties bring contact with prisoners' families.

    Examples
    --------
    >>> is_duty_role(["Family Liaison"]), is_duty_role(["Prison Officer"])
    (True, False)
    """
    return any(word in str(role).lower() for role in roles if role for word in DUTY_ROLE_WORDS)


def own_number(item: Mapping[str, Any], ids: Collection[Any]) -> Mapping[str, Any] | None:
    """The attribution (``USES_PHONE`` stored link) of the number of ``ids`` an item rests on.

    Examples
    --------
    >>> item = {"links": [{"src": "staff:S1", "dst": "phone:+1", "type": "USES_PHONE", "grading": "2C P"},
    ...                   {"src": "phone:+1", "dst": "phone:+2", "type": "CALLED", "grading": "1A P"}]}
    >>> own_number(item, {"staff:S1"})["dst"]
    'phone:+1'
    """
    for link in item.get("links") or ():
        if link.get("type") == "USES_PHONE" and link.get("src") in ids:
            return link
    return None


def is_duty_contact(
    items: Sequence[Mapping[str, Any]],
    staff_roles: Iterable[Any],
    other_kind: str | None,
    shared_establishment: bool,
    model: EvidenceModel = MODEL,
    staff_ids: Collection[Any] = (),
) -> bool:
    """Whether the role of a member of staff explains a contact.

    A duty contact: the member of staff holds a role whose duties bring contact with
    prisoners and their families (:func:`is_duty_role`: chaplaincy, healthcare,
    family liaison, visits, probation, offender management...), the other person is
    in a prisoner's family circle (``other_kind`` ``"prisoner"`` or ``"family"``: a
    prisoner, their visitor, the holder of a number on their PIN list or someone
    sharing a home or number with one of those) at an establishment where the staff
    member works (``shared_establishment``), and every item is a call, PIN-list entry
    or visit in ordinary hours (night share below ``duty_night_share``) on the member
    of staff's official number (their attribution, found by ``staff_ids``, graded
    1A). A shared home postcode or number, an intelligence report, night calls or a
    number attributed to them by intelligence reach outside the role: not duty.

    Examples
    --------
    >>> day = [{"kind": "call", "count": 5, "night_count": 0, "attribution": ["declared"]}]
    >>> is_duty_contact(day, ["Chaplaincy"], "family", True)
    True
    >>> is_duty_contact([{**day[0], "night_count": 3}], ["Chaplaincy"], "family", True)
    False
    >>> is_duty_contact(day, ["Prison Officer"], "family", True)
    False
    """
    if not shared_establishment or other_kind not in ("prisoner", "family") or not is_duty_role(staff_roles):
        return False
    for item in items:
        if item.get("kind") not in DUTY_KINDS or item.get("declared"):
            return False
        if item.get("kind") == "call":
            own = own_number(item, staff_ids)
            if night_share(item) >= model.duty_night_share or (
                own is not None and reliability(own.get("grading"), model) < 1.0
            ):
                return False
    return bool(items)


@dataclass(frozen=True)
class ColleagueNorms:
    """What is usual between staff: the count that 99 % of staff-to-staff call links stay
    within, and their mean night share.

    Examples
    --------
    >>> ColleagueNorms.of([{"count": c, "night_count": c // 4} for c in (1, 2, 2, 3, 4, 4, 5, 6, 8, 20)])
    ColleagueNorms(count=20.0, night_share=0.2)
    """

    count: float = 1.0
    night_share: float = 0.0

    @classmethod
    def of(cls, calls: Sequence[Mapping[str, Any]]) -> ColleagueNorms:
        if not calls:
            return cls()
        counts = sorted(float(_count(c.get("count"))) for c in calls)
        index = min(len(counts) - 1, max(0, math.ceil(0.99 * len(counts)) - 1))
        nights = sum(float(c.get("night_count") or 0) for c in calls) / sum(counts)
        return cls(count=counts[index], night_share=round(min(1.0, nights), 6))


def colleague_llr(items: Sequence[Mapping[str, Any]], norms: ColleagueNorms, model: EvidenceModel = MODEL) -> float:
    """What a contact between two members of staff says beyond the usual among staff.

    Calls (both directions merged, :func:`merged_calls`) weigh only their excess,
    times their reliability: ``colleague_night x`` the night share above the usual
    one, the share shrunk towards the usual by ``colleague_prior_calls`` (4) calls
    (one night call in two is not a pattern), plus ``colleague_volume x
    log2(count / usual count)`` above the usual count (the 99th percentile). Staff phones
    call many colleagues (no number specificity) and calling a colleague is ordinary
    (no base). Intelligence between them weighs as usual; a shared postcode
    (couples, shared houses) is not counted.

    Examples
    --------
    >>> norms = ColleagueNorms(count=4.0, night_share=0.0)
    >>> colleague_llr([{"kind": "call", "count": 4, "night_count": 0, "links": []}], norms)
    0.0
    >>> round(colleague_llr([{"kind": "call", "count": 16, "night_count": 8, "links": []}], norms), 2)
    2.8
    """
    total = 0.0
    calls = [i for i in items if i.get("kind") == "call"]
    if calls:
        call = merged_calls(calls) if len(calls) > 1 else calls[0]
        count = _count(call.get("count"))
        k = model.colleague_prior_calls
        share = (float(call.get("night_count") or 0) + k * norms.night_share) / (count + k)
        excess_night = max(0.0, share - norms.night_share)
        ratio = count / max(1.0, norms.count)
        excess_volume = min(model.volume_cap, math.log2(ratio)) if ratio > 1.0 else 0.0
        total += item_reliability(call, model) * (
            model.colleague_night * excess_night + model.colleague_volume * excess_volume
        )
    for item in items:
        if item.get("kind") == "intelligence":
            total += item_llr(item, model)
    return total


def cut_value(separated: int, model: EvidenceModel = MODEL) -> float:
    """The cut part: ``min(1, log2(1 + n) / log2(1 + cut_full))``, 0 when nothing is separated.

    Examples
    --------
    >>> cut_value(0), cut_value(8), round(cut_value(1), 3)
    (0.0, 1.0, 0.315)
    """
    if separated <= 0:
        return 0.0
    return min(1.0, math.log2(1 + separated) / math.log2(1 + model.cut_full))


# ----------------------------------------------------------------------------- reasons
def _period(item: Mapping[str, Any]) -> str:
    first, last = str(item.get("first") or "")[:10], str(item.get("last") or "")[:10]
    if first and last and first != last:
        return f", {first} to {last}"
    return f", {first}" if first else ""


def describe(item: Mapping[str, Any], model: EvidenceModel = MODEL) -> str:
    """One evidence item as a short fact with its (weakest) grading.

    Examples
    --------
    >>> describe({"kind": "call", "count": 6, "night_count": 2, "first": "2024-01-05T22:00:00",
    ...           "last": "2024-03-01T01:00:00", "links": [{"grading": "1A P"}, {"grading": "2B P"}]})
    '6 calls (2 at night), 2024-01-05 to 2024-03-01 [2B P]'
    >>> describe({"kind": "postcode", "via": ["postcode:LS1 1AA"], "members": 3, "links": []})
    'same postcode LS1 1AA (3 residents) [1A P]'
    """
    kind = item.get("kind")
    grading = f" [{weakest_grading(item, model)}]"
    if kind == "call":
        n, night = _count(item.get("count")), int(item.get("night_count") or 0)
        text = f"{n} call{'s' if n != 1 else ''}" + (f" ({night} at night)" if night else "") + _period(item)
        if "handset_download" in (item.get("sources") or ()):
            text += ", from a handset download"
        hidden = sorted({a for a in item.get("attribution") or () if a in HIDDEN_ATTRIBUTIONS})
        if hidden:
            text += ", number attributed by " + " and ".join(a.replace("_", " ") for a in hidden)
    elif kind == "visit":
        n = _count(item.get("count"))
        relationship = f" ({item['relationship']})" if item.get("relationship") else ""
        text = f"{n} visit{'s' if n != 1 else ''}{relationship}" + _period(item)
    elif kind == "pin_list":
        text = "number on the PIN list"
    elif kind in ("shared_phone", "postcode"):
        place = str((item.get("via") or ["?"])[0]).split(":", 1)[-1]
        members = int(item.get("members") or 2)
        what = "residents" if kind == "postcode" else "users"
        surname = ", same surname" if item.get("same_surname") else ""
        text = f"same {'postcode' if kind == 'postcode' else 'number'} {place} ({members} {what}{surname})"
    elif kind == "intelligence":
        text = f"{item.get('type')} report" + (f" {item['date']}" if item.get("date") else "")
    elif kind == "identity":
        reasons = ", ".join(item.get("reasons") or ())
        text = f"possible same person: decision needed (score {item.get('score')}" + (
            f": {reasons})" if reasons else ")"
        )
    else:
        text = str(kind)
    if item.get("declared"):
        text += ", declared relative"
    if item.get("duty"):
        text += ", duty contact"
    return text + grading


__all__ = [
    "MODEL",
    "WEIGHT_NAMES",
    "ColleagueNorms",
    "EvidenceModel",
    "chain",
    "colleague_llr",
    "cut_value",
    "describe",
    "identity_share",
    "intel_base",
    "is_duty_contact",
    "is_duty_role",
    "is_hostile",
    "item_llr",
    "item_reliability",
    "link_llrs",
    "link_weights",
    "membership_probability",
    "merged_calls",
    "night_share",
    "number_specificity",
    "own_number",
    "person_specificity",
    "probability",
    "reliability",
    "repetition",
    "shared_llr",
    "spread_share",
    "volume",
    "weakest_fact",
    "weakest_grading",
    "weight",
]
