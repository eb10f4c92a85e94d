"""The harder decoys (issue 12): innocent staff whose records look like corruption.

- ``declared_relative_ocg``: a declared (FAMILY_OF 1/A) relative who is an OCG member, in
  custody (the OCG ``staff_family_in_custody`` decoys, now with family calls) or outside
  (a police nominal, with ordinary family calls over the whole window);
- ``duty_contacts``: Chaplaincy and Family Liaison staff whose declared work number rings
  many prisoners' families (some of them OCG members' families) in office hours;
- ``chance_coresidence``: staff living at the exact postcode of an OCG member's visitor:
  mostly large postcodes (a block of flats several families share), some small by chance;
- ``false_allegation_e``: one ASSOCIATE_OF or CORRUPT_APPROACH report graded 2/E or 3/E
  about an otherwise clean officer.

These relax two guarantees the original worlds gave (see docs/generator.md): staff work
numbers and declared relatives' phones are in cdr contact with OCG-related numbers, and
co-residing staff share an exact postcode with a visitor.
"""

from __future__ import annotations

from datetime import date

from graph_service.grading import OFFICIAL_CELLS
from graph_service.synthetic import names as N
from graph_service.synthetic.truth import ORDINARY_ROLES, Planter, _grading_dict, _time, spread_days
from graph_service.synthetic.world import DAY0, DAY1, Post, iso, official_grading, ordinal

_RELATIVE_WHY = "relationship declared to the employer (FAMILY_OF 1/A); ordinary family calls"


def _weekday(day: int, lo: int) -> int:
    """The same day if a weekday, else the Friday before (the Monday after when that is before ``lo``)."""
    weekday = date.fromordinal(day).weekday()
    if weekday < 5:
        return day
    friday = day - (weekday - 4)
    return friday if friday >= lo else day + (7 - weekday)


