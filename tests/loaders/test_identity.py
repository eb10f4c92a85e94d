"""Identity resolution: candidates, scores, analysts' decisions and their reversal."""

from __future__ import annotations

import itertools
import random

import pytest
from loaderdata import small_world, write

from graph_service.store import LoadRun
from loaders import identity
from loaders.identity import (
    THRESHOLD,
    Record,
    apply_decisions,
    canonical_groups,
    dob_similarity,
    find_candidates,
    read_records,
    resolve_identities,
    score_pair,
    soundex,
)
from loaders.runner import load_directory


def rec(pid, forenames, surname, dob=None, postcode=None):
    return Record.of({"id": pid, "forenames": forenames, "surname": surname, "dob": dob, "postcode": postcode})


def test_soundex_and_dob_rules():
    assert soundex("Robert") == soundex("Rupert") == "R163"
    assert soundex("Smith") == soundex("Smyth")
    assert dob_similarity("1985-03-12", "1985-03-12")[0] == 1.0
    assert dob_similarity("1985-03-12", "1985-12-03") == (0.7, "dob day/month swapped")
    assert dob_similarity("1985-03-12", "1985-03-13")[1] == "dob one digit different"
    assert dob_similarity("1985-03-12", "1958-03-12")[1] == "dob digits transposed"
    assert dob_similarity("1985-03-12", "1979-07-30")[0] == 0.0
    assert dob_similarity(None, "1979-07-30")[0] == 0.5


@pytest.mark.parametrize(
    "a, b, reason",
    [
        (("Jonathan", "Smith", "1985-03-12"), ("Jon", "Smith", "1985-03-12"), "forename variant (jonathan~jon)"),
        (("William", "Jones", "1970-01-02"), ("Bill", "Jones", "1970-01-02"), "forename variant (william~bill)"),
        (("Mary", "Thompson", "1990-05-06"), ("Mary", "Thomson", "1990-05-06"), "surname similar (thompson~thomson)"),
        (("Siobhán", "O'Brien", "1990-05-06"), ("Siobhan", "OBrien", "1990-05-06"), "surname same"),
        (
            ("Kate", "Reid", "1990-05-06"),
            ("Kate", "Campbell-Reid", "1990-05-06"),
            "surname part shared (reid~campbell reid)",
        ),
        (
            ("Tom", "Green", "1980-02-03", "E1 6AN"),
            ("Thomas", "Green", "1980-03-02", "E1 6AN"),
            "dob day/month swapped",
        ),
        (("Tom", "Green", "1980-02-03", "E1 6AN"), ("Tom", "Green", "1980-02-08", "E1 6AN"), "dob one digit different"),
    ],
)
def test_same_people_score_high(a, b, reason):
    result = score_pair(rec("prisoner:X", *a), rec("visitor:Y", *b))
    assert result is not None and result[0] >= 0.75, result
    assert reason in result[1]


def test_look_alikes_are_not_candidates():
    # same name, different date of birth and postcode
    assert (
        score_pair(
            rec("prisoner:X", "John", "Smith", "1985-03-12", "SE1 7PB"),
            rec("visitor:Y", "John", "Smith", "1972-11-30", "M1 1AE"),
        )
        is None
    )
    # same dob, different people
    assert (
        score_pair(rec("prisoner:X", "John", "Smith", "1985-03-12"), rec("visitor:Y", "Aisha", "Khan", "1985-03-12"))
        is None
    )
    # a nearly equal dob without the same postcode: chance among common names
    near = score_pair(
        rec("prisoner:X", "John", "Smith", "1985-03-12", "SE1 7PB"),
        rec("visitor:Y", "John", "Smith", "1985-03-13", "M1 1AE"),
    )
    assert near is not None and near[0] < 0.75
    # no dob on one side: needs the same postcode
    weak = score_pair(rec("prisoner:X", "John", "Smith", "1985-03-12"), rec("visitor:Y", "John", "Smith"))
    assert weak is not None and weak[0] < 0.75
    strong = score_pair(
        rec("prisoner:X", "John", "Smith", "1985-03-12", "SE1 7PB"), rec("visitor:Y", "John", "Smith", None, "SE1 7PB")
    )
    assert strong is not None and strong[0] >= 0.75


