"""Every named query of ``cypher/queries`` runs on the embedded store (real FalkorDB).

A small graph shaped as ``docs/graph-model.md`` describes is written once through the
store's upsert API (the path the loaders use); each query then runs through
:meth:`GraphStore.run_named` with parameters supplied here, and the key queries are
checked row by row.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_service.cypher_library import load_library
from graph_service.settings import load_settings
from graph_service.store import GraphStore, LoadRun, ReadOnlyViolation, open_store

RUN = LoadRun("fixture-1", now="2024-06-01T12:00:00+00:00")
LATER = LoadRun("fixture-2", now="2024-07-01T09:30:00+00:00")
OFFICIAL = {"source_eval": "1", "intel_eval": "A", "handling": "P"}

# Parameters for every query in the library; a new query needs an entry here.
PARAMS: dict[str, dict[str, Any]] = {
    "person-search": {"text": "smith"},
    "person-profile": {"person_id": "prisoner:A1111AA"},
    "person-network": {"person_id": "prisoner:A1111AA"},
    "prisoners-at-establishment": {"establishment_code": "BXN"},
    "staff-at-establishment": {"establishment_code": "BXN"},
    "visitors-of-prisoner": {"prisoner_id": "prisoner:A1111AA"},
    "prisoners-visited-by": {"visitor_id": "visitor:V1"},
    "shared-visitors": {},
    "phone-users": {"number": "+447700900002"},
    "phone-contacts": {"number": "+447700900001"},
    "numbers-called-by-many-prisoners": {},
    "staff-phone-contact-with-ocg": {},
    "staff-sharing-postcode-with-visitors": {},
    "corrupt-approaches": {},
    "intelligence-links-by-grading": {"source_evals": ["1", "2"], "intel_evals": ["A", "B"]},
    "ocg-members": {"ocg_urn": "OCG-1"},
    "ocg-overview": {},
    "identity-candidates": {},
    "counts-by-label": {},
    "links-since": {"since": "2024-06-15"},
    "network-actors": {"network": "demo"},
}


# -- the fixture graph ------------------------------------------------------------------
def person(pid: str, forenames: str, surname: str, **props: Any) -> dict[str, Any]:
    namespace, _, source_id = pid.partition(":")
    return {
        "id": pid,
        "props": {
            "namespace": namespace,
            "source_id": source_id,
            "forenames": forenames,
            "surname": surname.title(),
            "name": f"{forenames} {surname.upper()}",
            "name_key": f"{forenames} {surname}".lower(),
            "canonical_id": pid,
            "source": f"{namespace}s.csv",
            "source_ref": f"{namespace}s.csv:{source_id}",
            **props,
        },
    }


def link(src: str, dst: str, key: dict | None = None, grading: dict | None = None, **props: Any) -> dict[str, Any]:
    return {
        "src": src,
        "dst": dst,
        "key": key or {},
        "props": {"source": "fixture.csv", "source_ref": f"fixture.csv:{src}>{dst}", **(grading or OFFICIAL), **props},
    }


def events(src: str, dst: str, happened: list[tuple[str, str, int | None, str | None, str | None]]) -> dict:
    """An aggregated-link row: events are (id, at, seconds, source, place)."""
    return {
        "src": src,
        "dst": dst,
        "props": {"source": "fixture.csv", "source_ref": f"fixture.csv:{src}>{dst}", **OFFICIAL},
        "events": [{"id": i, "at": at, "seconds": s, "source": so, "place": pl} for i, at, s, so, pl in happened],
    }


def build_graph(store: GraphStore) -> None:
    run = RUN
    store.upsert_nodes(
        "Establishment",
        [
            {"id": f"establishment:{code}", "props": {"code": code, "name": name, "region": "London", "category": "B"}}
            for code, name in (("BXN", "HMP Brixton"), ("WWI", "HMP Wandsworth"), ("LPI", "HMP Liverpool"))
        ],
        run,
    )
    store.upsert_nodes(
        "Person",
        [
            person(
                "prisoner:A1111AA",
                "John",
                "Smith",
                dob="1980-01-01",
                pnc_id="80/1A",
                in_custody=True,
                establishment="BXN",
            ),
            person("prisoner:B2222BB", "Mark", "Jones", dob="1985-02-02", in_custody=True, establishment="WWI"),
            person("prisoner:C3333CC", "Paul", "Brown", dob="1975-03-03", in_custody=False, establishment="BXN"),
            person(
                "prisoner:D4444DD",
                "Ali",
                "Khan",
                dob="1990-04-04",
                in_custody=True,
                establishment="LPI",
                canonical_id="person:P3",
            ),
        ],
        run,
        extra_labels=("Prisoner",),
    )
    store.upsert_nodes(
        "Person",
        [
            person("visitor:V1", "Jane", "Smith", dob="1982-05-05", postcode="SE1 7PB"),
            person("visitor:V2", "Tom", "Reed", postcode="SW2 1AA"),
            person("visitor:V3", "Amy", "Khan"),
        ],
        run,
        extra_labels=("Visitor",),
    )
    store.upsert_nodes(
        "Person",
        [
            person("staff:S1", "Gary", "Officer", role="Officer", establishment="BXN"),
            person("staff:S2", "Helen", "Clerk", role="OSG", establishment="BXN"),
        ],
        run,
        extra_labels=("Staff",),
    )
    store.upsert_nodes(
        "Person",
        [
            person("person:P1", "Lee", "Doyle"),
            person("person:P2", "Kim", "Hub"),
            person("person:P3", "Ali", "Khan", dob="1990-04-04"),
        ],
        run,
        extra_labels=("Nominal",),
    )
    store.upsert_nodes(
        "Phone",
        [{"id": f"phone:+4477009000{n:02d}", "props": {"number": f"+4477009000{n:02d}"}} for n in (1, 2, 3, 4)],
        run,
    )
    store.upsert_nodes(
        "OCG",
        [
            {
                "id": "ocg:OCG-1",
                "props": {"urn": "OCG-1", "name": "Eastside Crew", "band": "A", "primary_crime": "drugs"},
            },
            {
                "id": "ocg:OCG-2",
                "props": {"urn": "OCG-2", "name": "North Firm", "band": "C", "primary_crime": "firearms"},
            },
        ],
        run,
    )
    store.upsert_nodes(
        "Postcode", [{"id": f"postcode:{pc}", "props": {"postcode": pc}} for pc in ("SE1 7PB", "SW2 1AA")], run
    )
    store.upsert_nodes(
        "Actor",
        [{"id": f"net:demo:{x}", "props": {"network": "demo", "label": x}} for x in "abc"]
        + [{"id": "net:other:x", "props": {"network": "other", "label": "x"}}],
        run,
    )

    held = [
        ("prisoner:A1111AA", "WWI", "2020-01-01", "2021-06-30", "W-2-10"),
        ("prisoner:A1111AA", "BXN", "2023-01-10", None, "A-1-01"),
        ("prisoner:B2222BB", "WWI", "2022-05-01", None, "B-3-07"),
        ("prisoner:C3333CC", "BXN", "2019-01-01", "2020-12-31", "C-1-02"),
        ("prisoner:D4444DD", "LPI", "2021-09-09", None, "L-4-11"),
    ]
    store.upsert_links(
        "HELD_AT",
        [
            link(pid, f"establishment:{code}", {"from": start}, to=end, cell=cell, valid_from=start, valid_to=end)
            for pid, code, start, end, cell in held
        ],
        run,
        "Person",
        "Establishment",
    )
    posts = [
        ("staff:S1", "BXN", "Officer", "2018-01-01", None),
        ("staff:S2", "WWI", "OSG", "2015-03-01", "2020-01-01"),
        ("staff:S2", "BXN", "OSG", "2020-01-02", None),
    ]
    store.upsert_links(
        "EMPLOYED_AT",
        [
            link(sid, f"establishment:{code}", {"from": start, "role": role}, to=end, valid_from=start, valid_to=end)
            for sid, code, role, start, end in posts
        ],
        run,
        "Person",
        "Establishment",
    )
    visits = [
        events(
            "visitor:V1",
            "prisoner:A1111AA",
            [
                ("VIS-1", "2021-03-01", None, None, "WWI"),
                ("VIS-2", "2023-02-01", None, None, "BXN"),
                ("VIS-3", "2024-04-01", None, None, "BXN"),
            ],
        ),
        events("visitor:V1", "prisoner:B2222BB", [("VIS-4", "2023-06-01", None, None, "WWI")]),
        events("visitor:V2", "prisoner:A1111AA", [("VIS-5", "2023-08-15", None, None, "BXN")]),
        events("visitor:V3", "prisoner:D4444DD", [("VIS-6", "2022-01-01", None, None, "LPI")]),
    ]
    visits[0]["props"]["relationship"] = "partner"
    visits[1]["props"]["relationship"] = "friend"
    visits[2]["props"]["relationship"] = "friend"
    store.accumulate_links("VISITED", visits, run, "Person", "Person")
    # The same export again (overlapping): nothing is counted twice.
    store.accumulate_links("VISITED", visits[:1], run, "Person", "Person")

    uses = [
        ("staff:S1", 1, "hr"),
        ("person:P1", 2, "intelligence"),
        ("person:P2", 3, "subscriber"),
    ]
    store.upsert_links(
        "USES_PHONE",
        [
            link(
                pid,
                f"phone:+4477009000{n:02d}",
                {"attribution_source": src},
                attribution_source=src,
                first_seen="2023-01-01",
                last_seen="2024-05-01",
                valid_from="2023-01-01",
            )
            for pid, n, src in uses
        ],
        run,
        "Person",
        "Phone",
    )
    store.accumulate_links(
        "CALLED",
        [
            events(
                "phone:+447700900001",
                "phone:+447700900002",
                [
                    ("CALL-1", "2024-01-05T10:00:00", 60, "cdr", None),
                    ("CALL-2", "2024-02-05T11:00:00", 30, "cdr", None),
                ],
            ),
            events("phone:+447700900002", "phone:+447700900001", [("CALL-3", "2024-03-01T09:00:00", 15, "cdr", None)]),
        ],
        run,
        "Phone",
        "Phone",
    )
    store.accumulate_links(
        "CALLED",
        [
            events(
                "prisoner:A1111AA",
                "phone:+447700900003",
                [
                    ("PIN-1", "2024-01-01T18:00:00", 120, "pin", "BXN"),
                    ("PIN-2", "2024-01-02T18:00:00", 100, "pin", "BXN"),
                ],
            ),
            events("prisoner:B2222BB", "phone:+447700900003", [("PIN-3", "2024-01-03T18:00:00", 50, "pin", "WWI")]),
            events("prisoner:D4444DD", "phone:+447700900003", [("PIN-4", "2024-01-04T18:00:00", 70, "pin", "LPI")]),
            events("prisoner:A1111AA", "phone:+447700900004", [("PIN-5", "2024-01-05T18:00:00", 10, "pin", "BXN")]),
            events("prisoner:A1111AA", "phone:+447700900001", [("PIN-6", "2024-02-10T19:00:00", 300, "pin", "BXN")]),
        ],
        run,
        "Person",
        "Phone",
    )
    store.upsert_links(
        "MEMBER_OF",
        [
            link("person:P1", "ocg:OCG-1", role="principal", since="2019-01-01", valid_from="2019-01-01"),
            link("prisoner:A1111AA", "ocg:OCG-1", role="member", since="2020-01-01", valid_from="2020-01-01"),
            link("person:P3", "ocg:OCG-2", role="enforcer", since="2018-01-01", valid_from="2018-01-01"),
        ],
        run,
        "Person",
        "OCG",
    )
    store.upsert_links(
        "LIVES_IN",
        [
            link("staff:S1", "postcode:SE1 7PB"),
            link("visitor:V1", "postcode:SE1 7PB"),
            link("visitor:V2", "postcode:SW2 1AA"),
        ],
        run,
        "Person",
        "Postcode",
    )
    store.upsert_links(
        "POSSIBLY_SAME_AS",
        [
            link(
                "person:P3",
                "prisoner:D4444DD",
                score=0.95,
                reasons=["surname same", "dob same"],
                decision="same",
                decided_by="analyst1",
                decided_at="2024-05-01T10:00:00+00:00",
            ),
            link("person:P1", "visitor:V2", score=0.7, reasons=["surname similar"]),
            link("prisoner:C3333CC", "visitor:V3", score=0.4, reasons=["forenames similar"]),
        ],
        run,
        "Person",
        "Person",
    )
    intel = [
        (
            "CORRUPT_APPROACH",
            "person:P1",
            "staff:S1",
            "links.csv:2",
            "2024-03-01",
            {"source_eval": "2", "intel_eval": "B", "handling": "C", "handling_conditions": "no onward dissemination"},
        ),
        (
            "CORRUPT_APPROACH",
            "prisoner:A1111AA",
            "staff:S2",
            "links.csv:3",
            "2023-11-20",
            {"source_eval": "3", "intel_eval": "C", "handling": "P"},
        ),
        (
            "ASSOCIATE_OF",
            "prisoner:A1111AA",
            "person:P1",
            "links.csv:4",
            "2022-07-07",
            {"source_eval": "3", "intel_eval": "C", "handling": "P"},
        ),
        (
            "FAMILY_OF",
            "visitor:V1",
            "prisoner:A1111AA",
            "links.csv:5",
            "2021-01-01",
            {"source_eval": "1", "intel_eval": "A", "handling": "P"},
        ),
    ]
    for type_name, src, dst, ref, day, grading in intel:
        row = link(src, dst, {"source_ref": ref}, grading, date=day, valid_from=day)
        row["props"]["source_ref"] = ref
        store.upsert_links(type_name, [row], run, "Person", "Person")
    store.upsert_links(
        "CONNECTED_TO",
        [
            link("net:demo:a", "net:demo:b", {"network": "demo"}, network="demo", weight=2, directed=False),
            link("net:demo:a", "net:demo:c", {"network": "demo"}, network="demo", weight=1, directed=False),
        ],
        run,
        "Actor",
        "Actor",
    )
    # A later load: one new intelligence link (for links-since).
    row = link(
        "person:P2",
        "person:P1",
        {"source_ref": "links.csv:9"},
        {"source_eval": "2", "intel_eval": "A", "handling": "P"},
        date="2024-06-20",
        valid_from="2024-06-20",
    )
    row["props"]["source_ref"] = "links.csv:9"
    store.upsert_links("ASSOCIATE_OF", [row], LATER, "Person", "Person")
    store.record_run(run)
    store.record_run(LATER)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    data_dir: Path = tmp_path_factory.mktemp("cypher-queries")
    opened = open_store(load_settings(data_dir=data_dir))
    try:
        build_graph(opened)
        yield opened
    finally:
        opened.close()


def run(store: GraphStore, name: str, **params: Any) -> list[dict[str, Any]]:
    return store.run_named(name, {**PARAMS[name], **params}).records()


# -- every query ------------------------------------------------------------------------
QUERIES = sorted(load_library().queries)


def test_every_query_has_test_parameters():
    assert sorted(PARAMS) == QUERIES


@pytest.mark.parametrize("name", QUERIES)
def test_query_runs_and_returns_rows(store, name):
    result = store.run_named(name, PARAMS[name])
    assert result.rows, f"{name} returned nothing on the fixture graph"
    assert not result.truncated
    assert len(set(result.columns)) == len(result.columns)


@pytest.mark.parametrize("name", QUERIES)
def test_query_is_bounded_by_limit(store, name):
    result = store.run_named(name, {**PARAMS[name], "limit": 1})
    assert len(result.rows) == 1


# -- key queries, row by row ------------------------------------------------------------
def test_person_search(store):
    assert [r["id"] for r in run(store, "person-search")] == ["visitor:V1", "prisoner:A1111AA"]  # by name
    assert [r["id"] for r in run(store, "person-search", role="Visitor")] == ["visitor:V1"]
    assert [r["id"] for r in run(store, "person-search", text="KHAN", role="Prisoner")] == ["prisoner:D4444DD"]
    assert run(store, "person-search", text="nobody") == []


def test_person_profile(store):
    (row,) = run(store, "person-profile")
    assert sorted(row["labels"]) == ["Person", "Prisoner"] and row["in_custody"] is True
    assert sorted(row["custody"], key=lambda c: c["from"]) == [
        {"establishment": "WWI", "name": "HMP Wandsworth", "from": "2020-01-01", "to": "2021-06-30", "cell": "W-2-10"},
        {"establishment": "BXN", "name": "HMP Brixton", "from": "2023-01-10", "to": None, "cell": "A-1-01"},
    ]
    assert row["ocgs"] == [
        {"urn": "OCG-1", "name": "Eastside Crew", "band": "A", "role": "member", "since": "2020-01-01"}
    ]
    assert row["posts"] == [] and row["phones"] == [] and row["same_as"] == []
    (p3,) = run(store, "person-profile", person_id="person:P3")
    assert p3["same_as"] == ["prisoner:D4444DD"]
    (s1,) = run(store, "person-profile", person_id="staff:S1")
    assert s1["posts"] == [
        {"establishment": "BXN", "name": "HMP Brixton", "role": "Officer", "from": "2018-01-01", "to": None}
    ]
    assert [p["number"] for p in s1["phones"]] == ["+447700900001"] and s1["postcodes"] == ["SE1 7PB"]
    assert run(store, "person-profile", person_id="prisoner:NOPE") == []


def test_person_network(store):
    rows = {r["id"]: r for r in run(store, "person-network")}
    assert rows["visitor:V1"]["hops"] == 1 and rows["ocg:OCG-1"]["hops"] == 1
    assert rows["person:P1"]["hops"] == 1  # ASSOCIATE_OF, and via the OCG
    assert rows["staff:S1"]["hops"] == 2  # through the staff phone it called from its PIN
    assert "prisoner:B2222BB" in rows  # V1 visits both
    assert "prisoner:C3333CC" not in rows  # only shares an establishment: not followed
    assert "establishment:BXN" in rows and rows["establishment:BXN"]["hops"] == 1
    only_visits = [r["id"] for r in run(store, "person-network", link_types=["VISITED"])]
    assert only_visits == ["visitor:V1", "visitor:V2", "prisoner:B2222BB"]


def test_prisoners_and_staff_at_establishment(store):
    rows = run(store, "prisoners-at-establishment")
    assert [(r["id"], r["received"], r["cell"]) for r in rows] == [("prisoner:A1111AA", "2023-01-10", "A-1-01")]
    assert [r["id"] for r in run(store, "prisoners-at-establishment", establishment_code="WWI")] == ["prisoner:B2222BB"]
    assert [(r["id"], r["role"]) for r in run(store, "staff-at-establishment")] == [
        ("staff:S1", "Officer"),
        ("staff:S2", "OSG"),
    ]
    assert [r["id"] for r in run(store, "staff-at-establishment", establishment_code="WWI")] == []
    past = run(store, "staff-at-establishment", establishment_code="WWI", on_date="2019-06-01")
    assert [(r["id"], r["from"], r["to"]) for r in past] == [("staff:S2", "2015-03-01", "2020-01-01")]


def test_visitors_of_prisoner(store):
    rows = run(store, "visitors-of-prisoner")
    assert [(r["visitor_id"], r["visits"], r["first"], r["last"], r["relationship"]) for r in rows] == [
        ("visitor:V1", 3, "2021-03-01", "2024-04-01", "partner"),
        ("visitor:V2", 1, "2023-08-15", "2023-08-15", "friend"),
    ]
    assert sorted(rows[0]["establishments"]) == ["BXN", "WWI"]


def test_prisoners_visited_by(store):
    rows = run(store, "prisoners-visited-by")
    assert [(r["prisoner_id"], r["visits"], r["current_establishment"]) for r in rows] == [
        ("prisoner:A1111AA", 3, "BXN"),
        ("prisoner:B2222BB", 1, "WWI"),
    ]


def test_shared_visitors(store):
    rows = run(store, "shared-visitors")
    assert [(r["visitor_id"], r["establishment_count"], r["prisoner_count"]) for r in rows] == [("visitor:V1", 2, 2)]
    assert sorted(rows[0]["establishments"]) == ["BXN", "WWI"]
    assert len(run(store, "shared-visitors", min_establishments=1)) == 3


def test_phone_users_and_contacts(store):
    assert [(r["person_id"], r["attribution_source"]) for r in run(store, "phone-users")] == [
        ("person:P1", "intelligence")
    ]
    rows = run(store, "phone-contacts")
    got = sorted((r["direction"], r["other_id"], r["calls"], r["total_seconds"]) for r in rows)
    assert got == [
        ("in", "phone:+447700900002", 1, 15),
        ("in", "prisoner:A1111AA", 1, 300),
        ("out", "phone:+447700900002", 2, 90),
    ]
    out = next(r for r in rows if r["direction"] == "out")
    assert out["other_users"] == ["Lee DOYLE"] and out["sources"] == ["cdr"]
    assert out["first"] == "2024-01-05T10:00:00" and out["last"] == "2024-02-05T11:00:00"


def test_numbers_called_by_many_prisoners(store):
    (row,) = run(store, "numbers-called-by-many-prisoners")
    assert row["number"] == "+447700900003" and row["prisoner_count"] == 3 and row["calls"] == 4
    assert sorted(row["establishments"]) == ["BXN", "LPI", "WWI"] and row["users"] == ["person:P2"]
    assert len(run(store, "numbers-called-by-many-prisoners", min_prisoners=1)) == 3


def test_staff_phone_contact_with_ocg(store):
    rows = run(store, "staff-phone-contact-with-ocg")
    got = sorted((r["staff_id"], r["direction"], r["member_id"], r["ocg_urn"], r["calls"]) for r in rows)
    assert got == [
        ("staff:S1", "called staff", "person:P1", "OCG-1", 1),
        ("staff:S1", "called staff", "prisoner:A1111AA", "OCG-1", 1),
        ("staff:S1", "staff called", "person:P1", "OCG-1", 2),
    ]


def test_staff_sharing_postcode_with_visitors(store):
    (row,) = run(store, "staff-sharing-postcode-with-visitors")
    assert (row["staff_id"], row["visitor_id"], row["postcode"]) == ("staff:S1", "visitor:V1", "SE1 7PB")
    assert sorted(p["id"] for p in row["prisoners"]) == ["prisoner:A1111AA", "prisoner:B2222BB"]
    assert row["prisoners_at_staff_establishment"] == 1


def test_corrupt_approaches(store):
    rows = run(store, "corrupt-approaches")
    assert [(r["from_id"], r["to_id"], r["date"], r["source_eval"], r["intel_eval"]) for r in rows] == [
        ("person:P1", "staff:S1", "2024-03-01", "2", "B"),
        ("prisoner:A1111AA", "staff:S2", "2023-11-20", "3", "C"),
    ]
    assert rows[0]["handling"] == "C" and rows[0]["handling_conditions"] == "no onward dissemination"
    assert [r["from_id"] for r in run(store, "corrupt-approaches", since="2024-01-01")] == ["person:P1"]


def test_intelligence_links_by_grading(store):
    rows = run(store, "intelligence-links-by-grading")
    assert [(r["type"], r["source_ref"]) for r in rows] == [
        ("FAMILY_OF", "links.csv:5"),  # 1A
        ("ASSOCIATE_OF", "links.csv:9"),  # 2A
        ("CORRUPT_APPROACH", "links.csv:2"),  # 2B
    ]
    low = run(store, "intelligence-links-by-grading", source_evals=["3"], intel_evals=["C"])
    assert sorted(r["source_ref"] for r in low) == ["links.csv:3", "links.csv:4"]
    only = run(store, "intelligence-links-by-grading", link_types=["FAMILY_OF"])
    assert [r["source_ref"] for r in only] == ["links.csv:5"]
    every = store.run_named("intelligence-links-by-grading").records()  # defaults: any grading
    assert [r["source_ref"] for r in every] == [
        "links.csv:5",
        "links.csv:9",
        "links.csv:2",
        "links.csv:3",
        "links.csv:4",
    ]


def test_ocg_members_and_overview(store):
    rows = run(store, "ocg-members")
    assert [(r["person_id"], r["role"], r["in_custody"], r["establishments"]) for r in rows] == [
        ("prisoner:A1111AA", "member", True, ["BXN"]),
        ("person:P1", "principal", False, []),
    ]
    (p3,) = run(store, "ocg-members", ocg_urn="OCG-2")
    assert p3["person_id"] == "person:P3" and p3["in_custody"] is True
    assert p3["establishments"] == ["LPI"] and p3["prisoner_records"] == ["prisoner:D4444DD"]
    overview = {r["urn"]: r for r in run(store, "ocg-overview")}
    assert (overview["OCG-1"]["members"], overview["OCG-1"]["in_custody"], overview["OCG-1"]["outside_custody"]) == (
        2,
        1,
        1,
    )
    assert overview["OCG-1"]["establishments"] == ["BXN"] and overview["OCG-1"]["band"] == "A"
    assert (overview["OCG-2"]["members"], overview["OCG-2"]["in_custody"], overview["OCG-2"]["establishments"]) == (
        1,
        1,
        ["LPI"],
    )


def test_identity_candidates(store):
    rows = run(store, "identity-candidates")
    assert [(r["a_id"], r["b_id"], r["score"], r["reasons"]) for r in rows] == [
        ("person:P1", "visitor:V2", 0.7, ["surname similar"]),
        ("prisoner:C3333CC", "visitor:V3", 0.4, ["forenames similar"]),
    ]
    assert [r["a_id"] for r in run(store, "identity-candidates", min_score=0.5)] == ["person:P1"]
    decided = run(store, "identity-candidates", include_decided=True)
    assert decided[0]["decision"] == "same" and decided[0]["decided_by"] == "analyst1"


def test_counts_by_label(store):
    counts = {r["label"]: r["nodes"] for r in run(store, "counts-by-label")}
    assert counts == {
        "Actor": 4,
        "Establishment": 3,
        "LoadRun": 2,  # the record of each load run, shown to analysts too
        "Nominal": 3,
        "OCG": 2,
        "Person": 12,
        "Phone": 4,
        "Postcode": 2,
        "Prisoner": 4,
        "Staff": 2,
        "Visitor": 3,
    }
    assert {k: v for k, v in counts.items() if k != "LoadRun"} == store.counts()["nodes"]


def test_links_since(store):
    rows = run(store, "links-since")
    assert [(r["type"], r["from_id"], r["to_id"], r["load_run"]) for r in rows] == [
        ("ASSOCIATE_OF", "person:P2", "person:P1", "fixture-2")
    ]
    everything = run(store, "links-since", since="2024-06-01", limit=1000)
    assert len(everything) == sum(store.counts()["links"].values())
    calls = run(store, "links-since", since="2024-06-01", link_types=["CALLED"])
    assert len(calls) == 7 and {r["type"] for r in calls} == {"CALLED"}


def test_network_actors(store):
    rows = run(store, "network-actors")
    assert [(r["id"], r["degree"], r["weight"]) for r in rows] == [
        ("net:demo:a", 2, 3),
        ("net:demo:b", 1, 2),
        ("net:demo:c", 1, 1),
    ]
    assert [r["id"] for r in run(store, "network-actors", network="other")] == ["net:other:x"]


# -- read-only ---------------------------------------------------------------------------
WRITES = [
    "CREATE (:Person {id: 'person:INJECTED'})",
    "MATCH (p:Person {id: 'prisoner:A1111AA'}) SET p.name = 'changed'",
    "MATCH (p:Person {id: 'prisoner:A1111AA'}) DETACH DELETE p",
    "MERGE (p:Person {id: 'person:INJECTED'}) RETURN p",
    "MATCH (p:Person {id: 'visitor:V1'}) REMOVE p:Visitor",
    "MATCH (a:Person {id: 'visitor:V1'}), (b:Person {id: 'staff:S1'}) CREATE (a)-[:ASSOCIATE_OF]->(b)",
]


@pytest.mark.parametrize("cypher", WRITES)
def test_writes_through_query_are_refused(store, cypher):
    before = store.counts()
    (name_before,) = store.query("MATCH (p:Person {id: 'prisoner:A1111AA'}) RETURN p.name").rows
    with pytest.raises(ReadOnlyViolation):
        store.query(cypher)
    assert store.counts() == before
    assert store.query("MATCH (p:Person {id: 'prisoner:A1111AA'}) RETURN p.name").rows == [name_before]
    assert store.query("MATCH (p:Person {id: 'person:INJECTED'}) RETURN p").rows == []


@pytest.mark.slow
def test_extraction_statements_pass_neo4j_parser(store):
    """The statements ``store.subgraph`` builds from its filters, as sent, pass Neo4j's
    parser too (see ``test_neo4j_parser.py``)."""
    from neo4j_parser import run_lint

    from graph_service.store import SubgraphFilter

    sent: list[str] = []
    original = store._read

    def recording(cypher, params, **options):
        sent.append(cypher)
        return original(cypher, params, **options)

    store._read = recording
    try:
        for flt in (
            SubgraphFilter(),
            SubgraphFilter(event_ids=True),
            SubgraphFilter(link_types=("CALLED",)),
            SubgraphFilter(link_types=("CALLED", "VISITED", "HELD_AT"), since="2024-01-01", until="2024-12-31"),
            SubgraphFilter(labels=("Person", "Phone"), max_nodes=5),
            SubgraphFilter(node_ids=("prisoner:A1111AA",), hops=2, link_types=("VISITED", "CALLED", "USES_PHONE")),
            SubgraphFilter(network="demo"),
            SubgraphFilter(unread=frozenset({"load_run", "source_ref", "firstseen"})),
            SubgraphFilter(runs=("fixture-1",)),  # a delta: by label, by type, by the load_run indexes
        ):
            assert store.subgraph(flt).number_of_nodes() > 0, flt
    finally:
        del store._read
    texts = sorted(set(sent))
    assert any("NOT type(r) IN $column_types" in t for t in texts) and any("DISTINCT keys(r)" in t for t in texts)
    found = run_lint([(str(n), text, "5") for n, text in enumerate(texts)])
    problems = {texts[int(key)]: diagnostics for (key, _), diagnostics in found.items() if diagnostics}
    assert problems == {}


def test_a_delta_read_finds_what_a_run_wrote_by_its_indexes(store):
    """Each statement of a delta read (``SubgraphFilter.runs``) is answered from a
    ``load_run`` index of one label or one link type (FalkorDB's plan), not a scan."""
    from graph_service.schema import LINK_TYPES, NODE_TYPES
    from graph_service.store import SubgraphFilter

    whole = store.subgraph()
    runs = sorted({data["load_run"] for *_, data in whole.edges(data=True)})
    assert len(runs) >= 2
    sent: list[tuple[str, dict]] = []
    original = store._read

    def recording(cypher, params, **options):
        sent.append((cypher, dict(params)))
        return original(cypher, params, **options)

    store._read = recording
    try:
        every = store.subgraph(SubgraphFilter(runs=tuple(runs)))
        last = store.subgraph(SubgraphFilter(runs=(runs[-1],)))
    finally:
        del store._read
    assert every.number_of_edges() == whole.number_of_edges() and set(every.nodes) == set(whole.nodes)
    written = {(u, v, d["type"]) for u, v, d in whole.edges(data=True) if d["load_run"] == runs[-1]}
    assert {(u, v, d["type"]) for u, v, d in last.edges(data=True)} == written != set()
    reads = [(text, params) for text, params in sent if text.startswith("MATCH")]
    assert len(reads) >= len(store.counts()["nodes"]) + len(store.counts()["links"])
    for text, params in reads:
        plan = str(store._graph.explain(text, params))
        assert "By Index Scan" in plan and "All Node Scan" not in plan and "Label Scan" not in plan, (text, plan)
    indexed = store._existing_indexes()
    wanted = {("NODE", n.label, "load_run") for n in NODE_TYPES} | {
        ("RELATIONSHIP", t.type, "load_run") for t in LINK_TYPES
    }
    assert wanted <= indexed


# -- the product's own statements (cypher/internal) -------------------------------------
# name: (params, placeholders, what the first row must hold). A new read needs an entry.
INTERNAL_READS: dict[str, tuple[dict[str, Any], dict[str, str], dict[str, Any]]] = {
    "person-search-count": ({"text": "smith", "role": None}, {}, {"n": 2}),
    "node-by-id": ({"id": "prisoner:A1111AA"}, {"label": "Person"}, {"labels": ["Person", "Prisoner"]}),
    "link-types-present": ({}, {}, {}),
    "node-count": ({}, {}, {}),
    "labels-present": ({}, {}, {}),
    "link-count-by-type": ({}, {"type": "VISITED"}, {}),
    "store-ping": ({}, {}, {"ok": 1}),
    "store-version": ({}, {}, {}),
    "hidden-facts-count": ({"agency": "police"}, {}, {}),
    "identity-candidates-of": ({"id": None, "include_decided": True, "limit": 10}, {}, {}),
    "entity-search": (
        {"text": "bxn", "agency": None, "skip": 0, "limit": 5},
        {"label": "Establishment"},
        {"id": "establishment:BXN"},
    ),
    "entity-links": ({"id": "prisoner:A1111AA", "limit": 50}, {"label": "Person"}, {}),
    "load-runs-since": ({"seq": 0, "run": ""}, {}, {}),
    "link-property-keys": ({}, {"type": "CALLED"}, {}),
    "link-property-keys-of-runs": ({"runs": ["fixture-1"]}, {"type": "CALLED"}, {}),
    "label-node-count": ({}, {"label": "Establishment"}, {"n": 3}),
    "label-node-ids": ({}, {"label": "Establishment"}, {}),
    "label-node-ids-present": ({"ids": ["establishment:BXN", "establishment:NOPE"]}, {"label": "Establishment"}, {}),
    "identity-records": ({}, {}, {}),
    "identity-records-written": ({"runs": ["fixture-1", "nothing"]}, {}, {}),
    "identity-records-others": ({"runs": ["nothing"]}, {}, {}),
    "identity-records-sharing": ({"dobs": [], "postcodes": ["SE1 7PB"], "pncs": []}, {}, {"id": "visitor:V1"}),
    "load-runs-unresolved": ({}, {}, {}),
    "identity-decisions": ({}, {}, {}),
    "canonical-drifted": ({}, {}, {"id": "prisoner:D4444DD"}),
    "links-present": (
        {"links": [{"src": "visitor:V1", "dst": "prisoner:A1111AA"}, {"src": "visitor:V1", "dst": "prisoner:NONE"}]},
        {"from_label": "Person", "type": "VISITED", "to_label": "Person"},
        {"src": "visitor:V1", "dst": "prisoner:A1111AA", "n": 1},
    ),
}
INTERNAL_WRITES = sorted(n for n, q in load_library().internal.items() if q.mode == "write")


def test_every_internal_read_has_test_parameters():
    reads = sorted(n for n, q in load_library().internal.items() if q.mode == "read")
    assert sorted(INTERNAL_READS) == reads


@pytest.mark.parametrize("name", sorted(INTERNAL_READS))
def test_internal_read_runs_and_returns_rows(store, name):
    params, placeholders, first = INTERNAL_READS[name]
    rows = store.read_internal(name, params, **placeholders)
    assert rows, f"{name} returned nothing on the fixture graph"
    assert {k: rows[0][k] for k in first} == first


def test_internal_reads_answer_as_the_store_holds(store):
    # Every declared type has a load_run index, so FalkorDB's catalogue knows it with or without links.
    present = {r["type"] for r in store.read_internal("link-types-present")}
    assert present >= set(store.counts()["links"]) and len(present) > len(store.counts()["links"])
    from graph_service.api.routers.maps import present_link_types

    assert set(present_link_types(store)) == set(store.counts()["links"])
    labels = {r["label"] for r in store.read_internal("labels-present")}
    assert labels == set(store.counts()["nodes"]) | {"LoadRun"}  # the run records are not counted
    graph = store.subgraph()
    visits = sum(1 for *_, kind in graph.edges(data="type") if kind == "VISITED")
    assert store.read_internal("link-count-by-type", type="VISITED") == [{"n": visits}]
    assert store.counts()["links"]["VISITED"] == visits
    assert store.read_internal("node-count")[0]["n"] == len(store.subgraph())
    present = store.read_internal(
        "label-node-ids-present", INTERNAL_READS["label-node-ids-present"][0], label="Establishment"
    )
    assert [r["id"] for r in present] == ["establishment:BXN"]
    keys = {r["key"] for r in store.read_internal("link-property-keys", type="CALLED")}
    assert {"count", "total_seconds", "event_ids"} <= keys


def test_internal_placeholders_take_only_schema_names(store):
    from graph_service.schema import SchemaError

    with pytest.raises(SchemaError):
        store.read_internal("label-node-count", label="Person) DETACH DELETE (n")
    with pytest.raises(SchemaError):
        store.read_internal("link-property-keys", type="CALLED]->() DELETE r //")
    with pytest.raises(SchemaError):
        store.write_internal("persons-upsert", {"rows": [], "now": "", "run": ""}, role="Establishment")
    with pytest.raises(Exception, match="placeholders"):
        store.read_internal("label-node-count")  # a template needs its placeholder


def test_internal_writes_are_refused_as_reads_and_reads_as_writes(store):
    from graph_service.store import StoreError

    with pytest.raises(StoreError, match="write statement"):
        store.read_internal("delete-all")
    with pytest.raises(StoreError, match="read statement"):
        store.write_internal("node-count")
    assert store.read_internal("node-count")[0]["n"] > 0


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[GraphStore]:
    opened = open_store(load_settings(data_dir=tmp_path))
    try:
        build_graph(opened)
        yield opened
    finally:
        opened.close()


def test_internal_writes_do_what_they_say(fresh):
    assert INTERNAL_WRITES == [
        "canonical-set",
        "delete-all",
        "entity-erase",
        "identity-decision-upsert",
        "load-run-record",
        "load-runs-resolved-set",
        "network-delete",
        "nominal-label-set",
        "persons-upsert",
        "prisoners-refresh",
        "staff-refresh",
    ]
    rows = [{"id": "visitor:V9", "props": {"name": "Jan DVOŘÁK", "name_key": "jan dvorak"}}]
    assert fresh.write_internal("persons-upsert", {"rows": rows, "now": "t1", "run": "r1"}, role="Visitor")[0] == {
        "written": 1
    }
    found = fresh.run_named("person-search", {"text": "dvorak"}).records()
    assert [r["id"] for r in found] == ["visitor:V9"] and "Visitor" in found[0]["labels"]
    assert [r["id"] for r in fresh.run_named("person-search", {"text": "Dvořák"}).records()] == ["visitor:V9"]
    assert fresh.read_internal("node-by-id", {"id": "visitor:V9"}, label="Person")[0]["props"]["canonical_id"] == (
        "visitor:V9"
    )
    fresh.write_internal(
        "canonical-set", {"rows": [{"id": "visitor:V9", "canonical": "visitor:V1"}], "now": "t2", "run": "r1"}
    )
    again = fresh.write_internal("persons-upsert", {"rows": rows, "now": "t3", "run": "r2"}, role="Visitor")
    assert again == [{"written": 1}]
    props = fresh.read_internal("node-by-id", {"id": "visitor:V9"}, label="Person")[0]["props"]
    assert props["canonical_id"] == "visitor:V1" and props["firstseen"] == "t1"  # a decision is never overwritten
    fresh.write_internal("nominal-label-set", {"ids": ["visitor:V9"]})
    assert "Nominal" in fresh.read_internal("node-by-id", {"id": "visitor:V9"}, label="Person")[0]["labels"]
    decision = {
        "src": "visitor:V9",
        "dst": "visitor:V1",
        "decision": "same",
        "decided_by": "analyst1",
        "decided_at": "2024-06-02T10:00:00",
        "entries": ["same|analyst1|2024-06-02T10:00:00"],
        "source": "resolutions.csv",
        "source_ref": "resolutions.csv:2",
    }
    grading = {"source_eval": "1", "intel_eval": "A", "handling": "P"}
    params = {"rows": [decision], "grading": grading, "now": "t4", "run": "r3"}
    assert fresh.write_internal("identity-decision-upsert", params) == [{"written": 1}]
    assert {"a": "visitor:V9", "b": "visitor:V1", "decision": "same"} in fresh.read_internal("identity-decisions")
    actors = {r["id"] for r in fresh.read_internal("label-node-ids", label="Actor")}
    fresh.write_internal("network-delete", {"name": "demo"})
    left = {r["id"] for r in fresh.read_internal("label-node-ids", label="Actor")}
    assert left == {a for a in actors if not a.startswith("net:demo:")} and left != actors
    fresh.write_internal("prisoners-refresh", {"ids": ["prisoner:A1111AA"], "run": "r4"})
    fresh.write_internal("staff-refresh", {"ids": ["staff:S1"], "run": "r4"})
    held = fresh.read_internal("node-by-id", {"id": "prisoner:A1111AA"}, label="Person")[0]["props"]
    assert held["load_run"] == "r4" and "in_custody" in held  # a refresh is part of the run's changes
    before = fresh.version()
    first = fresh.write_internal("load-run-record", {"run": "r5", "now": "t5", "rewrite": False, "agency": "hmpps"})[0][
        "seq"
    ]
    again = fresh.write_internal("load-run-record", {"run": "r5", "now": "t6", "rewrite": True, "agency": "hmpps"})[0][
        "seq"
    ]
    assert (first, again) == (before.seq + 1, before.seq + 2) and fresh.version().run == "r5"
    since = [(r["run"], r["rewrite"]) for r in fresh.runs_since(before)]
    assert since == [(before.run, False), ("r5", True)]  # the known run (still there), then the new one
    assert "r5" in {r["run"] for r in fresh.read_internal("load-runs-unresolved")}
    assert fresh.write_internal("load-runs-resolved-set", {"runs": ["r5", "nothing"]}) == [{"marked": 1}]
    assert "r5" not in {r["run"] for r in fresh.read_internal("load-runs-unresolved")}
    erased = fresh.write_internal("entity-erase", {"id": "prisoner:A1111AA"}, label="Person")
    assert erased == [{"n": 1}] and fresh.read_internal("node-by-id", {"id": "prisoner:A1111AA"}, label="Person") == []
    fresh.write_internal("delete-all")
    assert fresh.read_internal("node-count") == [{"n": 0}]
    assert fresh.version().seq == 0
