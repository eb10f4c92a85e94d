"""Planted truth: corrupt staff, custody-to-community hubs, identities, decoys.

Each planter adds rows to the world (links, phone attributions, visit pairs, planted
calls) and records what it planted in ``world.truth`` with the ids making up the
evidence chain. Line numbers of planted links, and the ids of planted calls and
visits, are filled in by the writers (the dicts/lists recorded here are the ones the
writers receive as tags).
"""

from __future__ import annotations

import random

from graph_service.grading import CONDITIONAL, GRADING_PROPERTIES, OFFICIAL_CELLS, PERMITTED
from graph_service.synthetic import names as N
from graph_service.synthetic.world import (
    DAY0,
    DAY1,
    Link,
    Person,
    Post,
    VisitPair,
    World,
    give_staff_phone,
    intel_grading,
    iso,
    new_person,
    new_visitor,
    ordinal,
)

ORDINARY_ROLES = ("Prison Officer", "OSG", "Custodial Manager", "Education", "Administration")
# The original kinds: 1-3 of these facts per corrupt member of staff.
EVIDENCE_KINDS = ("phone_contact", "shared_postcode", "corrupt_approach")
# Every planted kind (``corrupt_staff[*].kind``), in the order they are dealt out: the
# harder ones (issue 12) are planted by :mod:`.corrupt`.
CORRUPT_KINDS = (
    *EVIDENCE_KINDS,
    "two_hop",
    "three_hop",
    "low_graded_intel",
    "seized_handset",
    "odd_calls",
    "contractor_financial",
    "other_establishment",
)


def _time(rng: random.Random, lo_hour: int, hi_hour: int) -> str:
    secs = rng.randrange(lo_hour * 3600, hi_hour * 3600)
    return f"T{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}"


def _grading_dict(g: tuple[str, str, str, str]) -> dict:
    return dict(zip(GRADING_PROPERTIES, g, strict=True))


def spread_days(rng: random.Random, n: int, lo: int = DAY0, hi: int = DAY1, min_span: int = 90) -> list[int]:
    """``n`` sorted days in [lo, hi] spread over months (at least ``min_span`` days apart end to end)."""
    width = max(0, hi - lo)
    min_span = min(min_span, width)
    span = rng.randint(min_span, max(min_span, min(width, 540)))
    start = rng.randint(lo, hi - span)
    days = sorted(rng.randint(start, start + span) for _ in range(n))
    if n >= 2:
        days[0], days[-1] = start, start + span
    return days


class Planter:
    def __init__(self, w: World) -> None:
        self.w = w
        self.sc = w.scale
        assert w.phones is not None, "build_world creates the phone book before truth is planted"
        self.pb = w.phones
        self.mains = {k: w.prisoners[k].main_period() for k in w.active}
        self.pairs_by_prisoner: dict[int, list[int]] = {}
        for i, pair in enumerate(w.pairs):
            self.pairs_by_prisoner.setdefault(pair.prisoner, []).append(i)
        self.protected_visitors: set[int] = set()
        self.used_prisoners: set[int] = set()
        self.used_persons: set[int] = set()
        self.postcode_planted_staff: set[int] = set()
        # staff_family_in_custody decoys: (staff, prisoner, link tag, visit ids, relationship)
        self.family_decoys: list[tuple[int, int, dict, list, str]] = []
        self._staff_pool: dict[str, list[int]] = {}
        self._community_pool: dict[str, list[int]] = {}
        self._pools_built = False
        self.other_establishment_count = -1  # alternates calls / visits for other_establishment
        self.by_est: dict[str, list[int]] = {}
        for k in w.active:
            est, a, b = self.mains[k]
            if b - a >= 30:
                self.by_est.setdefault(est, []).append(k)
        w.truth = {
            "corrupt_staff": [],
            "hubs": [],
            "same_person": [],
            "not_same": [],
            "decoys": {
                "common_numbers": [],
                "privileged_numbers": [],
                "staff_family_in_custody": [],
                "busy_staff": [],
                "postcode_near": [],
                "false_allegations": [],
                "declared_relative_ocg": [],
                "duty_contacts": [],
                "chance_coresidence": [],
                "false_allegation_e": [],
            },
        }

    # ------------------------------------------------------------------ helpers
    def pid(self, k: int) -> str:
        return "prisoner:" + self.w.prisoners[k].number

    def vid(self, v: int) -> str:
        return "visitor:" + self.w.visitors[v].ref

    def person_id(self, j: int) -> str:
        return "person:" + self.w.persons[j].ref

    def sid(self, s: int) -> str:
        return "staff:" + self.w.staff[s].number

    def ocg_id(self, o: int) -> str:
        return "ocg:" + self.w.ocgs[o].urn

    def plant_call(
        self,
        caller: int | None,
        caller_prisoner: str,
        callee: int,
        day: int,
        time: str,
        duration: int,
        source: str,
        est: str,
        tag: list,
        rng: random.Random,
    ) -> None:
        pb = self.pb
        row = [
            pb.written(rng, caller) if caller is not None else "",
            caller_prisoner,
            pb.written(rng, callee),
            iso(day) + time,
            str(duration),
            source,
            est,
            "N" if rng.random() < 0.7 else "",
        ]
        self.w.planted_calls.append((row, tag, caller, callee))

    def free_staff(
        self,
        rng: random.Random,
        est: str | None = None,
        roles: tuple[str, ...] | None = None,
        no_phone: bool = False,
    ) -> int:
        """A staff member with one open post covering the window and no planted role."""
        w = self.w
        if not hasattr(self, "_staff_by_est"):
            self._staff_by_est: dict[str, list[int]] = {}
            for i, s in enumerate(w.staff):
                self._staff_by_est.setdefault(s.posts[0].est, []).append(i)
        codes = [est] if est is not None else [e["establishment_code"] for e in w.establishments]
        for attempt in range(3):
            e = est if est is not None else rng.choice(codes)
            pool = self._staff_by_est.get(e, [])
            candidates = [
                i
                for i in pool
                if not w.staff[i].flag
                and len(w.staff[i].posts) == 1
                and w.staff[i].posts[0].end is None
                and w.staff[i].posts[0].start < DAY0
                and (roles is None or w.staff[i].posts[0].role in roles)
                and (not no_phone or w.staff[i].phone < 0)
            ]
            if not candidates and attempt == 2:
                candidates = [i for i in pool if not w.staff[i].flag and (not no_phone or w.staff[i].phone < 0)]
            if candidates:
                return rng.choice(candidates)
        return rng.choice([i for i, s in enumerate(w.staff) if not s.flag])

    def _build_pools(self) -> None:
        """Unattributed numbers that staff phones and visitors' phones already call (per region)."""
        w = self.w
        attributed = {row[0] for row in w.phone_rows}
        seen: set[int] = set()
        for st in w.staff:
            if st.phone >= 0:
                for b in w.contacts.get(st.phone, []):
                    if b not in attributed and b not in seen:
                        seen.add(b)
                        self._staff_pool.setdefault(st.region, []).append(b)
        for v in w.visitors:
            if v.phone >= 0:
                for b in w.contacts.get(v.phone, []):
                    if b not in attributed and b not in seen:
                        seen.add(b)
                        self._community_pool.setdefault(v.region, []).append(b)
        self._pools_built = True

    def ordinary_number(self, rng: random.Random, region: str, staff: bool = False) -> int:
        """A number ordinary people of the region call (a friend, a shop): never an attributed one."""
        if not self._pools_built:
            self._build_pools()
        pool = (self._staff_pool.get(region) if staff else None) or self._community_pool.get(region)
        if not pool:
            pool = self._community_pool.setdefault(region, [self.pb.mobile() for _ in range(20)])
        return rng.choice(pool)

    def staff_phone(self, rng: random.Random, s: int, attribution: str) -> int:
        """The staff member's number (made if needed), which also calls ordinary numbers."""
        staff = self.w.staff[s]
        if staff.phone >= 0:
            return staff.phone
        idx = give_staff_phone(self.w, rng, staff, attribution)
        for _ in range(rng.randint(2, 4)):
            self.w.add_contact(idx, self.ordinary_number(rng, staff.region, staff=True))
        return idx

    def outside_member(self, rng: random.Random, o: int) -> int:
        """An OCG member outside (a person); a brand-new member when the OCG has none."""
        w = self.w
        ocg = w.ocgs[o]
        if ocg.outside:
            return rng.choice(ocg.outside)
        j = new_person(w, rng, ocg.region)
        w.persons[j].ocg = o
        ocg.outside.append(j)
        w.member_rows.append([ocg.urn, "person", w.persons[j].ref, "member", "", *intel_grading(rng, e_rate=0.0)])
        return j

    def family_of(self, k: int) -> list[int]:
        return [self.w.pairs[i].visitor for i in self.pairs_by_prisoner.get(k, [])]

    def ocg_contact(self, rng: random.Random, o: int, k: int, family_rate: float = 0.5) -> tuple[int, str, str]:
        """A number on the OCG side: a visitor of prisoner ``k`` (his family) or an outside member.

        Returns (phone, holder id, OCG member id).
        """
        family = self.family_of(k)
        if family and rng.random() < family_rate:
            v = rng.choice(family)
            self.protected_visitors.add(v)
            return self.phone_of_visitor(rng, v), self.vid(v), self.pid(k)
        j = self.outside_member(rng, o)
        return self.phone_of_person(rng, j), self.person_id(j), self.person_id(j)

    def cdr_series(
        self,
        rng: random.Random,
        a: int,
        b: int,
        days: list[int],
        hours: tuple[int, int],
        durations: tuple[int, int],
        tag: list,
        a_calls: float = 0.6,
    ) -> None:
        """cdr calls between numbers ``a`` and ``b`` (``a`` the caller with probability ``a_calls``)."""
        for day in days:
            x, y = (a, b) if rng.random() < a_calls else (b, a)
            self.plant_call(x, "", y, day, _time(rng, *hours), rng.randint(*durations), "cdr", "", tag, rng)

    def link(
        self,
        tag: dict | None,
        from_type: str,
        from_id: str,
        to_type: str,
        to_id: str,
        link_type: str,
        day: str,
        source_ref: str,
        grading: tuple[str, str, str, str],
        notes: str = "",
    ) -> None:
        """Add a links.csv row; ``tag`` receives its ``link_row`` when written."""
        self.w.links.append(Link(from_type, from_id, to_type, to_id, link_type, day, source_ref, grading, notes, tag))

    def phone_of_visitor(self, rng: random.Random, v: int) -> int:
        w = self.w
        visitor = w.visitors[v]
        if visitor.phone < 0:
            visitor.phone = self.pb.mobile()
            w.add_phone_row(
                visitor.phone,
                "visitor",
                visitor.ref,
                "declared",
                rng.randint(ordinal(2020), DAY0),
                None,
                ("", "", "", ""),
            )
        return visitor.phone

    def phone_of_person(self, rng: random.Random, j: int) -> int:
        w = self.w
        person = w.persons[j]
        if not person.phones:
            idx = self.pb.mobile()
            person.phones.append(idx)
            w.add_phone_row(
                idx,
                "person",
                person.ref,
                "intelligence",
                rng.randint(ordinal(2020), DAY0),
                None,
                intel_grading(rng, e_rate=0.0),
            )
            w.phone_owner_kind[idx] = "ocg" if person.ocg >= 0 else ""
        return person.phones[0]

    def hub_prisoners(self, rng: random.Random, region: str, count: int) -> list[int]:
        ests = [e for e in self.w.est_by_region[region] if self.by_est.get(e)]
        if len(ests) < 3:
            ests = [e for e in self.by_est if self.by_est[e]]
        n_est = min(len(ests), max(3, rng.randint(3, 5)))
        chosen = rng.sample(ests, n_est)
        picked: list[int] = []
        pools = {e: [k for k in self.by_est[e] if k not in self.used_prisoners] for e in chosen}
        for e in chosen:
            rng.shuffle(pools[e])
        i = 0
        while len(picked) < count and any(pools.values()):
            e = chosen[i % len(chosen)]
            i += 1
            if pools[e]:
                k = pools[e].pop()
                picked.append(k)
                self.used_prisoners.add(k)
        return picked

    # ------------------------------------------------------------------ hubs
    def plant_hubs(self) -> None:
        w, rng = self.w, self.w.rng("truth:hubs")
        order = list(range(len(w.ocgs)))
        rng.shuffle(order)
        for h in range(self.sc.hubs):
            o = order[h % len(order)]
            ocg = w.ocgs[o]
            kind = "person" if h % 3 == 2 else "phone"
            if kind == "phone":
                count = rng.randint(*self.sc.hub_prisoners)
                prisoners = self.hub_prisoners(rng, ocg.region, count)
                holders = [j for j in ocg.outside if j not in self.used_persons]
                if holders and rng.random() < 0.6:
                    j = rng.choice(holders)
                    role = "member"
                else:
                    j = new_person(w, rng, ocg.region)
                    w.persons[j].ocg = o
                    ocg.outside.append(j)
                    role = "associate"
                    w.member_rows.append(
                        [
                            ocg.urn,
                            "person",
                            w.persons[j].ref,
                            "associate",
                            iso(rng.randint(ordinal(2021), DAY0)),
                            *intel_grading(rng, e_rate=0.0),
                        ]
                    )
                self.used_persons.add(j)
                person = w.persons[j]
                idx = self.pb.mobile()
                person.phones.append(idx)
                w.phone_owner_kind[idx] = "ocg"
                w.add_phone_row(
                    idx,
                    "person",
                    person.ref,
                    "intelligence",
                    rng.randint(ordinal(2022), DAY0),
                    None,
                    intel_grading(rng, e_rate=0.0),
                )
                for other in ocg.outside:
                    for ph in w.persons[other].phones:
                        if ph != idx:
                            w.add_contact(idx, ph)
                call_ids: list[str] = []
                ests: list[str] = []
                for k in prisoners:
                    est, a, b = self.mains[k]
                    if est not in ests:
                        ests.append(est)
                    p = w.prisoners[k]
                    w.add_phone_row(idx, "prisoner", p.number, "pin_list", a, None, ("", "", "", ""))
                    for _ in range(rng.randint(2, 8)):
                        self.plant_call(
                            None,
                            p.number,
                            idx,
                            rng.randint(a, b),
                            _time(rng, 8, 20),
                            rng.randint(60, 900),
                            "pin",
                            est,
                            call_ids,
                            rng,
                        )
                w.truth["hubs"].append(
                    {
                        "id": self.pb.node(idx),
                        "kind": "phone",
                        "attributed_to": self.person_id(j),
                        "holder_role": role,
                        "ocg": self.ocg_id(o),
                        "prisoners": [self.pid(k) for k in prisoners],
                        "establishments": ["establishment:" + e for e in sorted(ests)],
                        "calls": None,
                        "call_ids": call_ids,
                    }
                )
            else:
                count = rng.randint(*self.sc.hub_person_prisoners)
                prisoners = self.hub_prisoners(rng, ocg.region, count)
                gender = "M" if rng.random() < 0.6 else "F"
                surname = rng.choice(N.SURNAMES)
                dob = w.new_dob(rng, surname, ordinal(1965), ordinal(2000))
                v = new_visitor(
                    w,
                    rng,
                    surname,
                    rng.choice(N.MALE_FORENAMES if gender == "M" else N.FEMALE_FORENAMES),
                    dob,
                    gender,
                    N.postcode(rng, N.REGIONS[ocg.region]["areas"]),
                    ocg.region,
                )
                self.protected_visitors.add(v)
                if rng.random() < 0.7:
                    self.phone_of_visitor(rng, v)
                ocg.associates_visitors.append(v)
                w.member_rows.append(
                    [
                        ocg.urn,
                        "visitor",
                        w.visitors[v].ref,
                        "associate",
                        iso(rng.randint(ordinal(2021), DAY0)),
                        *intel_grading(rng, e_rate=0.0),
                    ]
                )
                visit_ids: list[str] = []
                ests = []
                for k in prisoners:
                    est, a, b = self.mains[k]
                    if est not in ests:
                        ests.append(est)
                    w.pairs.append(
                        VisitPair(
                            v,
                            k,
                            rng.choice(("friend", "friend", "friend", "cousin")),
                            rng.randint(1, 3),
                            visit_ids,
                            (a, b),
                        )
                    )
                w.truth["hubs"].append(
                    {
                        "id": self.vid(v),
                        "kind": "person",
                        "ocg": self.ocg_id(o),
                        "ocg_role": "associate",
                        "prisoners": [self.pid(k) for k in prisoners],
                        "establishments": ["establishment:" + e for e in sorted(ests)],
                        "visits": None,
                        "visit_ids": visit_ids,
                    }
                )

    # ------------------------------------------------------------------ corrupt staff
    def plant_corrupt_staff(self) -> None:
        w, rng = self.w, self.w.rng("truth:corrupt")
        from graph_service.synthetic.corrupt import PLANTERS, other_establishment_ocg

        ocgs = [o for o, ocg in enumerate(w.ocgs) if ocg.custody]
        rng.shuffle(ocgs)
        for c in range(self.sc.corrupt_staff):
            o = ocgs[c % len(ocgs)]
            ocg = w.ocgs[o]
            members = [k for k in ocg.custody if self.mains[k][2] - self.mains[k][1] >= 30]
            top_kind = CORRUPT_KINDS[c % len(CORRUPT_KINDS)]
            if top_kind == "other_establishment":
                o = other_establishment_ocg(self, rng, ocgs, o)
                ocg = w.ocgs[o]
                members = [k for k in ocg.custody if self.mains[k][2] - self.mains[k][1] >= 30]
            if top_kind not in EVIDENCE_KINDS:
                principals = [k for k in ocg.principals_custody if k in members]
                k = rng.choice(principals if principals and rng.random() < 0.5 else members or ocg.custody)
                s, evidence = PLANTERS[top_kind](self, rng, o, k)
                w.staff[s].flag = "corrupt"
                self.record_corrupt(s, top_kind, o, evidence)
                continue
            k = rng.choice(ocg.principals_custody or members or ocg.custody)
            est = self.mains[k][0]
            s = self.free_staff(rng, est, ORDINARY_ROLES)
            staff = w.staff[s]
            staff.flag = "corrupt"
            kinds = [top_kind]
            for extra in EVIDENCE_KINDS:
                if extra not in kinds and rng.random() < 0.35:
                    kinds.append(extra)
            # the planted kind first (it is the record's ``kind``), extras in the usual order
            evidence = []
            for kind in kinds:
                if kind == "phone_contact":
                    attribution = "declared" if rng.random() < 0.6 else "intelligence"
                    staff_phone = self.staff_phone(rng, s, attribution)
                    ocg_phone, holder, member = self.ocg_contact(rng, o, k)
                    call_ids: list[str] = []
                    for _ in range(rng.randint(3, 12)):
                        a, b = (staff_phone, ocg_phone) if rng.random() < 0.6 else (ocg_phone, staff_phone)
                        self.plant_call(
                            a,
                            "",
                            b,
                            rng.randint(DAY0, DAY1),
                            _time(rng, 17, 24),
                            rng.randint(20, 900),
                            "cdr",
                            "",
                            call_ids,
                            rng,
                        )
                    evidence.append(
                        {
                            "kind": "phone_contact",
                            "staff_phone": self.pb.node(staff_phone),
                            "ocg_phone": self.pb.node(ocg_phone),
                            "phone_holder": holder,
                            "ocg_member": member,
                            "ocg": self.ocg_id(o),
                            "calls": None,
                            "call_ids": call_ids,
                        }
                    )
                elif kind == "shared_postcode":
                    shared = self.share_postcode(rng, s, o, k)
                    if shared is not None:
                        evidence.append(shared)
                else:
                    if rng.random() < 0.7:
                        from_type, from_id = "prisoner", w.prisoners[k].number
                    else:
                        outsider = rng.choice(ocg.outside) if ocg.outside else None
                        from_type, from_id = (
                            ("person", w.persons[outsider].ref)
                            if outsider is not None
                            else ("prisoner", w.prisoners[k].number)
                        )
                    grading = (
                        rng.choice(("2", "2", "3")),
                        rng.choice(("B", "B", "C", "D")),
                        CONDITIONAL if rng.random() < 0.5 else PERMITTED,
                        "",
                    )
                    if grading[2] == CONDITIONAL:
                        grading = (*grading[:3], rng.choice(N.HANDLING_CONDITIONS))
                    source_ref = w.new_source_ref("IR", 2024)
                    ev = {
                        "kind": "corrupt_approach",
                        "link_row": None,
                        "from": f"{from_type}:{from_id}",
                        "ocg": self.ocg_id(o),
                        "source_ref": source_ref,
                        "grading": _grading_dict(grading),
                    }
                    w.links.append(
                        Link(
                            from_type,
                            from_id,
                            "staff",
                            staff.number,
                            "CORRUPT_APPROACH",
                            iso(rng.randint(DAY0, DAY1)),
                            source_ref,
                            grading,
                            rng.choice(("", "offered money to bring in phones", "asked officer to carry package")),
                            tag=ev,
                        )
                    )
                    evidence.append(ev)
            self.record_corrupt(s, evidence[0]["kind"] if evidence else top_kind, o, evidence)

    def record_corrupt(self, s: int, kind: str, o: int, evidence: list[dict]) -> None:
        staff = self.w.staff[s]
        self.w.truth["corrupt_staff"].append(
            {
                "id": self.sid(s),
                "kind": kind,
                "role": staff.posts[0].role,
                "establishment": "establishment:" + staff.posts[0].est,
                "ocg": self.ocg_id(o),
                "evidence": evidence,
            }
        )

    def share_postcode(self, rng: random.Random, s: int, o: int, k: int) -> dict | None:
        """Move staff member ``s`` to the postcode of prisoner ``k``'s family or an outside member."""
        w = self.w
        with_postcode = [v for v in self.family_of(k) if w.visitors[v].postcode]
        if with_postcode:
            v = rng.choice(with_postcode)
            self.protected_visitors.add(v)
            w.postcode_shown.add(v)
            postcode, holder, member = w.visitors[v].postcode, self.vid(v), self.pid(k)
        else:
            outside = [j for j in w.ocgs[o].outside if w.persons[j].postcode]
            if not outside:
                return None
            j = rng.choice(outside)
            postcode, holder, member = w.persons[j].postcode, self.person_id(j), self.person_id(j)
        w.staff[s].postcode = postcode
        self.postcode_planted_staff.add(s)
        return {
            "kind": "shared_postcode",
            "postcode": postcode,
            "with": holder,
            "ocg_member": member,
            "ocg": self.ocg_id(o),
        }

    # ------------------------------------------------------------------ staff decoys
    def plant_staff_decoys(self) -> None:
        w, rng = self.w, self.w.rng("truth:decoys")
        decoys = w.truth["decoys"]
        # staff with a declared relative in custody (also a same_person pair staff/visitor)
        ocg_prisoners = [
            k
            for ocg in w.ocgs
            for k in ocg.custody
            if k not in self.used_prisoners and self.mains[k][2] - self.mains[k][1] >= 30
        ]
        others = [k for k in w.active if k not in self.used_prisoners and self.mains[k][2] - self.mains[k][1] >= 30]
        for d in range(self.sc.decoy_staff_family):
            pool = ocg_prisoners if (d % 2 == 0 and ocg_prisoners) else others
            k = rng.choice(pool)
            self.used_prisoners.add(k)
            p = w.prisoners[k]
            s = self.free_staff(rng)
            staff = w.staff[s]
            staff.flag = "staff_family_in_custody"
            staff.surname = p.surname
            staff.dob = w.new_dob(rng, p.surname, min(p.dob - 3650, ordinal(1990)), min(p.dob + 3650, ordinal(2000)))
            for post in staff.posts:
                post.start = max(post.start, staff.dob + 18 * 365 + 30)
            relationship = "brother" if staff.gender == "M" else "sister"
            forenames = staff.forenames if rng.random() < 0.6 else N.forename_variant(rng, staff.forenames)
            v = new_visitor(w, rng, staff.surname, forenames, staff.dob, staff.gender, staff.postcode, staff.region)
            self.protected_visitors.add(v)
            self.postcode_planted_staff.add(s)
            _est, a, b = self.mains[k]
            visit_ids: list[str] = []
            w.pairs.append(VisitPair(v, k, relationship, rng.randint(2, 6), visit_ids, (a, b)))
            phone = give_staff_phone(w, rng, staff, "declared")
            shared_phone = rng.random() < 0.5
            if shared_phone:
                w.visitors[v].phone = phone
                w.add_phone_row(phone, "visitor", w.visitors[v].ref, "declared", None, None, ("", "", "", ""))
            for i in self.pairs_by_prisoner.get(k, []):
                fam = w.visitors[w.pairs[i].visitor].phone
                if fam >= 0:
                    w.add_contact(phone, fam)
                    w.add_contact(fam, phone)
            link_tag: dict = {"link_row": None}
            self.family_decoys.append((s, k, link_tag, visit_ids, relationship))
            w.links.append(
                Link(
                    "staff",
                    staff.number,
                    "prisoner",
                    p.number,
                    "FAMILY_OF",
                    iso(rng.randint(staff.posts[0].start, DAY1) if staff.posts[0].start < DAY1 else DAY0),
                    w.new_source_ref("HR-COI", 2023),
                    OFFICIAL_CELLS,
                    "declared conflict of interest",
                    tag=link_tag,
                )
            )
            decoys["staff_family_in_custody"].append(
                {
                    "id": self.sid(s),
                    "relative": self.pid(k),
                    "relationship": relationship,
                    "relative_ocg": self.ocg_id(p.ocg) if p.ocg >= 0 else None,
                    "visitor_id": self.vid(v),
                    "family_link": link_tag,
                    "visit_ids": visit_ids,
                    "why_innocent": "relationship declared to the employer; FAMILY_OF graded 1/A",
                }
            )
            w.truth["same_person"].append(
                {
                    "ids": [self.sid(s), self.vid(v)],
                    "kind": "staff_relative_visitor",
                    "variants": {"surname": [staff.surname, staff.surname], "forenames": [staff.forenames, forenames]},
                    "shared": ["dob", "postcode"] + (["phone"] if shared_phone else []),
                    "resolved": False,
                }
            )
        # staff who work with many prisoners: chaplaincy / healthcare, several posts, long service
        codes = [e["establishment_code"] for e in w.establishments]
        for _ in range(self.sc.decoy_busy_staff):
            s = self.free_staff(rng)
            staff = w.staff[s]
            staff.flag = "busy_staff"
            role = rng.choice(("Chaplaincy", "Healthcare"))
            region_codes = w.est_by_region[staff.region] if len(w.est_by_region[staff.region]) >= 3 else codes
            n_posts = min(len(region_codes), rng.randint(3, 4))
            start0 = max(staff.dob + 22 * 365, ordinal(1993))
            ests = rng.sample(region_codes, n_posts)
            staff.posts = [Post(e, role, rng.randint(start0, start0 + 3000), None) for e in ests]
            decoys["busy_staff"].append(
                {
                    "id": self.sid(s),
                    "role": role,
                    "posts": n_posts,
                    "establishments": ["establishment:" + e for e in ests],
                    "why_innocent": "many posts and long service bring contact with many prisoners",
                }
            )
        # a corruption allegation graded E (suspected false) about an innocent officer
        ocg_custody = [(o, k) for o, ocg in enumerate(w.ocgs) for k in ocg.custody]
        for _ in range(self.sc.decoy_false_allegation):
            o, k = rng.choice(ocg_custody)
            s = self.free_staff(rng, self.mains[k][0] if k in self.mains else None, ORDINARY_ROLES)
            staff = w.staff[s]
            staff.flag = "false_allegation"
            grading = ("3", "E", "P", "") if rng.random() < 0.5 else ("3", "E", "C", rng.choice(N.HANDLING_CONDITIONS))
            tag: dict = {"link_row": None}
            w.links.append(
                Link(
                    "prisoner",
                    w.prisoners[k].number,
                    "staff",
                    staff.number,
                    "CORRUPT_APPROACH",
                    iso(rng.randint(DAY0, DAY1)),
                    w.new_source_ref("IR", 2024),
                    grading,
                    "allegation made by prisoner after adjudication",
                    tag=tag,
                )
            )
            decoys["false_allegations"].append(
                {
                    "id": self.sid(s),
                    "from": self.pid(k),
                    "from_ocg": self.ocg_id(o),
                    "link": tag,
                    "grading": _grading_dict(grading),
                    "why_innocent": "single allegation graded E (suspected false), no other evidence",
                }
            )

    # ------------------------------------------------------------------ common numbers
    def plant_common_calls(self) -> None:
        """Make sure staff and OCG members also call the taxi firm and bookmaker."""
        w, rng = self.w, self.w.rng("truth:common")
        for region in w.regions:
            staff_phones = [s.phone for s in w.staff if s.phone >= 0 and s.region == region]
            ocg_phones = [
                ph for ocg in w.ocgs if ocg.region == region for j in ocg.outside for ph in w.persons[j].phones
            ]
            for number in w.common[region]:
                for pool in (staff_phones, ocg_phones):
                    for ph in rng.sample(pool, min(len(pool), 6)):
                        for _ in range(rng.randint(1, 3)):
                            self.plant_call(
                                ph,
                                "",
                                number,
                                rng.randint(DAY0, DAY1),
                                _time(rng, 7, 24),
                                rng.randint(15, 240),
                                "cdr",
                                "",
                                [],
                                rng,
                            )

    # ------------------------------------------------------------------ identities
    def plant_same_person(self) -> None:
        w, rng = self.w, self.w.rng("truth:identity")
        kinds = ("ex_prisoner_visitor", "nominal_visitor", "prisoner_nominal", "visitor_duplicate")
        # staff identities planted already (staff_relative_visitor, staff_visitor) count too
        n = max(len(kinds), self.sc.same_person - len(w.truth["same_person"]))
        ex_pool = list(w.ex_prisoners)
        rng.shuffle(ex_pool)
        plain_persons = [
            j
            for j, p in enumerate(w.persons)
            if p.ocg < 0 and p.dob is not None and p.postcode and j not in self.used_persons
        ]
        rng.shuffle(plain_persons)
        plain_prisoners = [k for k in w.active if w.prisoners[k].ocg < 0 and k not in self.used_prisoners]
        rng.shuffle(plain_prisoners)
        visitors = [v for v in range(len(w.visitors)) if v not in self.protected_visitors]
        rng.shuffle(visitors)
        pairs_of_visitor: dict[int, int] = {}
        for i, pair in enumerate(w.pairs):
            pairs_of_visitor.setdefault(pair.visitor, i)

        def visit_random_prisoner(v: int, region: str, rel: str) -> int:
            cands = [k for k in self.by_est.get(rng.choice(w.est_by_region[region]), [])] or w.active
            k = rng.choice(cands)
            w.pairs.append(VisitPair(v, k, rel, rng.randint(1, 4)))
            return k

        for i in range(n):
            kind = kinds[i % len(kinds)]
            record: dict
            if kind == "ex_prisoner_visitor" and ex_pool:
                k = ex_pool.pop()
                p = w.prisoners[k]
                forenames = N.forename_variant(rng, p.forenames)
                surname = N.surname_typo(rng, p.surname) if rng.random() < 0.4 else p.surname
                w.claim_dob(surname, p.dob)
                v = new_visitor(
                    w, rng, surname, forenames, p.dob, p.gender, N.postcode(rng, N.REGIONS[p.region]["areas"]), p.region
                )
                if rng.random() < 0.5:
                    self.phone_of_visitor(rng, v)
                visited = visit_random_prisoner(v, p.region, "friend")
                record = {
                    "ids": [self.pid(k), self.vid(v)],
                    "kind": kind,
                    "variants": {"surname": [p.surname, surname], "forenames": [p.forenames, forenames]},
                    "shared": ["dob"],
                    "note": f"released {iso(p.periods[-1].end)}, now visits {self.pid(visited)}",
                }
            elif kind == "nominal_visitor" and plain_persons:
                j = plain_persons.pop()
                person = w.persons[j]
                self.used_persons.add(j)
                gender = "F" if person.forenames.split(" ")[0] in N.FEMALE_FORENAMES else "M"
                forenames = N.forename_variant(rng, person.forenames) if rng.random() < 0.5 else person.forenames
                assert person.dob is not None
                v = new_visitor(w, rng, person.surname, forenames, person.dob, gender, person.postcode, person.region)
                visited = visit_random_prisoner(v, person.region, rng.choice(("friend", "cousin")))
                record = {
                    "ids": [self.person_id(j), self.vid(v)],
                    "kind": kind,
                    "variants": {
                        "surname": [person.surname, person.surname],
                        "forenames": [person.forenames, forenames],
                    },
                    "shared": ["dob", "postcode"],
                    "note": f"visits {self.pid(visited)}",
                }
            elif kind == "prisoner_nominal" and plain_prisoners:
                k = plain_prisoners.pop()
                self.used_prisoners.add(k)
                p = w.prisoners[k]
                if not p.pnc:
                    p.pnc = w.new_pnc(rng, rng.randint(2000, 2022))
                surname = N.surname_typo(rng, p.surname) if rng.random() < 0.3 else p.surname
                forenames = N.forename_variant(rng, p.forenames) if rng.random() < 0.5 else p.forenames
                w.claim_dob(surname, p.dob)
                w.persons.append(
                    Person(w.new_person_ref(), surname, forenames, p.dob, p.pnc, p.family_postcode, p.region)
                )
                j = len(w.persons) - 1
                self.used_persons.add(j)
                record = {
                    "ids": [self.pid(k), self.person_id(j)],
                    "kind": kind,
                    "variants": {"surname": [p.surname, surname], "forenames": [p.forenames, forenames]},
                    "shared": ["dob", "pnc_id"],
                }
            elif visitors:
                kind = "visitor_duplicate"
                v0 = visitors.pop()
                while v0 not in pairs_of_visitor and visitors:
                    v0 = visitors.pop()
                base = w.visitors[v0]
                self.protected_visitors.add(v0)
                surname = N.surname_typo(rng, base.surname)
                w.claim_dob(surname, base.dob)
                v = new_visitor(w, rng, surname, base.forenames, base.dob, base.gender, base.postcode, base.region)
                pair = w.pairs[pairs_of_visitor[v0]]
                w.pairs.append(VisitPair(v, pair.prisoner, pair.relationship, rng.randint(1, 3)))
                record = {
                    "ids": [self.vid(v0), self.vid(v)],
                    "kind": kind,
                    "variants": {"surname": [base.surname, surname], "forenames": [base.forenames, base.forenames]},
                    "shared": ["dob", "postcode", "visited prisoner"],
                    "note": f"both visit {self.pid(pair.prisoner)}",
                }
            else:
                continue
            record["resolved"] = False
            w.truth["same_person"].append(record)

    def plant_not_same(self) -> None:
        """Look-alikes: same names, different people (different dob and postcode)."""
        w, rng = self.w, self.w.rng("truth:lookalikes")
        for i in range(self.sc.not_same):
            base_kind = ("prisoner", "visitor", "person")[i % 3]
            if base_kind == "prisoner":
                k = rng.choice(w.active)
                p = w.prisoners[k]
                left, surname, forenames, dob, region, gender = (
                    self.pid(k),
                    p.surname,
                    p.forenames,
                    p.dob,
                    p.region,
                    p.gender,
                )
            elif base_kind == "visitor":
                v0 = rng.randrange(len(w.visitors))
                b = w.visitors[v0]
                left, surname, forenames, dob, region, gender = (
                    self.vid(v0),
                    b.surname,
                    b.forenames,
                    b.dob,
                    b.region,
                    b.gender,
                )
            else:
                cands = [j for j, p in enumerate(w.persons) if p.dob is not None]
                j0 = rng.choice(cands)
                b2 = w.persons[j0]
                assert b2.dob is not None
                gender = "F" if b2.forenames.split(" ")[0] in N.FEMALE_FORENAMES else "M"
                left, surname, forenames, dob, region = self.person_id(j0), b2.surname, b2.forenames, b2.dob, b2.region
            new_dob = w.new_dob(rng, surname, dob - 400, dob + 400)
            postcode = N.postcode(rng, N.REGIONS[region]["areas"])
            if i % 2 == 0:
                v = new_visitor(w, rng, surname, forenames, new_dob, gender, postcode, region)
                cands = [k for k in w.active if w.prisoners[k].region == region] or w.active
                w.pairs.append(VisitPair(v, rng.choice(cands), "friend", rng.randint(1, 3)))
                right = self.vid(v)
            else:
                j = new_person(w, rng, region, gender)
                person = w.persons[j]
                w._name_dob.discard((person.surname.lower(), person.dob))
                person.surname, person.forenames, person.dob, person.postcode = surname, forenames, new_dob, postcode
                right = self.person_id(j)
            w.truth["not_same"].append(
                {
                    "ids": [left, right],
                    "kind": "look_alike",
                    "names": [f"{forenames} {surname}", f"{forenames} {surname}"],
                    "dobs": [iso(dob), iso(new_dob)],
                    "why": "same name, different date of birth and postcode",
                    "resolved": False,
                }
            )

    def plant_resolutions(self) -> None:
        w, rng = self.w, self.w.rng("truth:resolutions")
        items = [(r, "same", 0.5) for r in w.truth["same_person"]] + [
            (r, "different", 0.75) for r in w.truth["not_same"]
        ]
        for record, decision, rate in items:
            if rng.random() >= rate:
                continue
            left, right = record["ids"]
            lt, li = left.split(":", 1)
            rt, ri = right.split(":", 1)
            decided = iso(rng.randint(ordinal(2024, 1, 1), DAY1)) + _time(rng, 9, 18)
            w.resolutions.append([lt, li, rt, ri, decision, rng.choice(N.ANALYSTS), decided])
            record["resolved"] = True

    # ------------------------------------------------------------------ postcodes
    def plant_postcode_near(self) -> None:
        """Near-miss postcodes: a few staff live in the sector of many visitors, never at one."""
        w, rng = self.w, self.w.rng("truth:postcodes")
        movable: dict[str, list[int]] = {}
        for v, visitor in enumerate(w.visitors):
            if v not in self.protected_visitors:
                movable.setdefault(visitor.region, []).append(v)
        taken = self.community_postcodes()
        ocgs = [o for o in w.ocgs if o.custody]
        for _ in range(self.sc.decoy_postcode_near):
            ocg = rng.choice(ocgs)
            k = rng.choice(ocg.custody)
            sector_pc = w.prisoners[k].family_postcode
            region = w.prisoners[k].region
            for _ in range(rng.randint(4, 8)):
                v = rng.choice(movable[region])
                w.visitors[v].postcode = N.same_sector_postcode(rng, sector_pc)
                taken.add(w.visitors[v].postcode)
            s = self.free_staff(rng)
            staff = w.staff[s]
            staff.flag = "postcode_near"
            pc = N.same_sector_postcode(rng, sector_pc)
            while pc in taken:
                pc = N.same_sector_postcode(rng, sector_pc)
            staff.postcode = pc
            self.postcode_planted_staff.add(s)
            w.truth["decoys"]["postcode_near"].append(
                {
                    "id": self.sid(s),
                    "postcode": pc,
                    "sector": pc[:-2],
                    "visitors_in_sector": None,
                    "near": self.pid(k),
                    "why_innocent": "same postcode sector as many visitors (incl. an OCG member's family), no exact match",
                }
            )

    def separate_staff_postcodes(self) -> None:
        """No staff member shares a postcode with a visitor or nominal unless planted."""
        w, rng = self.w, self.w.rng("truth:separate")
        taken = self.community_postcodes()
        areas_cache: dict[str, tuple[str, ...]] = {}
        for s, staff in enumerate(w.staff):
            if staff.flag == "postcode_near":
                while staff.postcode in taken:
                    staff.postcode = N.same_sector_postcode(rng, staff.postcode)
                for record in w.truth["decoys"]["postcode_near"]:
                    if record["id"] == self.sid(s):
                        record["postcode"] = staff.postcode
                        record["sector"] = staff.postcode[:-2]
                continue
            if s in self.postcode_planted_staff:
                continue
            areas = areas_cache.setdefault(staff.region, tuple(N.REGIONS[staff.region]["areas"]))
            while staff.postcode in taken:
                staff.postcode = N.postcode(rng, areas)
        sectors: dict[str, int] = {}
        for v in w.visitors:
            if v.postcode:
                sectors[v.postcode[:-2]] = sectors.get(v.postcode[:-2], 0) + 1
        for record in w.truth["decoys"]["postcode_near"]:
            record["visitors_in_sector"] = sectors.get(record["sector"], 0)

    def community_postcodes(self) -> set[str]:
        w = self.w
        return {v.postcode for v in w.visitors if v.postcode} | {p.postcode for p in w.persons if p.postcode}

    # ------------------------------------------------------------------ decoy numbers
    def record_number_decoys(self) -> None:
        w = self.w
        for idx, info in w.common_info.items():
            w.truth["decoys"]["common_numbers"].append({"id": self.pb.node(idx), **info})
        for idx, info in w.privileged.items():
            w.truth["decoys"]["privileged_numbers"].append({"id": self.pb.node(idx), **info})


def plant_truth(w: World) -> None:
    from graph_service.synthetic import decoys

    planter = Planter(w)
    planter.plant_hubs()
    planter.plant_corrupt_staff()
    planter.plant_staff_decoys()
    decoys.plant_declared_relatives(planter)
    decoys.plant_duty_contacts(planter)
    decoys.plant_false_allegations_e(planter)
    planter.plant_common_calls()
    planter.plant_postcode_near()
    decoys.plant_chance_coresidence(planter)
    planter.plant_same_person()
    planter.plant_not_same()
    planter.plant_resolutions()
    planter.separate_staff_postcodes()
    decoys.finalise_postcode_decoys(planter)
    planter.record_number_decoys()