def test_blocking_finds_pairs_with_dob_typos():
    records = [
        rec("prisoner:A1", "Jonathan", "Smith", "1985-03-12", "SE1 7PB"),
        rec("person:P1", "Jon", "Smyth", "1985-03-13", "SE1 7PB"),  # no shared dob: found through the postcode
        rec("visitor:V1", "Alice", "Brown", "1970-01-01"),
        rec("visitor:V2", "Alice", "Brown", "1970-01-01"),  # a visitor registered twice
        # a dropped letter changes the Soundex (W350 / W325) and one record has no dob
        rec("visitor:V3", "Hayley", "Waton", None, "SE3 9SX"),
        rec("visitor:V4", "Hayley", "Watson", "1961-08-30", "SE3 9SX"),
    ]
    found, compared = find_candidates(records)
    assert set(found) == {("person:P1", "prisoner:A1"), ("visitor:V1", "visitor:V2"), ("visitor:V3", "visitor:V4")}
    assert compared == 3


def test_blocking_misses_no_pair_that_brute_force_finds():
    rng = random.Random(5)
    records = [
        Record.of(
            {
                "id": f"{rng.choice(['prisoner', 'visitor', 'person', 'staff'])}:{i}",
                "forenames": rng.choice(["Jonathan", "Jon", "John", "Mary", "Marie", "Bill", "William Ann"]),
                "surname": rng.choice(["Smith", "Smyth", "Smithe", "Jones", "Jonas", "Waton", "Watson"]),
                "dob": rng.choice([None, "1985-03-12", "1985-12-03", "1985-03-13", "1958-03-12", "1970-01-01"]),
                "postcode": rng.choice([None, "SE1 7PB", "SE3 9SX", "M1 1AE"]),
                "pnc_id": rng.choice([None, None, "2004/5505036J", "99/123A"]),
            }
        )
        for i in range(160)
    ]
    brute = {}
    for a, b in itertools.combinations(sorted(records, key=lambda r: r.id), 2):
        result = score_pair(a, b)
        if result is not None and result[0] >= THRESHOLD:
            brute[(a.id, b.id)] = result
    found, compared = find_candidates(records)
    assert len(brute) > 100  # the sample has plenty of passing pairs
    assert found == brute
    assert compared < len(records) * (len(records) - 1) // 2


def test_an_oversized_block_is_split_by_forename_and_surname(monkeypatch):
    monkeypatch.setattr(identity, "MAX_BLOCK", 3)
    records = [
        rec(f"visitor:V{i}", name, surname, None, "E1 6AN")
        for i, (name, surname) in enumerate(
            [("Mary", "Smith"), ("Mary", "Smyth"), ("John", "Smith"), ("Jon", "Smith"), ("Aisha", "Khan")]
        )
    ]
    found, compared = find_candidates(records)
    assert set(found) == {("visitor:V0", "visitor:V1"), ("visitor:V2", "visitor:V3")}
    assert compared == 2


def test_union_find_groups_take_the_smallest_id():
    groups = canonical_groups([("b", "c"), ("c", "a"), ("x", "y")])
    assert groups == {"a": "a", "b": "a", "c": "a", "x": "x", "y": "x"}


def canonical(store, node_id):
    return store.read_all("MATCH (n:Person {id: $id}) RETURN n.canonical_id AS c", {"id": node_id})[0]["c"]


def same_as(store):
    return {
        (r["a"], r["b"]): r
        for r in store.read_all(
            "MATCH (a)-[r:POSSIBLY_SAME_AS]->(b) RETURN a.id AS a, b.id AS b, r.score AS score, r.reasons AS reasons, "
            "r.decision AS decision, r.decided_by AS decided_by, r.decided_at AS decided_at, r.decisions AS decisions"
        )
    }


RES_HEADER = "left_type,left_id,right_type,right_id,decision,decided_by,decided_at"