def plant_declared_relatives(p: Planter) -> None:
    w, rng = p.w, p.w.rng("truth:declared-relatives")
    records = w.truth["decoys"]["declared_relative_ocg"]
    # relatives in custody: the staff_family_in_custody decoys whose relative is an OCG member
    for s, k, link_tag, visit_ids, relationship in p.family_decoys:
        prisoner = w.prisoners[k]
        if prisoner.ocg < 0:
            continue
        staff = w.staff[s]
        ids: list[str] = []
        family = [v for v in p.family_of(k) if w.visitors[v].phone != staff.phone]
        with_phone = [v for v in family if w.visitors[v].phone >= 0]
        if family and not with_phone:
            with_phone = [family[0]]
            p.phone_of_visitor(rng, family[0])
        family = with_phone
        if not family:
            # nobody else visits him: the sibling is on his PIN list and he rings them
            w.add_phone_row(staff.phone, "prisoner", prisoner.number, "pin_list", p.mains[k][1], None, ("", "", "", ""))
            _est, a, b = p.mains[k]
            for day in spread_days(rng, rng.randint(3, 8), a, b):
                p.plant_call(
                    None,
                    prisoner.number,
                    staff.phone,
                    day,
                    _time(rng, 9, 20),
                    rng.randint(60, 900),
                    "pin",
                    prisoner.est_on(day),
                    ids,
                    rng,
                )
        for v in family[:3]:
            p.cdr_series(
                rng, staff.phone, w.visitors[v].phone, spread_days(rng, rng.randint(2, 6)), (9, 22), (60, 1800), ids
            )
        records.append(
            {
                "id": p.sid(s),
                "where": "custody",
                "relative": p.pid(k),
                "relative_ocg": p.ocg_id(prisoner.ocg),
                "relationship": relationship,
                "staff_phone": p.pb.node(staff.phone),
                "family_link": link_tag,
                "visit_ids": visit_ids,
                "calls_with": [p.vid(v) for v in family[:3]],
                "calls": None,
                "call_ids": ids,
                "also_in": "staff_family_in_custody",
                "why_innocent": _RELATIVE_WHY + " with the prisoner's family, visits as a sibling",
            }
        )
    # relatives outside: an OCG member in the community (a police nominal)
    ocgs = [o for o, ocg in enumerate(w.ocgs) if ocg.outside]
    for _ in range(p.sc.decoy_declared_relative if ocgs else 0):
        o = rng.choice(ocgs)
        ocg = w.ocgs[o]
        j = rng.choice(ocg.outside)
        person = w.persons[j]
        ests = [e for e in w.est_by_region[ocg.region] if p.by_est.get(e)] or list(p.by_est)
        s = p.free_staff(rng, rng.choice(ests), ORDINARY_ROLES)
        staff = w.staff[s]
        staff.flag = "declared_relative_ocg"
        if rng.random() < 0.6:
            relationship = "brother" if staff.gender == "M" else "sister"
            staff.surname = person.surname
            base = person.dob if person.dob is not None else staff.dob
            staff.dob = w.new_dob(rng, staff.surname, min(base - 3650, ordinal(1990)), min(base + 3650, ordinal(2000)))
            for post in staff.posts:
                post.start = max(post.start, staff.dob + 18 * 365 + 30)
        else:
            relationship = "cousin"
        staff_phone = p.staff_phone(rng, s, "declared")
        relative_phone = p.phone_of_person(rng, j)
        ids = []
        p.cdr_series(
            rng,
            staff_phone,
            relative_phone,
            spread_days(rng, rng.randint(10, 24), min_span=300),
            (9, 22),
            (60, 1800),
            ids,
            0.5,
        )
        tag: dict = {"link_row": None}
        start = staff.posts[0].start
        p.link(
            tag,
            "staff",
            staff.number,
            "person",
            person.ref,
            "FAMILY_OF",
            iso(rng.randint(start, DAY1) if start < DAY1 else DAY0),
            w.new_source_ref("HR-COI", 2023),
            OFFICIAL_CELLS,
            "declared conflict of interest",
        )
        records.append(
            {
                "id": p.sid(s),
                "where": "community",
                "relative": p.person_id(j),
                "relative_ocg": p.ocg_id(o),
                "relationship": relationship,
                "staff_phone": p.pb.node(staff_phone),
                "relative_phone": p.pb.node(relative_phone),
                "family_link": tag,
                "visit_ids": [],
                "calls": None,
                "call_ids": ids,
                "why_innocent": _RELATIVE_WHY + " with the relative, in ordinary hours all through the window",
            }
        )


