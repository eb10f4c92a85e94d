"""Tests of the synthetic world generator (demo scale only, to stay fast)."""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

import phonenumbers
import pytest

from graph_service.synthetic import SCALES, generate_world
from loaders.contract import CONTRACT, FILES, SUBJECT_SOURCES

SEED = 7


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate_world("demo", SEED, out)
    return out


@pytest.fixture(scope="module")
def truth(world: Path) -> dict:
    return json.loads((world / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tables(world: Path) -> dict[str, list[tuple[int, dict]]]:
    """file -> [(physical line, row dict)]; BOM tolerated."""
    out = {}
    for file in FILES:
        with open(world / file, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            out[file] = [(reader.line_num, row) for row in reader]
    return out


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# ----------------------------------------------------------------- contract checker


def _is_date(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", value))


def _e164(value: str) -> str | None:
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def contract_errors(file: str, row: dict, known: dict[str, set[str]]) -> list[str]:
    """Reasons ``row`` breaks the contract (empty list when it is good)."""
    spec = CONTRACT[file]
    errors = []
    for column in spec["required"]:
        if not (row.get(column) or "").strip():
            errors.append(f"missing {column}")
    for column in spec.get("conditional_required", {}).get(row.get("call_source", ""), []):
        if not row.get(column):
            errors.append(f"missing {column} for {row['call_source']}")
    for column in spec["dates"]:
        if row.get(column) and not _is_date(row[column]):
            errors.append(f"bad date {column}")
    for column in spec["datetimes"]:
        if row.get(column) and not _is_datetime(row[column]):
            errors.append(f"bad datetime {column}")
    for column in spec["integers"]:
        if row.get(column) and not row[column].isdigit():
            errors.append(f"bad integer {column}")
    for column in spec["phones"]:
        if row.get(column) and _e164(row[column]) is None:
            errors.append(f"bad phone {column}")
    for column, allowed in spec["enums"].items():
        if row.get(column) and row[column] not in allowed:
            errors.append(f"bad value {column}={row[column]}")
    for column in spec.get("upper_snake", []):
        if row.get(column) and not re.fullmatch(r"[A-Z][A-Z0-9_]*", row[column]):
            errors.append(f"not UPPER_SNAKE {column}")
    for column, target in spec["references"].items():
        value = row.get(column)
        if not value:
            continue
        if target == "subject":
            namespace = row.get(spec["subject_types"][column], "")
            if namespace in known and value not in known[namespace]:
                errors.append(f"unknown {namespace} {value} in {column}")
        else:
            namespace = {"prisoners.csv": "prisoner", "establishments.csv": "establishment", "ocgs.csv": "ocg"}[
                target[0]
            ]
            if value not in known[namespace]:
                errors.append(f"unknown {namespace} {value} in {column}")
    if spec["grading"] and row.get("handling") == "C" and not row.get("handling_conditions"):
        errors.append("handling C without conditions")
    return errors


@pytest.fixture(scope="module")
def bad_lines(truth) -> dict[str, dict[int, dict]]:
    out: dict[str, dict[int, dict]] = defaultdict(dict)
    for b in truth["bad_rows"]:
        out[b["file"]][b["line"]] = b
    return out


@pytest.fixture(scope="module")
def known(tables, bad_lines) -> dict[str, set[str]]:
    def ids(file, column):
        return {row[column] for line, row in tables[file] if line not in bad_lines[file] and row[column]}

    result = {ns: ids(file, col) for ns, (file, col) in SUBJECT_SOURCES.items()}
    result["establishment"] = ids("establishments.csv", "establishment_code")
    result["ocg"] = ids("ocgs.csv", "ocg_urn")
    return result


# ----------------------------------------------------------------------- the tests


@pytest.mark.slow
def test_same_seed_same_bytes_different_seed_differs(world: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    other = tmp_path / "other"
    # another process with another string-hash seed: nothing may depend on set order
    code = f"from pathlib import Path; from graph_service.synthetic import generate_world; generate_world('demo', {SEED}, Path({str(again)!r}))"
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONHASHSEED": "4242"})
    generate_world("demo", SEED + 1, other)
    first, second, third = _hashes(world), _hashes(again), _hashes(other)
    assert first == second
    assert set(first) == set(FILES) | {"ground_truth.json"}
    assert all(first[name] != third[name] for name in ("prisoners.csv", "visits.csv", "calls.csv", "phones.csv"))


def test_headers_have_exactly_the_contract_columns(world: Path) -> None:
    for file in FILES:
        with open(world / file, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle))
        spec = CONTRACT[file]
        assert set(spec["required"]) <= set(header), file
        extra = set(header) - set(spec["required"]) - set(spec["optional"])
        assert extra == ({"notes"} if file == "links.csv" else set()), file


def test_bom_only_on_persons(world: Path, truth: dict) -> None:
    assert truth["encoding"]["bom"] == ["persons.csv"]
    for file in FILES:
        starts = (world / file).read_bytes().startswith(b"\xef\xbb\xbf")
        assert starts == (file == "persons.csv"), file


def test_every_good_row_meets_the_contract(tables, bad_lines, known) -> None:
    for file in FILES:
        for line, row in tables[file]:
            if line in bad_lines[file]:
                continue
            assert contract_errors(file, row, known) == [], (file, line, row)


def test_bad_rows_are_exactly_where_ground_truth_says(tables, truth, bad_lines, known) -> None:
    by_file = Counter(b["file"] for b in truth["bad_rows"])
    for file in ("prisoners.csv", "visits.csv", "phones.csv", "calls.csv", "links.csv", "ocg_members.csv", "staff.csv"):
        assert by_file[file] >= 5, file
    rows_at = {file: dict(rows) for file, rows in tables.items()}
    first_call: dict[str, tuple[int, dict]] = {}
    for line, row in tables["calls.csv"]:
        first_call.setdefault(row["call_id"], (line, row))
    for b in truth["bad_rows"]:
        row = rows_at[b["file"]][b["line"]]
        assert b["column"] in row
        if b["kind"] == "duplicate_conflict":
            first_line, first = first_call[row["call_id"]]
            assert first_line < b["line"] and first["duration_seconds"] != row["duration_seconds"]
            continue
        errors = contract_errors(b["file"], row, known)
        assert errors, b
        assert any(b["column"] in e for e in errors), (b, errors)
    # every row that breaks the contract is recorded
    recorded = {(b["file"], b["line"]) for b in truth["bad_rows"]}
    for file in FILES:
        for line, row in tables[file]:
            if contract_errors(file, row, known):
                assert (file, line) in recorded, (file, line, row)


def test_duplicate_calls(tables, truth) -> None:
    rows_at = dict(tables["calls.csv"])
    kinds = Counter(d["kind"] for d in truth["duplicates"])
    assert kinds["exact"] >= 1 and kinds["conflicting"] >= 1
    for d in truth["duplicates"]:
        first, again = rows_at[d["first_line"]], rows_at[d["line"]]
        assert first["call_id"] == again["call_id"] == d["call_id"]
        if d["kind"] == "exact":
            assert first == again
        else:
            assert first != again
    counts = Counter(row["call_id"] for _, row in tables["calls.csv"])
    assert sum(n - 1 for n in counts.values()) == len(truth["duplicates"])


def _node_exists(node: str, known, numbers: set[str]) -> bool:
    namespace, _, ident = node.partition(":")
    if namespace == "phone":
        return ident in numbers
    return ident in known[namespace]


@pytest.fixture(scope="module")
def numbers(tables, bad_lines) -> set[str | None]:
    found = set()
    for file, columns in (("phones.csv", ["phone_number"]), ("calls.csv", ["caller_number", "callee_number"])):
        for line, row in tables[file]:
            if line in bad_lines[file]:
                continue
            for column in columns:
                if row[column]:
                    found.add(_e164(row[column]))
    return found


def test_ground_truth_ids_exist(truth, known, numbers, tables) -> None:
    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                yield from walk(v)
        elif isinstance(value, list):
            for v in value:
                yield from walk(v)
        elif isinstance(value, str) and re.fullmatch(
            r"(prisoner|visitor|staff|person|phone|ocg|establishment):\S+", value
        ):
            yield value

    sections = {k: truth[k] for k in ("corrupt_staff", "hubs", "same_person", "not_same", "decoys")}
    nodes = list(walk(sections))
    assert len(nodes) > 100
    for node in nodes:
        assert _node_exists(node, known, numbers), node
    call_ids = {row["call_id"] for _, row in tables["calls.csv"]}
    visit_ids = {row["visit_id"] for _, row in tables["visits.csv"]}
    links = dict(tables["links.csv"])
    for staff in truth["corrupt_staff"]:
        assert 1 <= len(staff["evidence"]) <= 3
        for ev in staff["evidence"]:
            if ev["kind"] == "phone_contact":
                assert ev["calls"] == len(ev["call_ids"]) >= 3
                assert set(ev["call_ids"]) <= call_ids
            elif ev["kind"] == "corrupt_approach":
                link = links[ev["link_row"]]
                assert link["link_type"] == "CORRUPT_APPROACH"
                assert f"{link['to_type']}:{link['to_id']}" == staff["id"]
                assert f"{link['from_type']}:{link['from_id']}" == ev["from"]
    for hub in truth["hubs"]:
        assert len(hub["establishments"]) >= 3
        ids = hub.get("call_ids") or hub.get("visit_ids")
        assert ids and set(ids) <= (call_ids | visit_ids)


def test_corrupt_staff_evidence_is_in_the_rows(truth, tables) -> None:
    calls = {row["call_id"]: row for _, row in tables["calls.csv"]}
    bad = {(b["file"], b["line"]) for b in truth["bad_rows"]}
    staff_postcodes = defaultdict(set)
    for line, row in tables["staff.csv"]:
        if ("staff.csv", line) not in bad:
            staff_postcodes["staff:" + row["staff_number"]].add(row["home_postcode"].replace(" ", "").upper())
    visitor_postcodes = defaultdict(set)
    for line, row in tables["visits.csv"]:
        if row["visitor_postcode"] and ("visits.csv", line) not in bad:
            visitor_postcodes["visitor:" + row["visitor_ref"]].add(row["visitor_postcode"].replace(" ", "").upper())
    phones = {(r["subject_type"], r["subject_id"], _e164(r["phone_number"])) for _, r in tables["phones.csv"]}
    kinds: Counter[str] = Counter()
    assert len(truth["corrupt_staff"]) == SCALES["demo"].corrupt_staff
    for staff in truth["corrupt_staff"]:
        sid = staff["id"].split(":", 1)[1]
        for ev in staff["evidence"]:
            kinds[ev["kind"]] += 1
            if ev["kind"] == "phone_contact":
                staff_number = ev["staff_phone"].split(":", 1)[1]
                ocg_number = ev["ocg_phone"].split(":", 1)[1]
                assert any(p[0] == "staff" and p[1] == sid and p[2] == staff_number for p in phones)
                for call_id in ev["call_ids"]:
                    pair = {_e164(calls[call_id]["caller_number"]), _e164(calls[call_id]["callee_number"])}
                    assert pair == {staff_number, ocg_number}
            elif ev["kind"] == "shared_postcode":
                compact = ev["postcode"].replace(" ", "")
                assert staff_postcodes[staff["id"]] == {compact}
                if ev["with"].startswith("visitor:"):
                    assert compact in visitor_postcodes[ev["with"]]
    assert set(kinds) >= {"phone_contact", "shared_postcode", "corrupt_approach"}
    # no innocent staff member shares an exact postcode with a visitor, except the planted
    # ones: corrupt staff with a shared postcode, staff visiting under a visitor identity,
    # and the chance co-residence decoys
    everyone = set().union(*visitor_postcodes.values())
    corrupt_shared = {
        s["id"] for s in truth["corrupt_staff"] if any(e["kind"] == "shared_postcode" for e in s["evidence"])
    }
    family = {d["id"] for d in truth["decoys"]["staff_family_in_custody"]}
    identities = {i for s in truth["same_person"] for i in s["ids"] if i.startswith("staff:")}
    chance = {d["id"] for d in truth["decoys"]["chance_coresidence"]}
    for sid, postcodes in staff_postcodes.items():
        if sid not in corrupt_shared | family | identities | chance:
            assert not (postcodes & everyone), sid


def test_hubs_link_many_prisoners_across_establishments(truth, tables) -> None:
    calls = {row["call_id"]: row for _, row in tables["calls.csv"]}
    visits = {row["visit_id"]: row for _, row in tables["visits.csv"]}
    assert len(truth["hubs"]) == SCALES["demo"].hubs
    assert {h["kind"] for h in truth["hubs"]} == {"phone", "person"}
    for hub in truth["hubs"]:
        if hub["kind"] == "phone":
            rows = [calls[c] for c in hub["call_ids"]]
            assert all(r["call_source"] == "pin" and not r["caller_number"] for r in rows)
            assert {_e164(r["callee_number"]) for r in rows} == {hub["id"].split(":", 1)[1]}
            prisoners = {"prisoner:" + r["caller_prison_number"] for r in rows}
        else:
            rows = [visits[v] for v in hub["visit_ids"]]
            assert {"visitor:" + r["visitor_ref"] for r in rows} == {hub["id"]}
            prisoners = {"prisoner:" + r["prison_number"] for r in rows}
        assert prisoners == set(hub["prisoners"])
        assert {"establishment:" + r["establishment_code"] for r in rows} == set(hub["establishments"])
        assert len(hub["establishments"]) >= 3


def test_identities_and_resolutions(truth, tables) -> None:
    same = truth["same_person"]
    assert len(same) >= 8
    assert {s["kind"] for s in same} >= {
        "ex_prisoner_visitor",
        "nominal_visitor",
        "prisoner_nominal",
        "visitor_duplicate",
        "staff_relative_visitor",
    }
    assert len(truth["not_same"]) >= 3
    decisions = {}
    for _, row in tables["resolutions.csv"]:
        decisions[frozenset([f"{row['left_type']}:{row['left_id']}", f"{row['right_type']}:{row['right_id']}"])] = row[
            "decision"
        ]
    for s in same:
        assert decisions.get(frozenset(s["ids"])) == ("same" if s["resolved"] else None)
    for s in truth["not_same"]:
        assert decisions.get(frozenset(s["ids"])) == ("different" if s["resolved"] else None)
    assert "same" in decisions.values() and "different" in decisions.values()
    assert any(not s["resolved"] for s in same)


def test_decoys_present(truth, tables, bad_lines) -> None:
    decoys = truth["decoys"]
    for key in (
        "common_numbers",
        "privileged_numbers",
        "staff_family_in_custody",
        "busy_staff",
        "postcode_near",
        "false_allegations",
        "declared_relative_ocg",
        "duty_contacts",
        "chance_coresidence",
        "false_allegation_e",
    ):
        assert decoys[key], key
    for number in decoys["common_numbers"]:
        assert number["prisoners_calling"] >= 100
        assert number["staff_phones_calling"] >= 1 and number["ocg_members_calling"] >= 1
    privileged = {n["id"].split(":", 1)[1] for n in decoys["privileged_numbers"]}
    for line, row in tables["calls.csv"]:
        if line in bad_lines["calls.csv"]:
            continue
        if row["callee_number"] and _e164(row["callee_number"]) in privileged:
            assert row["privileged"] == "Y"
        if row["privileged"] == "Y":
            assert _e164(row["callee_number"]) in privileged
    links = dict(tables["links.csv"])
    for d in decoys["staff_family_in_custody"]:
        link = links[d["family_link_row"]]
        assert (link["link_type"], link["source_eval"], link["intel_eval"]) == ("FAMILY_OF", "1", "A")
        visits = [r for _, r in tables["visits.csv"] if r["visit_id"] in set(d["visit_ids"])]
        assert visits and all(r["relationship"] == d["relationship"] for r in visits)
    for d in decoys["false_allegations"]:
        assert links[d["link_row"]]["intel_eval"] == "E"
    posts = Counter(row["staff_number"] for _, row in tables["staff.csv"])
    for d in decoys["busy_staff"]:
        assert posts[d["id"].split(":", 1)[1]] >= 3


def test_realistic_structure(tables, truth) -> None:
    prisoners = Counter(row["prison_number"] for _, row in tables["prisoners.csv"])
    assert any(n >= 2 for n in prisoners.values())  # transfers
    assert any(row["release_date"] for _, row in tables["prisoners.csv"])
    assert any(n == 2 for n in Counter(r["staff_number"] for _, r in tables["staff.csv"]).values())  # moves
    assert all(re.fullmatch(r"[A-Z]\d{4}[A-Z]{2}", n) for n in prisoners if n)
    sources = Counter(row["call_source"] for _, row in tables["calls.csv"])
    assert sources["pin"] and sources["cdr"] and sources["handset_download"]
    attributions = Counter(row["attribution_source"] for _, row in tables["phones.csv"])
    assert {"pin_list", "seized_handset", "declared", "intelligence"} <= set(attributions)
    written = [row["phone_number"] for _, row in tables["phones.csv"]]
    assert any(w.startswith("+44 ") for w in written) and any(w.startswith("44") for w in written)
    assert any(w.startswith("(0") for w in written) and any(re.fullmatch(r"0\d{4} \d{6}", w) for w in written)
    grading = Counter(row["intel_eval"] for _, row in tables["links.csv"]) + Counter(
        row["intel_eval"] for _, row in tables["phones.csv"]
    )
    assert grading["E"] >= 1
    assert any(row["handling"] == "C" and row["handling_conditions"] for _, row in tables["ocg_members.csv"])
    postcodes = [row["visitor_postcode"] for _, row in tables["visits.csv"] if row["visitor_postcode"]]
    assert any(p != p.upper() for p in postcodes) and any(" " not in p for p in postcodes)


def test_demo_sizes(tables, truth) -> None:
    demo = SCALES["demo"]
    counts = truth["counts"]
    assert counts == {file: len(tables[file]) for file in FILES}
    assert len(tables["establishments.csv"]) == demo.establishments
    assert len({r["prison_number"] for _, r in tables["prisoners.csv"]}) == pytest.approx(300, rel=0.05)
    assert len({r["visitor_ref"] for _, r in tables["visits.csv"]}) == pytest.approx(600, rel=0.2)
    assert len({r["staff_number"] for _, r in tables["staff.csv"]}) == pytest.approx(120, rel=0.1)
    assert counts["phones.csv"] == pytest.approx(1500, rel=0.25)
    assert counts["calls.csv"] == pytest.approx(20_000, rel=0.02)
    assert len(tables["ocgs.csv"]) == 6


def test_cli_generate(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from graph_service.cli import app

    result = CliRunner().invoke(app, ["generate", "--scale", "demo", "--seed", "3", "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["counts"]["calls.csv"] > 19_000
    assert (tmp_path / "ground_truth.json").exists()


# ------------------------------------------------- harder planted kinds and decoys (issue 12)

NEW_KINDS = (
    "two_hop",
    "three_hop",
    "low_graded_intel",
    "seized_handset",
    "odd_calls",
    "contractor_financial",
    "other_establishment",
)


class _Index:
    """The rows of one generated world, indexed for the evidence checks."""

    def __init__(self, tables, truth) -> None:
        bad = {(b["file"], b["line"]) for b in truth["bad_rows"]}

        def good(file):
            return [row for line, row in tables[file] if (file, line) not in bad]

        self.truth = truth
        self.calls = {row["call_id"]: row for row in good("calls.csv")}
        self.visits = {row["visit_id"]: row for row in good("visits.csv")}
        self.links = {line: row for line, row in tables["links.csv"] if ("links.csv", line) not in bad}
        self.persons = {"person:" + row["person_ref"] for row in good("persons.csv")}
        self.posts = defaultdict(list)
        for row in good("staff.csv"):
            self.posts["staff:" + row["staff_number"]].append(row)
        self.members: dict[str, set[str]] = defaultdict(set)  # ocg id -> member ids
        for row in good("ocg_members.csv"):
            self.members["ocg:" + row["ocg_urn"]].add(f"{row['subject_type']}:{row['subject_id']}")
        self.all_members = set().union(*self.members.values())
        self.phones: dict[str, list[dict]] = defaultdict(list)  # phone node -> rows
        for row in good("phones.csv"):
            self.phones[_phone_node(row["phone_number"])].append(row)
        self.visited_by: dict[str, set[str]] = defaultdict(set)  # visitor -> prisoners
        for row in self.visits.values():
            self.visited_by["visitor:" + row["visitor_ref"]].add("prisoner:" + row["prison_number"])

    def holders(self, phone: str, attribution: str | None = None) -> set[str]:
        return {
            f"{r['subject_type']}:{r['subject_id']}"
            for r in self.phones[phone]
            if attribution is None or r["attribution_source"] == attribution
        }

    def pair(self, call_id: str) -> set[str]:
        row = self.calls[call_id]
        return {_phone_node(row["caller_number"]), _phone_node(row["callee_number"])}

    def check_calls_between(self, call_ids, a: str, b: str, source: str = "cdr") -> list[dict]:
        assert call_ids
        rows = [self.calls[c] for c in call_ids]
        for c, row in zip(call_ids, rows, strict=True):
            assert row["call_source"] == source, row
            assert self.pair(c) == {a, b}, row
        return rows

    def check_link(self, row: int, link_type: str, left: str, right: str) -> dict:
        link = self.links[row]
        assert link["link_type"] == link_type
        assert f"{link['from_type']}:{link['from_id']}" == left
        assert f"{link['to_type']}:{link['to_id']}" == right
        return link


def _phone_node(value: str) -> str:
    return "phone:" + (_e164(value) or value)


def _days(rows) -> list[date]:
    return sorted(date.fromisoformat(r["started_at"][:10]) for r in rows)


def _check_new_kind(ix: _Index, staff: dict) -> None:
    kind, sid, ocg = staff["kind"], staff["id"], staff["ocg"]
    ev = staff["evidence"][0]
    assert ev["kind"] == kind and ev["ocg"] == ocg
    members = ix.members[ocg]
    if kind in ("two_hop", "three_hop"):
        assert len(ev["intermediaries"]) == (1 if kind == "two_hop" else 2)
        assert sid in ix.holders(ev["staff_phone"])
        for person, phone in zip(ev["intermediaries"], ev["intermediary_phones"], strict=True):
            assert person in ix.persons and person not in ix.all_members  # unremarkable
            assert ix.holders(phone) - ix.holders(phone, "pin_list") == {person}
        chain = [ev["staff_phone"], *ev["intermediary_phones"]]
        hops = ev["hops"]
        assert len(hops) == len(chain)
        for hop, (a, b) in zip(hops, itertools.pairwise(chain), strict=False):
            assert (hop["from"], hop["to"]) == (a, b)
            rows = ix.check_calls_between(hop["call_ids"], a, b)
            assert (_days(rows)[-1] - _days(rows)[0]).days >= 60  # over months
        last = hops[-1]
        assert ev["ocg_member"] in members
        if last["call_source"] == "cdr":
            assert last["from"] == chain[-1] and last["to"] == ev["ocg_phone"]
            assert ev["ocg_member"] in ix.holders(ev["ocg_phone"])
            ix.check_calls_between(last["call_ids"], chain[-1], ev["ocg_phone"])
        else:
            assert last["from"] == ev["ocg_member"] and last["to"] == chain[-1]
            assert ev["ocg_member"] in ix.holders(chain[-1], "pin_list")
            for c in last["call_ids"]:
                row = ix.calls[c]
                assert row["call_source"] == "pin" and "prisoner:" + row["caller_prison_number"] == ev["ocg_member"]
                assert _phone_node(row["callee_number"]) == chain[-1]
    elif kind == "low_graded_intel":
        assert len(staff["evidence"]) == 2
        link = ix.check_link(ev["link_row"], ev["link_type"], ev["from"], ev["to"])
        assert ev["link_type"] in ("CORRUPT_APPROACH", "ASSOCIATE_OF")
        assert (link["source_eval"], link["intel_eval"]) in (("3", "C"), ("3", "D"))
        assert sid in (ev["from"], ev["to"]) and ({ev["from"], ev["to"]} - {sid}) <= members
        weak = staff["evidence"][1]
        if weak["kind"] == "few_calls":
            assert weak["calls"] == 2
            ix.check_calls_between(weak["call_ids"], weak["staff_phone"], weak["ocg_phone"])
            assert sid in ix.holders(weak["staff_phone"]) and weak["phone_holder"] in ix.holders(weak["ocg_phone"])
        else:
            assert weak["kind"] == "shared_postcode"
            assert {r["home_postcode"].replace(" ", "").upper() for r in ix.posts[sid]} == {
                weak["postcode"].replace(" ", "")
            }
    elif kind == "seized_handset":
        assert ev["seized_from"] in members
        assert ix.holders(ev["handset"], "seized_handset") == {ev["seized_from"]}
        assert sid in ix.holders(ev["staff_phone"], ev["staff_phone_attribution"])
        assert ev["staff_phone_attribution"] in ("declared", "seized_handset")
        rows = ix.check_calls_between(ev["call_ids"], ev["handset"], ev["staff_phone"], "handset_download")
        seized = date.fromisoformat(ev["seized"])
        assert all(0 <= (seized - d).days <= 90 for d in _days(rows))
        # the handset is the only contact: the staff phone calls nothing else OCG-related
        for c, row in ix.calls.items():
            if c not in ev["call_ids"] and row["caller_number"]:
                pair = ix.pair(c)
                if ev["staff_phone"] in pair:
                    other = (pair - {ev["staff_phone"]}).pop()
                    assert not (ix.holders(other) & ix.all_members), row
    elif kind == "odd_calls":
        rows = ix.check_calls_between(ev["call_ids"], ev["staff_phone"], ev["ocg_phone"])
        assert 2 <= len(rows) <= 4
        assert all(int(r["started_at"][11:13]) < 6 for r in rows)  # 00:00-05:59
        days = _days(rows)
        assert all((b - a).days >= 30 for a, b in itertools.pairwise(days))  # months apart
        assert ev["ocg_member"] in members and ev["ocg_member"] in ix.holders(ev["ocg_phone"])
    elif kind == "contractor_financial":
        assert {r["role"] for r in ix.posts[sid]} == {"Contractor"}
        assert not any(sid in ix.holders(phone) for phone in ix.phones)  # no phone on record
        link = ix.check_link(ev["link_row"], "FINANCIAL", sid, ev["to"])
        assert (link["source_eval"], link["intel_eval"]) in (("2", "B"), ("2", "C"))
        assert ev["to"] in members
    elif kind == "other_establishment":
        here = ev["member_establishment"].split(":", 1)[1]
        assert ev["ocg_member"] in members or ev["phone_holder"] in ix.visited_by
        assert all(r["establishment_code"] != here for r in ix.posts[sid])  # no post there
        assert {"establishment:" + r["establishment_code"] for r in ix.posts[sid]} == set(ev["staff_establishments"])
        if ev["via"] == "visits":
            rows = [ix.visits[v] for v in ev["visit_ids"]]
            assert rows and all("visitor:" + r["visitor_ref"] == ev["visitor_id"] for r in rows)
            assert all("prisoner:" + r["prison_number"] == ev["ocg_member"] for r in rows)
            assert {r["establishment_code"] for r in rows} == {here}
            assert [sid, ev["visitor_id"]] in [s["ids"] for s in ix.truth["same_person"]]
        else:
            ix.check_calls_between(ev["call_ids"], ev["staff_phone"], ev["ocg_phone"])
            assert sid in ix.holders(ev["staff_phone"]) and ev["phone_holder"] in ix.holders(ev["ocg_phone"])
    else:
        raise AssertionError(kind)


@pytest.fixture(scope="module")
def second_world(tmp_path_factory):
    """Another demo seed, so both variants of the alternating kinds are exercised."""
    out = tmp_path_factory.mktemp("demo-b")
    generate_world("demo", SEED + 1, out)
    truth = json.loads((out / "ground_truth.json").read_text(encoding="utf-8"))
    tables = {}
    for file in FILES:
        with open(out / file, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            tables[file] = [(reader.line_num, row) for row in reader]
    return tables, truth


def test_every_planted_kind_is_present_with_its_evidence_in_the_rows(tables, truth, second_world) -> None:
    for tabs, tr in ((tables, truth), second_world):
        ix = _Index(tabs, tr)
        kinds = Counter(s["kind"] for s in tr["corrupt_staff"])
        assert set(kinds) == {"phone_contact", "shared_postcode", "corrupt_approach", *NEW_KINDS}
        for staff in tr["corrupt_staff"]:
            if staff["kind"] in NEW_KINDS:
                _check_new_kind(ix, staff)
            else:  # the original kinds: the top-level kind is the first evidence kind
                assert staff["kind"] == staff["evidence"][0]["kind"]
    vias = {
        s["evidence"][0]["via"]
        for tr in (truth, second_world[1])
        for s in tr["corrupt_staff"]
        if s["kind"] == "other_establishment"
    }
    assert vias == {"calls", "visits"}


def test_corrupt_and_decoy_staff_are_distinct(truth) -> None:
    corrupt = [s["id"] for s in truth["corrupt_staff"]]
    assert len(corrupt) == len(set(corrupt)) == SCALES["demo"].corrupt_staff
    for key, records in truth["decoys"].items():
        if key not in ("common_numbers", "privileged_numbers"):
            assert not {r["id"] for r in records} & set(corrupt), key


def test_harder_decoys_are_in_the_rows(tables, truth) -> None:
    ix = _Index(tables, truth)
    decoys = truth["decoys"]
    # a declared relative (FAMILY_OF 1/A) who is an OCG member, with ordinary family calls
    relatives = decoys["declared_relative_ocg"]
    assert {r["where"] for r in relatives} == {"custody", "community"}
    for r in relatives:
        assert r["relative"] in ix.members[r["relative_ocg"]]
        link = ix.check_link(r["family_link_row"], "FAMILY_OF", r["id"], r["relative"])
        assert (link["source_eval"], link["intel_eval"]) == ("1", "A")
        assert r["calls"] == len(r["call_ids"]) >= 1
        assert r["id"] in ix.holders(r["staff_phone"])
        others = {r["relative_phone"]} if r["where"] == "community" else None
        for c in r["call_ids"]:
            assert 9 <= int(ix.calls[c]["started_at"][11:13]) < 22
            if ix.calls[c]["call_source"] == "pin":  # a relative nobody else visits rings the sibling
                assert not r["calls_with"] and "prisoner:" + ix.calls[c]["caller_prison_number"] == r["relative"]
                assert _phone_node(ix.calls[c]["callee_number"]) == r["staff_phone"]
                continue
            pair = ix.pair(c)
            assert r["staff_phone"] in pair
            other = (pair - {r["staff_phone"]}).pop()
            if others is not None:
                assert other in others
            else:
                assert ix.holders(other) & set(r["calls_with"])
        if r["where"] == "custody":
            assert r["visit_ids"] and all(ix.visits[v]["prison_number"] == r["relative"][9:] for v in r["visit_ids"])
    # duty roles with many legitimate contacts, some of them OCG members' families
    duty = decoys["duty_contacts"]
    assert {d["role"] for d in duty} == {"Chaplaincy", "Family Liaison"}
    for d in duty:
        assert {row["role"] for row in ix.posts[d["id"]]} == {d["role"]}
        assert d["id"] in ix.holders(d["work_phone"], "declared")
        lo, _hi = SCALES["demo"].duty_families
        assert d["families_called"] == len(d["visitors"]) >= lo
        assert d["ocg_families"]
        for f in d["ocg_families"]:
            assert f["prisoner"] in ix.visited_by[f["visitor"]] and f["prisoner"] in ix.members[f["ocg"]]
        called = set()
        for c in d["call_ids"]:
            row = ix.calls[c]
            assert row["call_source"] == "cdr" and 9 <= int(row["started_at"][11:13]) < 17
            assert date.fromisoformat(row["started_at"][:10]).weekday() < 5
            pair = ix.pair(c)
            assert d["work_phone"] in pair
            called |= ix.holders((pair - {d["work_phone"]}).pop())
        assert set(d["visitors"]) <= called
    # chance co-residence: a block of flats and a small postcode
    chance = decoys["chance_coresidence"]
    assert {c["block"] for c in chance} == {True, False}
    for c in chance:
        compact = c["postcode"].replace(" ", "")
        assert {r["home_postcode"].replace(" ", "").upper() for r in ix.posts[c["id"]]} == {compact}
        postcodes = {
            r["visitor_postcode"].replace(" ", "").upper()
            for r in ix.visits.values()
            if "visitor:" + r["visitor_ref"] == c["ocg_visitor"] and r["visitor_postcode"]
        }
        assert postcodes == {compact}
        assert c["ocg_member"] in ix.visited_by[c["ocg_visitor"]] and c["ocg_member"] in ix.members[c["ocg"]]
        if c["block"]:
            assert c["families_at_postcode"] >= 5 and c["visitors_at_postcode"] >= 5
    # false allegations graded E, of both types
    false = decoys["false_allegation_e"]
    assert {f["link_type"] for f in false} == {"ASSOCIATE_OF", "CORRUPT_APPROACH"}
    for f in false:
        link = ix.check_link(f["link_row"], f["link_type"], f["from"], f["to"])
        assert link["intel_eval"] == "E" and link["source_eval"] in ("2", "3")
        assert f["id"] in (f["from"], f["to"])
    assert any(f["grading"]["source_eval"] == "2" for f in false)


def test_only_planted_staff_phones_reach_ocg_related_numbers(tables, truth) -> None:
    """The relaxed guarantee: staff phones in contact with OCG-related numbers are planted ones."""
    ix = _Index(tables, truth)
    ocg_prisoners = {m for m in ix.all_members if m.startswith("prisoner:")}
    related = set()
    for phone, rows in ix.phones.items():
        for r in rows:
            holder = f"{r['subject_type']}:{r['subject_id']}"
            member_outside = holder in ix.all_members and r["subject_type"] != "prisoner"
            member_family = r["subject_type"] == "visitor" and bool(ix.visited_by[holder] & ocg_prisoners)
            member_handset = r["attribution_source"] == "seized_handset" and holder in ocg_prisoners
            if member_outside or member_family or member_handset:
                related.add(phone)
    staff_of = {phone: {h for h in ix.holders(phone) if h.startswith("staff:")} for phone in ix.phones}
    reaching = set()
    for row in ix.calls.values():
        if not row["caller_number"]:
            continue
        a, b = (_phone_node(row["caller_number"]), _phone_node(row["callee_number"]))
        for x, y in ((a, b), (b, a)):
            if y in related and x not in related:
                reaching |= staff_of.get(x, set())
    decoys = truth["decoys"]
    allowed = {s["id"] for s in truth["corrupt_staff"]}
    for key in ("staff_family_in_custody", "declared_relative_ocg", "duty_contacts"):
        allowed |= {d["id"] for d in decoys[key]}
    assert reaching <= allowed
    assert {d["id"] for d in decoys["duty_contacts"]} <= reaching
