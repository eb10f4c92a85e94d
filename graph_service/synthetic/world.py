"""The world model: establishments, prisoners, families, staff, nominals, OCGs, phones.

:func:`build_world` makes the ordinary background world for a scale and seed; the
planted truth (:mod:`.truth`) is then added on top, and :mod:`.activity` streams the
visits and calls the world generates. Every random choice comes from a
``random.Random`` seeded from ``(seed, component)``, and nothing iterates over a set,
so one seed always gives the same world.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from graph_service.grading import CONDITIONAL, INTEL_EVALS, OFFICIAL_CELLS, PERMITTED, SOURCE_EVALS
from graph_service.synthetic import names as N
from graph_service.synthetic.scales import WINDOW_END, WINDOW_START, Scale

DAY0 = WINDOW_START.toordinal()
DAY1 = WINDOW_END.toordinal()
_DATE_CACHE: dict[int, str] = {}


def iso(day: int | None) -> str:
    """ISO date of an ordinal (empty for None)."""
    if day is None:
        return ""
    text = _DATE_CACHE.get(day)
    if text is None:
        text = date.fromordinal(day).isoformat()
        _DATE_CACHE[day] = text
    return text


def ordinal(y: int, m: int = 1, d: int = 1) -> int:
    return date(y, m, d).toordinal()


# ---------------------------------------------------------------------------- model


@dataclass(slots=True)
class Period:
    est: str
    start: int
    end: int | None
    cell: str


@dataclass(slots=True)
class Prisoner:
    number: str
    surname: str
    forenames: str
    dob: int
    gender: str
    pnc: str
    region: str
    periods: list[Period]
    ex: bool
    family_postcode: str
    pin: list[int] = field(default_factory=list)
    solicitor: int = -1
    ocg: int = -1
    span: tuple[int, int] = (0, -1)

    def est_on(self, day: int) -> str:
        for p in self.periods:
            if p.start <= day and (p.end is None or day <= p.end):
                return p.est
        return self.periods[-1].est

    def main_period(self) -> tuple[str, int, int]:
        """The custody period with the longest overlap with the window: (est, from, to)."""
        best = ("", 0, -1)
        for p in self.periods:
            a, b = max(p.start, DAY0), min(p.end if p.end is not None else DAY1, DAY1)
            if b - a > best[2] - best[1]:
                best = (p.est, a, b)
        return best


@dataclass(slots=True)
class Visitor:
    ref: str
    surname: str
    forenames: str
    dob: int
    gender: str
    postcode: str
    region: str
    phone: int = -1


@dataclass(slots=True)
class VisitPair:
    visitor: int
    prisoner: int
    relationship: str
    count: int
    # Planted pairs collect their visit ids here; ``window`` limits the dates.
    tag: list | None = None
    window: tuple[int, int] | None = None


@dataclass(slots=True)
class Post:
    est: str
    role: str
    start: int
    end: int | None


@dataclass(slots=True)
class Staff:
    number: str
    surname: str
    forenames: str
    dob: int
    gender: str
    postcode: str
    region: str
    posts: list[Post]
    phone: int = -1
    flag: str = ""  # "corrupt" or a decoy kind: keeps planted roles apart


@dataclass(slots=True)
class Person:
    ref: str
    surname: str
    forenames: str
    dob: int | None
    pnc: str
    postcode: str
    region: str
    phones: list[int] = field(default_factory=list)
    ocg: int = -1


@dataclass(slots=True)
class Ocg:
    urn: str
    name: str
    band: str
    crime: str
    region: str
    custody: list[int] = field(default_factory=list)  # prisoner indices
    principals_custody: list[int] = field(default_factory=list)
    outside: list[int] = field(default_factory=list)  # person indices
    associates_visitors: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Link:
    from_type: str
    from_id: str
    to_type: str
    to_id: str
    link_type: str
    date: str
    source_ref: str
    grading: tuple[str, str, str, str]
    notes: str = ""
    tag: dict | None = None  # receives {"line": n} when written


@dataclass(slots=True)
class Handset:
    phone: int
    prisoner: int
    est: str
    start: int
    seized: int
    contacts: list[int]


class PhoneBook:
    """Every number in the world, by index: spaced national form and kind."""

    def __init__(self, rng: random.Random) -> None:
        self.national: list[str] = []
        self.landline: list[bool] = []
        self._mobiles = N.AffineSequence(rng, len(N.MOBILE_PREFIXES) * 1_000_000)
        self._ranges: dict[tuple[str, str], N.AffineSequence] = {}
        self._rng = rng

    def _add(self, national: str, landline: bool) -> int:
        self.national.append(national)
        self.landline.append(landline)
        return len(self.national) - 1

    def mobile(self) -> int:
        n = self._mobiles.next()
        return self._add(f"{N.MOBILE_PREFIXES[n // 1_000_000]} {n % 1_000_000:06d}", False)

    def from_range(self, rng_key: tuple[str, str]) -> int:
        """A number from a 1,000-number drama range; a mobile once it runs out."""
        seq = self._ranges.get(rng_key)
        if seq is None:
            seq = self._ranges[rng_key] = N.AffineSequence(self._rng, 1000)
        if seq.i >= seq.size:
            return self.mobile()
        code, local = rng_key
        n = seq.next()
        digits = f"{local}{n:03d}"
        return self._add(f"{code} {digits}", True)

    def e164(self, idx: int) -> str:
        return N.e164(self.national[idx])

    def node(self, idx: int) -> str:
        return "phone:" + self.e164(idx)

    def written(self, rng: random.Random, idx: int) -> str:
        return N.phone_variant(rng.random(), self.national[idx], self.landline[idx])


@dataclass
class World:
    scale: Scale
    seed: int
    establishments: list[dict] = field(default_factory=list)
    est_region: dict[str, str] = field(default_factory=dict)
    est_by_region: dict[str, list[str]] = field(default_factory=dict)
    regions: list[str] = field(default_factory=list)
    phones: PhoneBook | None = None
    prisoners: list[Prisoner] = field(default_factory=list)
    active: list[int] = field(default_factory=list)
    ex_prisoners: list[int] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    visitors: list[Visitor] = field(default_factory=list)
    pairs: list[VisitPair] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)
    ocgs: list[Ocg] = field(default_factory=list)
    member_rows: list[list[str]] = field(default_factory=list)
    # phones.csv rows: [phone idx, subject_type, subject_id, attribution, first, last, s, i, h, cond]
    phone_rows: list[list] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    resolutions: list[list[str]] = field(default_factory=list)
    # cdr contacts: phone idx -> list of phone idx; callers in a fixed order.
    contacts: dict[int, list[int]] = field(default_factory=dict)
    callers: list[int] = field(default_factory=list)
    handsets: list[Handset] = field(default_factory=list)
    common: dict[str, list[int]] = field(default_factory=dict)  # region -> taxi, bookmaker
    common_info: dict[int, dict] = field(default_factory=dict)
    privileged: dict[int, dict] = field(default_factory=dict)
    solicitors: dict[str, list[int]] = field(default_factory=dict)
    samaritans: int = -1
    ombudsman: int = -1
    # Who holds a phone (for decoy statistics): idx -> "staff" | "ocg" | ...
    phone_owner_kind: dict[int, str] = field(default_factory=dict)
    # planted calls: (row without call_id, list collecting call ids, caller idx|None, callee idx)
    planted_calls: list[tuple[list[str], list, int | None, int]] = field(default_factory=list)
    truth: dict = field(default_factory=dict)
    # visitors whose postcode is planted evidence: written on every visit (others on ~93%)
    postcode_shown: set[int] = field(default_factory=set)
    _name_dob: set = field(default_factory=set)
    _ids: dict = field(default_factory=dict)
    _source_refs: int = 0

    # -- random streams and identifiers
    def rng(self, component: str) -> random.Random:
        return random.Random(f"marsoc:{self.seed}:{component}")

    def _seq(self, key: str, size: int) -> N.AffineSequence:
        seq = self._ids.get(key)
        if seq is None:
            seq = self._ids[key] = N.AffineSequence(self.rng("ids:" + key), size)
        return seq

    def new_prison_number(self) -> str:
        n = self._seq("prisoner", 10_000 * 676).next()
        return f"A{n // 676:04d}{N.LETTERS[(n % 676) // 26]}{N.LETTERS[n % 26]}"

    def new_visitor_ref(self) -> str:
        return f"V{self._seq('visitor', 900_000).next():06d}"

    def new_person_ref(self) -> str:
        return f"P{self._seq('person', 9_000_000).next():07d}"

    def new_staff_number(self) -> str:
        return f"S{10_000 + self._seq('staff', 80_000).next():05d}"

    def new_pnc(self, rng: random.Random, year: int) -> str:
        n = self._seq("pnc", 10_000_000).next()
        return f"{year}/{n:07d}{N.LETTERS[n % 23]}"

    def new_source_ref(self, prefix: str = "IR", year: int = 2024) -> str:
        self._source_refs += 1
        return f"{prefix}-{year}-{self._source_refs:06d}"

    def new_dob(self, rng: random.Random, surname: str, lo: int, hi: int) -> int:
        """A date of birth in [lo, hi] no other person with this surname has."""
        key_surname = surname.lower()
        for _ in range(200):
            day = rng.randint(lo, hi)
            key = (key_surname, day)
            if key not in self._name_dob:
                self._name_dob.add(key)
                return day
        raise RuntimeError("could not find a free date of birth")

    def claim_dob(self, surname: str, day: int) -> None:
        self._name_dob.add((surname.lower(), day))

    def dob_taken(self, surname: str, day: int) -> bool:
        return (surname.lower(), day) in self._name_dob

    # -- helpers used by the builders
    def add_phone_row(
        self,
        idx: int,
        subject_type: str,
        subject_id: str,
        attribution: str,
        first: int | None,
        last: int | None,
        grading: tuple[str, str, str, str],
    ) -> list:
        row = [idx, subject_type, subject_id, attribution, iso(first), iso(last), *grading]
        self.phone_rows.append(row)
        return row

    def add_contact(self, a: int, b: int) -> None:
        if a not in self.contacts:
            self.contacts[a] = []
            self.callers.append(a)
        self.contacts[a].append(b)

    def region_of(self, est: str) -> str:
        return self.est_region[est]


# ------------------------------------------------------------------------- gradings


def official_grading(rng: random.Random) -> tuple[str, str, str, str]:
    """Official records: usually left blank (file default), sometimes explicit 1/A/P."""
    if rng.random() < 0.85:
        return ("", "", "", "")
    return OFFICIAL_CELLS


def intel_grading(rng: random.Random, e_rate: float = 0.06) -> tuple[str, str, str, str]:
    """Varied intelligence grading: some E (suspected false), some handling C."""
    s = rng.choices(SOURCE_EVALS, (0.2, 0.6, 0.2))[0]
    if rng.random() < e_rate:
        i = INTEL_EVALS[-1]  # E: suspected to be false
    else:
        i = rng.choices(INTEL_EVALS[:-1], (0.12, 0.38, 0.36, 0.14))[0]
    if rng.random() < 0.25:
        return (s, i, CONDITIONAL, rng.choice(N.HANDLING_CONDITIONS))
    return (s, i, PERMITTED, "")


# --------------------------------------------------------------------------- builders


def _triangular_day(rng: random.Random, lo: int, hi: int, mode: int) -> int:
    return int(rng.triangular(lo, hi, mode))


def _name(rng: random.Random, gender: str) -> str:
    first = rng.choice(N.MALE_FORENAMES if gender == "M" else N.FEMALE_FORENAMES)
    if rng.random() < 0.35:
        return f"{first} {rng.choice(N.MALE_MIDDLE_NAMES if gender == 'M' else N.FEMALE_MIDDLE_NAMES)}"
    return first


def _cell(rng: random.Random) -> str:
    return f"{rng.choice('ABCDEFGH')}-{rng.randint(1, 4)}-{rng.randint(1, 40)}"


def build_establishments(w: World) -> None:
    rng = w.rng("establishments")
    region_names = list(N.REGIONS)
    w.regions = region_names[: w.scale.regions]
    taken: set[str] = set()
    names = N.place_names(rng, w.scale.establishments)
    for i, place in enumerate(names):
        region = w.regions[i % len(w.regions)]
        code = N.establishment_code(place, taken)
        category = rng.choice(("A", "B", "B", "C", "C", "D", "YOI"))
        w.establishments.append(
            {"establishment_code": code, "name": f"HMP {place.capitalize()}", "region": region, "category": category}
        )
        w.est_region[code] = region
        w.est_by_region.setdefault(region, []).append(code)


def build_special_numbers(w: World) -> None:
    """Common numbers (taxi, bookmaker) per region; privileged numbers."""
    pb = w.phones
    assert pb is not None
    for region in w.regions:
        landline = N.REGIONS[region]["landline"]
        taxi = pb.from_range(landline)
        bookie = pb.from_range(N.NON_GEOGRAPHIC_RANGE)
        w.common[region] = [taxi, bookie]
        w.common_info[taxi] = {"kind": "taxi", "name": f"{region} Cars", "region": region}
        w.common_info[bookie] = {"kind": "bookmaker", "name": f"{region} Bet", "region": region}
        sols = []
        for k in range(3):
            idx = pb.from_range(landline)
            sols.append(idx)
            w.privileged[idx] = {"kind": "solicitor", "name": f"{region} Legal {k + 1} LLP", "region": region}
        w.solicitors[region] = sols
    w.samaritans = pb.from_range(N.FREEPHONE_RANGE)
    w.privileged[w.samaritans] = {"kind": "helpline", "name": "Samaritans (fictitious number)", "region": ""}
    w.ombudsman = pb.from_range(N.NON_GEOGRAPHIC_RANGE)
    w.privileged[w.ombudsman] = {
        "kind": "ombudsman",
        "name": "Prisons and Probation Ombudsman (fictitious number)",
        "region": "",
    }


def build_prisoners(w: World) -> None:
    rng = w.rng("prisoners")
    sc = w.scale
    n_ex = max(6, sc.prisoners // 30)
    n_active = sc.prisoners - n_ex
    for k in range(sc.prisoners):
        ex = k >= n_active
        gender = "M" if rng.random() < 0.95 else "F"
        surname = rng.choice(N.SURNAMES)
        forenames = _name(rng, gender)
        dob = w.new_dob(rng, surname, ordinal(1954), ordinal(2006, 6, 1))
        region = rng.choice(w.regions)
        ests = w.est_by_region[region]
        pnc = w.new_pnc(rng, rng.randint(1998, 2023)) if rng.random() < 0.85 else ""
        family_pc = N.postcode(rng, N.REGIONS[region]["areas"])
        end: int | None
        if ex:
            start = rng.randint(ordinal(2012), ordinal(2021, 6, 1))
            end = rng.randint(start + 60, DAY0 - 30)
            periods = [Period(rng.choice(ests), start, end, _cell(rng))]
        else:
            if rng.random() < 0.5:
                start = rng.randint(ordinal(2016), DAY0 - 1)
            else:
                start = rng.randint(DAY0, DAY1 - 60)
            end = None
            if rng.random() < 0.25:
                end = rng.randint(max(start, DAY0) + 30, DAY1 - 1)
            last = end if end is not None else DAY1
            cuts: list[int] = []
            r = rng.random()
            n_transfers = 2 if r < 0.04 else 1 if r < 0.19 else 0
            if len(ests) < 2 and sc.regions > 1:
                n_transfers = 0
            lo = max(start + 30, DAY0 - 200)
            for _ in range(n_transfers):
                if last - 30 > lo:
                    cuts.append(rng.randint(lo, last - 30))
            cuts = sorted(dict.fromkeys(cuts))
            periods = []
            est = rng.choice(ests)
            begin = start
            for cut in cuts:
                periods.append(Period(est, begin, cut, _cell(rng)))
                pool = ests if len(ests) > 1 else [e["establishment_code"] for e in w.establishments]
                est = rng.choice([e for e in pool if e != est] or pool)
                begin = cut  # transferred out and received the same day
            periods.append(Period(est, begin, end, _cell(rng)))
        p = Prisoner(w.new_prison_number(), surname, forenames, dob, gender, pnc, region, periods, ex, family_pc)
        if not ex:
            a = max(periods[0].start, DAY0)
            b = min(periods[-1].end if periods[-1].end is not None else DAY1, DAY1)
            p.span = (a, b)
            p.solicitor = rng.choice(w.solicitors[w.region_of(periods[-1].est)])
            w.active.append(k)
        else:
            w.ex_prisoners.append(k)
        w.prisoners.append(p)


def new_person(w: World, rng: random.Random, region: str, gender: str | None = None) -> int:
    gender = gender or ("M" if rng.random() < 0.8 else "F")
    surname = rng.choice(N.SURNAMES)
    dob = w.new_dob(rng, surname, ordinal(1960), ordinal(2005))
    person = Person(
        w.new_person_ref(),
        surname,
        _name(rng, gender),
        dob if rng.random() < 0.97 else None,
        w.new_pnc(rng, rng.randint(1995, 2023)) if rng.random() < 0.9 else "",
        N.postcode(rng, N.REGIONS[region]["areas"]) if rng.random() < 0.9 else "",
        region,
    )
    if person.dob is None:
        w._name_dob.discard((surname.lower(), dob))
    w.persons.append(person)
    return len(w.persons) - 1


def build_persons(w: World) -> None:
    rng = w.rng("persons")
    for _ in range(w.scale.persons):
        new_person(w, rng, rng.choice(w.regions))


def build_ocgs(w: World) -> None:
    rng = w.rng("ocgs")
    sc = w.scale
    demo = sc.name == "demo"
    by_region: dict[str, list[int]] = {}
    for k in w.active:
        by_region.setdefault(w.prisoners[k].region, []).append(k)
    for region in w.regions:
        rng.shuffle(by_region.get(region, []))
    persons_by_region: dict[str, list[int]] = {}
    for k, person in enumerate(w.persons):
        if person.dob is not None:
            persons_by_region.setdefault(person.region, []).append(k)
    for region in w.regions:
        rng.shuffle(persons_by_region.get(region, []))
    places = N.place_names(w.rng("ocg-names"), min(sc.ocgs, 512))
    for i in range(sc.ocgs):
        region = w.regions[i % len(w.regions)]
        place = places[i % len(places)]
        name = f"{place.capitalize()} {rng.choice(N.OCG_NOUNS)}"
        ocg = Ocg(f"OCG-{i + 1:04d}", name, rng.choice(N.OCG_BANDS), rng.choice(N.PRIMARY_CRIMES), region)
        w.ocgs.append(ocg)
        pool = by_region.get(region, [])
        ppool = persons_by_region.get(region, [])
        n_in = rng.randint(3, 6) if demo else rng.randint(4, 14)
        n_out = rng.randint(2, 4) if demo else rng.randint(3, 8)
        for _ in range(n_in):
            if pool:
                k = pool.pop()
                w.prisoners[k].ocg = i
                ocg.custody.append(k)
        for _ in range(n_out):
            if ppool:
                k = ppool.pop()
                w.persons[k].ocg = i
                ocg.outside.append(k)
        since_lo, since_hi = ordinal(2015), DAY0 + 300
        principal_inside = rng.random() < 0.65 and ocg.custody
        for j, k in enumerate(ocg.custody):
            role = "principal" if (principal_inside and j == 0) else "member"
            if role == "principal":
                ocg.principals_custody.append(k)
            grading = ("1", "B", "P", "") if role == "principal" else intel_grading(rng)
            w.member_rows.append(
                [
                    ocg.urn,
                    "prisoner",
                    w.prisoners[k].number,
                    role,
                    iso(rng.randint(since_lo, since_hi)) if rng.random() < 0.8 else "",
                    *grading,
                ]
            )
        for j, k in enumerate(ocg.outside):
            if not principal_inside and j == 0:
                role = "principal"
            else:
                role = rng.choices(("member", "associate", "facilitator"), (0.6, 0.3, 0.1))[0]
            grading = intel_grading(rng, e_rate=0.08)
            w.member_rows.append(
                [
                    ocg.urn,
                    "person",
                    w.persons[k].ref,
                    role,
                    iso(rng.randint(since_lo, since_hi)) if rng.random() < 0.8 else "",
                    *grading,
                ]
            )


_REL_WEIGHTS = (
    ("mother", 0.6),
    ("partner", 0.5),
    ("sister", 0.3),
    ("brother", 0.3),
    ("father", 0.25),
    ("friend", 0.45),
    ("cousin", 0.2),
    ("aunt", 0.08),
    ("uncle", 0.06),
    ("son", 0.08),
    ("daughter", 0.08),
)
_FEMALE = {"mother", "sister", "aunt", "daughter"}
_MALE = {"father", "brother", "uncle", "son"}
_FAMILY = {"mother", "father", "sister", "brother", "aunt", "uncle", "son", "daughter", "cousin"}


def _relative_dob(w: World, rng: random.Random, prisoner: Prisoner, rel: str, surname: str) -> int:
    y = 365
    base = prisoner.dob
    lo, hi = {
        "mother": (base - 42 * y, base - 17 * y),
        "father": (base - 45 * y, base - 18 * y),
        "aunt": (base - 40 * y, base - 12 * y),
        "uncle": (base - 40 * y, base - 12 * y),
        "sister": (base - 12 * y, base + 12 * y),
        "brother": (base - 12 * y, base + 12 * y),
        "son": (base + 17 * y, base + 35 * y),
        "daughter": (base + 17 * y, base + 35 * y),
        "partner": (base - 9 * y, base + 9 * y),
        "cousin": (base - 12 * y, base + 12 * y),
        "friend": (base - 6 * y, base + 6 * y),
    }[rel]
    hi = min(hi, ordinal(2006, 6, 1))
    lo = min(lo, hi - 10)
    return w.new_dob(rng, surname, lo, hi)


def new_visitor(
    w: World, rng: random.Random, surname: str, forenames: str, dob: int, gender: str, postcode: str, region: str
) -> int:
    w.visitors.append(Visitor(w.new_visitor_ref(), surname, forenames, dob, gender, postcode, region))
    return len(w.visitors) - 1


def visit_count(rng: random.Random, rel: str) -> int:
    mean = 5.0 if rel in ("partner", "mother") else 2.0
    return min(30, 1 + int(rng.expovariate(1 / mean)))


def build_visitors(w: World) -> None:
    rng = w.rng("visitors")
    sc = w.scale
    recent_friends: dict[str, list[int]] = {}
    for k in w.active:
        p = w.prisoners[k]
        if rng.random() < 0.05:
            continue
        size = max(1, round(rng.gauss(sc.visitors_per_prisoner + 0.15, 1.1)))
        rels: list[str] = []
        pool = [r for r in _REL_WEIGHTS if not (r[0] in ("son", "daughter") and p.dob > ordinal(1988))]
        for _ in range(size):
            choices = [r for r in pool if r[0] not in rels or r[0] in ("friend", "sister", "brother", "cousin")]
            rels.append(rng.choices([c[0] for c in choices], [c[1] for c in choices])[0])
        for rel in rels:
            if rel == "friend" and recent_friends.get(p.region) and rng.random() < 0.06:
                v = rng.choice(recent_friends[p.region])
                w.pairs.append(VisitPair(v, k, rel, visit_count(rng, rel)))
                continue
            gender = (
                "F"
                if rel in _FEMALE
                else "M"
                if rel in _MALE
                else ("F" if rel == "partner" and p.gender == "M" else rng.choice("MF"))
            )
            if rel in _FAMILY and rel != "cousin":
                surname = p.surname
            elif rel == "partner":
                surname = p.surname if rng.random() < 0.3 else rng.choice(N.SURNAMES)
            else:
                surname = rng.choice(N.SURNAMES)
            dob = _relative_dob(w, rng, p, rel, surname)
            if (rel in ("mother", "father", "sister", "brother") and rng.random() < 0.85) or (
                rel == "partner" and rng.random() < 0.4
            ):
                postcode = p.family_postcode
            else:
                postcode = N.postcode(rng, N.REGIONS[p.region]["areas"])
            v = new_visitor(w, rng, surname, _name(rng, gender), dob, gender, postcode, p.region)
            w.pairs.append(VisitPair(v, k, rel, visit_count(rng, rel)))
            if rel == "friend":
                lst = recent_friends.setdefault(p.region, [])
                lst.append(v)
                if len(lst) > 50:
                    del lst[0]


_ROLES = (
    ("Prison Officer", 0.52),
    ("OSG", 0.15),
    ("Healthcare", 0.1),
    ("Chaplaincy", 0.03),
    ("Contractor", 0.07),
    ("Education", 0.06),
    ("Custodial Manager", 0.04),
    ("Administration", 0.03),
    ("Family Liaison", 0.01),
)


def build_staff(w: World) -> None:
    rng = w.rng("staff")
    sc = w.scale
    codes = [e["establishment_code"] for e in w.establishments]
    roles = [r[0] for r in _ROLES]
    weights = [r[1] for r in _ROLES]
    for i in range(sc.staff):
        est = codes[i % len(codes)] if i < len(codes) * 3 else rng.choice(codes)
        region = w.est_region[est]
        gender = "M" if rng.random() < 0.6 else "F"
        surname = rng.choice(N.SURNAMES)
        dob = w.new_dob(rng, surname, ordinal(1960), ordinal(2003))
        role = rng.choices(roles, weights)[0]
        start = rng.randint(max(dob + 18 * 365, ordinal(1992)), DAY1 - 30)
        posts: list[Post] = []
        others = [c for c in w.est_by_region[region] if c != est] or [c for c in codes if c != est]
        if rng.random() < 0.08 and others and start + 365 < DAY1 - 60:
            move = rng.randint(start + 365, DAY1 - 60)
            posts.append(Post(est, role, start, move - 1))
            est2 = rng.choice(others)
            posts.append(Post(est2, role, move, None))
        else:
            end = rng.randint(DAY0, DAY1) if rng.random() < 0.05 and start < DAY0 else None
            posts.append(Post(est, role, start, end))
        w.staff.append(
            Staff(
                w.new_staff_number(),
                surname,
                _name(rng, gender),
                dob,
                gender,
                N.postcode(rng, N.REGIONS[region]["areas"]),
                region,
                posts,
            )
        )


def build_phones(w: World) -> None:
    """Declared/intelligence attributions, PIN lists, seized handsets, cdr contacts."""
    rng = w.rng("phones")
    pb = w.phones
    assert pb is not None

    def personal_number(region: str) -> int:
        if rng.random() < 0.1:
            return pb.from_range(N.REGIONS[region]["landline"])
        return pb.mobile()

    # community numbers nobody has attributed (friends, shops, family not visiting)
    community_pool: dict[str, list[int]] = {}
    staff_pool: dict[str, list[int]] = {}
    n_comm = max(40, len(w.visitors) // 3)
    for region in w.regions:
        community_pool[region] = [personal_number(region) for _ in range(max(20, n_comm // len(w.regions)))]
        staff_pool[region] = [personal_number(region) for _ in range(max(20, len(w.staff) // len(w.regions)))]

    # visitors: declared at visit booking
    for visitor in w.visitors:
        if rng.random() < 0.75:
            visitor.phone = personal_number(visitor.region)
            first = rng.randint(ordinal(2019), DAY1 - 30) if rng.random() < 0.7 else None
            w.add_phone_row(visitor.phone, "visitor", visitor.ref, "declared", first, None, official_grading(rng))
            for _ in range(rng.randint(1, 3)):
                w.add_contact(visitor.phone, rng.choice(community_pool[visitor.region]))
    # family members of one prisoner call each other
    by_prisoner: dict[int, list[int]] = {}
    for pair in w.pairs:
        by_prisoner.setdefault(pair.prisoner, []).append(pair.visitor)
    for vs in by_prisoner.values():
        phones = [w.visitors[v].phone for v in vs if w.visitors[v].phone >= 0]
        for a in phones:
            for b in phones:
                if a != b and rng.random() < 0.6:
                    w.add_contact(a, b)
    # persons: police intelligence or custody-record declarations
    for person in w.persons:
        count = rng.choices((0, 1, 2), (0.05, 0.8, 0.15))[0]
        for _ in range(count):
            idx = personal_number(person.region)
            person.phones.append(idx)
            if rng.random() < 0.7:
                grading = intel_grading(rng)
                attribution = "intelligence"
            else:
                grading = official_grading(rng)
                attribution = "declared"
            first = rng.randint(ordinal(2018), DAY1 - 30) if rng.random() < 0.6 else None
            last = rng.randint(first, DAY1) if first is not None and rng.random() < 0.3 else None
            w.add_phone_row(idx, "person", person.ref, attribution, first, last, grading)
            for _ in range(rng.randint(1, 3)):
                w.add_contact(idx, rng.choice(community_pool[person.region]))
            if person.ocg >= 0:
                w.phone_owner_kind[idx] = "ocg"
    # OCG members outside call each other
    for ocg in w.ocgs:
        phones = [ph for k in ocg.outside for ph in w.persons[k].phones]
        for a in phones:
            for b in phones:
                if a != b and rng.random() < 0.5:
                    w.add_contact(a, b)
    # staff: declared on vetting for some
    for s in w.staff:
        if rng.random() < 0.12:
            give_staff_phone(w, rng, s, "declared")
        if s.phone >= 0:
            for _ in range(rng.randint(2, 4)):
                w.add_contact(s.phone, rng.choice(staff_pool[s.region]))
    # PIN lists: prisoner's visitors' phones, sometimes other numbers; OCG members get an outside number
    for k in w.active:
        p = w.prisoners[k]
        pin: list[int] = []
        for v in by_prisoner.get(k, []):
            ph = w.visitors[v].phone
            if ph >= 0 and ph not in pin:
                pin.append(ph)
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            pin.append(rng.choice(community_pool[p.region]))
        if p.ocg >= 0 and rng.random() < 0.5:
            outside = [ph for j in w.ocgs[p.ocg].outside for ph in w.persons[j].phones]
            if outside:
                pin.append(rng.choice(outside))
        p.pin = pin
        reception = p.periods[0].start
        for ph in pin:
            w.add_phone_row(
                ph,
                "prisoner",
                p.number,
                "pin_list",
                rng.randint(reception, max(reception, p.span[0])) if rng.random() < 0.8 else None,
                None,
                official_grading(rng),
            )
    # seized handsets
    n_handsets = max(4, len(w.active) // 15)
    candidates = [k for k in w.active if w.prisoners[k].span[1] - w.prisoners[k].span[0] > 60]
    for _ in range(n_handsets):
        k = rng.choice(candidates)
        p = w.prisoners[k]
        seized = rng.randint(p.span[0] + 30, p.span[1])
        idx = pb.mobile()
        contacts = list(p.pin[:4]) or [rng.choice(community_pool[p.region])]
        if p.ocg >= 0:
            contacts += [ph for j in w.ocgs[p.ocg].outside for ph in w.persons[j].phones]
        contacts += [rng.choice(community_pool[p.region]) for _ in range(2)]
        h = Handset(idx, k, p.est_on(seized), max(p.span[0], seized - 90), seized, contacts)
        w.handsets.append(h)
        grading = OFFICIAL_CELLS if rng.random() < 0.6 else ("2", "B", "C", rng.choice(N.HANDLING_CONDITIONS))
        w.add_phone_row(idx, "prisoner", p.number, "seized_handset", seized, seized, grading)


def give_staff_phone(w: World, rng: random.Random, s: Staff, attribution: str) -> int:
    pb = w.phones
    assert pb is not None
    if s.phone < 0:
        s.phone = pb.mobile()
        grading = official_grading(rng) if attribution == "declared" else intel_grading(rng, e_rate=0.0)
        first = rng.randint(ordinal(2018), DAY0) if rng.random() < 0.7 else None
        w.add_phone_row(s.phone, "staff", s.number, attribution, first, None, grading)
        w.phone_owner_kind[s.phone] = "staff"
    return s.phone


def build_links(w: World) -> None:
    """Background intelligence links: associates, family, addresses, money."""
    rng = w.rng("links")
    for ocg in w.ocgs:
        for k in ocg.custody:
            for j in ocg.outside:
                if rng.random() < 0.35:
                    w.links.append(
                        Link(
                            "prisoner",
                            w.prisoners[k].number,
                            "person",
                            w.persons[j].ref,
                            "ASSOCIATE_OF",
                            iso(rng.randint(ordinal(2020), DAY1)),
                            w.new_source_ref("IR", rng.randint(2020, 2024)),
                            intel_grading(rng),
                            rng.choice(N.LINK_NOTES),
                        )
                    )
        for a in ocg.outside:
            for b in ocg.outside:
                if a < b and rng.random() < 0.15:
                    w.links.append(
                        Link(
                            "person",
                            w.persons[a].ref,
                            "person",
                            w.persons[b].ref,
                            rng.choice(("FINANCIAL", "ASSOCIATE_OF", "SHARES_ADDRESS")),
                            iso(rng.randint(ordinal(2019), DAY1)),
                            w.new_source_ref("IR", rng.randint(2019, 2024)),
                            intel_grading(rng),
                            rng.choice(N.LINK_NOTES),
                        )
                    )
    for pair in w.pairs:
        if pair.relationship in _FAMILY and rng.random() < 0.05:
            w.links.append(
                Link(
                    "visitor",
                    w.visitors[pair.visitor].ref,
                    "prisoner",
                    w.prisoners[pair.prisoner].number,
                    "FAMILY_OF",
                    iso(rng.randint(ordinal(2018), DAY1)),
                    w.new_source_ref("VIS", rng.randint(2018, 2024)),
                    OFFICIAL_CELLS if rng.random() < 0.7 else intel_grading(rng),
                    "",
                )
            )
    plain = [j for j, person in enumerate(w.persons) if person.ocg < 0]
    for _ in range(max(10, len(w.active) // 12)):
        if not plain:
            break
        k = rng.choice(w.active)
        j = rng.choice(plain)
        w.links.append(
            Link(
                "prisoner",
                w.prisoners[k].number,
                "person",
                w.persons[j].ref,
                rng.choice(("ASSOCIATE_OF", "ASSOCIATE_OF", "FINANCIAL", "CO_ACCUSED")),
                iso(rng.randint(ordinal(2016), DAY1)) if rng.random() < 0.9 else "",
                w.new_source_ref("IR", rng.randint(2016, 2024)),
                intel_grading(rng, e_rate=0.1),
                rng.choice(N.LINK_NOTES),
            )
        )


def build_world(scale: Scale, seed: int) -> World:
    w = World(scale=scale, seed=seed)
    w.phones = PhoneBook(w.rng("numbers"))
    build_establishments(w)
    build_special_numbers(w)
    build_prisoners(w)
    build_persons(w)
    build_ocgs(w)
    build_visitors(w)
    build_staff(w)
    build_phones(w)
    build_links(w)
    return w