def test_candidates_and_decisions_end_to_end(store, tmp_path):
    directory = small_world(tmp_path / "in")
    write(
        directory,
        "resolutions.csv",
        f"""
        {RES_HEADER}
        prisoner,A1234BC,person,P000001,same,analyst.one,2024-05-01T10:00:00
        visitor,V000002,person,P000002,same,analyst.one,2024-05-01T11:00:00
        visitor,V000001,staff,S10001,different,analyst.two,2024-05-02
        prisoner,A1234BC,visitor,V404,same,analyst.two,2024-05-02
        """,
    )
    report = load_directory(store, directory, progress=False)
    assert report.identity["candidates"] == 3
    assert report.file("resolutions.csv").rejected == 1  # V404 unknown
    links = same_as(store)
    jon = links[("person:P000001", "prisoner:A1234BC")]
    assert jon["score"] >= 0.75 and jon["reasons"] == [
        "surname similar (smyth~smith)",
        "forename variant (jon~jonathan)",
        "dob day/month swapped",
        "pnc_id same",
    ]
    assert jon["decision"] == "same" and jon["decided_by"] == "analyst.one"
    assert canonical(store, "prisoner:A1234BC") == canonical(store, "person:P000001") == "person:P000001"
    assert canonical(store, "visitor:V000002") == "person:P000002"
    kate = links[("staff:S10001", "visitor:V000001")]
    assert (kate["decision"], kate["decided_by"], kate["decided_at"]) == (
        "different",
        "analyst.two",
        "2024-05-02T00:00:00",
    )
    assert kate["score"] >= 0.75  # the candidate stays, suppressed by its decision
    assert canonical(store, "staff:S10001") == "staff:S10001"
    # source records are not rewritten
    person = store.read_all("MATCH (n {id: 'prisoner:A1234BC'}) RETURN n.surname AS s, n.forenames AS f")[0]
    assert (person["s"], person["f"]) == ("Smith", "Jonathan")

    # Loading the sources again keeps the analysts' canonical ids and decisions.
    load_directory(store, directory, progress=False)
    assert canonical(store, "prisoner:A1234BC") == "person:P000001"
    assert same_as(store)[("staff:S10001", "visitor:V000001")]["decision"] == "different"

    # A later 'different' reverses the 'same'; an older decision loaded afterwards changes nothing.
    later = tmp_path / "later"
    later.mkdir()
    write(
        later,
        "resolutions.csv",
        f"{RES_HEADER}\nperson,P000001,prisoner,A1234BC,different,analyst.three,2024-06-01T09:00:00\n",
    )
    load_directory(store, later, progress=False)
    assert canonical(store, "prisoner:A1234BC") == "prisoner:A1234BC"
    assert canonical(store, "person:P000001") == "person:P000001"
    jon = same_as(store)[("person:P000001", "prisoner:A1234BC")]
    assert (jon["decision"], jon["decided_by"]) == ("different", "analyst.three")
    assert jon["decisions"] == [
        "same|analyst.one|2024-05-01T10:00:00",
        "different|analyst.three|2024-06-01T09:00:00",
    ]
    older = tmp_path / "older"
    older.mkdir()
    write(
        older,
        "resolutions.csv",
        f"{RES_HEADER}\nperson,P000001,prisoner,A1234BC,same,analyst.one,2024-05-01T10:00:00\n",
    )
    load_directory(store, older, progress=False)
    assert canonical(store, "prisoner:A1234BC") == "prisoner:A1234BC"
    assert canonical(store, "visitor:V000002") == "person:P000002"  # other groups untouched


def test_groups_chain_through_several_decisions(store, tmp_path, run):
    directory = small_world(tmp_path / "in")
    write(
        directory,
        "resolutions.csv",
        f"""
        {RES_HEADER}
        prisoner,A1234BC,person,P000001,same,a,2024-05-01
        staff,S10001,person,P000001,same,a,2024-05-01
        """,
    )
    load_directory(store, directory, progress=False)
    assert {canonical(store, x) for x in ("prisoner:A1234BC", "person:P000001", "staff:S10001")} == {"person:P000001"}
    # re-running the resolver does not touch decisions
    summary = resolve_identities(store, LoadRun("again"), full=True)
    assert summary["candidates"] == 3 and summary["mode"] == "full"
    assert apply_decisions(store, LoadRun("again"))["groups"] == 1
    assert canonical(store, "staff:S10001") == "person:P000001"


