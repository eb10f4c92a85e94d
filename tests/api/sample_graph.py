"""A small intelligence graph (a few dozen nodes) written straight through the store.

Shared by the API tests and the browser tests. ``expected_neighbourhood`` computes a
map's node set independently of the store (plain breadth-first search over LINKS).
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from graph_service.cypher_library import CYPHER_DIR, CypherLibrary
from graph_service.settings import Settings, load_settings
from graph_service.store import GraphStore, LoadRun, open_store

RUN = LoadRun("sample-run", now="2025-01-01T00:00:00+00:00")
OFFICIAL = {"source_eval": "1", "intel_eval": "A", "handling": "P"}

# Awkward names on purpose: an apostrophe and markup that must never run.
XSS_NAME = 'Eve <img src=x onerror="window.__xss=1">'

PEOPLE: list[tuple[str, str, str, dict]] = [
    # id, role label, display name, extra properties
    (
        "prisoner:A0001AA",
        "Prisoner",
        "Ronald HARVEY",
        {"dob": "1980-02-03", "pnc_id": "2001/1234567A", "establishment": "HMP-AAA"},
    ),
    ("prisoner:A0002BB", "Prisoner", "Kevin MALONE", {"dob": "1975-05-06", "establishment": "HMP-AAA"}),
    ("prisoner:A0003CC", "Prisoner", "Lee O'BRIEN", {"dob": "1990-07-08", "establishment": "HMP-BBB"}),
    ("prisoner:A0004DD", "Prisoner", XSS_NAME, {"dob": "1991-01-01", "establishment": "HMP-BBB"}),
    ("visitor:V000001", "Visitor", "Sharon HARVEY", {"postcode": "SE1 7PB"}),
    ("visitor:V000002", "Visitor", "Dean PRICE", {"postcode": "SE1 7PB"}),
    ("staff:S00001", "Staff", "Paul BENT", {"role": "Officer", "establishment": "HMP-AAA"}),
    ("person:P000001", "Nominal", "Marcus COLE", {"pnc_id": "1999/7654321B"}),
]
# Thirty more visitors of Lee O'BRIEN: pagination and the node cap.
FILLER_VISITORS = [(f"visitor:V1{n:05d}", "Visitor", f"Filler VISITOR{n:02d}", {}) for n in range(30)]

PHONES = [f"phone:+4477009000{n:02d}" for n in range(1, 7)]

# (type, src, dst, from label, to label, key, props)
LINKS: list[tuple[str, str, str, str, str, dict, dict]] = [
    (
        "HELD_AT",
        "prisoner:A0001AA",
        "establishment:HMP-AAA",
        "Person",
        "Establishment",
        {"from": "2023-01-01"},
        {"cell": "A1-01", "valid_from": "2023-01-01"},
    ),
    (
        "HELD_AT",
        "prisoner:A0002BB",
        "establishment:HMP-AAA",
        "Person",
        "Establishment",
        {"from": "2023-02-01"},
        {"valid_from": "2023-02-01"},
    ),
    ("HELD_AT", "prisoner:A0003CC", "establishment:HMP-BBB", "Person", "Establishment", {"from": "2022-01-01"}, {}),
    ("HELD_AT", "prisoner:A0004DD", "establishment:HMP-BBB", "Person", "Establishment", {"from": "2022-03-01"}, {}),
    (
        "EMPLOYED_AT",
        "staff:S00001",
        "establishment:HMP-AAA",
        "Person",
        "Establishment",
        {"from": "2020-01-01", "role": "Officer"},
        {},
    ),
    (
        "VISITED",
        "visitor:V000001",
        "prisoner:A0001AA",
        "Person",
        "Person",
        {},
        {"count": 5, "first": "2024-01-01", "last": "2024-06-01", "relationship": "sister"},
    ),
    (
        "VISITED",
        "visitor:V000002",
        "prisoner:A0002BB",
        "Person",
        "Person",
        {},
        {"count": 1, "first": "2024-02-01", "last": "2024-02-01"},
    ),
    ("USES_PHONE", "prisoner:A0001AA", PHONES[0], "Person", "Phone", {"attribution_source": "pin"}, {}),
    ("USES_PHONE", "visitor:V000001", PHONES[1], "Person", "Phone", {"attribution_source": "subscriber"}, {}),
    ("USES_PHONE", "staff:S00001", PHONES[2], "Person", "Phone", {"attribution_source": "hr"}, {}),
    ("USES_PHONE", "person:P000001", PHONES[3], "Person", "Phone", {"attribution_source": "police"}, {}),
    ("USES_PHONE", "prisoner:A0004DD", PHONES[5], "Person", "Phone", {"attribution_source": "pin"}, {}),
    (
        "CALLED",
        PHONES[0],
        PHONES[1],
        "Phone",
        "Phone",
        {},
        {"count": 12, "total_seconds": 3600, "first": "2024-01-02T10:00:00", "last": "2024-05-01T10:00:00"},
    ),
    ("CALLED", PHONES[2], PHONES[0], "Phone", "Phone", {}, {"count": 3, "total_seconds": 300}),
    ("CALLED", PHONES[3], PHONES[1], "Phone", "Phone", {}, {"count": 2, "total_seconds": 100}),
    ("CALLED", PHONES[4], PHONES[3], "Phone", "Phone", {}, {"count": 1, "total_seconds": 10}),
    ("MEMBER_OF", "person:P000001", "ocg:OCG-0001", "Person", "OCG", {}, {"role": "principal"}),
    ("LIVES_IN", "visitor:V000001", "postcode:SE1 7PB", "Person", "Postcode", {}, {}),
    ("LIVES_IN", "visitor:V000002", "postcode:SE1 7PB", "Person", "Postcode", {}, {}),
    (
        "ASSOCIATE_OF",
        "prisoner:A0001AA",
        "person:P000001",
        "Person",
        "Person",
        {"source_ref": "IR-2024-000001"},
        {
            "source_eval": "2",
            "intel_eval": "B",
            "handling": "C",
            "handling_conditions": "Not for onward disclosure",
            "originating_agency": "police",
            "date": "2024-03-01",
        },
    ),
    (
        "CORRUPT_APPROACH",
        "prisoner:A0002BB",
        "staff:S00001",
        "Person",
        "Person",
        {"source_ref": "IR-2024-000002"},
        {"source_eval": "3", "intel_eval": "C", "handling": "P", "date": "2024-04-01"},
    ),
] + [
    (
        "VISITED",
        vid,
        "prisoner:A0003CC",
        "Person",
        "Person",
        {},
        {"count": 1, "first": "2024-03-03", "last": "2024-03-03"},
    )
    for vid, *_ in FILLER_VISITORS
]

OTHER_NODES: list[tuple[str, str, dict]] = [
    (
        "Establishment",
        "establishment:HMP-AAA",
        {"code": "HMP-AAA", "name": "HMP Alpha", "region": "London", "category": "B"},
    ),
    (
        "Establishment",
        "establishment:HMP-BBB",
        {"code": "HMP-BBB", "name": "HMP Bravo", "region": "Kent", "category": "C"},
    ),
    (
        "OCG",
        "ocg:OCG-0001",
        {"urn": "OCG-0001", "name": "Eastside Crew", "band": "1A", "primary_crime": "drugs supply"},
    ),
    ("Postcode", "postcode:SE1 7PB", {"postcode": "SE1 7PB"}),
] + [("Phone", p, {"number": p.removeprefix("phone:")}) for p in PHONES]

ALL_PEOPLE = PEOPLE + FILLER_VISITORS
NODE_COUNT = len(ALL_PEOPLE) + len(OTHER_NODES)


def _provenance(source: str, ref: str) -> dict:
    return {"source": source, "source_ref": ref}


def write_sample_graph(store: GraphStore) -> None:
    for label, node_id, props in OTHER_NODES:
        store.upsert_nodes(
            label, [{"id": node_id, "props": {**props, **_provenance(f"{label.lower()}s.csv", node_id)}}], RUN
        )
    for role in ("Prisoner", "Visitor", "Staff", "Nominal"):
        rows = []
        for n, (node_id, person_role, name, extra) in enumerate(ALL_PEOPLE):
            if person_role != role:
                continue
            forenames, _, surname = name.rpartition(" ")
            rows.append(
                {
                    "id": node_id,
                    "props": {
                        "name": name,
                        "name_key": name.lower(),
                        "surname": surname,
                        "forenames": forenames,
                        "namespace": node_id.split(":")[0],
                        "canonical_id": node_id,
                        **extra,
                        **_provenance(f"{role.lower()}s.csv", f"{role.lower()}s.csv:{n + 2}"),
                    },
                }
            )
        store.upsert_nodes("Person", rows, RUN, extra_labels=(role,))
    for n, (kind, src, dst, from_label, to_label, key, props) in enumerate(LINKS):
        row = {
            "src": src,
            "dst": dst,
            "key": key,
            "props": {
                **OFFICIAL,
                **props,
                **key,
                **_provenance("links.csv" if "source_ref" in key else "sample.csv", f"row {n + 2}"),
            },
        }
        if "source_ref" in key:
            row["props"]["source_ref"] = key["source_ref"]
        written = store.upsert_links(kind, [row], RUN, from_label, to_label)
        assert written == 1, (kind, src, dst)


TEST_SECRET = "test-secret-key-of-the-api-tests-0123456789"
PASSWORD = "a long test password"
# One user per role (police) and an analyst of each other agency.
TEST_USERS = [
    ("viewer.police", "viewer", "police"),
    ("analyst.police", "analyst", "police"),
    ("admin.police", "admin", "police"),
    ("analyst.hmpps", "analyst", "hmpps"),
    ("analyst.probation", "analyst", "probation"),
    ("analyst.nca", "analyst", "nca"),
]


def build_data_dir(data_dir: Path) -> Settings:
    """A data folder whose embedded store holds the sample graph (store closed after)
    and whose application database holds ``TEST_USERS`` (password ``PASSWORD``)."""
    from graph_service.appdb import open_app_db
    from graph_service.appdb.users import Users

    settings = load_settings(
        data_dir=data_dir,
        secret_key=TEST_SECRET,
        allowed_hosts="127.0.0.1,localhost,testserver",
        signin_rate="100000/minute",
        query_rate="100000/minute",
    )
    store = open_store(settings)
    try:
        store.delete_all()
        write_sample_graph(store)
    finally:
        store.close()
    db = open_app_db(settings)
    try:
        users = Users(db)
        for username, role, agency in TEST_USERS:
            if users.get(username) is None:
                users.add(username, PASSWORD, role, agency)
    finally:
        db.close()
    return settings


def expected_neighbourhood(centre: str, hops: int, exclude: Iterable[str] = ("HELD_AT", "EMPLOYED_AT")) -> set[str]:
    """Node ids within ``hops`` links of ``centre``, links followed either way."""
    skip = set(exclude)
    adjacent: dict[str, set[str]] = defaultdict(set)
    for kind, src, dst, *_ in LINKS:
        if kind in skip:
            continue
        adjacent[src].add(dst)
        adjacent[dst].add(src)
    seen, frontier = {centre}, {centre}
    for _ in range(hops):
        frontier = {b for a in frontier for b in adjacent[a]} - seen
        seen |= frontier
    return seen


TEST_QUERIES = {
    "people-named.cypher": """// name: people-named