def plant_duty_contacts(p: Planter) -> None:
    w, rng = p.w, p.w.rng("truth:duty")
    ests = [e for e in p.by_est if len(p.by_est[e]) >= 5] or list(p.by_est)
    lo, hi = p.sc.duty_families
    for i in range(p.sc.decoy_duty_contacts):
        role = ("Chaplaincy", "Family Liaison")[i % 2]
        est = ests[(i // 2) % len(ests)] if i < 2 * len(ests) else rng.choice(ests)
        s = p.free_staff(rng, est, (role,))
        staff = w.staff[s]
        if staff.posts[0].role != role or len(staff.posts) > 1 or staff.posts[0].est != est:
            s = p.free_staff(rng, est)
            staff = w.staff[s]
            staff.posts = [Post(est, role, min(min(post.start for post in staff.posts), DAY0 - 100), None)]
        staff.flag = "duty_contacts"
        work = p.pb.from_range(N.REGIONS[w.region_of(est)]["landline"])
        w.add_phone_row(
            work, "staff", staff.number, "declared", rng.randint(ordinal(2018), DAY0), None, official_grading(rng)
        )
        w.phone_owner_kind[work] = "staff"
        if staff.phone < 0:
            staff.phone = work
        # prisoners' families at this establishment; some of the OCG members' families first
        ocg_families: list[tuple[int, int]] = []
        families: list[tuple[int, int]] = []
        for k in p.by_est[est]:
            for v in p.family_of(k):
                if w.visitors[v].phone >= 0:
                    (ocg_families if w.prisoners[k].ocg >= 0 else families).append((v, k))
        rng.shuffle(ocg_families)
        rng.shuffle(families)
        n = rng.randint(lo, hi)
        chosen = ocg_families[: rng.randint(2, 4)]
        chosen += families[: max(0, n - len(chosen))]
        ids: list[str] = []
        for v, k in chosen:
            _est, a, b = p.mains[k]
            for _ in range(rng.randint(1, 3)):
                day = _weekday(rng.randint(a, b), a)
                x, y = (work, w.visitors[v].phone) if rng.random() < 0.8 else (w.visitors[v].phone, work)
                p.plant_call(x, "", y, day, _time(rng, 9, 17), rng.randint(60, 900), "cdr", "", ids, rng)
        w.truth["decoys"]["duty_contacts"].append(
            {
                "id": p.sid(s),
                "role": role,
                "establishment": "establishment:" + est,
                "work_phone": p.pb.node(work),
                "families_called": len(chosen),
                "visitors": [p.vid(v) for v, _ in chosen],
                "ocg_families": [
                    {"visitor": p.vid(v), "prisoner": p.pid(k), "ocg": p.ocg_id(w.prisoners[k].ocg)}
                    for v, k in chosen
                    if w.prisoners[k].ocg >= 0
                ],
                "calls": None,
                "call_ids": ids,
                "why_innocent": f"{role}: declared work number, office hours on weekdays, many families",
            }
        )


def plant_false_allegations_e(p: Planter) -> None:
    w, rng = p.w, p.w.rng("truth:false-e")
    ocg_custody = [(o, k) for o, ocg in enumerate(w.ocgs) for k in ocg.custody if k in p.mains]
    for i in range(p.sc.decoy_false_allegation_e):
        o, k = rng.choice(ocg_custody)
        s = p.free_staff(rng, p.mains[k][0], ORDINARY_ROLES)
        staff = w.staff[s]
        staff.flag = "false_allegation_e"
        link_type = ("ASSOCIATE_OF", "CORRUPT_APPROACH")[i % 2]
        source = ("2", "2", "3", "3")[i % 4]
        grading = (
            (source, "E", "P", "") if rng.random() < 0.6 else (source, "E", "C", rng.choice(N.HANDLING_CONDITIONS))
        )
        member = ("prisoner", w.prisoners[k].number)
        ocg = w.ocgs[o]
        if link_type == "ASSOCIATE_OF":
            if ocg.outside and rng.random() < 0.5:
                member = ("person", w.persons[rng.choice(ocg.outside)].ref)
            ends = ("staff", staff.number, *member)
            notes = rng.choice(("anonymous letter", "anonymous call to the hotline", ""))
        else:
            ends = (*member, "staff", staff.number)
            notes = rng.choice(
                ("allegation made by prisoner after adjudication", "prisoner complaint after a cell search")
            )
        record: dict = {
            "id": p.sid(s),
            "link_type": link_type,
            "from": f"{ends[0]}:{ends[1]}",
            "to": f"{ends[2]}:{ends[3]}",
            "about_ocg": p.ocg_id(o),
            "link_row": None,
            "grading": _grading_dict(grading),
            "why_innocent": f"single report graded {source}/E (suspected false), no other evidence",
        }
        p.link(record, *ends, link_type, iso(rng.randint(DAY0, DAY1)), w.new_source_ref("IR", 2024), grading, notes)
        w.truth["decoys"]["false_allegation_e"].append(record)


def plant_chance_coresidence(p: Planter) -> None:
    """Innocent staff at the exact postcode of an OCG member's visitor.

    Two thirds are large postcodes (a block of flats): 4-10 other prisoners' families are
    moved there (whole families, keeping the family postcode rule); one third small ones,
    where only the OCG member's family and the member of staff live.
    """
    w, rng = p.w, p.w.rng("truth:coresidence")
    planted_postcodes = {w.staff[s].postcode for s in p.postcode_planted_staff}
    ocg_families: dict[str, list[tuple[int, int]]] = {}
    for ocg in w.ocgs:
        for k in ocg.custody:
            if k not in p.mains:
                continue
            for v in p.family_of(k):
                visitor = w.visitors[v]
                if visitor.postcode and v not in p.protected_visitors and visitor.postcode not in planted_postcodes:
                    ocg_families.setdefault(ocg.region, []).append((v, k))
    movers: dict[str, list[int]] = {}
    for k in w.active:
        prisoner = w.prisoners[k]
        if prisoner.ocg >= 0 or k in p.used_prisoners:
            continue
        home = [v for v in p.family_of(k) if w.visitors[v].postcode == prisoner.family_postcode]
        if home and not any(v in p.protected_visitors for v in p.family_of(k)):
            movers.setdefault(prisoner.region, []).append(k)
    for lst in movers.values():
        rng.shuffle(lst)
    regions = [r for r in w.regions if ocg_families.get(r)]
    used: set[str] = set()
    for i in range(p.sc.decoy_chance_coresidence if regions else 0):
        region = regions[i % len(regions)]
        candidates = [vk for vk in ocg_families[region] if w.visitors[vk[0]].postcode not in used]
        if not candidates:
            continue
        v, k = rng.choice(candidates)
        postcode = w.visitors[v].postcode
        used.add(postcode)
        p.protected_visitors.add(v)
        w.postcode_shown.add(v)
        block = i % 3 != 1
        moved: list[str] = []
        if block:
            pool = movers.get(region, [])
            for _ in range(rng.randint(4, 10)):
                if not pool:
                    break
                k2 = pool.pop()
                prisoner = w.prisoners[k2]
                for v2 in p.family_of(k2):
                    if w.visitors[v2].postcode == prisoner.family_postcode:
                        w.visitors[v2].postcode = postcode
                        p.protected_visitors.add(v2)
                prisoner.family_postcode = postcode
                p.used_prisoners.add(k2)
                moved.append(p.pid(k2))
        est_k = p.mains[k][0]
        same_est = rng.random() < 0.5
        ests = [e for e in w.est_by_region[region] if e != est_k] if not same_est else [est_k]
        est = rng.choice(ests or [est_k])
        s = p.free_staff(rng, est)
        staff = w.staff[s]
        staff.flag = "chance_coresidence"
        staff.postcode = postcode
        p.postcode_planted_staff.add(s)
        w.truth["decoys"]["chance_coresidence"].append(
            {
                "id": p.sid(s),
                "postcode": postcode,
                "ocg_visitor": p.vid(v),
                "ocg_member": p.pid(k),
                "ocg": p.ocg_id(w.prisoners[k].ocg),
                "block": block,
                "same_establishment": any(post.est == est_k for post in staff.posts),
                "families_moved_in": moved,
                "visitors_at_postcode": None,
                "families_at_postcode": None,
                "staff_at_postcode": None,
                "why_innocent": (
                    "a large postcode (block of flats) shared by many households"
                    if block
                    else "lives by chance at the same postcode as an OCG member's family; no other link"
                ),
            }
        )


def finalise_postcode_decoys(p: Planter) -> None:
    """Count who lives at each chance co-residence postcode (after every move)."""
    w = p.w
    records = w.truth["decoys"]["chance_coresidence"]
    if not records:
        return
    targets = {r["postcode"] for r in records}
    visitors: dict[str, int] = {}
    families: dict[str, set[int]] = {}
    for pair in w.pairs:
        pc = w.visitors[pair.visitor].postcode
        if pc in targets:
            families.setdefault(pc, set()).add(pair.prisoner)
    for visitor in w.visitors:
        if visitor.postcode in targets:
            visitors[visitor.postcode] = visitors.get(visitor.postcode, 0) + 1
    staff: dict[str, int] = {}
    for st in w.staff:
        if st.postcode in targets:
            staff[st.postcode] = staff.get(st.postcode, 0) + 1
    for r in records:
        r["visitors_at_postcode"] = visitors.get(r["postcode"], 0)
        r["families_at_postcode"] = len(families.get(r["postcode"], ()))
        r["staff_at_postcode"] = staff.get(r["postcode"], 0)
