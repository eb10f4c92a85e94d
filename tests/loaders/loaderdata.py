"""Contract CSV fixtures for the loaders' tests (small consistent worlds, a writer)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATASETS = REPO / ".." / "shared" / "datasets" / "criminal-networks"


def write(directory: Path, name: str, text: str, *, bom: bool = False) -> Path:
    """Write a CSV fixture (lines dedented, trailing newline added)."""
    lines = [line.strip() for line in text.strip("\n").splitlines()]
    path = directory / name
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


ESTABLISHMENTS = """
establishment_code,name,region,category
BXI,HMP Brixton,London,B
WWI,HMP Wandsworth,London,B
"""

PRISONERS = """
prison_number,surname,forenames,dob,gender,pnc_id,establishment_code,reception_date,release_date,cell_location
A1234BC,Smith,Jonathan,1985-03-12,M,85/123456A,BXI,2020-01-01,2021-06-30,B-2-14
A1234BC,Smith,Jonathan,1985-03-12,M,85/123456A,WWI,2023-05-01,,C-1-01
B2222BB,Okafor,Chinedu,1990-07-01,M,,BXI,2024-01-01,,A-1-02
"""

STAFF = """
staff_number,surname,forenames,dob,establishment_code,role,start_date,end_date,home_postcode
S10001,Jones,Katherine,1979-11-02,BXI,Prison Officer,2015-04-01,,se1 7pb
"""

PERSONS = """
person_ref,surname,forenames,dob,pnc_id,postcode
P000001,Smyth,Jon,1985-12-03,85/123456A,SW1A 1AA
P000002,Brown,Alice,1970-01-01,,
"""

VISITS = """
visit_id,visit_date,establishment_code,prison_number,visitor_ref,visitor_surname,visitor_forenames,visitor_dob,visitor_postcode,relationship
VIS1,2024-02-01,BXI,B2222BB,V000001,Jones,Kate,1979-11-02,SE17PB,cousin
VIS2,2024-03-01,BXI,B2222BB,V000001,Jones,Kate,1979-11-02,SE17PB,cousin
VIS3,2024-03-05,WWI,A1234BC,V000002,Brown,Alice,1970-01-01,,partner
"""

PHONES = """
phone_number,subject_type,subject_id,attribution_source,first_seen,last_seen,source_eval,intel_eval,handling,handling_conditions,originating_agency
07701 900123,visitor,V000001,declared,2024-01-01,,,,,,
+44 7702 900456,person,P000001,intelligence,2024-02-01,2024-03-01,2,B,C,not to be shared outside the hub,police
"""

OCGS = """
ocg_urn,name,band,primary_crime
OCG-0001,The Brixton Crew,1a,drugs supply
"""

OCG_MEMBERS = """
ocg_urn,subject_type,subject_id,role,since,source_eval,intel_eval,handling,handling_conditions
OCG-0001,prisoner,B2222BB,principal,2022-01-01,2,B,P,
OCG-0001,person,P000002,member,,,,,
"""

CALLS = """
call_id,caller_number,caller_prison_number,callee_number,started_at,duration_seconds,call_source,establishment_code,privileged
C1,,B2222BB,07701900123,2024-02-02T10:00:00,120,pin,BXI,N
C2,,B2222BB,07701 900123,2024-02-03T11:00:00,60,pin,BXI,
C3,07701900123,,+447702900456,2024-02-04T12:00:00,30,cdr,,N
C4,,B2222BB,020 7946 0001,2024-02-05T09:00:00,600,pin,BXI,Y
"""

LINKS = """
from_type,from_id,to_type,to_id,link_type,date,source_ref,source_eval,intel_eval,handling,handling_conditions,originating_agency
person,P000001,prisoner,A1234BC,ASSOCIATE_OF,2024-01-15,IR-0001,2,B,P,,
staff,S10001,prisoner,B2222BB,CORRUPT_APPROACH,2024-03-10,IR-0002,3,C,C,hub only,hmpps
phone,07701900123,ocg,OCG-0001,LINKED_TO_GROUP,2024-04-01,,,,,,
"""


def small_world(directory: Path) -> Path:
    """A consistent small set of every contract file (no bad rows)."""
    directory.mkdir(parents=True, exist_ok=True)
    write(directory, "establishments.csv", ESTABLISHMENTS)
    write(directory, "prisoners.csv", PRISONERS)
    write(directory, "staff.csv", STAFF)
    write(directory, "persons.csv", PERSONS)
    write(directory, "visits.csv", VISITS)
    write(directory, "phones.csv", PHONES)
    write(directory, "ocgs.csv", OCGS)
    write(directory, "ocg_members.csv", OCG_MEMBERS)
    write(directory, "calls.csv", CALLS)
    write(directory, "links.csv", LINKS)
    return directory


def bulk_world(directory: Path, *, prisoners: int = 100, visits: int = 600, calls: int = 1500) -> Path:
    """A larger consistent world written row by row (for batching and interruption tests)."""
    directory.mkdir(parents=True, exist_ok=True)
    write(directory, "establishments.csv", ESTABLISHMENTS)
    codes = ("BXI", "WWI")
    lines = ["prison_number,surname,forenames,dob,establishment_code,reception_date,release_date"]
    for i in range(prisoners):
        lines.append(
            f"A{i:04d}AA,Surname{i},Forename{i},19{50 + i % 40}-0{1 + i % 9}-1{i % 9},{codes[i % 2]},2023-01-0{1 + i % 9},"
        )
    (directory / "prisoners.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = ["visit_id,visit_date,establishment_code,prison_number,visitor_ref,visitor_surname,visitor_forenames"]
    for i in range(visits):
        p = i % prisoners
        lines.append(
            f"VIS{i:05d},2024-0{1 + i % 9}-1{i % 10},{codes[p % 2]},A{p:04d}AA,V{i % 400:05d},Visitor{i % 400},Vic"
        )
    (directory / "visits.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = [
        "call_id,caller_number,caller_prison_number,callee_number,started_at,duration_seconds,call_source,establishment_code,privileged"
    ]
    for i in range(calls):
        p = i % prisoners
        callee = f"077019{(i * 7) % 500:05d}"
        if i % 3:
            lines.append(
                f"C{i:06d},,A{p:04d}AA,{callee},2024-02-{1 + i % 28:02d}T10:{i % 60:02d}:00,{i % 600},pin,{codes[p % 2]},N"
            )
        else:
            lines.append(
                f"C{i:06d},07702{(i * 13) % 900:06d},,{callee},2024-03-{1 + i % 28:02d}T11:{i % 60:02d}:00,{i % 300},cdr,,N"
            )
    (directory / "calls.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory
