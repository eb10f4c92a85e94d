"""Tests of the synthetic world generator (demo scale only, to stay fast)."""

from __future__ import annotations

import csv
import hashlib
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
    first_call = {}
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
def numbers(tables, bad_lines) -> set[str]:
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
    staff_postcodes = defaultdict(set)
    for _, row in tables["staff.csv"]:
        staff_postcodes["staff:" + row["staff_number"]].add(row["home_postcode"].replace(" ", "").upper())
    visitor_postcodes = defaultdict(set)
    for _, row in tables["visits.csv"]:
        if row["visitor_postcode"]:
            visitor_postcodes["visitor:" + row["visitor_ref"]].add(row["visitor_postcode"].replace(" ", "").upper())
    phones = {(r["subject_type"], r["subject_id"], _e164(r["phone_number"])) for _, r in tables["phones.csv"]}
    kinds = Counter()
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
    assert set(kinds) == {"phone_contact", "shared_postcode", "corrupt_approach"}
    # no innocent staff member shares an exact postcode with a visitor
    everyone = set().union(*visitor_postcodes.values())
    corrupt_shared = {
        s["id"] for s in truth["corrupt_staff"] if any(e["kind"] == "shared_postcode" for e in s["evidence"])
    }
    family = {d["id"] for d in truth["decoys"]["staff_family_in_custody"]}
    for sid, postcodes in staff_postcodes.items():
        if sid not in corrupt_shared and sid not in family:
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