// description: People whose name contains some text, with their ids.
// params: name_part, limit=10
MATCH (p:Person) WHERE toLower(p.name) CONTAINS toLower($name_part)
RETURN p.id AS id, p.name AS name ORDER BY name LIMIT $limit
""",
    "phones-of-person.cypher": """// name: phones-of-person
// description: Phones attributed to a person.
// params: person_id
MATCH (p:Person {id: $person_id})-[:USES_PHONE]->(ph:Phone)
RETURN ph.number AS number ORDER BY number
""",
    "links-of-person.cypher": """// name: links-of-person
// description: Every link of a person, as paths (the console draws them as a graph).
// params: person_id
MATCH p = (:Person {id: $person_id})-[]-()
RETURN p
""",
    "sneaky-write.cypher": """// name: sneaky-write
// description: A query that tries to write (the library must never run it).
// params:
MATCH (p:Person) SET p.flagged = true RETURN count(p) AS n
""",
}


def sample_library(root: Path) -> CypherLibrary:
    """A query library in ``root``: four files (one of them tries to write) and the
    product's ``person-search``, which the people page runs."""
    queries = root / "queries"
    queries.mkdir(parents=True, exist_ok=True)
    for name, text in TEST_QUERIES.items():
        (queries / name).write_text(text, encoding="utf-8")
    shutil.copy(CYPHER_DIR / "queries" / "person_search.cypher", queries / "person_search.cypher")
    return CypherLibrary(root)
