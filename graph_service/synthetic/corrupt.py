"""The harder corrupt-staff kinds (issue 12): evidence a detector tuned on direct contact misses.

Each planter takes the :class:`~.truth.Planter`, its random stream, the OCG ``o`` and a
member of it in custody ``k`` (held at least 30 days at his main establishment), picks
a member of staff, adds the rows of the planted facts to the world and returns
``(staff index, evidence list)``. Every evidence item names the ids a scorer needs to
find the facts in the files (call ids, visit ids, link rows, phone numbers); call and
visit counts are filled in when the files are written.

- ``two_hop`` / ``three_hop``: staff phone <-> one or two unremarkable community people
  (persons.csv, no OCG) <-> an OCG member, calls over months;
- ``low_graded_intel``: one CORRUPT_APPROACH or ASSOCIATE_OF report graded 3/C or 3/D,
  corroborated only weakly (two calls, or a shared postcode);
- ``seized_handset``: the only contact is a handset seized in an OCG member's cell
  calling the staff phone, which may be known only from that handset;
- ``odd_calls``: 2-4 calls at 00:00-05:59, months apart, with an OCG member's phone;
- ``contractor_financial``: a contractor with no phone on record and a FINANCIAL link
  graded 2/B or 2/C to an OCG member;
- ``other_establishment``: staff posted at one establishment linked (calls, or visits
  under a visitor identity) to an OCG member held at another where they have no post.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable

from graph_service.grading import CONDITIONAL, OFFICIAL_CELLS, PERMITTED
from graph_service.synthetic import names as N
from graph_service.synthetic.truth import ORDINARY_ROLES, Planter, _grading_dict, _time, spread_days
from graph_service.synthetic.world import (
    DAY0,
    DAY1,
    Handset,
    Post,
    VisitPair,
    intel_grading,
    iso,
    new_person,
    new_visitor,
    official_grading,
    ordinal,
)

Planted = tuple[int, list[dict]]


def _grading(
    rng: random.Random, source: str, intel: tuple[str, ...], conditional: float = 0.4
) -> tuple[str, str, str, str]:
    i = rng.choice(intel)
    if rng.random() < conditional:
        return (source, i, CONDITIONAL, rng.choice(N.HANDLING_CONDITIONS))
    return (source, i, PERMITTED, "")


def _officer(p: Planter, rng: random.Random, est: str) -> int:
    return p.free_staff(rng, est, ORDINARY_ROLES)


def _intermediary(p: Planter, rng: random.Random, region: str) -> tuple[int, int]:
    """A new, unremarkable community nominal with a phone that also calls ordinary numbers."""
    w = p.w
    j = new_person(w, rng, region)
    p.used_persons.add(j)
    person = w.persons[j]
    idx = p.pb.mobile()
    person.phones.append(idx)
    if rng.random() < 0.6:
        attribution, grading = "intelligence", intel_grading(rng, e_rate=0.0)
    else:
        attribution, grading = "declared", official_grading(rng)
    first = rng.randint(ordinal(2019), DAY0) if rng.random() < 0.6 else None
    w.add_phone_row(idx, "person", person.ref, attribution, first, None, grading)
    for _ in range(rng.randint(2, 4)):
        w.add_contact(idx, p.ordinary_number(rng, region))
    return j, idx


def _hops(p: Planter, rng: random.Random, o: int, k: int, n_intermediaries: int) -> Planted:
    w = p.w
    ocg = w.ocgs[o]
    est, a, b = p.mains[k]
    s = _officer(p, rng, est)
    staff_phone = p.staff_phone(rng, s, "declared" if rng.random() < 0.6 else "intelligence")
    inters = [_intermediary(p, rng, ocg.region) for _ in range(n_intermediaries)]
    chain = [staff_phone] + [ph for _, ph in inters]
    hops: list[dict] = []
    for x, y in itertools.pairwise(chain):
        ids: list[str] = []
        p.cdr_series(rng, x, y, spread_days(rng, rng.randint(4, 9)), (9, 23), (30, 1200), ids)
        hops.append({"from": p.pb.node(x), "to": p.pb.node(y), "call_source": "cdr", "calls": None, "call_ids": ids})
    last = chain[-1]
    ids = []
    ocg_phone: str | None
    if ocg.outside and rng.random() < 0.6:
        j = p.outside_member(rng, o)
        member_phone = p.phone_of_person(rng, j)
        p.cdr_series(rng, last, member_phone, spread_days(rng, rng.randint(4, 9)), (9, 23), (30, 1200), ids)
        member, ocg_phone = p.person_id(j), p.pb.node(member_phone)
        hops.append({"from": p.pb.node(last), "to": ocg_phone, "call_source": "cdr", "calls": None, "call_ids": ids})
    else:
        # the member in custody rings the last intermediary from his PIN account
        prisoner = w.prisoners[k]
        w.add_phone_row(last, "prisoner", prisoner.number, "pin_list", a, None, official_grading(rng))
        for day in spread_days(rng, rng.randint(4, 9), a, b):
            p.plant_call(
                None,
                prisoner.number,
                last,
                day,
                _time(rng, 8, 20),
                rng.randint(60, 900),
                "pin",
                prisoner.est_on(day),
                ids,
                rng,
            )
        member, ocg_phone = p.pid(k), None
        hops.append({"from": member, "to": p.pb.node(last), "call_source": "pin", "calls": None, "call_ids": ids})
    kind = "two_hop" if n_intermediaries == 1 else "three_hop"
    return s, [
        {
            "kind": kind,
            "staff_phone": p.pb.node(staff_phone),
            "intermediaries": [p.person_id(j) for j, _ in inters],
            "intermediary_phones": [p.pb.node(ph) for _, ph in inters],
            "ocg_member": member,
            "ocg_phone": ocg_phone,
            "ocg": p.ocg_id(o),
            "hops": hops,
        }
    ]


def plant_two_hop(p: Planter, rng: random.Random, o: int, k: int) -> Planted:
    return _hops(p, rng, o, k, 1)


def plant_three_hop(p: Planter, rng: random.Random, o: int, k: int) -> Planted:
    return _hops(p, rng, o, k, 2)


def plant_low_graded_intel(p: Planter, rng: random.Random, o: int, k: int) -> Planted:
    w = p.w
    ocg = w.ocgs[o]
    s = _officer(p, rng, p.mains[k][0])
    staff = w.staff[s]
    if ocg.outside and rng.random() < 0.4:
        j = p.outside_member(rng, o)
        member_type, member_id = "person", w.persons[j].ref
    else:
        member_type, member_id = "prisoner", w.prisoners[k].number
    grading = _grading(rng, "3", ("C", "D"))
    source_ref = w.new_source_ref("IR", rng.choice((2023, 2024)))
    if rng.random() < 0.5:
        link_type, ends = "CORRUPT_APPROACH", (member_type, member_id, "staff", staff.number)
        notes = rng.choice(("", "second-hand account from another prisoner", "overheard on the wing"))
    else:
        link_type, ends = "ASSOCIATE_OF", ("staff", staff.number, member_type, member_id)
        notes = rng.choice(("", "seen together outside a pub", "said to be a friend of the family"))
    ev: dict = {
        "kind": "low_graded_intel",
        "link_row": None,
        "link_type": link_type,
        "from": f"{ends[0]}:{ends[1]}",
        "to": f"{ends[2]}:{ends[3]}",
        "ocg": p.ocg_id(o),
        "source_ref": source_ref,
        "grading": _grading_dict(grading),
    }
    p.link(ev, *ends, link_type, iso(rng.randint(DAY0, DAY1)), source_ref, grading, notes)
    evidence = [ev]
    corroboration = p.share_postcode(rng, s, o, k) if rng.random() < 0.5 else None
    if corroboration is None:
        staff_phone = p.staff_phone(rng, s, "declared" if rng.random() < 0.7 else "intelligence")
        ocg_phone, holder, member = p.ocg_contact(rng, o, k)
        ids: list[str] = []
        p.cdr_series(rng, staff_phone, ocg_phone, spread_days(rng, 2, min_span=40), (17, 23), (20, 400), ids)
        corroboration = {
            "kind": "few_calls",
            "staff_phone": p.pb.node(staff_phone),
            "ocg_phone": p.pb.node(ocg_phone),
            "phone_holder": holder,
            "ocg_member": member,
            "ocg": p.ocg_id(o),
            "calls": None,
            "call_ids": ids,
        }
    evidence.append(corroboration)
    return s, evidence


def plant_seized_handset(p: Planter, rng: random.Random, o: int, k: int) -> Planted:
    w = p.w
    pb = p.pb
    est, a, b = p.mains[k]
    prisoner = w.prisoners[k]
    s = _officer(p, rng, est)
    staff = w.staff[s]
    seized = rng.randint(min(a + 30, b), b)
    start = max(a, seized - 90)
    handset = pb.mobile()
    contacts = list(prisoner.pin[:4]) or [p.ordinary_number(rng, prisoner.region)]
    contacts += [ph for j in w.ocgs[o].outside for ph in w.persons[j].phones]
    contacts += [p.ordinary_number(rng, prisoner.region) for _ in range(2)]
    w.handsets.append(Handset(handset, k, prisoner.est_on(seized), start, seized, contacts))
    grading = OFFICIAL_CELLS if rng.random() < 0.6 else ("2", "B", "C", rng.choice(N.HANDLING_CONDITIONS))
    w.add_phone_row(handset, "prisoner", prisoner.number, "seized_handset", seized, seized, grading)
    if staff.phone < 0 and rng.random() < 0.5:
        # the number is known only from the handset's download, attributed to the officer by it
        attribution = "seized_handset"
        staff.phone = pb.mobile()
        w.phone_owner_kind[staff.phone] = "staff"
        w.add_phone_row(staff.phone, "staff", staff.number, attribution, seized, seized, _grading(rng, "2", ("B", "C")))
        for _ in range(rng.randint(2, 4)):
            w.add_contact(staff.phone, p.ordinary_number(rng, staff.region, staff=True))
        staff_phone = staff.phone
    else:
        # declared on vetting (background staff phones are all declared too)
        attribution = "declared"
        staff_phone = p.staff_phone(rng, s, attribution)
    ids: list[str] = []
    for _ in range(rng.randint(3, 8)):
        day = rng.randint(start, seized)
        x, y = (handset, staff_phone) if rng.random() < 0.75 else (staff_phone, handset)
        p.plant_call(
            x, "", y, day, _time(rng, 17, 24), rng.randint(10, 600), "handset_download", prisoner.est_on(day), ids, rng
        )
    return s, [
        {
            "kind": "seized_handset",
            "handset": pb.node(handset),
            "seized_from": p.pid(k),
            "seized": iso(seized),
            "establishment": "establishment:" + prisoner.est_on(seized),
            "staff_phone": pb.node(staff_phone),
            "staff_phone_attribution": attribution,
            "ocg": p.ocg_id(o),
            "calls": None,
            "call_ids": ids,
        }
    ]


def plant_odd_calls(p: Planter, rng: random.Random, o: int, k: int) -> Planted:
    s = _officer(p, rng, p.mains[k][0])
    staff_phone = p.staff_phone(rng, s, "declared" if rng.random() < 0.6 else "intelligence")
    j = p.outside_member(rng, o)
    ocg_phone = p.phone_of_person(rng, j)
    n = rng.randint(2, 4)
    day = rng.randint(DAY0, DAY1 - 150 * (n - 1))
    days = [day]
    for _ in range(n - 1):
        day += rng.randint(45, 150)
        days.append(day)
    ids: list[str] = []
    p.cdr_series(rng, staff_phone, ocg_phone, days, (0, 6), (15, 240), ids, a_calls=0.8)
    return s, [
        {
            "kind": "odd_calls",
            "staff_phone": p.pb.node(staff_phone),
            "ocg_phone": p.pb.node(ocg_phone),
            "phone_holder": p.person_id(j),
            "ocg_member": p.person_id(j),
            "ocg": p.ocg_id(o),
            "calls": None,
            "call_ids": ids,
        }
    ]


def plant_contractor_financial(p: Planter, rng: random.Random, o: int, k: int) -> Planted:
    w = p.w
    est = p.mains[k][0]
    s = p.free_staff(rng, est, ("Contractor",), no_phone=True)
    staff = w.staff[s]
    if staff.phone >= 0 or staff.posts[0].role != "Contractor" or len(staff.posts) > 1:
        # no contractor free there: an ordinary member of staff without a phone becomes one
        s = p.free_staff(rng, est, None, no_phone=True)
        staff = w.staff[s]
        start = min(post.start for post in staff.posts)
        staff.posts = [Post(est, "Contractor", min(start, DAY0 - 200), None)]
    assert staff.phone < 0
    ocg = w.ocgs[o]
    if ocg.outside and rng.random() < 0.6:
        j = p.outside_member(rng, o)
        to_type, to_id = "person", w.persons[j].ref
    else:
        to_type, to_id = "prisoner", w.prisoners[k].number
    grading = _grading(rng, "2", ("B", "C"))
    source_ref = w.new_source_ref("FIU", rng.choice((2023, 2024)))
    ev: dict = {
        "kind": "contractor_financial",
        "link_row": None,
        "link_type": "FINANCIAL",
        "from": p.sid(s),
        "to": f"{to_type}:{to_id}",
        "ocg": p.ocg_id(o),
        "source_ref": source_ref,
        "grading": _grading_dict(grading),
        "staff_phone": None,
    }
    notes = rng.choice(
        ("regular transfers from the contractor's account", "contractor's firm invoiced by a member's company", "")
    )
    p.link(
        ev, "staff", staff.number, to_type, to_id, "FINANCIAL", iso(rng.randint(DAY0, DAY1)), source_ref, grading, notes
    )
    return s, [ev]


def held_at(p: Planter, o: int) -> set[str]:
    """Establishments where members of OCG ``o`` are held during the window."""
    w = p.w
    return {
        period.est
        for m in w.ocgs[o].custody
        for period in w.prisoners[m].periods
        if (period.end is None or period.end >= DAY0) and period.start <= DAY1
    }


def other_establishment_ocg(p: Planter, rng: random.Random, ocgs: list[int], default: int) -> int:
    """An OCG held in only part of its region (so a member of staff can be posted elsewhere)."""
    w = p.w
    spare = [o for o in ocgs if set(w.est_by_region[w.ocgs[o].region]) - held_at(p, o)]
    return rng.choice(spare) if spare else default


def plant_other_establishment(p: Planter, rng: random.Random, o: int, k: int) -> Planted:
    w = p.w
    ocg = w.ocgs[o]
    here, a, b = p.mains[k]
    member_ests = sorted(held_at(p, o))
    region_codes = w.est_by_region[ocg.region]
    everywhere = [e["establishment_code"] for e in w.establishments]
    codes = (
        [e for e in region_codes if e not in member_ests]
        or [e for e in region_codes if e != here]
        or [e for e in everywhere if e != here]
    )
    there = rng.choice(codes)
    s = _officer(p, rng, there)
    staff = w.staff[s]
    if any(post.est == here for post in staff.posts):
        staff.posts = [Post(there, staff.posts[-1].role, min(post.start for post in staff.posts), None)]
    if p.other_establishment_count < 0:
        p.other_establishment_count = rng.randrange(2)
    p.other_establishment_count += 1
    ev: dict = {
        "kind": "other_establishment",
        "via": "visits" if p.other_establishment_count % 2 else "calls",
        "staff_establishments": sorted({"establishment:" + post.est for post in staff.posts}),
        "member_establishment": "establishment:" + here,
        "ocg_establishments": ["establishment:" + e for e in member_ests],
        "ocg_member": p.pid(k),
        "ocg": p.ocg_id(o),
    }
    if ev["via"] == "visits":
        forenames = staff.forenames if rng.random() < 0.6 else N.forename_variant(rng, staff.forenames)
        v = new_visitor(w, rng, staff.surname, forenames, staff.dob, staff.gender, staff.postcode, staff.region)
        p.protected_visitors.add(v)
        p.postcode_planted_staff.add(s)
        visit_ids: list[str] = []
        w.pairs.append(
            VisitPair(v, k, rng.choice(("friend", "friend", "cousin")), rng.randint(3, 6), visit_ids, (a, b))
        )
        ev.update({"visitor_id": p.vid(v), "visits": None, "visit_ids": visit_ids})
        w.truth["same_person"].append(
            {
                "ids": [p.sid(s), p.vid(v)],
                "kind": "staff_visitor",
                "variants": {"surname": [staff.surname, staff.surname], "forenames": [staff.forenames, forenames]},
                "shared": ["dob", "postcode"],
                "note": f"visits {p.pid(k)} at establishment:{here}, where the officer has no post",
                "resolved": False,
            }
        )
    else:
        staff_phone = p.staff_phone(rng, s, "declared" if rng.random() < 0.6 else "intelligence")
        ocg_phone, holder, member = p.ocg_contact(rng, o, k, family_rate=0.85)
        ids: list[str] = []
        p.cdr_series(rng, staff_phone, ocg_phone, spread_days(rng, rng.randint(4, 10)), (17, 24), (20, 900), ids)
        ev.update(
            {
                "staff_phone": p.pb.node(staff_phone),
                "ocg_phone": p.pb.node(ocg_phone),
                "phone_holder": holder,
                "ocg_member": member,
                "calls": None,
                "call_ids": ids,
            }
        )
    return s, [ev]


PLANTERS: dict[str, Callable[[Planter, random.Random, int, int], Planted]] = {
    "two_hop": plant_two_hop,
    "three_hop": plant_three_hop,
    "low_graded_intel": plant_low_graded_intel,
    "seized_handset": plant_seized_handset,
    "odd_calls": plant_odd_calls,
    "contractor_financial": plant_contractor_financial,
    "other_establishment": plant_other_establishment,
}