DAY_PERSONS = """
person_ref,surname,forenames,dob,pnc_id,postcode
P000010,Okafor,Chinedu,1990-07-01,,
P000011,Jones,Katie,1979-11-02,,SE1 7PB
P000012,Green,Tom,1980-02-03,,E1 6AN
"""
DAY_VISITS = """
visit_id,visit_date,establishment_code,prison_number,visitor_ref,visitor_surname,visitor_forenames,visitor_dob,visitor_postcode,relationship
VIS9,2024-04-01,BXI,B2222BB,V000009,Green,Thomas,1980-03-02,E1 6AN,friend
"""


def _day(directory):
    directory.mkdir()
    write(directory, "persons.csv", DAY_PERSONS)
    write(directory, "visits.csv", DAY_VISITS)
    return directory


def _all_candidates(store):
    return set(find_candidates(read_records(store))[0])


def test_a_later_load_compares_only_the_records_it_wrote_and_finds_what_a_full_pass_finds(store, tmp_path):
    first = load_directory(store, small_world(tmp_path / "in"), progress=False)
    assert first.identity["mode"] == "full"  # an empty store: every record is new
    day = load_directory(store, _day(tmp_path / "day"), progress=False)
    summary = day.identity
    assert summary["mode"] == "written"
    # the day's three persons and one visitor (the prisoner it names is only referenced)
    assert summary["persons_written"] == 4
    assert summary["persons"] < len(read_records(store))  # not every record was read
    found = set(same_as(store))
    assert found == _all_candidates(store)
    assert {("person:P000010", "prisoner:B2222BB"), ("person:P000012", "visitor:V000009")} <= found
    assert ("person:P000011", "staff:S10001") in found or ("person:P000011", "visitor:V000001") in found
    assert summary["pairs_compared"] < len(read_records(store)) ** 2 // 2


def test_records_of_a_load_that_skipped_identity_resolution_are_compared_by_the_next(store, tmp_path):
    load_directory(store, small_world(tmp_path / "in"), progress=False)
    load_directory(store, _day(tmp_path / "day"), progress=False, resolve=False)
    assert set(same_as(store)) != _all_candidates(store)  # the day's pairs are still missing
    later = tmp_path / "later"
    later.mkdir()
    write(later, "persons.csv", "person_ref,surname,forenames,dob,pnc_id,postcode\nP000020,Nobody,Quite,1901-01-01,,\n")
    report = load_directory(store, later, progress=False)
    assert report.identity["mode"] == "written" and report.identity["persons_written"] == 5
    assert set(same_as(store)) == _all_candidates(store)


def test_a_later_load_finds_a_record_sharing_only_a_pnc_id_stored_in_another_case(store, tmp_path):
    header = "person_ref,surname,forenames,dob,pnc_id,postcode\n"
    first, day = tmp_path / "first", tmp_path / "day"
    first.mkdir()
    day.mkdir()
    others = "".join(f"P0001{i:02d},Filler,Person,19{50 + i}-01-01,,\n" for i in range(6))
    write(first, "persons.csv", header + "P000030,Adeyemi,Tunde,1975-04-06,2004/5505036j,\n" + others)
    load_directory(store, first, progress=False)
    # another date of birth (one digit out) and no postcode: only the PNC id joins them
    write(day, "persons.csv", header + "P000031,Adeyemi,Tunde,1975-04-09,2004/5505036J,\n")
    summary = load_directory(store, day, progress=False).identity
    assert summary["mode"] == "written" and summary["persons"] == 2
    assert ("person:P000030", "person:P000031") in set(same_as(store))
    assert set(same_as(store)) == _all_candidates(store)
