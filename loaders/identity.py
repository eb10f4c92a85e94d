"""Identity resolution: candidate same-person pairs across namespaces, and analysts' decisions.

Method (see docs/loaders.md for measured precision and recall):

* the Person records written since the last resolution are read, with every record
  sharing a block key with them (a first load reads every record once); names are folded
  (accents, case, punctuation) and the first forename is mapped to a canonical form
  through a table of English nicknames and variants (Jon/Johnny -> jonathan,
  Bill/Will -> william, ...);
* records are **blocked** so only pairs that can pass are compared: a pair passes only
  with the same date of birth, or with the same postcode or PNC id (the support rule
  below), so the blocks are exactly those three keys and no passing pair is missed. A
  block larger than ``MAX_BLOCK`` (a hostel's postcode, a common date at national
  scale) is split by (first letter of the canonical forename, Soundex of the surname).
  Pairs are formed across namespaces (prisoner, visitor, staff, person) and inside one
  (a visitor registered twice);
* a pair is scored 0-1 from surname similarity (difflib ratio on the folded surname,
  spaces ignored, a shared surname part counts), forename similarity (same canonical
  name, initials, difflib), date of birth (exact, day/month swapped, one digit
  different, two digits transposed) with the postcode or PNC id as support: a pair whose
  dates of birth are not exactly equal (or one is missing) needs the same postcode or
  PNC id to pass;
  ``reasons`` lists what agreed;
* pairs scoring at least ``THRESHOLD`` are written as ``POSSIBLY_SAME_AS`` links (from
  the smaller id to the larger) with ``score`` and ``reasons``; a decision already on
  the link is kept. Source records are never changed.

:func:`apply_decisions` turns analysts' decisions (``resolutions.csv``) into
``canonical_id``: the smallest id of each group connected by ``same`` decisions,
every other record its own id; recomputed from all decisions, so reversible.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations
from typing import Any

from graph_service.store import GraphStore, LoadRun
from loaders.normalise import fold

THRESHOLD = 0.75
# Score of a date of birth that is nearly the same (day/month swapped, one digit, two
# digits transposed): a typo is plausible but so is chance among tens of thousands of
# records with common names, so such a pair also needs the same postcode.
FUZZY_DOB = 0.7
MISSING_DOB = 0.5
MAX_BLOCK = 400
SOURCE = "identity-resolver"

_NICKNAME_GROUPS: dict[str, tuple[str, ...]] = {
    "jonathan": ("jon", "jonny", "johnny", "jonty"),
    "john": ("jack", "johnnie"),
    "michael": ("mick", "mike", "mikey", "micky", "mickey"),
    "william": ("bill", "billy", "will", "willy", "liam"),
    "robert": ("rob", "bob", "bobby", "robbie", "bert"),
    "daniel": ("dan", "danny"),
    "thomas": ("tom", "tommy"),
    "anthony": ("tony", "ant", "anton"),
    "christopher": ("chris", "kit"),
    "james": ("jim", "jimmy", "jamie", "jimbo"),
    "joseph": ("joe", "joey"),
    "matthew": ("matt", "matty"),
    "stephen": ("steve", "steven", "stevie"),
    "richard": ("rich", "ricky", "rick", "dick", "richie"),
    "edward": ("ed", "eddie", "ted", "ned"),
    "alexander": ("alex", "sandy", "xander"),
    "nicholas": ("nick", "nicky"),
    "benjamin": ("ben", "benny"),
    "samuel": ("sam", "sammy"),
    "andrew": ("andy", "drew"),
    "david": ("dave", "davey"),
    "kenneth": ("ken", "kenny"),
    "ronald": ("ron", "ronnie"),
    "terence": ("terry", "terrence"),
    "mohammed": ("mohamed", "muhammad", "mohammad", "muhammed", "mo"),
    "katherine": ("kate", "kathy", "katie", "catherine", "kath", "cathy", "kat"),
    "elizabeth": ("liz", "beth", "lizzie", "betty", "eliza", "libby"),
    "margaret": ("maggie", "meg", "peggy", "maggy"),
    "rebecca": ("becky", "becca"),
    "samantha": ("sam", "sammy"),
    "jennifer": ("jen", "jenny", "jenni"),
    "victoria": ("vicky", "vicki", "tori"),
    "patricia": ("tricia", "pat", "patty", "trish"),
    "susan": ("sue", "susie", "suzanne"),
    "joanne": ("jo", "joanna"),
    "nicola": ("nicky", "nikki"),
    "gregory": ("greg",),
    "peter": ("pete",),
    "philip": ("phil", "phillip"),
    "timothy": ("tim", "timmy"),
    "charles": ("charlie", "chas", "chuck"),
    "frederick": ("fred", "freddie"),
    "henry": ("harry", "hal"),
    "lawrence": ("larry", "laurence"),
    "raymond": ("ray",),
    "gerald": ("gerry",),
    "leonard": ("len", "lenny"),
    "kevin": ("kev",),
    "nathan": ("nat", "nate"),
    "nathaniel": ("nat",),
    "zachary": ("zak", "zach", "zack"),
    "joshua": ("josh",),
    "jacob": ("jake",),
    "abigail": ("abby", "abi"),
    "deborah": ("debbie", "debs", "debra"),
    "jacqueline": ("jackie",),
    "christine": ("chris", "chrissie", "tina"),
    "amanda": ("mandy",),
    "alexandra": ("alex", "lexi"),
    "daniela": ("dani",),
    "danielle": ("dani",),
    "gemma": ("jemma",),
    "stuart": ("stewart", "stu"),
    "sean": ("shaun", "shawn"),
}


def _build_canonical() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, variants in _NICKNAME_GROUPS.items():
        table.setdefault(name, name)
        for variant in variants:
            table.setdefault(variant, name)  # first group wins for shared nicknames (sam, alex)
    return table


CANONICAL_FORENAME = _build_canonical()
# Nicknames that belong to several full names (sam: samuel, samantha).
_AMBIGUOUS: dict[str, set[str]] = defaultdict(set)
for _name, _variants in _NICKNAME_GROUPS.items():
    for _v in (*_variants, _name):
        _AMBIGUOUS[_v].add(_name)


def canonical_forename(token: str) -> str:
    return CANONICAL_FORENAME.get(token, token)


def soundex(text: str) -> str:
    letters = [c for c in text.lower() if "a" <= c <= "z"]
    if not letters:
        return "0000"
    codes = {
        **dict.fromkeys("bfpv", "1"),
        **dict.fromkeys("cgjkqsxz", "2"),
        **dict.fromkeys("dt", "3"),
        "l": "4",
        **dict.fromkeys("mn", "5"),
        "r": "6",
    }
    first = letters[0]
    out = [first.upper()]
    last = codes.get(first, "")
    for c in letters[1:]:
        code = codes.get(c, "")
        if code and code != last:
            out.append(code)
        if c not in "hw":
            last = code
        if len(out) == 4:
            break
    return "".join(out).ljust(4, "0")


@dataclass
class Record:
    id: str
    namespace: str
    forenames: list[str]
    given: str
    given_canon: str
    surname: str
    surname_compact: str
    surname_parts: set[str]
    dob: str | None
    postcode: str | None
    pnc_id: str | None = None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Record:
        fore = fold(row.get("forenames") or "").split()
        sur = fold(row.get("surname") or "")
        given = fore[0] if fore else ""
        return cls(
            id=row["id"],
            namespace=row.get("namespace") or row["id"].split(":", 1)[0],
            forenames=fore,
            given=given,
            given_canon=canonical_forename(given),
            surname=sur,
            surname_compact=sur.replace(" ", ""),
            surname_parts=set(sur.split()),
            dob=row.get("dob"),
            postcode=row.get("postcode"),
            pnc_id=(row.get("pnc_id") or "").strip().upper() or None,
        )


def _ratio(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


def surname_similarity(a: Record, b: Record) -> tuple[float, str | None]:
    if a.surname_compact == b.surname_compact:
        return 1.0, "surname same"
    ratio = _ratio(a.surname_compact, b.surname_compact)
    if ratio >= 0.8:
        return ratio, f"surname similar ({a.surname}~{b.surname})"
    if a.surname_parts & b.surname_parts:
        return 0.85, f"surname part shared ({a.surname}~{b.surname})"
    return ratio, None


def forename_similarity(a: Record, b: Record) -> tuple[float, str | None]:
    if not a.given or not b.given:
        return 0.0, None
    if a.given == b.given:
        return 1.0, "forename same"
    if a.given_canon == b.given_canon or (_AMBIGUOUS.get(a.given, set()) & _AMBIGUOUS.get(b.given, set())):
        return 0.95, f"forename variant ({a.given}~{b.given})"
    # Either record's other forenames (middle names used as first names).
    if a.given in b.forenames or b.given in a.forenames:
        return 0.8, f"forename in other forenames ({a.given}~{b.given})"
    if len(a.given) == 1 or len(b.given) == 1:
        if a.given[0] == b.given[0]:
            return 0.75, f"forename initial ({a.given}~{b.given})"
        return 0.0, None
    ratio = _ratio(a.given, b.given)
    if ratio >= 0.8:
        return ratio, f"forename similar ({a.given}~{b.given})"
    return ratio, None


def dob_similarity(a: str | None, b: str | None) -> tuple[float, str | None]:
    if not a or not b:
        return MISSING_DOB, None
    if a == b:
        return 1.0, "dob same"
    if len(a) == len(b) == 10:
        ya, ma, da = a[:4], a[5:7], a[8:10]
        yb, mb, db = b[:4], b[5:7], b[8:10]
        if ya == yb and ma == db and da == mb:
            return FUZZY_DOB, "dob day/month swapped"
        differing = sum(1 for x, y in zip(a, b) if x != y)
        if differing == 1:
            return FUZZY_DOB, "dob one digit different"
        # Two adjacent digits transposed (1985 -> 1958).
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]:
            return FUZZY_DOB, "dob digits transposed"
    return 0.0, None


def score_pair(a: Record, b: Record) -> tuple[float, list[str]] | None:
    """The score (0-1) and reasons of a pair, or ``None`` when it cannot be the same person."""
    sur, sur_reason = surname_similarity(a, b)
    if sur < 0.75:
        return None
    fore, fore_reason = forename_similarity(a, b)
    if fore < 0.7:
        return None
    dob, dob_reason = dob_similarity(a.dob, b.dob)
    if dob == 0.0:
        return None
    same_pnc = bool(a.pnc_id and a.pnc_id == b.pnc_id)
    if a.postcode and b.postcode:
        postcode = 1.0 if a.postcode == b.postcode else 0.3
    else:
        postcode = 0.5
    support = 1.0 if same_pnc else postcode
    score = 0.30 * sur + 0.25 * fore + 0.35 * dob + 0.10 * support
    if dob < 1.0 and support < 1.0:
        # No date of birth to compare, or one nearly the same: needs the same postcode
        # (or PNC id).
        score = min(score, THRESHOLD - 0.01)
    reasons = [r for r in (sur_reason, fore_reason, dob_reason) if r]
    if dob == MISSING_DOB:
        reasons.append("dob missing on one record")
    if postcode == 1.0:
        reasons.append("postcode same")
    if same_pnc:
        reasons.append("pnc_id same")
    return round(min(score, 1.0), 4), reasons


def _blocks(
    records: list[Record], oversized: list[dict[str, Any]] | None = None, focus: set[str] | None = None
) -> Iterable[list[Record]]:
    """Records sharing a date of birth, a postcode or a PNC id (see the module docstring);
    with ``focus``, only the blocks holding one of its records.

    A block still over ``MAX_BLOCK`` records after the split by forename initial and
    surname sound (thousands of identical rows) is not compared pair by pair, which
    would cost the square of its size; it is listed in ``oversized`` instead, for the
    load report."""
    blocks: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for r in records:
        for kind, value in (("dob", r.dob), ("postcode", r.postcode), ("pnc", r.pnc_id)):
            if value:
                blocks[(kind, value)].append(r)
    for (kind, _), block in blocks.items():
        if focus is not None and not any(r.id in focus for r in block):
            continue
        if len(block) <= MAX_BLOCK:
            if len(block) > 1:
                yield block
            continue
        by_name: dict[tuple[str, str], list[Record]] = defaultdict(list)
        for r in block:
            by_name[(r.given_canon[:1], soundex(r.surname_compact))].append(r)
        for (initial, sound), sub in by_name.items():
            if focus is not None and not any(r.id in focus for r in sub):
                continue
            if len(sub) > MAX_BLOCK:
                if oversized is not None:
                    oversized.append({"shared": kind, "name": f"{initial}/{sound}", "records": len(sub)})
            elif len(sub) > 1:
                yield sub


def find_candidates(
    records: list[Record],
    threshold: float = THRESHOLD,
    oversized: list[dict[str, Any]] | None = None,
    focus: set[str] | None = None,
) -> tuple[dict[tuple[str, str], tuple[float, list[str]]], int]:
    """Candidate pairs (smaller id first) with score and reasons; and how many pairs were
    compared. Blocks too large to compare are added to ``oversized``. With ``focus``,
    only pairs with at least one record of ``focus`` are compared."""
    seen: set[tuple[str, str]] = set()
    found: dict[tuple[str, str], tuple[float, list[str]]] = {}
    compared = 0
    for block in _blocks(records, oversized, focus):
        for a, b in combinations(block, 2):
            if focus is not None and a.id not in focus and b.id not in focus:
                continue
            if b.id < a.id:
                a, b = b, a
            pair = (a.id, b.id)
            if pair in seen:
                continue
            seen.add(pair)
            compared += 1
            result = score_pair(a, b)
            if result is not None and result[0] >= threshold:
                found[pair] = result
    return found, compared


def read_records(store: GraphStore) -> list[Record]:
    rows = store.read_internal("identity-records")
    return [Record.of(r) for r in rows if r["id"]]


def _records_to_compare(store: GraphStore, run: LoadRun, full: bool) -> tuple[list[Record], set[str] | None, list[str]]:
    """The records to block, the written ones among them (None: compare all pairs) and
    the runs covered. Only records written since the last resolution need comparing:
    the pairs of two older records were compared when the later of them was written
    (a record's fields change only when a run writes it). Every record sharing a
    block key with a written record is read, so each written record's blocks are
    exactly those of a full resolution."""
    runs = sorted({r["run"] for r in store.read_internal("load-runs-unresolved")} | {run.run_id})
    if full:
        return read_records(store), None, runs
    written = [Record.of(r) for r in store.read_internal("identity-records-written", {"runs": runs}) if r["id"]]
    total = store.read_internal("label-node-count", label="Person")[0]["n"]
    if 2 * len(written) >= total:  # most of the store: compare everything
        others = store.read_internal("identity-records-others", {"runs": runs})
        return written + [Record.of(r) for r in others if r["id"]], None, runs
    params = {
        "dobs": sorted({r.dob for r in written if r.dob}),
        "postcodes": sorted({r.postcode for r in written if r.postcode}),
        "pncs": sorted({r.pnc_id for r in written if r.pnc_id}),
    }
    sharing = [Record.of(r) for r in store.read_internal("identity-records-sharing", params) if r["id"]]
    by_id = {r.id: r for r in sharing} | {r.id: r for r in written}
    return list(by_id.values()), {r.id for r in written}, runs


def resolve_identities(
    store: GraphStore, run: LoadRun, threshold: float = THRESHOLD, *, full: bool = False
) -> dict[str, Any]:
    """Find candidates for the Person records written since the last resolution (every
    record with ``full``) and write ``POSSIBLY_SAME_AS`` links."""
    started = time.perf_counter()
    records, focus, runs = _records_to_compare(store, run, full)
    oversized: list[dict[str, Any]] = []
    found, compared = find_candidates(records, threshold, oversized, focus)
    rows = [
        {
            "src": src,
            "dst": dst,
            "key": {},
            "props": {
                "score": score,
                "reasons": reasons,
                "source": SOURCE,
                "source_ref": f"{SOURCE}:{src}|{dst}",
                "source_eval": "2",
                "intel_eval": "C",
                "handling": "P",
            },
        }
        for (src, dst), (score, reasons) in sorted(found.items())
    ]
    store.upsert_links("POSSIBLY_SAME_AS", rows, run, "Person", "Person")
    store.write_internal("load-runs-resolved-set", {"runs": runs})
    return {
        "mode": "full" if focus is None else "written",
        "persons": len(records),
        "persons_written": len(records) if focus is None else len(focus),
        "pairs_compared": compared,
        "candidates": len(rows),
        # Records too alike and too many to compare pair by pair (review them by hand).
        "oversized_blocks": oversized,
        "threshold": threshold,
        "seconds": round(time.perf_counter() - started, 3),
    }


def canonical_groups(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Union-find over ``same`` pairs: every member id -> the smallest id of its group."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            if ra < rb:
                parent[rb] = ra
            else:
                parent[ra] = rb
    return {x: find(x) for x in parent}


def apply_decisions(store: GraphStore, run: LoadRun) -> dict[str, Any]:
    """Recompute ``canonical_id`` of every Person from the latest decision of each pair."""
    decided = store.read_internal("identity-decisions")
    same = [(r["a"], r["b"]) for r in decided if r["decision"] == "same"]
    groups = canonical_groups(same)
    drifted = store.read_internal("canonical-drifted")
    target = {r["id"]: r["id"] for r in drifted}  # reset unless still in a group
    target.update(groups)
    rows = [{"id": node, "canonical": canonical} for node, canonical in sorted(target.items())]
    for start in range(0, len(rows), 5000):
        store.write_internal("canonical-set", {"rows": rows[start : start + 5000], "now": run.now, "run": run.run_id})
    return {
        "decisions": len(decided),
        "same": len(same),
        "different": sum(1 for r in decided if r["decision"] == "different"),
        "groups": len(set(groups.values())),
        "records_merged": sum(1 for k, v in groups.items() if k != v),
    }
