#!/usr/bin/env python3
"""Independent synthetic world for scoring the staff-corruption ("corruption bridges") ranking.

Written only from the loaders' contract (shared/spec/input-formats.md), the typology note
(shared/spec/corruption-typologies.md) and docs/loaders.md, by an author who has not read the
product's analytics or its own synthetic generator. Standard library only; deterministic per seed.

    python bench/independent_world/generate.py --seed 1 --out /tmp/iw1 [--size small|standard]

Writes every contract CSV plus truth.json (planted corrupt staff with their evidence, decoys,
hubs, common numbers, privileged numbers). See README.md beside this file.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

WSTART = date(2024, 1, 1)  # first day of the call/visit window (18 months)
WEND = date(2025, 6, 30)  # export date: open custody periods / posts have no end
WDAYS = (WEND - WSTART).days + 1

SIZES = {
    "standard": dict(
        n_est=6,
        prisoners=1800,
        staff=880,
        visits=6000,
        calls=145000,
        ocgs=8,
        nominals=900,
        handsets=14,
        solicitors=40,
        coordinators=3,
        nominal_visitors=60,
        ex_prisoner_visitors=40,
        block_households=34,
    ),
    "small": dict(
        n_est=3,
        prisoners=180,
        staff=88,
        visits=600,
        calls=14500,
        ocgs=3,
        nominals=90,
        handsets=3,
        solicitors=6,
        coordinators=1,
        nominal_visitors=6,
        ex_prisoner_visitors=4,
        block_households=31,
    ),
}

SURNAMES = [
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Wilkinson",
    "Foster",
    "Chapman",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Mason",
    "Ali",
    "Hunt",
    "Hussain",
    "Campbell",
    "Matthews",
    "Owen",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Lloyd",
    "Butler",
    "Russell",
    "Barker",
    "Fisher",
    "Stevens",
    "Jenkins",
    "Murray",
    "Dixon",
    "Harvey",
    "Graham",
    "Pearson",
    "Ahmed",
    "Fletcher",
    "Walsh",
    "Kaur",
    "Gibson",
    "Howard",
    "Andrews",
    "Stewart",
    "Elliott",
    "Reynolds",
    "Saunders",
    "Payne",
    "Fox",
    "Ford",
    "Pearce",
    "Day",
    "Brooks",
    "West",
    "Lawrence",
    "Cole",
    "Atkinson",
    "Bradley",
    "Spencer",
    "Gill",
    "Dawson",
    "Ball",
    "Burton",
    "O'Brien",
    "Watts",
    "Rose",
    "Booth",
    "Perry",
    "Ryan",
    "Grant",
    "Wells",
    "Armstrong",
    "Francis",
    "Rees",
    "Hayes",
    "Hart",
    "Hudson",
    "Newman",
    "Barrett",
    "Webster",
    "Hunter",
    "Gregory",
    "Carr",
    "Lowe",
    "Page",
    "Marsh",
    "Riley",
    "Dunn",
    "Woods",
    "Parsons",
    "Berry",
    "Stone",
    "Reid",
    "Holland",
    "Hawkins",
    "Harding",
    "Porter",
    "Robertson",
    "Newton",
    "Oliver",
    "Reed",
    "Kennedy",
    "Williamson",
    "Bird",
    "Gardner",
    "Shah",
    "Dean",
    "Lane",
    "Cooke",
    "Bates",
    "Henderson",
    "Parry",
    "Burgess",
    "Bishop",
    "Walton",
    "Burns",
    "Nicholson",
    "Shepherd",
    "Ross",
    "Cross",
    "Long",
    "Freeman",
    "Warren",
    "Nicholls",
    "Hamilton",
    "Byrne",
    "Sutton",
    "McDonald",
    "Yates",
    "Hodgson",
    "Robson",
    "Curtis",
    "Hopkins",
    "O'Connor",
    "Harper",
    "Coleman",
    "Watkins",
    "Moss",
    "McCarthy",
    "Chambers",
    "O'Neill",
    "Griffin",
    "Sharp",
    "Hardy",
    "Wheeler",
    "Potter",
    "Osborne",
    "Johnston",
    "Gordon",
    "Doyle",
    "Wallace",
    "George",
    "Jordan",
    "Hutchinson",
    "Rowe",
    "Burke",
    "May",
    "Pritchard",
    "Gilbert",
    "Willis",
    "Higgins",
    "Read",
    "Miles",
    "Stevenson",
    "Hammond",
    "Arnold",
    "Buckley",
    "Walters",
    "Hewitt",
    "Barber",
    "Nelson",
    "Slater",
    "Austin",
    "Sullivan",
    "Whitehead",
    "Mann",
    "Frost",
    "Lambert",
    "Blake",
    "Akhtar",
    "Lynch",
    "Goodwin",
    "Barton",
    "Woodward",
    "Thomson",
    "Cunningham",
    "Quinn",
    "Barnett",
    "Baxter",
    "Bibi",
    "Clayton",
    "Nash",
    "Greenwood",
    "Jennings",
    "Holt",
    "Kemp",
    "Poole",
    "Gallagher",
    "Bond",
    "Stokes",
    "Tucker",
    "Davidson",
    "Fowler",
    "Heath",
    "Norman",
    "Middleton",
    "Lawson",
    "Banks",
    "French",
    "Stanley",
    "Jarvis",
    "Gibbs",
    "Ferguson",
    "Hayward",
    "Carroll",
    "Douglas",
    "Dickinson",
    "Todd",
    "Barlow",
    "Peters",
    "Lucas",
    "Knowles",
    "Hartley",
    "Miah",
    "Simmons",
    "Morton",
    "Alexander",
    "Field",
    "Morrison",
    "Norris",
    "Townsend",
    "Preston",
    "Hancock",
    "Thornton",
    "Baldwin",
    "Burrows",
    "Briggs",
    "Storey",
    "Pollard",
    "Howe",
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Mensah",
    "Okafor",
    "Adeyemi",
    "Nguyen",
    "Rahman",
    "Iqbal",
    "Mahmood",
    "Hassan",
    "Osei",
    "Kovacs",
    "Campbell-Reid",
    "McLaughlin",
    "Docherty",
    "Flynn",
    "Kavanagh",
    "Costello",
    "Mahoney",
]

MALE = [
    "David",
    "John",
    "Michael",
    "Paul",
    "Andrew",
    "Mark",
    "James",
    "Richard",
    "Peter",
    "Robert",
    "Steven",
    "Christopher",
    "Daniel",
    "Thomas",
    "Matthew",
    "Lee",
    "Craig",
    "Darren",
    "Jason",
    "Kevin",
    "Gary",
    "Ryan",
    "Liam",
    "Jamie",
    "Jordan",
    "Connor",
    "Callum",
    "Kyle",
    "Dean",
    "Wayne",
    "Scott",
    "Anthony",
    "Carl",
    "Shaun",
    "Adam",
    "Ben",
    "Joshua",
    "Jack",
    "Luke",
    "Nathan",
    "Aaron",
    "Mohammed",
    "Ali",
    "Imran",
    "Kieran",
    "Reece",
    "Tyler",
    "Declan",
    "Sean",
    "Stuart",
    "Neil",
    "Simon",
    "Ian",
    "Alan",
    "Martin",
    "Stephen",
    "Graham",
    "Philip",
    "Jonathan",
    "William",
    "Joseph",
    "Samuel",
    "Harry",
    "George",
    "Oliver",
    "Jake",
    "Lewis",
    "Ashley",
    "Marcus",
    "Tomasz",
    "Piotr",
    "Kwame",
    "Emeka",
    "Tyrone",
    "Dwayne",
    "Bradley",
    "Mason",
    "Kai",
    "Billy",
    "Terry",
    "Barry",
]

FEMALE = [
    "Sarah",
    "Emma",
    "Claire",
    "Louise",
    "Nicola",
    "Kelly",
    "Lisa",
    "Michelle",
    "Rebecca",
    "Laura",
    "Gemma",
    "Amy",
    "Hayley",
    "Stacey",
    "Leanne",
    "Samantha",
    "Jessica",
    "Charlotte",
    "Hannah",
    "Sophie",
    "Chloe",
    "Megan",
    "Lauren",
    "Danielle",
    "Jade",
    "Natalie",
    "Joanne",
    "Karen",
    "Julie",
    "Susan",
    "Jane",
    "Helen",
    "Amanda",
    "Donna",
    "Tracey",
    "Angela",
    "Elizabeth",
    "Mary",
    "Margaret",
    "Patricia",
    "Linda",
    "Janet",
    "Ayesha",
    "Fatima",
    "Aisha",
    "Shannon",
    "Kayleigh",
    "Courtney",
    "Zoe",
    "Katie",
    "Victoria",
    "Rachel",
    "Jennifer",
    "Anna",
    "Agnieszka",
    "Chantelle",
    "Toni",
    "Kerry",
    "Paula",
]

REGIONS = {
    "Yorkshire and Humber": {"areas": ["LS", "BD", "WF", "HD", "S"], "dial": ["113", "114"]},
    "North West": {"areas": ["M", "L", "WN", "BL", "OL"], "dial": ["161", "151"]},
    "West Midlands": {"areas": ["B", "WV", "DY", "WS", "CV"], "dial": ["121", "24"]},
    "London": {"areas": ["E", "N", "SE", "SW", "NW"], "dial": ["20"]},
    "North East": {"areas": ["NE", "SR", "DH", "TS"], "dial": ["191", "1642"]},
    "Wales": {"areas": ["CF", "NP", "SA"], "dial": ["29"]},
}

ESTABS = [
    dict(
        code="HLM",
        name="HMP Hallam Moor",
        region="Yorkshire and Humber",
        category="B",
        cap=420,
        staffing=0.55,
        turnover=1.6,
        gender="M",
        before=0.35,
        med=150,
    ),
    dict(
        code="KVL",
        name="HMP Kestrel Vale",
        region="North West",
        category="C",
        cap=400,
        staffing=0.42,
        turnover=1.0,
        gender="M",
        before=0.6,
        med=600,
    ),
    dict(
        code="BRF",
        name="HMP Brookfield",
        region="West Midlands",
        category="A",
        cap=240,
        staffing=1.0,
        turnover=0.55,
        gender="M",
        before=0.85,
        med=2600,
    ),
    dict(
        code="ELH",
        name="HMP Eastholme",
        region="London",
        category="Female closed",
        cap=170,
        staffing=0.6,
        turnover=1.3,
        gender="F",
        before=0.5,
        med=300,
    ),
    dict(
        code="TYN",
        name="HMYOI Tynebank",
        region="North East",
        category="YOI",
        cap=170,
        staffing=0.75,
        turnover=1.2,
        gender="M",
        before=0.5,
        med=400,
    ),
    dict(
        code="CWD",
        name="HMP Cwm Derwen",
        region="Wales",
        category="D",
        cap=200,
        staffing=0.3,
        turnover=1.1,
        gender="M",
        before=0.3,
        med=250,
    ),
]
# where a transfer out of each category goes (only to establishments present in the world)
TRANSFER_TO = {
    "A": ["B", "C"],
    "B": ["C", "D", "C"],
    "C": ["D", "B"],
    "YOI": ["B", "C"],
    "D": ["C"],
    "Female closed": [],
}
TRANSFER_P = {"A": 0.12, "B": 0.2, "C": 0.1, "YOI": 0.12, "D": 0.05, "Female closed": 0.0}

ROLE_WEIGHTS = [
    ("Prison Officer", 50),
    ("OSG", 14),
    ("Supervising Officer", 5),
    ("Healthcare", 8),
    ("Chaplaincy", 2),
    ("Contractor", 7),
    ("Family Liaison", 1.5),
    ("Visits", 3),
    ("Governor", 1.5),
    ("Administration", 4),
    ("Instructor", 3),
    ("Probation Officer", 2),
]

OCG_NAMES = [
    "Kirkgate Crew",
    "Holloway Road Firm",
    "Moss Side Network",
    "Bankfield Family",
    "Eastbrook Boys",
    "Red Lane Syndicate",
    "Canal Street Group",
    "Valley Lines",
    "Northgate Brothers",
    "Riverside Collective",
]
OCG_CRIMES = [
    "Drugs supply (Class A)",
    "Drugs supply (county lines)",
    "Firearms supply",
    "Organised acquisitive crime",
    "Money laundering",
    "Drugs supply (Class A)",
    "Prison conveyance (drugs and phones)",
    "Organised immigration crime",
]
BANDS = ["1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C"]

INWARD = "ABDEFGHJLNPQRSTUWXYZ"
HC = "Not to be disseminated outside the hub without reference to the originator"


def ds(d):
    return d.isoformat() if d else ""


def ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S")


class World:
    def __init__(self, seed: int, size: str):
        self.seed, self.size = seed, size
        self.P = SIZES[size]
        self.rng = random.Random(f"independent-world:{seed}:{size}")
        self.sw = [1.0 / (i + 1) ** 0.85 for i in range(len(SURNAMES))]
        self.used_numbers: set[str] = set()
        self.used_pc: dict[str, list] = {}  # postcode -> holders
        self.pc_by_area: dict[str, list] = {}
        self.used_pn: set[str] = set()
        self.used_sn: set[str] = set()
        self.counters = {}
        # tables
        self.estabs = []
        self.prisoners = {}  # pn -> dict
        self.staff = {}  # sn -> dict
        self.persons = {}  # ref -> dict
        self.visitors = {}  # vref -> dict
        self.visit_rows = []
        self.phone_rows = []
        self.calls = []  # [source, caller, caller_pn, callee, datetime, dur, est, priv]
        self.ocgs = []
        self.ocg_member_rows = []
        self.link_rows = []
        self.resolution_rows = []
        self.truth = {
            "seed": seed,
            "size": size,
            "corrupt_staff": [],
            "decoys": [],
            "hubs": [],
            "common_numbers": [],
            "privileged_numbers": [],
        }
        self.staff_used = set()  # staff already planted as corrupt or decoy
        self.handsets = []
        self.chance_contacts = []

    # ------------------------------------------------------------------ helpers
    def nid(self, prefix, width=6):
        n = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = n
        return f"{prefix}{n:0{width}d}"

    def rdate(self, a, b):
        if b < a:
            b = a
        return a + timedelta(days=self.rng.randint(0, (b - a).days))

    def name(self, gender=None, surname=None):
        r = self.rng
        g = gender or r.choice("MF")
        s = surname or r.choices(SURNAMES, self.sw)[0]
        pool = MALE if g == "M" else FEMALE
        fw = [1.0 / (i + 1) ** 0.6 for i in range(len(pool))]
        f = r.choices(pool, fw)[0]
        if r.random() < 0.3:
            m = r.choices(pool, fw)[0]
            if m != f:
                f = f"{f} {m}"
        return s, f, g

    def dob(self, lo, hi, ref=WSTART):
        """date of birth for an age between lo and hi at ref"""
        a = ref - timedelta(days=int(hi * 365.25))
        b = ref - timedelta(days=int(lo * 365.25))
        return self.rdate(a, b)

    def postcode(self, region, area=None, reuse=0.03):
        r = self.rng
        area = area or r.choice(REGIONS[region]["areas"])
        pool = self.pc_by_area.setdefault(area, [])
        if pool and r.random() < reuse:  # a street where a few unrelated households live
            cand = r.choice(pool)
            if len(self.used_pc[cand]) < 4:
                return cand
        while True:
            pc = f"{area}{r.randint(1, 28)} {r.randint(1, 9)}{r.choice(INWARD)}{r.choice(INWARD)}"
            if pc not in self.used_pc:
                self.used_pc[pc] = []
                pool.append(pc)
                return pc

    def hold_pc(self, pc, who):
        if pc:
            self.used_pc.setdefault(pc, []).append(who)

    def unhold_pc(self, pc, who):
        if pc and who in self.used_pc.get(pc, []):
            self.used_pc[pc].remove(who)

    def _unique(self, make):
        while True:
            n = make()
            if n not in self.used_numbers:
                self.used_numbers.add(n)
                return n

    def mobile(self):
        r = self.rng
        pre = r.choice(
            ["74", "75", "78", "771", "772", "773", "775", "777", "779", "792", "794", "795", "796", "798", "799"]
        )
        return self._unique(lambda: "+44" + pre + "".join(str(r.randrange(10)) for _ in range(10 - len(pre))))

    def landline(self, region):
        r = self.rng
        code = r.choice(REGIONS[region]["dial"])

        def make():
            if code == "20":
                loc = r.choice("37") + "".join(str(r.randrange(10)) for _ in range(7))
            elif code == "29":
                loc = "20" + "".join(str(r.randrange(10)) for _ in range(6))
            elif code == "24":
                loc = "76" + "".join(str(r.randrange(10)) for _ in range(6))
            elif len(code) == 4:
                loc = str(r.randint(2, 4)) + "".join(str(r.randrange(10)) for _ in range(5))
            else:
                loc = str(r.randint(2, 4)) + "".join(str(r.randrange(10)) for _ in range(6))
            return "+44" + code + loc

        return self._unique(make)

    def freephone(self):
        r = self.rng
        return self._unique(lambda: "+44" + r.choice(["800", "808"]) + "".join(str(r.randrange(10)) for _ in range(7)))

    def foreign(self):
        r = self.rng
        if r.random() < 0.6:
            return self._unique(lambda: "+346" + "".join(str(r.randrange(10)) for _ in range(8)))
        return self._unique(lambda: "+316" + str(r.randint(1, 5)) + "".join(str(r.randrange(10)) for _ in range(7)))

    def spell(self, e164):
        """one of the spellings partners' exports use for a number"""
        r = self.rng.random()
        if not e164.startswith("+44"):
            if r < 0.5:
                return e164
            if r < 0.8:
                return "00" + e164[1:]
            return e164[:3] + " " + e164[3:6] + " " + e164[6:]
        nat = "0" + e164[3:]
        if r < 0.45:
            return nat
        if r < 0.7:
            return e164
        if r < 0.85:
            return nat[:5] + " " + nat[5:]
        if r < 0.93:
            return "+44 " + e164[3:7] + " " + e164[7:]
        if r < 0.97:
            return "+44 (0)" + e164[3:7] + " " + e164[7:]
        return "0044 " + e164[3:]

    def time_on(self, day, profile):
        r = self.rng
        if profile == "pin":
            win = r.choices([(8 * 60 + 15, 11 * 60 + 45), (14 * 60, 16 * 60 + 45), (18 * 60, 19 * 60 + 45)], [4, 4, 2])[
                0
            ]
            m = r.randint(*win)
        elif profile == "day":
            m = r.randint(8 * 60, 21 * 60)
        elif profile == "social":
            m = r.choices([(9 * 60, 17 * 60), (17 * 60, 23 * 60)], [5, 5])[0]
            m = r.randint(*m)
        elif profile == "office":
            while day.weekday() >= 5:
                day -= timedelta(days=1)
            m = r.randint(9 * 60, 17 * 60)
        elif profile == "evening":
            m = r.randint(17 * 60, 22 * 60 + 30)
        elif profile == "unsocial":  # 01:00-05:00
            m = r.randint(60, 5 * 60 - 1)
        elif profile == "late":
            m = r.randint(21 * 60, 25 * 60 + 30) % (24 * 60)
        elif profile == "preshift":
            m = r.randint(5 * 60 + 40, 6 * 60 + 50)
        elif profile == "nightshift":  # a night-shift worker's waking hours
            m = r.choice([r.randint(18 * 60, 23 * 60 + 59), r.randint(0, 6 * 60), r.randint(13 * 60, 18 * 60)])
        elif profile == "any":
            m = r.choices([(0, 6 * 60 - 1), (6 * 60, 24 * 60 - 1)], [3, 7])[0]
            m = r.randint(*m)
        else:
            raise ValueError(profile)
        return datetime(day.year, day.month, day.day, m // 60, m % 60, r.randint(0, 59))

    def call(self, source, caller, callee, when, dur, est="", caller_pn="", priv=False):
        self.calls.append([source, caller, caller_pn, callee, when, int(dur), est, "Y" if priv else "N"])

    def cdr(self, a, b, n, start, end, profile, dur=(20, 600), both=True, source="cdr", est=""):
        """n calls between numbers a and b on random days in [start, end]"""
        start, end = max(start, WSTART), min(end, WEND)
        if end < start:
            return []
        made = []
        for _ in range(n):
            day = self.rdate(start, end)
            t = self.time_on(day, profile)
            x, y = (a, b) if (not both or self.rng.random() < 0.55) else (b, a)
            d = self.rng.randint(*dur)
            self.call(source, x, y, t, d, est=est)
            made.append(t)
        return made

    def pin_to(self, pn, number, k, start, end, est=None):
        """k PIN calls from prisoner pn to number on custody days in [start, end]"""
        made = []
        for _ in range(k * 4):
            if len(made) >= k:
                break
            e, day = self.random_custody_day(pn, est)
            if day is None or day < start or day > end:
                continue
            t = self.time_on(day, "pin")
            self.call("pin", "", number, t, min(600, max(20, int(self.rng.expovariate(1 / 240)))), est=e, caller_pn=pn)
            made.append(t)
        return made

    def grade(self, mix):
        """mix: list of ((source_eval, intel_eval), weight)"""
        return self.rng.choices([m[0] for m in mix], [m[1] for m in mix])[0]

    def link(self, ft, fid, tt, tid, ltype, when, se, ie, handling="P", agency="", ref=None, summary=""):
        cond = HC if handling == "C" else ""
        if handling == "C" and not agency:
            agency = "police"
        self.link_rows.append(
            dict(
                from_type=ft,
                from_id=fid,
                to_type=tt,
                to_id=tid,
                link_type=ltype,
                date=ds(when),
                source_ref=ref or self.nid("IR-", 6),
                source_eval=se,
                intel_eval=ie,
                handling=handling,
                handling_conditions=cond,
                originating_agency=agency,
                summary=summary,
            )
        )

    def phone(self, number, stype, sid, source, first=None, last=None, se="", ie="", handling="P", agency=""):
        self.phone_rows.append(
            dict(
                phone_number=self.spell(number),
                subject_type=stype,
                subject_id=sid,
                attribution_source=source,
                first_seen=ds(first),
                last_seen=ds(last),
                source_eval=se,
                intel_eval=ie,
                handling=handling,
                handling_conditions=HC if handling == "C" else "",
                originating_agency=agency or ("police" if handling == "C" else ""),
            )
        )

    # ------------------------------------------------------------------ custody
    def est_at(self, pn, day):
        for p in self.prisoners[pn]["periods"]:
            if p["from"] <= day and (p["to"] is None or day < p["to"]):
                return p["est"]
        return None

    def window_periods(self, pn):
        out = []
        for p in self.prisoners[pn]["periods"]:
            a = max(p["from"], WSTART)
            b = min(p["to"] - timedelta(days=1), WEND) if p["to"] else WEND
            if b >= a:
                out.append((p["est"], a, b))
        return out

    def random_custody_day(self, pn, est=None):
        per = [w for w in self.window_periods(pn) if est is None or w[0] == est]
        tot = sum((b - a).days + 1 for _, a, b in per)
        if not tot:
            return None, None
        k = self.rng.randrange(tot)
        for e, a, b in per:
            n = (b - a).days + 1
            if k < n:
                return e, a + timedelta(days=k)
            k -= n
        return None, None

    def new_pn(self):
        r = self.rng
        while True:
            pn = f"{r.choice('AG')}{r.randint(1000, 9999)}{r.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{r.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}"
            if pn not in self.used_pn:
                self.used_pn.add(pn)
                return pn

    def pnc(self, dob):
        r = self.rng
        y = min(dob.year + r.randint(15, 30), 2023)
        return f"{y}/{r.randint(0, 9999999):07d}{r.choice('ABCDEFGHJKLMNPQRTUVWXYZ')}"

    def cell(self, est):
        r = self.rng
        return f"{r.choice('ABCDEF' if est['category'] != 'A' else 'ABC')}-{r.randint(1, 4)}-{r.randint(1, 32)}"

    def new_prisoner(self, est, gender=None, ocg=None, long=False, name=None, dob=None):
        r = self.rng
        g = gender or est["gender"]
        s, f, g = name if name else self.name(g)
        if dob is None:
            dob = self.dob(18, 21) if est["category"] == "YOI" else self.dob(21, 62)
        pn = self.new_pn()
        pr = dict(
            pn=pn,
            surname=s,
            forenames=f,
            dob=dob,
            gender=g,
            pnc=self.pnc(dob) if r.random() < 0.85 else "",
            periods=[],
            ocg=ocg,
            contacts=[],
            home_region=est["region"] if r.random() < 0.85 else r.choice(list(REGIONS)),
        )
        self.prisoners[pn] = pr
        # custody in the window
        med = est["med"] * (3 if long else 1)
        dur = max(21, int(math.exp(r.gauss(math.log(med), 0.7))))
        if long or r.random() < est["before"]:
            back = r.randint(1, max(2, min(dur - 10, 3650)))
            rec = WSTART - timedelta(days=back)
            if long:
                dur = max(dur, back + WDAYS + 10)
        else:
            rec = self.rdate(WSTART, WEND - timedelta(days=14))
        rel = rec + timedelta(days=dur)
        if rel > WEND:
            rel = None
        # an earlier custody period (recidivist)
        if not long and r.random() < 0.15 and rec > date(2017, 1, 1):
            e0 = r.choice([e for e in self.estabs if e["gender"] == g])
            a = self.rdate(date(2015, 1, 1), rec - timedelta(days=400))
            b = a + timedelta(days=r.randint(40, 330))
            if b < rec - timedelta(days=30):
                pr["periods"].append(dict(est=e0["code"], **{"from": a, "to": b}, cell=self.cell(e0)))
        per = dict(est=est["code"], **{"from": rec, "to": rel}, cell=self.cell(est))
        pr["periods"].append(per)
        # a transfer inside the window
        if not long and r.random() < TRANSFER_P[est["category"]]:
            cats = TRANSFER_TO[est["category"]]
            dests = [e for e in self.estabs if e["category"] in cats and e["gender"] == g]
            lo = max(rec, WSTART) + timedelta(days=20)
            hi = (rel or WEND) - timedelta(days=20)
            if dests and hi > lo:
                t = self.rdate(lo, hi)
                d = r.choice(dests)
                per["to"] = t
                pr["periods"].append(dict(est=d["code"], **{"from": t, "to": rel}, cell=self.cell(d)))
        # a recall after release
        elif rel and rel < WEND - timedelta(days=90) and r.random() < 0.05:
            a = rel + timedelta(days=r.randint(20, 60))
            pr["periods"].append(dict(est=est["code"], **{"from": a, "to": None}, cell=self.cell(est)))
        return pr

    def former_prisoner(self, est, name, dob, pnc=None):
        """custody long before the window, released"""
        pn = self.new_pn()
        s, f, g = name
        a = self.rdate(date(2009, 1, 1), date(2016, 1, 1))
        b = a + timedelta(days=self.rng.randint(120, 900))
        self.prisoners[pn] = dict(
            pn=pn,
            surname=s,
            forenames=f,
            dob=dob,
            gender=g,
            pnc=pnc or self.pnc(dob),
            periods=[dict(est=est["code"], **{"from": a, "to": b}, cell=self.cell(est))],
            ocg=None,
            contacts=[],
            home_region=est["region"],
        )
        return pn

    # ------------------------------------------------------------------ build
    def build(self):
        self.build_establishments()
        self.build_ocgs()
        self.build_prisoners()
        self.build_staff()
        self.build_persons()
        self.build_common_numbers()
        self.build_ocg_members()
        self.build_visitors()
        self.build_phones()
        self.build_hubs()
        self.plant_corruption()
        self.plant_decoys()
        self.plant_non_ocg_associations()
        self.build_pin_calls()
        self.build_handsets()
        self.build_cdr()
        self.build_links()
        self.build_resolutions()
        self.make_visits()
        self.flag_chance_lookalikes()
        return self

    def build_establishments(self):
        self.estabs = [dict(e) for e in ESTABS[: self.P["n_est"]]]
        self.est = {e["code"]: e for e in self.estabs}

    def build_ocgs(self):
        r = self.rng
        names = r.sample(OCG_NAMES, self.P["ocgs"])
        male = [e for e in self.estabs if e["gender"] == "M"]
        for i, nm in enumerate(names):
            home = self.estabs[i % len(self.estabs)]
            if home["category"] == "D":  # an OCG is not based on an open prison
                home = male[i % len(male)]
            others = [
                e for e in self.estabs if e is not home and e["gender"] == home["gender"] and e["category"] != "D"
            ]
            k = r.choice([0, 1, 1, 2]) if len(self.estabs) > 3 else r.choice([0, 1])
            held = [home, *r.sample(others, min(k, len(others)))]
            self.ocgs.append(
                dict(
                    urn=f"OCG-{r.randint(10000, 99999)}",
                    name=nm,
                    band=r.choice(BANDS[:6] if i < 3 else BANDS),
                    crime=OCG_CRIMES[i % len(OCG_CRIMES)],
                    home=home,
                    held=[e["code"] for e in held],
                    region=home["region"],
                    prisoners=[],
                    persons=[],
                    visitors=[],
                    coordinator=None,
                )
            )

    def build_prisoners(self):
        r = self.rng
        total = self.P["prisoners"]
        # OCG members in custody: created with long custody at the OCG's establishments
        for o in self.ocgs:
            n_in = r.randint(3, 6) if self.size == "standard" else r.randint(3, 4)
            for j in range(n_in):
                code = o["held"][0] if j < 2 else r.choice(o["held"])
                est = self.est[code]
                pr = self.new_prisoner(est, ocg=o["urn"], long=True)
                pr["home_region"] = o["region"]
                o["prisoners"].append(pr["pn"])
        weights = [e["cap"] * e["turnover"] for e in self.estabs]
        while len(self.prisoners) < total:
            est = r.choices(self.estabs, weights)[0]
            self.new_prisoner(est)

    def build_staff(self):
        r = self.rng
        total = self.P["staff"]
        w = [e["cap"] * e["staffing"] for e in self.estabs]
        counts = [max(8, round(total * x / sum(w))) for x in w]
        roles, rw = zip(*ROLE_WEIGHTS)
        for est, n in zip(self.estabs, counts):
            must = [
                "Chaplaincy",
                "Chaplaincy",
                "Family Liaison",
                "Contractor",
                "Contractor",
                "Visits",
                "Governor",
                "Healthcare",
                "OSG",
            ]
            for i in range(n):
                role = must[i] if i < len(must) else r.choices(roles, rw)[0]
                self.new_staff(est, role)
        # transfers between establishments and promotions
        for s in list(self.staff.values()):
            p = s["posts"][0]
            x = r.random()
            if (
                x < 0.045
                and len(self.estabs) > 1
                and p["role"] in ("Prison Officer", "Supervising Officer", "OSG", "Healthcare")
            ):
                lo = max(p["from"] + timedelta(days=200), WSTART - timedelta(days=300))
                if lo < WEND - timedelta(days=60):
                    t = self.rdate(lo, WEND - timedelta(days=60))
                    d = r.choice([e for e in self.estabs if e["code"] != p["est"]])
                    p["to"] = t - timedelta(days=1)
                    s["posts"].append(dict(est=d["code"], role=p["role"], **{"from": t, "to": None}))
            elif x < 0.075 and p["role"] == "OSG" and p["from"] < WSTART - timedelta(days=400):
                t = self.rdate(WSTART - timedelta(days=200), WEND - timedelta(days=30))
                p["to"] = t - timedelta(days=1)
                s["posts"].append(dict(est=p["est"], role="Prison Officer", **{"from": t, "to": None}))

    def new_staff(self, est, role, name=None, dob=None):
        r = self.rng
        while True:
            sn = f"{r.randint(1000000, 9999999)}"
            if sn not in self.used_sn:
                self.used_sn.add(sn)
                break
        g = "F" if est["gender"] == "F" and r.random() < 0.6 else r.choice("MMF")
        s, f, g = name or self.name(g)
        dob = dob or self.dob(20, 63)
        earliest = max(date(1988, 1, 1), dob + timedelta(days=int(19 * 365.25)))
        start = self.rdate(earliest, date(2025, 5, 1)) if r.random() < 0.9 else self.rdate(WSTART, date(2025, 5, 1))
        if start < earliest:
            start = earliest
        end = None
        if r.random() < 0.06 and start < WEND - timedelta(days=120):
            end = self.rdate(max(start + timedelta(days=90), WSTART), WEND - timedelta(days=14))
        pc = self.postcode(est["region"])
        st = dict(
            sn=sn,
            surname=s,
            forenames=f,
            dob=dob,
            gender=g,
            postcode=pc,
            phone=None,
            posts=[dict(est=est["code"], role=role, **{"from": start, "to": end})],
            night=(role in ("Prison Officer", "OSG", "Healthcare") and r.random() < 0.12),
        )
        self.hold_pc(pc, ("staff", sn))
        self.staff[sn] = st
        return st

    def staff_est(self, st, day=None):
        day = day or WEND
        for p in st["posts"]:
            if p["from"] <= day and (p["to"] is None or day <= p["to"]):
                return p["est"]
        return st["posts"][-1]["est"]

    def staff_active(self, st):
        """first and last day of the window the staff member holds any post"""
        a = max(min(p["from"] for p in st["posts"]), WSTART)
        ends = [p["to"] or WEND for p in st["posts"]]
        b = min(max(ends), WEND)
        return a, b

    def staff_ests(self, st):
        return sorted({p["est"] for p in st["posts"]})

    def new_person(self, region, name=None, dob=None, pnc=True, postcode=None, phone=False, ref=None):
        s, f, g = name or self.name(self.rng.choice("MMMF"))
        dob = dob or self.dob(17, 60)
        ref = ref or self.nid("NOM", 6)
        pc = postcode if postcode is not None else (self.postcode(region) if self.rng.random() < 0.92 else "")
        p = dict(
            ref=ref,
            surname=s,
            forenames=f,
            dob=dob,
            gender=g,
            pnc=self.pnc(dob) if pnc else "",
            postcode=pc,
            phone=None,
            region=region,
        )
        self.hold_pc(pc, ("person", ref))
        self.persons[ref] = p
        if phone:
            p["phone"] = self.mobile()
        return p

    def build_persons(self):
        r = self.rng
        regions = [e["region"] for e in self.estabs]
        # ex-prisoners who are now police nominals (same name, dob, pnc)
        pns = [pn for pn, p in self.prisoners.items() if p["pnc"] and not p["ocg"]]
        for pn in r.sample(pns, min(len(pns), self.P["nominals"] // 20)):
            p = self.prisoners[pn]
            self.new_person(
                p["home_region"],
                name=(p["surname"], p["forenames"], p["gender"]),
                dob=p["dob"],
                pnc=False,
                phone=r.random() < 0.4,
            )["pnc"] = p["pnc"]
        while len(self.persons) < self.P["nominals"]:
            self.new_person(r.choice(regions), pnc=r.random() < 0.8, phone=r.random() < 0.45)
        self.background_persons = list(self.persons)

    def build_common_numbers(self):
        """numbers that very many people ring: never evidence"""
        self.common = {}  # region -> list of (number, kind, weight)
        self.national_common = []
        for reg in sorted({e["region"] for e in self.estabs}):
            lst = []
            for kind, w in [
                ("taxi firm", 8),
                ("takeaway", 4),
                ("bookmaker", 4),
                ("GP surgery", 5),
                ("primary school", 3),
                ("taxi firm", 2),
                ("pharmacy", 1.5),
                ("garage", 1),
            ]:
                lst.append((self.landline(reg), kind, w))
            self.common[reg] = lst
        for kind, w in [
            ("national bookmaker line", 1.5),
            ("pizza delivery chain", 1.5),
            ("prisoners' families helpline", 0.7),
            ("bank customer service", 1.5),
            ("energy supplier", 0.8),
        ]:
            self.national_common.append((self.freephone() if "helpline" in kind else self.landline("London"), kind, w))
        for reg, lst in self.common.items():
            for n, k, _ in lst:
                self.truth["common_numbers"].append(dict(node_id=f"phone:{n}", kind=k, region=reg))
        for n, k, _ in self.national_common:
            self.truth["common_numbers"].append(dict(node_id=f"phone:{n}", kind=k, region="national"))
        self.helpline = next(n for n, k, _ in self.national_common if "helpline" in k)
        # privileged lines
        self.solicitors = []
        regs = sorted({e["region"] for e in self.estabs})
        for i in range(self.P["solicitors"]):
            self.solicitors.append(self.landline(regs[i % len(regs)]))
        self.samaritans = self.freephone()
        self.ombudsman = self.landline("London")
        self.ccrc = self.landline("West Midlands")
        for n in self.solicitors:
            self.truth["privileged_numbers"].append(dict(node_id=f"phone:{n}", kind="legal adviser"))
        self.truth["privileged_numbers"] += [
            dict(node_id=f"phone:{self.samaritans}", kind="Samaritans"),
            dict(node_id=f"phone:{self.ombudsman}", kind="Prisons and Probation Ombudsman"),
            dict(node_id=f"phone:{self.ccrc}", kind="Criminal Cases Review Commission"),
        ]

    def common_for(self, region, k):
        lst = self.common.get(region) or self.common[sorted(self.common)[0]]
        allc = lst + self.national_common
        out = []
        for _ in range(k):
            n = self.rng.choices([c[0] for c in allc], [c[2] for c in allc])[0]
            if n not in out:
                out.append(n)
        return out

    def build_ocg_members(self):
        r = self.rng
        for o in self.ocgs:
            reg = o["region"]
            n_out = r.randint(4, 7) if self.size == "standard" else r.randint(4, 5)
            shared_pc = self.postcode(reg)
            for j in range(n_out):
                p = self.new_person(reg, pnc=r.random() < 0.85, phone=True, postcode=shared_pc if j == 1 else None)
                p["ocg"] = o["urn"]
                o["persons"].append(p["ref"])
            # roles: one principal in custody, one in the community, etc.
            pris, pers = o["prisoners"], o["persons"]
            roles = {}
            roles[("prisoner", pris[0])] = "principal"
            roles[("person", pers[0])] = "principal" if r.random() < 0.6 else "member"
            for pn in pris[1:]:
                roles[("prisoner", pn)] = r.choices(["member", "associate"], [3, 1])[0]
            for ref in pers[1:]:
                roles[("person", ref)] = r.choices(["member", "associate", "facilitator"], [3, 2, 1])[0]
            o["roles"] = roles
            for (t, sid), role in roles.items():
                g = {
                    "principal": [((1, "A"), 5), ((1, "B"), 3), ((2, "B"), 2)],
                    "member": [((1, "B"), 2), ((2, "B"), 5), ((2, "C"), 2)],
                    "associate": [((2, "B"), 2), ((2, "C"), 4), ((3, "C"), 3)],
                    "facilitator": [((2, "C"), 3), ((3, "C"), 2), ((2, "B"), 1)],
                }[role]
                se, ie = self.grade(g)
                self.ocg_member_rows.append(
                    dict(
                        ocg_urn=o["urn"],
                        subject_type=t,
                        subject_id=sid,
                        role=role,
                        since=ds(self.rdate(date(2014, 1, 1), date(2023, 6, 1))),
                        source_eval=se,
                        intel_eval=ie,
                        handling="C" if r.random() < 0.2 else "P",
                        handling_conditions="",
                        originating_agency=r.choice(["police", "police", "nca", "hmpps"]),
                    )
                )
            # some OCG prisoners are also police nominals (same name, dob, PNC)
            for pn in pris[:2]:
                p = self.prisoners[pn]
                if p["pnc"] and r.random() < 0.6:
                    q = self.new_person(reg, name=(p["surname"], p["forenames"], p["gender"]), dob=p["dob"], pnc=False)
                    q["pnc"] = p["pnc"]

    # ------------------------------------------------------------------ visits
    def new_visitor(self, surname, forenames, dob, postcode, gender, phone=None, region=None):
        vref = self.nid("V", 7)
        v = dict(
            vref=vref,
            surname=surname,
            forenames=forenames,
            dob=dob,
            postcode=postcode,
            gender=gender,
            phone=phone,
            prisoners=[],
            region=region,
        )
        self.hold_pc(postcode, ("visitor", vref))
        self.visitors[vref] = v
        return v

    def relate(self, v, pn, relationship, weight):
        v["prisoners"].append(dict(pn=pn, rel=relationship, w=weight))

    def build_visitors(self):
        r = self.rng
        for pn, p in self.prisoners.items():
            if not self.window_periods(pn):
                continue
            k = r.choices([0, 1, 2, 3, 4], [30, 30, 22, 12, 6])[0]
            if p["ocg"]:
                k = max(k, 2)
            home = self.postcode(p["home_region"])
            for _i in range(k):
                rel = r.choices(
                    [
                        "partner",
                        "mother",
                        "father",
                        "sister",
                        "brother",
                        "friend",
                        "cousin",
                        "daughter",
                        "son",
                        "aunt",
                        "grandmother",
                    ],
                    [20, 18, 7, 9, 7, 12, 5, 5, 4, 3, 3],
                )[0]
                fam = rel in ("mother", "father", "sister", "brother", "daughter", "son", "grandmother")
                g = (
                    "F"
                    if rel in ("mother", "sister", "daughter", "aunt", "grandmother")
                    else (
                        "M"
                        if rel in ("father", "brother", "son")
                        else ("F" if p["gender"] == "M" and rel == "partner" else r.choice("MF"))
                    )
                )
                s, f, g = self.name(g, surname=p["surname"] if fam and r.random() < 0.85 else None)
                age = {
                    "mother": (40, 75),
                    "father": (42, 78),
                    "grandmother": (60, 88),
                    "daughter": (18, 30),
                    "son": (18, 30),
                }.get(rel, (18, 55))
                dob = self.dob(*age)
                pc = home if fam and r.random() < 0.6 else self.postcode(p["home_region"])
                v = self.new_visitor(
                    s, f, dob, pc, g, phone=self.mobile() if r.random() < 0.68 else None, region=p["home_region"]
                )
                self.relate(v, pn, rel, {"partner": 3, "mother": 2.5}.get(rel, 1))
        # OCG community members who visit OCG prisoners (same human: nominal and visitor)
        for o in self.ocgs:
            for ref in o["persons"][1:3]:
                q = self.persons[ref]
                v = self.new_visitor(
                    q["surname"],
                    q["forenames"],
                    q["dob"],
                    q["postcode"],
                    q["gender"],
                    phone=q["phone"],
                    region=o["region"],
                )
                v["same_as"] = ("person", ref)
                self.relate(v, r.choice(o["prisoners"]), "friend", 1)
                o["visitors"].append(v["vref"])
        # background nominals who visit
        for ref in r.sample(self.background_persons, min(self.P["nominal_visitors"], len(self.background_persons))):
            q = self.persons[ref]
            cands = [
                pn
                for pn, p in self.prisoners.items()
                if self.window_periods(pn) and not p["ocg"] and p["home_region"] == q["region"]
            ]
            if not cands:
                continue
            v = self.new_visitor(
                q["surname"],
                q["forenames"],
                q["dob"],
                q["postcode"],
                q["gender"],
                phone=q["phone"] if r.random() < 0.7 else None,
                region=q["region"],
            )
            v["same_as"] = ("person", ref)
            self.relate(v, r.choice(cands), r.choice(["friend", "cousin", "brother", "partner"]), 1)
        # former prisoners who now visit
        released = [
            pn
            for pn, p in self.prisoners.items()
            if p["periods"][-1]["to"] and p["periods"][-1]["to"] < WEND - timedelta(days=120) and not p["ocg"]
        ]
        for pn in r.sample(released, min(len(released), self.P["ex_prisoner_visitors"])):
            p = self.prisoners[pn]
            cands = [
                x
                for x, q in self.prisoners.items()
                if x != pn and self.window_periods(x) and q["home_region"] == p["home_region"]
            ]
            if not cands:
                continue
            v = self.new_visitor(
                p["surname"],
                p["forenames"],
                p["dob"],
                self.postcode(p["home_region"]),
                p["gender"],
                phone=self.mobile() if r.random() < 0.5 else None,
                region=p["home_region"],
            )
            v["same_as"] = ("prisoner", pn)
            v["visit_after"] = p["periods"][-1]["to"]
            self.relate(v, r.choice(cands), "friend", 1)
        # OCG prisoners' visitors of note
        for o in self.ocgs:
            for pn in o["prisoners"]:
                for v in self.visitors_of(pn):
                    if v["vref"] not in o["visitors"]:
                        o["visitors"].append(v["vref"])

    def visitors_of(self, pn):
        return [v for v in self.visitors.values() if any(x["pn"] == pn for x in v["prisoners"])]

    def make_visits(self):
        """visit rows for every visitor-prisoner relation (at least one each), scaled to the target count"""
        r = self.rng
        rels = []
        for v in self.visitors.values():
            for x in v["prisoners"]:
                days = sum(
                    (b - a).days + 1 for e, a, b in self.window_periods(x["pn"]) if not x.get("est") or e == x["est"]
                )
                if days:
                    rels.append((v, x, days))
        fixed = sum(x.get("fixed", 1) for _, x, _ in rels)
        tot = sum(x["w"] * d for _, x, d in rels if "fixed" not in x)
        target = max(0, self.P["visits"] - fixed)
        rows = []
        for v, x, days in rels:
            if "fixed" in x:
                n = x["fixed"]
            else:
                lam = target * x["w"] * days / tot
                n = 1 + int(lam) + (1 if r.random() < lam - int(lam) else 0)
            for _ in range(n):
                for _try in range(20):
                    lo = max(x.get("start") or WSTART, (v.get("visit_after") or WSTART) + timedelta(days=1))
                    est, day = self.random_custody_day(x["pn"], x.get("est"))
                    if day is not None and day >= lo:
                        break
                else:
                    continue
                rows.append((day, est, x["pn"], v, x["rel"]))
        rows.sort(key=lambda t: (t[3]["vref"], t[0]))
        for day, est, pn, v, rel in rows:
            self.visit_rows.append(
                dict(
                    visit_id=self.nid("VIS", 7),
                    visit_date=ds(day),
                    establishment_code=est,
                    prison_number=pn,
                    visitor_ref=v["vref"],
                    visitor_surname=v["surname"],
                    visitor_forenames=v["forenames"],
                    visitor_dob=ds(v["dob"]) if r.random() > 0.03 else "",
                    visitor_postcode=v["postcode"] if r.random() > 0.02 else "",
                    relationship=rel,
                )
            )
        # a visitor who never visited is not in visits.csv: nothing may refer to it
        seen = {row["visitor_ref"] for row in self.visit_rows}
        gone = set(self.visitors) - seen
        if gone:

            def ok(row, pairs):
                return not any(row.get(t) == "visitor" and row.get(i) in gone for t, i in pairs)

            self.phone_rows = [x for x in self.phone_rows if ok(x, [("subject_type", "subject_id")])]
            self.ocg_member_rows = [x for x in self.ocg_member_rows if ok(x, [("subject_type", "subject_id")])]
            self.link_rows = [x for x in self.link_rows if ok(x, [("from_type", "from_id"), ("to_type", "to_id")])]
            self.resolution_rows = [
                x for x in self.resolution_rows if ok(x, [("left_type", "left_id"), ("right_type", "right_id")])
            ]
            planted = {h["node_id"] for h in self.truth["hubs"]}
            for vref in gone:
                if f"visitor:{vref}" in planted:
                    print(f"warning: planted visitor {vref} has no visit", file=sys.stderr)
        self.no_visit_visitors = len(gone)

    # ------------------------------------------------------------------ phones
    def build_phones(self):
        r = self.rng
        # visitors' numbers from prisoners' PIN lists
        for v in self.visitors.values():
            if v["phone"]:
                self.phone(
                    v["phone"],
                    "visitor",
                    v["vref"],
                    "pin_list",
                    first=self.rdate(date(2021, 1, 1), WSTART),
                    se=1,
                    ie=r.choice("AB"),
                )
        # staff: personal numbers declared to HR
        for st in self.staff.values():
            if r.random() < 0.62:
                st["phone"] = self.mobile()
                self.phone(st["phone"], "staff", st["sn"], "declared", first=st["posts"][0]["from"], se=1, ie="A")
        # nominals
        for p in self.persons.values():
            if p["phone"]:
                if p.get("ocg"):
                    se, ie = self.grade([((2, "B"), 5), ((2, "C"), 3), ((3, "C"), 2), ((1, "B"), 1)])
                    self.phone(
                        p["phone"],
                        "person",
                        p["ref"],
                        "intelligence",
                        first=self.rdate(date(2022, 1, 1), WSTART),
                        se=se,
                        ie=ie,
                        handling="C" if r.random() < 0.3 else "P",
                        agency="police",
                    )
                else:
                    src = r.choice(["declared", "intelligence", "declared"])
                    se, ie = (
                        (1, "A")
                        if src == "declared"
                        else self.grade([((2, "B"), 3), ((2, "C"), 3), ((3, "C"), 2), ((3, "D"), 1)])
                    )
                    self.phone(p["phone"], "person", p["ref"], src, se=se, ie=ie, agency="police")

    def build_hubs(self):
        """OCG coordinators: community numbers many prisoners ring; a courier who visits many"""
        r = self.rng
        self.coordinators = []
        for o in self.ocgs[: self.P["coordinators"]]:
            p = self.new_person(o["region"], pnc=True, phone=True)
            p["ocg"] = o["urn"]
            o["persons"].append(p["ref"])
            o["coordinator"] = p["ref"]
            self.ocg_member_rows.append(
                dict(
                    ocg_urn=o["urn"],
                    subject_type="person",
                    subject_id=p["ref"],
                    role="facilitator",
                    since=ds(self.rdate(date(2020, 1, 1), date(2023, 6, 1))),
                    source_eval=2,
                    intel_eval="C",
                    handling="P",
                    handling_conditions="",
                    originating_agency="police",
                )
            )
            self.phone(
                p["phone"], "person", p["ref"], "intelligence", first=date(2023, 9, 1), se=3, ie="C", agency="police"
            )
            self.coordinators.append((o, p))
            self.truth["hubs"].append(dict(node_id=f"phone:{p['phone']}", kind="ocg_coordinator_phone", ocg=o["urn"]))
            self.truth["hubs"].append(dict(node_id=f"person:{p['ref']}", kind="ocg_coordinator", ocg=o["urn"]))
        # a courier: one visitor who visits several OCG prisoners at several establishments
        o = max(self.ocgs, key=lambda o: len(set(self.prisoners[pn]["periods"][-1]["est"] for pn in o["prisoners"])))
        s, f, g = self.name("F")
        v = self.new_visitor(
            s, f, self.dob(20, 35), self.postcode(o["region"]), g, phone=self.mobile(), region=o["region"]
        )
        targets = list(o["prisoners"])
        other = [x for x in self.ocgs if x is not o]
        if other:
            targets += other[0]["prisoners"][:2]
        for pn in targets:
            self.relate(v, pn, r.choice(["friend", "cousin", "friend"]), 1.2)
            self.ocgs[self.ocgs.index(o)]["visitors"].append(v["vref"])
        self.ocg_member_rows.append(
            dict(
                ocg_urn=o["urn"],
                subject_type="visitor",
                subject_id=v["vref"],
                role="associate",
                since="2023-05-01",
                source_eval=3,
                intel_eval="C",
                handling="P",
                handling_conditions="",
                originating_agency="hmpps",
            )
        )
        self.courier = v
        self.truth["hubs"].append(dict(node_id=f"visitor:{v['vref']}", kind="courier_visitor", ocg=o["urn"]))
        # an OCG principal in custody who runs the network from a cell
        pn = self.ocgs[0]["prisoners"][0]
        self.truth["hubs"].append(
            dict(node_id=f"prisoner:{pn}", kind="ocg_principal_in_custody", ocg=self.ocgs[0]["urn"])
        )

    # ------------------------------------------------------------------ calls
    def contacts(self, pn):
        """a prisoner's PIN list: (number, weight, privileged)"""
        p = self.prisoners[pn]
        if p.get("_contacts") is not None:
            return p["_contacts"]
        r = self.rng
        c = []
        for v in self.visitors_of(pn):
            if v["phone"]:
                w = next(x["w"] for x in v["prisoners"] if x["pn"] == pn)
                c.append((v["phone"], 2.0 * w, False))
        for _ in range(r.choice([1, 1, 2, 2, 3, 4])):
            c.append(
                (self.mobile() if r.random() < 0.85 else self.landline(p["home_region"]), r.uniform(0.5, 2.5), False)
            )
        p["friends"] = [n for n, _, _ in c[-4:]]
        if r.random() < 0.7:
            c.append((r.choice(self.solicitors), 0.28, True))
        if r.random() < 0.04:
            c.append((self.samaritans, 0.2, True))
        if r.random() < 0.03:
            c.append((self.ombudsman, 0.15, True))
        if r.random() < 0.01:
            c.append((self.ccrc, 0.1, True))
        if r.random() < 0.12:
            c.append((self.helpline, 0.3, False))
        if p["ocg"]:
            o = next(o for o in self.ocgs if o["urn"] == p["ocg"])
            for ref in r.sample(o["persons"], min(2, len(o["persons"]))):
                c.append((self.persons[ref]["phone"], 1.0, False))
        for o, cp in self.coordinators:
            ests = set(o["held"])
            mine = {e for e, _, _ in self.window_periods(pn)}
            if p["ocg"] == o["urn"]:
                c.append((cp["phone"], 0.8, False))
            elif mine & ests and r.random() < (0.12 if self.size == "standard" else 0.2):
                c.append((cp["phone"], 0.4, False))  # drug debts / orders
        c += p["contacts"]  # planted extras
        p["_contacts"] = c
        return c

    def build_pin_calls(self):
        r = self.rng
        target = int(self.P["calls"] * 0.745)
        act = {}
        for pn, _p in self.prisoners.items():
            days = sum((b - a).days + 1 for _, a, b in self.window_periods(pn))
            if days:
                act[pn] = days * math.exp(r.gauss(0, 0.6))
        tot = sum(act.values())
        for pn, a in act.items():
            c = self.contacts(pn)
            if not c:
                continue
            lam = target * a / tot
            n = int(lam) + (1 if r.random() < lam - int(lam) else 0)
            nums, ws, priv = zip(*c)
            for _ in range(n):
                est, day = self.random_custody_day(pn)
                i = r.choices(range(len(nums)), ws)[0]
                d = r.randint(60, 1800) if priv[i] else min(600, max(15, int(r.expovariate(1 / 330))))
                self.call("pin", "", nums[i], self.time_on(day, "pin"), d, est=est, caller_pn=pn, priv=priv[i])

    def build_handsets(self):
        r = self.rng
        ocg_pris = [pn for o in self.ocgs for pn in o["prisoners"]]
        others = [pn for pn in self.prisoners if self.window_periods(pn) and pn not in ocg_pris]
        n = self.P["handsets"]
        chosen = r.sample(ocg_pris, min(len(ocg_pris), n // 2)) + r.sample(others, n - n // 2)
        for pn in chosen:
            self.seized_handset(pn)

    def seized_handset(self, pn, extra=()):
        """a phone seized from a cell; its download gives calls in both directions"""
        r = self.rng
        est, day = self.random_custody_day(pn)
        if day is None:
            return None
        seized = max(day, WSTART + timedelta(days=40))
        if self.est_at(pn, seized) is None:
            seized = day
        est = self.est_at(pn, seized) or est
        start = max(WSTART, seized - timedelta(days=r.randint(30, 130)))
        h = self.mobile()
        self.phone(h, "prisoner", pn, "seized_handset", first=start, last=seized, se=2, ie="B", agency="hmpps")
        p = self.prisoners[pn]
        cont = [n for n, _, pv in self.contacts(pn) if not pv]
        cont += [self.mobile() for _ in range(r.randint(3, 8))]  # customers, unknown numbers
        if p["ocg"]:
            o = next(o for o in self.ocgs if o["urn"] == p["ocg"])
            cont += [self.persons[x]["phone"] for x in o["persons"]]
            cont += [self.persons[x]["phone"] for x in o["persons"]]
            cont.append(self.foreign())
        for o, cp in self.coordinators:
            if est in o["held"] and r.random() < 0.6:
                cont += [cp["phone"]] * 3
        total = r.randint(120, 520)
        for _ in range(total):
            other = r.choice(cont)
            day = self.rdate(start, seized)
            t = self.time_on(day, "any")
            a, b = (h, other) if r.random() < 0.65 else (other, h)
            self.call("handset_download", a, b, t, r.randint(5, 900), est=est)
        for other, k, profile in extra:
            for _ in range(k):
                t = self.time_on(self.rdate(start, seized), profile)
                a, b = (h, other) if r.random() < 0.6 else (other, h)
                self.call("handset_download", a, b, t, r.randint(10, 240), est=est)
        self.handsets.append(dict(pn=pn, number=h, start=start, seized=seized, est=est))
        return self.handsets[-1]

    def build_cdr(self):
        r = self.rng
        # visitors' numbers (prisoners' families)
        vph = [v for v in self.visitors.values() if v["phone"]]
        target_v = int(self.P["calls"] * 0.085)
        with_cdr = [v for v in vph if r.random() < 0.7]
        per = max(1, target_v // max(1, len(with_cdr)))
        for v in with_cdr:
            reg = v["region"] or "London"
            cs = self.common_for(reg, r.randint(2, 6))
            n = max(1, int(r.expovariate(1 / per)))
            others = []
            for x in v["prisoners"]:
                for u in self.visitors_of(x["pn"]):
                    if u["phone"] and u is not v:
                        others.append(u["phone"])
                others += self.prisoners[x["pn"]].get("friends", [])[:2]
            own = [self.mobile() for _ in range(r.randint(1, 3))]
            pool = cs * 2 + others * 2 + own * 3
            for _ in range(n):
                self.cdr(v["phone"], r.choice(pool), 1, WSTART, WEND, "social", dur=(10, 900))
        # staff personal numbers: family, friends, rota and union, common numbers
        sph = [s for s in self.staff.values() if s["phone"]]
        by_est = {}
        for s in sph:
            for e in self.staff_ests(s):
                by_est.setdefault(e, []).append(s)
        target_s = int(self.P["calls"] * 0.07)
        per = max(1, target_s // max(1, len(sph)))
        for s in sph:
            a, b = self.staff_active(s)
            reg = self.est[s["posts"][0]["est"]]["region"]
            prof = "nightshift" if s["night"] else "social"
            n = max(2, int(r.expovariate(1 / per)))
            fam = [self.mobile() if r.random() < 0.8 else self.landline(reg) for _ in range(r.randint(1, 4))]
            cs = self.common_for(reg, r.randint(1, 4))
            cols = []
            for e in self.staff_ests(s):
                peers = by_est.get(e, [])
                cols += [c["phone"] for c in r.sample(peers, min(len(peers), r.randint(1, 5))) if c is not s]
            pool = fam * 4 + cs * 2 + cols * 2
            for _ in range(n):
                self.cdr(s["phone"], r.choice(pool), 1, a, b, prof, dur=(10, 1200))
            # community overlap: the small world of towns near a prison (not evidence)
            if r.random() < 0.04 and vph:
                u = r.choice(vph)
                self.cdr(s["phone"], u["phone"], r.randint(1, 3), a, b, "social")
                self.chance_contacts.append((s["sn"], u["vref"]))
        # OCG community phones (numbers under investigation)
        for o in self.ocgs:
            phones = [self.persons[x]["phone"] for x in o["persons"] if self.persons[x]["phone"]]
            vis = [self.visitors[v]["phone"] for v in o["visitors"] if self.visitors[v]["phone"]]
            cs = self.common_for(o["region"], 4)
            abroad = [self.foreign() for _ in range(r.randint(1, 3))]
            for i, a in enumerate(phones):
                for b in phones[i + 1 :]:
                    if r.random() < 0.7:
                        self.cdr(
                            a, b, r.randint(4, 45), WSTART, WEND, r.choice(["social", "late", "any"]), dur=(5, 300)
                        )
                for b in r.sample(vis, min(len(vis), 2)):
                    self.cdr(a, b, r.randint(2, 15), WSTART, WEND, "social", dur=(5, 400))
                for b in cs:
                    self.cdr(a, b, r.randint(1, 12), WSTART, WEND, "social", dur=(20, 200))
                if r.random() < 0.5:
                    self.cdr(a, r.choice(abroad), r.randint(2, 20), WSTART, WEND, "any", dur=(30, 900))
                for _ in range(r.randint(4, 15)):  # burners, customers
                    self.cdr(a, self.mobile(), r.randint(1, 6), WSTART, WEND, "any", dur=(5, 120))
        for o, cp in self.coordinators:
            for x in o["persons"]:
                q = self.persons[x]
                if q["phone"] and q is not cp:
                    self.cdr(cp["phone"], q["phone"], r.randint(10, 40), WSTART, WEND, "any", dur=(5, 200))
            for v in r.sample(list(self.visitors.values()), min(25, len(self.visitors))):
                if v["phone"]:
                    self.cdr(cp["phone"], v["phone"], r.randint(1, 3), WSTART, WEND, "social", dur=(5, 120))
        # background nominals
        nph = [self.persons[x] for x in self.background_persons if self.persons[x]["phone"]]
        target_n = int(self.P["calls"] * 0.04)
        with_cdr = [p for p in nph if r.random() < 0.6]
        per = max(1, target_n // max(1, len(with_cdr)))
        for p in with_cdr:
            mates = [q["phone"] for q in r.sample(nph, min(len(nph), 3)) if q is not p]
            own = [self.mobile() for _ in range(r.randint(1, 3))]
            cs = self.common_for(p["region"], 2)
            pool = mates * 2 + own * 3 + cs
            for _ in range(max(1, int(r.expovariate(1 / per)))):
                self.cdr(p["phone"], r.choice(pool), 1, WSTART, WEND, r.choice(["social", "late"]), dur=(5, 600))

    # ------------------------------------------------------------------ links
    def build_links(self):
        r = self.rng
        bg = [
            ((2, "B"), 30),
            ((3, "C"), 25),
            ((2, "C"), 15),
            ((1, "B"), 8),
            ((1, "A"), 5),
            ((3, "D"), 6),
            ((2, "E"), 4),
            ((3, "E"), 4),
            ((2, "D"), 3),
        ]
        for o in self.ocgs:
            members = [("prisoner", pn) for pn in o["prisoners"]] + [("person", x) for x in o["persons"]]
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if r.random() < 0.35:
                        se, ie = self.grade(bg[:6])
                        self.link(
                            a[0],
                            a[1],
                            b[0],
                            b[1],
                            "ASSOCIATE_OF",
                            self.rdate(date(2019, 1, 1), WEND),
                            se,
                            ie,
                            handling="C" if r.random() < 0.15 else "P",
                            agency=r.choice(["police", "nca", "hmpps"]),
                        )
            for _ in range(r.randint(1, 3)):
                a, b = r.sample(members, 2)
                se, ie = self.grade([((2, "C"), 3), ((3, "C"), 2), ((2, "B"), 2)])
                self.link(
                    a[0],
                    a[1],
                    b[0],
                    b[1],
                    "FINANCIAL",
                    self.rdate(date(2021, 1, 1), WEND),
                    se,
                    ie,
                    handling="C",
                    agency=r.choice(["police", "nca"]),
                )
            for vref in o["visitors"][:3]:
                se, ie = self.grade([((2, "C"), 3), ((3, "C"), 3), ((2, "B"), 1)])
                self.link(
                    "visitor",
                    vref,
                    "ocg",
                    o["urn"],
                    "ASSOCIATE_OF",
                    self.rdate(date(2022, 1, 1), WEND),
                    se,
                    ie,
                    agency="hmpps",
                )
        # families declared on visits applications
        for v in self.visitors.values():
            for x in v["prisoners"]:
                if x["rel"] in ("mother", "father", "sister", "brother", "son", "daughter") and r.random() < 0.2:
                    self.link(
                        "prisoner",
                        x["pn"],
                        "visitor",
                        v["vref"],
                        "FAMILY_OF",
                        self.rdate(date(2020, 1, 1), WEND),
                        1,
                        "A",
                        agency="hmpps",
                        ref=self.nid("VAF-", 6),
                    )
        # nominals sharing an address with visitors
        for _pc, holders in self.used_pc.items():
            ps = [h for h in holders if h[0] == "person"]
            vs = [h for h in holders if h[0] == "visitor"]
            if ps and vs and r.random() < 0.5:
                se, ie = self.grade([((2, "B"), 3), ((1, "B"), 1), ((2, "C"), 2)])
                self.link(
                    ps[0][0],
                    ps[0][1],
                    vs[0][0],
                    vs[0][1],
                    "SHARES_ADDRESS",
                    self.rdate(date(2021, 1, 1), WEND),
                    se,
                    ie,
                    agency="police",
                )
        # the general intelligence picture: associations among prisoners and nominals (some malicious)
        pns = [pn for pn in self.prisoners if self.window_periods(pn)]
        noms = self.background_persons
        n_bg = int(len(pns) * 0.45)
        for _ in range(n_bg):
            se, ie = self.grade(bg)
            a = ("prisoner", r.choice(pns))
            b = ("person", r.choice(noms)) if r.random() < 0.6 else ("prisoner", r.choice(pns))
            if a == b:
                continue
            self.link(
                a[0],
                a[1],
                b[0],
                b[1],
                r.choices(["ASSOCIATE_OF", "FINANCIAL", "SUPPLIES_DRUGS"], [8, 1, 1])[0],
                self.rdate(date(2019, 1, 1), WEND),
                se,
                ie,
                agency=r.choice(["police", "hmpps", "hmpps", "probation"]),
            )

    def build_resolutions(self):
        r = self.rng
        same = [v for v in self.visitors.values() if v.get("same_as") and v["same_as"][0] == "person"]
        for v in r.sample(same, min(len(same), 4 if self.size == "standard" else 1)):
            t, i = v["same_as"]
            self.resolution_rows.append(
                dict(
                    left_type=t,
                    left_id=i,
                    right_type="visitor",
                    right_id=v["vref"],
                    decision="same",
                    decided_by=r.choice(["analyst.hmpps.ab", "analyst.hmpps.kt"]),
                    decided_at=ts(datetime(2025, r.randint(1, 6), r.randint(1, 28), 10, 30)),
                )
            )

    # ------------------------------------------------------------------ planting: corrupt staff
    def pick_staff(self, est_code=None, roles=None, need_phone=False, exclude_ests=None, active_from=None):
        r = self.rng
        c = []
        for st in self.staff.values():
            if st["sn"] in self.staff_used:
                continue
            if est_code and est_code not in self.staff_ests(st):
                continue
            if exclude_ests and set(self.staff_ests(st)) & set(exclude_ests):
                continue
            if roles and st["posts"][-1]["role"] not in roles:
                continue
            if len(st["posts"]) > 1 and not roles:
                continue
            a, b = self.staff_active(st)
            if (b - a).days < 300 or (active_from and a > active_from):
                continue
            if need_phone and not st["phone"]:
                continue
            c.append(st)
        if not c:
            return None
        st = r.choice(c)
        self.staff_used.add(st["sn"])
        return st

    def ensure_phone(self, st):
        if not st["phone"]:
            st["phone"] = self.mobile()
            self.phone(st["phone"], "staff", st["sn"], "declared", first=st["posts"][0]["from"], se=1, ie="A")
        return st["phone"]

    def ocg_at(self, est_code, exclude=()):
        """an OCG with a member held at est_code throughout the window"""
        c = []
        for o in self.ocgs:
            if o["urn"] in exclude:
                continue
            pris = [
                pn
                for pn in o["prisoners"]
                if any(e == est_code and (b - a).days > 300 for e, a, b in self.window_periods(pn))
            ]
            if pris:
                c.append((o, pris))
        return self.rng.choice(c) if c else (None, None)

    def corruption_span(self, st, min_months=5):
        a, b = self.staff_active(st)
        start = self.rdate(
            max(a, WSTART + timedelta(days=40)), min(b - timedelta(days=min_months * 30), WSTART + timedelta(days=300))
        )
        return start, b

    def add_corrupt(self, st, kind, evidence, ocg, variant=""):
        e = dict(
            staff_id=f"staff:{st['sn']}",
            kind=kind,
            evidence=evidence,
            ocg=ocg["urn"] if ocg else None,
            establishment=self.staff_est(st),
            role=st["posts"][-1]["role"],
        )
        if variant:
            e["variant"] = variant
        self.truth["corrupt_staff"].append(e)

    def fmt_span(self, times):
        times = sorted(times)
        return f"{times[0].date()} to {times[-1].date()}"

    def est_with_ocg(self):
        c = [e["code"] for e in self.estabs if self.ocg_at(e["code"])[0]]
        return self.rng.choice(c)

    def plant_direct_calls(self, variant=""):
        r = self.rng
        est = self.est_with_ocg()
        o, pris = self.ocg_at(est)
        st = self.pick_staff(est, ["Prison Officer", "OSG", "Supervising Officer"])
        if not st:
            return None
        ph = self.ensure_phone(st)
        m = self.persons[r.choice([x for x in o["persons"] if x != o.get("coordinator")])]
        a, b = self.corruption_span(st)
        n = r.randint(8, 13)
        k_night = r.randint(3, max(3, n // 2))
        ev = []
        if variant == "pin_list":  # the staff member's own number on an OCG prisoner's PIN list
            pn = r.choice(pris)
            k = r.randint(5, 9)
            t = self.pin_to(pn, ph, k, a, b, est=est)
            t2 = self.cdr(ph, m["phone"], r.randint(2, 4), a, b, "unsocial", dur=(15, 120))
            ev.append(
                f"{len(t)} PIN calls {self.fmt_span(t)} from OCG {o['urn']} prisoner:{pn} at {est} to the staff "
                f"member's declared phone {ph} (on the PIN list under another name)"
            )
            ev.append(f"{len(t2)} CDR calls between 01:00 and 05:00 with OCG person:{m['ref']}'s phone {m['phone']}")
        elif variant == "phone_switch":  # contact moves to a new phone when one is suspected
            mid = a + (b - a) / 2
            t1 = self.cdr(ph, m["phone"], k_night // 2, a, mid, "unsocial", dur=(15, 120))
            t1 += self.cdr(ph, m["phone"], n // 2 - k_night // 2, a, mid, "preshift", dur=(15, 120))
            new = self.mobile()
            self.phone(new, "person", m["ref"], "intelligence", first=mid, se=3, ie="C", agency="police", handling="C")
            t2 = self.cdr(ph, new, k_night - k_night // 2, mid, b, "unsocial", dur=(15, 120))
            t2 += self.cdr(ph, new, n - n // 2 - (k_night - k_night // 2), mid, b, "social", dur=(15, 120))
            self.cdr(m["phone"], new, r.randint(1, 2), mid, b, "social")
            ev.append(
                f"{len(t1)} CDR calls {self.fmt_span(t1)} between staff declared phone {ph} and OCG {o['urn']} "
                f"{o['roles'][('person', m['ref'])]} person:{m['ref']}'s phone {m['phone']}"
            )
            ev.append(
                f"then {len(t2)} calls {self.fmt_span(t2)} to a new number {new}, attributed to the same "
                f"OCG member by intelligence graded 3/C"
            )
            ev.append(f"{k_night} calls between 01:00 and 05:00")
        else:
            t = self.cdr(ph, m["phone"], k_night, a, b, "unsocial", dur=(15, 150))
            t += self.cdr(ph, m["phone"], n - k_night, a, b, r.choice(["preshift", "social"]), dur=(15, 150))
            ev.append(
                f"{len(t)} CDR calls {self.fmt_span(t)} between staff declared phone {ph} and OCG {o['urn']} "
                f"{o['roles'][('person', m['ref'])]} person:{m['ref']}'s phone {m['phone']} (intelligence attribution)"
            )
            ev.append(f"{k_night} of them between 01:00 and 05:00; the rest short, before shifts or evenings")
        ev.append(
            f"staff posted at {est}, where OCG {o['urn']} members {', '.join('prisoner:' + x for x in pris)} are held"
        )
        self.add_corrupt(st, "direct_calls", ev, o, variant)
        st["corrupt_since"] = a
        return st

    def plant_intermediary(self, hops=2):
        r = self.rng
        est = self.est_with_ocg()
        o, pris = self.ocg_at(est)
        st = self.pick_staff(est, ["Prison Officer", "OSG", "Healthcare", "Instructor"])
        if not st:
            return None
        ph = self.ensure_phone(st)
        a, b = self.corruption_span(st)
        ev = []
        if hops == 2:
            inter = self.mobile()  # an unattributed number: an unremarkable friend
            m = self.persons[r.choice([x for x in o["persons"] if x != o.get("coordinator")])]
            t1 = self.cdr(ph, inter, r.randint(9, 18), a, b, r.choice(["social", "evening"]), dur=(30, 600))
            t2 = self.cdr(inter, m["phone"], r.randint(10, 22), a - timedelta(days=60), b, "social", dur=(10, 300))
            for _ in range(r.randint(2, 4)):
                self.cdr(inter, self.mobile(), r.randint(1, 4), WSTART, WEND, "social")
            ev.append(
                f"{len(t1)} CDR calls {self.fmt_span(t1)} between staff declared phone {ph} and unattributed number {inter}"
            )
            ev.append(f"{len(t2)} CDR calls between {inter} and OCG {o['urn']} person:{m['ref']}'s phone {m['phone']}")
            ev.append(f"{inter} has few other contacts; staff posted at {est} where OCG members are held")
        else:
            pn = r.choice(pris)
            vs = [v for v in self.visitors_of(pn) if v["phone"]]
            if not vs:
                s, f, g = self.name("F")
                v = self.new_visitor(
                    s, f, self.dob(20, 45), self.postcode(o["region"]), g, phone=self.mobile(), region=o["region"]
                )
                self.relate(v, pn, "partner", 3)
                v["prisoners"][-1]["fixed"] = r.randint(4, 9)
                self.phone(v["phone"], "visitor", v["vref"], "pin_list", first=WSTART, se=1, ie="A")
                o["visitors"].append(v["vref"])
                if self.prisoners[pn].get("_contacts") is not None:
                    self.prisoners[pn]["_contacts"].append((v["phone"], 6.0, False))
            else:
                v = r.choice(vs)
            q = self.new_person(self.est[est]["region"], pnc=r.random() < 0.3, phone=True)
            se, ie = self.grade([((3, "C"), 2), ((2, "C"), 1)])
            self.phone(q["phone"], "person", q["ref"], "intelligence", se=se, ie=ie, agency="police")
            t1 = self.cdr(
                ph, q["phone"], r.randint(10, 20), a, b, r.choice(["social", "evening", "late"]), dur=(30, 900)
            )
            t2 = self.cdr(q["phone"], v["phone"], r.randint(8, 18), a, b, "social", dur=(10, 300))
            for _ in range(r.randint(2, 5)):
                self.cdr(q["phone"], self.mobile(), r.randint(1, 5), WSTART, WEND, "social")
            ev.append(
                f"{len(t1)} CDR calls {self.fmt_span(t1)} between staff declared phone {ph} and person:{q['ref']}'s phone "
                f"{q['phone']} (a nominal with no OCG link; intelligence attribution {se}/{ie})"
            )
            ev.append(
                f"{len(t2)} CDR calls between {q['phone']} and visitor:{v['vref']}'s phone {v['phone']} "
                f"(PIN list), who visits and is rung by OCG {o['urn']} prisoner:{pn} at {est}"
            )
            ev.append("three hops: staff -> intermediary -> OCG member's visitor -> OCG member")
        self.add_corrupt(st, "intermediary", ev, o, f"{hops}_hop")
        st["corrupt_since"] = a
        return st

    def plant_attributed_phone(self):
        r = self.rng
        est = self.est_with_ocg()
        o, pris = self.ocg_at(est)
        st = self.pick_staff(est, ["Prison Officer", "OSG", "Supervising Officer", "Contractor"])
        if not st:
            return None
        burner = self.mobile()
        a, b = self.corruption_span(st)
        se, ie = self.grade([((2, "C"), 2), ((3, "C"), 2), ((2, "B"), 1)])
        self.phone(burner, "staff", st["sn"], "intelligence", first=a, se=se, ie=ie, handling="C", agency="police")
        ev = [f"number {burner} attributed to the staff member by intelligence graded {se}/{ie} (police, handling C)"]
        pn = r.choice(pris)
        k = r.randint(7, 14)
        h = self.seized_handset(pn, extra=[(burner, k, "late")])
        if h and r.random() < 0.7:
            self.phone(
                burner,
                "staff",
                st["sn"],
                "seized_handset",
                first=h["start"],
                last=h["seized"],
                se=2,
                ie="C",
                agency="hmpps",
            )
            ev.append(
                f"and by the download of a handset seized from prisoner:{pn}'s cell at {h['est']} on {h['seized']} "
                f"(saved under a nickname; graded 2/C)"
            )
        if h:
            ev.append(
                f"{k} handset_download calls between the handset {h['number']} seized from OCG {o['urn']} "
                f"prisoner:{pn} and {burner}, evenings and nights, {h['start']} to {h['seized']}"
            )
        m = self.persons[r.choice(o["persons"])]
        t = self.cdr(burner, m["phone"], r.randint(2, 4), a, b, "late", dur=(10, 90))
        ev.append(f"{len(t)} CDR calls between {burner} and OCG person:{m['ref']}'s phone {m['phone']}")
        ev.append("the number rings few others")
        self.cdr(burner, self.mobile(), r.randint(1, 3), a, b, "late")
        self.add_corrupt(st, "attributed_phone", ev, o)
        st["corrupt_since"] = a
        return st

    def plant_shared_postcode(self):
        r = self.rng
        est = self.est_with_ocg()
        o, pris = self.ocg_at(est)
        st = self.pick_staff(est, ["Prison Officer", "OSG", "Healthcare", "Administration", "Visits"])
        if not st:
            return None
        pn = r.choice(pris)
        region = self.est[est]["region"]
        s_same = r.random() < 0.5
        s, f, g = self.name("F" if st["gender"] == "M" else "M", surname=st["surname"] if s_same else None)
        pc = self.postcode(region, reuse=0)
        v = self.new_visitor(
            s, f, self.dob(22, 50), pc, g, phone=self.mobile() if r.random() < 0.5 else None, region=region
        )
        if v["phone"]:
            self.phone(v["phone"], "visitor", v["vref"], "pin_list", first=WSTART, se=1, ie="A")
        self.relate(v, pn, r.choice(["friend", "cousin", "partner"]), 1.5)
        v["prisoners"][-1]["fixed"] = r.randint(3, 8)
        if v["phone"] and self.prisoners[pn].get("_contacts") is not None:
            self.prisoners[pn]["_contacts"].append((v["phone"], 3.0, False))
        o["visitors"].append(v["vref"])
        self.unhold_pc(st["postcode"], ("staff", st["sn"]))
        st["postcode"] = pc
        self.hold_pc(pc, ("staff", st["sn"]))
        if r.random() < 0.5:  # a neighbour: a small street, not a block
            self.new_person(region, postcode=pc, pnc=r.random() < 0.3)
        se, ie = self.grade([((3, "C"), 3), ((2, "C"), 2), ((3, "D"), 1)])
        lt = r.choice(["SHARES_ADDRESS", "ASSOCIATE_OF"])
        when = self.rdate(WSTART + timedelta(days=100), WEND - timedelta(days=20))
        self.link("staff", st["sn"], "visitor", v["vref"], lt, when, se, ie, agency=r.choice(["police", "hmpps"]))
        ev = [
            f"home postcode {pc} shared with visitor:{v['vref']} ({v['forenames']} {v['surname']}), who visits OCG "
            f"{o['urn']} prisoner:{pn} at {est}" + (" (same surname)" if s_same else ""),
            f"postcode held by {len(self.used_pc[pc])} records (a small street)",
            f"one corroborating {lt} intelligence link staff -> visitor graded {se}/{ie} ({when})",
        ]
        self.add_corrupt(st, "shared_postcode", ev, o)
        return st

    def plant_identity(self, variant="visitor"):
        r = self.rng
        ev = []
        if variant == "visitor":
            # a contractor who is also a visitor of an OCG principal at another establishment
            cand = []
            for o in self.ocgs:
                pn = o["prisoners"][0]
                for e, _start, _end in self.window_periods(pn):
                    cand.append((o, pn, e))
            r.shuffle(cand)
            for o, pn, e in cand:  # noqa: B007 (o and pn are read after the loop)
                st = self.pick_staff(None, ["Contractor", "Instructor", "Healthcare"], exclude_ests=[e])
                if st:
                    break
            else:
                return None
            reg = self.est[e]["region"]
            v = self.new_visitor(st["surname"], st["forenames"], st["dob"], st["postcode"], st["gender"], region=reg)
            k = r.randint(4, 8)
            self.relate(v, pn, "friend", 1)
            v["prisoners"][-1]["fixed"] = k
            v["prisoners"][-1]["est"] = e
            o["visitors"].append(v["vref"])
            ev.append(f"visitor:{v['vref']} has the staff member's surname, forenames, dob and home postcode")
            ev.append(
                f"~{k} visits (declared 'friend') to OCG {o['urn']} principal prisoner:{pn} at {e}, "
                f"where the staff member has no post (staff at {self.staff_est(st)})"
            )
            ev.append("no declaration of the relationship")
        else:
            # a former prisoner, once an OCG associate, now working as staff at an establishment holding that OCG
            est = self.est_with_ocg()
            o, _pris = self.ocg_at(est)
            st = self.pick_staff(est, ["OSG", "Contractor", "Instructor"])
            if not st:
                return None
            old_est = self.rng.choice([e for e in self.estabs if e["gender"] == st["gender"]] or self.estabs)
            fp = self.former_prisoner(old_est, (st["surname"], st["forenames"], st["gender"]), st["dob"])
            pp = self.prisoners[fp]
            se, ie = self.grade([((2, "C"), 2), ((3, "C"), 2)])
            when = pp["periods"][0]["to"] - timedelta(days=30)
            self.link("prisoner", fp, "prisoner", o["prisoners"][0], "ASSOCIATE_OF", when, se, ie, agency="hmpps")
            self.ocg_member_rows.append(
                dict(
                    ocg_urn=o["urn"],
                    subject_type="prisoner",
                    subject_id=fp,
                    role="associate",
                    since=ds(when),
                    source_eval=3,
                    intel_eval="C",
                    handling="P",
                    handling_conditions="",
                    originating_agency="police",
                )
            )
            ph = self.ensure_phone(st)
            m = self.persons[r.choice(o["persons"])]
            a, b = self.corruption_span(st)
            t = self.cdr(ph, m["phone"], r.randint(2, 4), a, b, "evening", dur=(20, 200))
            ev.append(
                f"prisoner:{fp} (custody {pp['periods'][0]['from']} to {pp['periods'][0]['to']} at {old_est['code']}) "
                f"has the staff member's surname, forenames and dob"
            )
            ev.append(
                f"that former prisoner was an associate of OCG {o['urn']} principal prisoner:{o['prisoners'][0]} "
                f"(ASSOCIATE_OF {se}/{ie}; ocg_members associate 3/C)"
            )
            ev.append(
                f"staff now posted at {est} where OCG {o['urn']} members are held; {len(t)} CDR calls with "
                f"OCG person:{m['ref']}"
            )
        self.add_corrupt(st, "identity", ev, o, variant)
        return st

    def plant_intel(self):
        r = self.rng
        est = self.est_with_ocg()
        o, pris = self.ocg_at(est)
        st = self.pick_staff(est, ["Prison Officer", "OSG", "Healthcare", "Visits", "Supervising Officer"])
        if not st:
            return None
        pn = r.choice(pris)
        se, ie = r.choice([(2, "B"), (3, "C"), (2, "B")])
        w1 = self.rdate(WSTART + timedelta(days=120), WEND - timedelta(days=60))
        lt = r.choice(["CORRUPT_APPROACH", "FINANCIAL"])
        if lt == "CORRUPT_APPROACH":
            self.link(
                "prisoner",
                pn,
                "staff",
                st["sn"],
                lt,
                w1,
                se,
                ie,
                agency="hmpps",
                summary="Source reports the officer is being paid to bring items onto the wing",
            )
            ev = [
                f"CORRUPT_APPROACH from OCG {o['urn']} prisoner:{pn} to the staff member graded {se}/{ie} (hmpps, {w1})"
            ]
        else:
            f = self.persons[r.choice(o["persons"])]
            self.link(
                "staff",
                st["sn"],
                "person",
                f["ref"],
                lt,
                w1,
                se,
                ie,
                handling="C",
                agency="police",
                summary="Payments from the person's account to the staff member's account",
            )
            ev = [
                f"FINANCIAL link staff -> OCG {o['urn']} person:{f['ref']} graded {se}/{ie} (police, handling C, {w1})"
            ]
        # independent weak corroboration
        c = r.choice(["calls", "second_report", "calls"])
        if c == "calls":
            vs = [v for v in self.visitors_of(pn) if v["phone"]]
            ph = self.ensure_phone(st)
            if vs:
                v = r.choice(vs)
                t = self.cdr(
                    ph,
                    v["phone"],
                    r.randint(3, 6),
                    w1 - timedelta(days=90),
                    w1 + timedelta(days=120),
                    "evening",
                    dur=(15, 200),
                )
                ev.append(
                    f"{len(t)} CDR calls between staff declared phone {ph} and visitor:{v['vref']} of prisoner:{pn}"
                )
            else:
                m = self.persons[r.choice(o["persons"])]
                t = self.cdr(
                    ph, m["phone"], r.randint(3, 5), w1 - timedelta(days=90), w1 + timedelta(days=120), "evening"
                )
                ev.append(f"{len(t)} CDR calls between staff declared phone {ph} and OCG person:{m['ref']}")
        else:
            w2 = self.rdate(w1 + timedelta(days=20), WEND)
            self.link(
                "person",
                self.persons[r.choice(o["persons"])]["ref"],
                "staff",
                st["sn"],
                "ASSOCIATE_OF",
                w2,
                3,
                "C",
                agency="police",
                summary="Officer seen meeting a group member outside a gym",
            )
            ev.append(f"an independent ASSOCIATE_OF report from police graded 3/C ({w2})")
        self.add_corrupt(st, "intelligence_corroborated", ev, o)
        return st

    def plant_colleague(self, corrupt):
        r = self.rng
        cands = [c for c in corrupt if c and c.get("phone") and c.get("corrupt_since")]
        if not cands:
            return None
        a_st = r.choice(cands)
        est = self.staff_est(a_st)
        st = self.pick_staff(est, ["Prison Officer", "OSG", "Supervising Officer"])
        if not st:
            return None
        ph = self.ensure_phone(st)
        start = a_st["corrupt_since"] + timedelta(days=r.randint(20, 90))
        n = r.randint(22, 40)
        k = int(n * r.uniform(0.45, 0.65))
        t = self.cdr(ph, a_st["phone"], k, start, WEND, r.choice(["late", "unsocial"]), dur=(20, 400))
        t += self.cdr(ph, a_st["phone"], n - k, start, WEND, "social", dur=(20, 400))
        kind = next(e["kind"] for e in self.truth["corrupt_staff"] if e["staff_id"] == f"staff:{a_st['sn']}")
        ev = [
            f"{len(t)} CDR calls {self.fmt_span(t)} with corrupt colleague staff:{a_st['sn']} ({kind}), "
            f"{k} of them late at night",
            "no rota or shift reason: neither works nights; contact begins after the "
            "colleague's first contact with the OCG",
            "few other outside contacts",
        ]
        st["night"] = a_st["night"] = False
        o = next(
            x
            for x in self.ocgs
            if x["urn"] == next(e["ocg"] for e in self.truth["corrupt_staff"] if e["staff_id"] == f"staff:{a_st['sn']}")
        )
        self.add_corrupt(st, "colleague_drawn_in", ev, o)
        return st

    def plant_cross_establishment(self):
        r = self.rng
        for o in r.sample(self.ocgs, len(self.ocgs)):
            held = {p["est"] for pn in o["prisoners"] for p in self.prisoners[pn]["periods"]}
            st = self.pick_staff(
                None, ["Prison Officer", "OSG", "Healthcare", "Supervising Officer"], exclude_ests=held
            )
            if st:
                break
        else:
            return None
        ph = self.ensure_phone(st)
        pn = r.choice(o["prisoners"])
        vs = [v for v in self.visitors_of(pn) if v["phone"]]
        a, b = self.corruption_span(st)
        ev = []
        if vs:
            v = r.choice(vs)
            t = self.cdr(ph, v["phone"], r.randint(6, 10), a, b, r.choice(["evening", "late"]), dur=(15, 300))
            ev.append(
                f"{len(t)} CDR calls {self.fmt_span(t)} between staff declared phone {ph} and visitor:{v['vref']}'s "
                f"phone, who visits OCG {o['urn']} prisoner:{pn} at {self.window_periods(pn)[-1][0]}"
            )
        else:
            m = self.persons[o["persons"][0]]
            t = self.cdr(ph, m["phone"], r.randint(6, 10), a, b, "late", dur=(15, 300))
            ev.append(f"{len(t)} CDR calls with OCG person:{m['ref']}")
        m = self.persons[r.choice(o["persons"])]
        se, ie = self.grade([((3, "C"), 2), ((2, "C"), 1)])
        w = self.rdate(a, b)
        self.link("staff", st["sn"], "person", m["ref"], "ASSOCIATE_OF", w, se, ie, agency="police")
        ev.append(f"ASSOCIATE_OF staff -> OCG {o['urn']} person:{m['ref']} graded {se}/{ie} ({w})")
        ev.append(f"staff's posts: {sorted(self.staff_ests(st))}; OCG {o['urn']} members held only at {sorted(held)}")
        self.add_corrupt(st, "cross_establishment", ev, o)
        return st

    def plant_corruption(self):
        r = self.rng
        base = [
            "direct_calls",
            "intermediary",
            "attributed_phone",
            "shared_postcode",
            "identity",
            "intelligence_corroborated",
            "cross_establishment",
        ]
        if self.size == "standard":
            plan = [(k, "") for k in base]
            extras = [
                ("intermediary", "3"),
                ("identity", "former_prisoner"),
                ("direct_calls", "phone_switch"),
                ("direct_calls", "pin_list"),
                ("shared_postcode", ""),
                ("intelligence_corroborated", ""),
                ("attributed_phone", ""),
            ]
            plan += r.sample(extras, r.randint(2, 4))
            colleague = True
        else:
            plan = [("direct_calls", "")] + [(k, "") for k in r.sample(base[1:], r.randint(2, 3))]
            colleague = True
        done = []
        for kind, var in plan:
            st = None
            if kind == "direct_calls":
                st = self.plant_direct_calls(var)
            elif kind == "intermediary":
                st = self.plant_intermediary(
                    3 if var == "3" else (2 if self.size == "small" or r.random() < 0.6 else 3)
                )
            elif kind == "attributed_phone":
                st = self.plant_attributed_phone()
            elif kind == "shared_postcode":
                st = self.plant_shared_postcode()
            elif kind == "identity":
                st = self.plant_identity(var or "visitor")
            elif kind == "intelligence_corroborated":
                st = self.plant_intel()
            elif kind == "cross_establishment":
                st = self.plant_cross_establishment()
            if st is None:
                print(f"warning: could not plant {kind}", file=sys.stderr)
            done.append(st)
        if colleague:
            self.plant_colleague(done)

    # ------------------------------------------------------------------ decoys
    def add_decoy(self, st, kind, note=""):
        self.truth["decoys"].append(
            dict(
                staff_id=f"staff:{st['sn']}",
                kind=kind,
                note=note,
                establishment=self.staff_est(st),
                role=st["posts"][-1]["role"],
            )
        )

    def ocg_visitor_phones(self, o=None):
        out = []
        for x in [o] if o else self.ocgs:
            out += [self.visitors[v] for v in x["visitors"] if self.visitors[v]["phone"]]
        return out

    def plant_decoys(self):
        r = self.rng
        std = self.size == "standard"

        def n(k_std, k_small):
            return k_std if std else k_small

        # heavy users of taxi firms / bookmakers / GP that OCG members and hundreds of families ring
        for _ in range(n(4, 1)):
            st = self.pick_staff(None, None, need_phone=True)
            if not st:
                continue
            reg = self.est[self.staff_est(st)]["region"]
            a, b = self.staff_active(st)
            cs = [c[0] for c in self.common[reg] if c[1] in ("taxi firm", "bookmaker", "takeaway", "GP surgery")]
            for c in r.sample(cs, min(3, len(cs))):
                self.cdr(
                    st["phone"], c, r.randint(12, 40), a, b, r.choice(["social", "late"]), dur=(20, 180), both=False
                )
            self.add_decoy(st, "common_number_caller", "rings local taxi firms/bookmaker/GP that OCG members also ring")
        # a large block of flats
        est = self.estabs[0]
        region = est["region"]
        area = REGIONS[region]["areas"][0]
        block = self.postcode(region, area=area, reuse=0)
        movers = []
        for o in self.ocgs:
            if o["region"] == region:
                movers += [self.visitors[v] for v in o["visitors"][:2]]
        movers = [v for v in movers if len(self.used_pc.get(v["postcode"], [])) <= 1][:3]
        if not movers:
            movers = [self.visitors[v] for o in self.ocgs for v in o["visitors"][:1]][:2]
        for v in movers:
            self.unhold_pc(v["postcode"], ("visitor", v["vref"]))
            v["postcode"] = block
            self.hold_pc(block, ("visitor", v["vref"]))
        ocg_block_visitors = [v["vref"] for v in movers]
        others = [
            v
            for v in self.visitors.values()
            if v["region"] == region
            and v["vref"] not in ocg_block_visitors
            and len(self.used_pc.get(v["postcode"], [])) <= 1
        ]
        others = r.sample(others, min(len(others), self.P["block_households"] // 2))
        for v in others:
            self.unhold_pc(v["postcode"], ("visitor", v["vref"]))
            v["postcode"] = block
            self.hold_pc(block, ("visitor", v["vref"]))
        while len(self.used_pc[block]) < self.P["block_households"]:
            self.new_person(region, postcode=block, pnc=r.random() < 0.5)
        for _ in range(n(3, 1)):
            st = self.pick_staff(est["code"], None)
            if not st:
                continue
            self.unhold_pc(st["postcode"], ("staff", st["sn"]))
            st["postcode"] = block
            self.hold_pc(block, ("staff", st["sn"]))
            self.add_decoy(
                st,
                "large_block_of_flats",
                f"lives in {block}, a block of {len(self.used_pc[block])}+ records "
                f"including OCG visitors {ocg_block_visitors}",
            )
        self.truth["large_block_postcode"] = block
        # chaplains and family liaison officers: many contacts with families, in duty hours
        for role, kind in [("Chaplaincy", "chaplaincy_duty"), ("Family Liaison", "family_liaison_duty")]:
            for _ in range(n(2, 1)):
                st = self.pick_staff(None, [role])
                if not st:
                    continue
                self.ensure_phone(st)
                e = self.staff_est(st)
                fams = [
                    v
                    for v in self.visitors.values()
                    if v["phone"] and any(any(w[0] == e for w in self.window_periods(x["pn"])) for x in v["prisoners"])
                ]
                fams = r.sample(fams, min(len(fams), r.randint(20, 50) if std else r.randint(8, 15)))
                ov = [
                    v
                    for v in self.ocg_visitor_phones()
                    if any(any(w[0] == e for w in self.window_periods(x["pn"])) for x in v["prisoners"])
                ]
                fams += ov[:3]
                a, b = self.staff_active(st)
                for v in fams:
                    self.cdr(st["phone"], v["phone"], r.randint(1, 4), a, b, "office", dur=(60, 900))
                self.add_decoy(
                    st,
                    kind,
                    f"duty calls, office hours, with {len(fams)} prisoners' families incl. "
                    f"{len(ov[:3])} OCG members' visitors",
                )
        # declared relative who is an OCG member
        for i in range(n(2, 1)):
            o = r.choice(self.ocgs)
            if i == 0:
                m = self.persons[r.choice(o["persons"][1:] or o["persons"])]
                st = self.pick_staff(None, ["Prison Officer", "OSG", "Administration", "Healthcare"], need_phone=True)
                if not st:
                    continue
                st["surname"] = m["surname"]
                self.link(
                    "staff",
                    st["sn"],
                    "person",
                    m["ref"],
                    "FAMILY_OF",
                    date(2019, 5, 1),
                    1,
                    "A",
                    agency="hmpps",
                    ref=self.nid("DECL-", 5),
                    summary="Declared by the staff member (conflict of interest form): brother",
                )
                a, b = self.staff_active(st)
                self.cdr(
                    st["phone"], m["phone"], r.randint(14, 30), a, b, r.choice(["evening", "social"]), dur=(60, 1500)
                )
                self.add_decoy(
                    st,
                    "declared_relative",
                    f"FAMILY_OF 1/A (declared) with OCG {o['urn']} person:{m['ref']}; "
                    "ordinary family calls, evenings and weekends",
                )
            else:
                pn = r.choice(o["prisoners"][1:] or o["prisoners"])
                p = self.prisoners[pn]
                held = {e for e, _, _ in self.window_periods(pn)}
                st = self.pick_staff(
                    None, ["Prison Officer", "OSG", "Administration", "Healthcare", "Instructor"], exclude_ests=held
                )
                if not st:
                    continue
                st["surname"] = p["surname"]
                v = self.new_visitor(
                    st["surname"], st["forenames"], st["dob"], st["postcode"], st["gender"], region=o["region"]
                )
                self.relate(v, pn, "sister" if st["gender"] == "F" else "brother", 1)
                v["prisoners"][-1]["fixed"] = r.randint(3, 7)
                self.link(
                    "staff",
                    st["sn"],
                    "prisoner",
                    pn,
                    "FAMILY_OF",
                    date(2020, 2, 1),
                    1,
                    "A",
                    agency="hmpps",
                    ref=self.nid("DECL-", 5),
                    summary="Declared by the staff member: sibling in custody",
                )
                ph = self.ensure_phone(st)
                k = len(self.pin_to(pn, ph, r.randint(8, 20), WSTART, WEND))
                self.add_decoy(
                    st,
                    "declared_relative",
                    f"declared sibling of OCG {o['urn']} prisoner:{pn}; visits as "
                    f"visitor:{v['vref']} (same name/dob/postcode) at another "
                    f"establishment; {k} PIN calls from the sibling to the staff phone",
                )
        # declared partner who visits her/his own brother, an OCG prisoner: shared address, declared
        if std:
            o = r.choice(self.ocgs)
            pn = r.choice(o["prisoners"])
            held = {e for e, _, _ in self.window_periods(pn)}
            st = self.pick_staff(None, ["Prison Officer", "OSG", "Healthcare", "Administration"], exclude_ests=held)
            if st:
                p = self.prisoners[pn]
                g = "F" if st["gender"] == "M" else "M"
                s_, f_, g = self.name(g, surname=p["surname"])
                v = self.new_visitor(
                    s_, f_, self.dob(22, 50), st["postcode"], g, phone=self.mobile(), region=o["region"]
                )
                self.phone(v["phone"], "visitor", v["vref"], "pin_list", first=WSTART, se=1, ie="A")
                self.relate(v, pn, "sister" if g == "F" else "brother", 2)
                self.link(
                    "staff",
                    st["sn"],
                    "visitor",
                    v["vref"],
                    "SHARES_ADDRESS",
                    date(2021, 3, 1),
                    1,
                    "A",
                    agency="hmpps",
                    ref=self.nid("DECL-", 5),
                    summary="Declared partner (conflict of interest declaration)",
                )
                self.link(
                    "staff",
                    st["sn"],
                    "prisoner",
                    pn,
                    "FAMILY_OF",
                    date(2021, 3, 1),
                    1,
                    "A",
                    agency="hmpps",
                    ref=self.nid("DECL-", 5),
                    summary="Declared: partner's brother in custody (in-law)",
                )
                if st["phone"]:
                    self.cdr(
                        st["phone"], v["phone"], r.randint(30, 60), *self.staff_active(st), "social", dur=(20, 900)
                    )
                self.add_decoy(
                    st,
                    "declared_relative",
                    f"lives with declared partner visitor:{v['vref']}, sibling of OCG "
                    f"{o['urn']} prisoner:{pn} (declared, 1/A)",
                )
        # malicious intelligence graded E
        for _ in range(n(3, 1)):
            est_c = self.est_with_ocg()
            o, pris = self.ocg_at(est_c)
            st = self.pick_staff(est_c, ["Prison Officer", "Supervising Officer", "OSG"])
            if not st:
                continue
            for _j in range(r.randint(1, 3)):
                se = r.choice([2, 3, 3])
                lt = r.choice(["CORRUPT_APPROACH", "ASSOCIATE_OF", "CORRUPT_APPROACH"])
                src = (
                    r.choice(pris)
                    if r.random() < 0.6
                    else r.choice([pn for pn in self.prisoners if self.est_at(pn, WEND) == est_c] or pris)
                )
                self.link(
                    "prisoner",
                    src,
                    "staff",
                    st["sn"],
                    lt,
                    self.rdate(WSTART, WEND),
                    se,
                    "E",
                    agency="hmpps",
                    summary="Prisoner alleges the officer brings items in",
                )
            self.add_decoy(st, "malicious_intelligence", "reports graded E from prisoners about a strict officer")
        # staff with common names that collide with OCG nominals (different dob and postcode)
        for _ in range(n(2, 1)):
            o = r.choice(self.ocgs)
            m = self.persons[r.choice(o["persons"])]
            st = self.pick_staff(None, None)
            if not st:
                continue
            st["surname"], st["forenames"] = m["surname"], m["forenames"].split()[0]
            while abs((st["dob"] - m["dob"]).days) < 400:
                st["dob"] = self.dob(22, 60)
            self.add_decoy(
                st, "common_name", f"same name as OCG {o['urn']} person:{m['ref']}, different dob and postcode"
            )
        # rota and union calls: one colleague rings many
        for _ in range(n(2, 1)):
            st = self.pick_staff(None, ["Prison Officer", "Supervising Officer"], need_phone=True)
            if not st:
                continue
            e = self.staff_est(st)
            peers = [s for s in self.staff.values() if s["phone"] and e in self.staff_ests(s) and s is not st]
            a, b = self.staff_active(st)
            for p in r.sample(peers, min(len(peers), r.randint(25, 45) if std else 8)):
                self.cdr(
                    st["phone"],
                    p["phone"],
                    r.randint(1, 6),
                    a,
                    b,
                    r.choice(["social", "preshift", "office"]),
                    dur=(30, 600),
                )
            self.add_decoy(st, "rota_union", "union representative / detail office: calls with many colleagues")
        # night-shift colleagues ringing each other at night
        for _ in range(n(1, 1)):
            s1 = self.pick_staff(None, ["Prison Officer", "OSG"], need_phone=True)
            if not s1:
                continue
            s2 = self.pick_staff(self.staff_est(s1), ["Prison Officer", "OSG"], need_phone=True)
            if not s2:
                continue
            s1["night"] = s2["night"] = True
            a = max(self.staff_active(s1)[0], self.staff_active(s2)[0])
            b = min(self.staff_active(s1)[1], self.staff_active(s2)[1])
            self.cdr(s1["phone"], s2["phone"], r.randint(20, 45), a, b, r.choice(["nightshift", "late"]), dur=(20, 900))
            self.add_decoy(s1, "night_shift_colleagues", f"night-shift pair with staff:{s2['sn']}")
            self.add_decoy(s2, "night_shift_colleagues", f"night-shift pair with staff:{s1['sn']}")
        # staff transferred between establishments (an OCG held at the earlier one)
        if std:
            tr = [
                s
                for s in self.staff.values()
                if len({p["est"] for p in s["posts"]}) > 1 and s["sn"] not in self.staff_used
            ]
            for st in r.sample(tr, min(2, len(tr))):
                self.staff_used.add(st["sn"])
                self.ensure_phone(st)
                old = st["posts"][0]["est"]
                peers = [s for s in self.staff.values() if s["phone"] and old in self.staff_ests(s) and s is not st]
                for p in r.sample(peers, min(4, len(peers))):
                    self.cdr(st["phone"], p["phone"], r.randint(2, 8), WSTART, WEND, "social")
                self.add_decoy(
                    st, "transferred", f"posts at {old} then {st['posts'][-1]['est']}; keeps calling old colleagues"
                )
            # threatened by an OCG (victim, not accomplice)
            est_c = self.est_with_ocg()
            o, pris = self.ocg_at(est_c)
            st = self.pick_staff(est_c, ["Prison Officer", "OSG"])
            if st:
                self.link(
                    "prisoner",
                    r.choice(pris),
                    "staff",
                    st["sn"],
                    "THREATENED",
                    self.rdate(WSTART, WEND),
                    2,
                    "B",
                    agency="hmpps",
                    summary="Threats to the officer and family after a cell search",
                )
                self.add_decoy(st, "threatened_by_ocg", f"THREATENED 2/B from OCG {o['urn']} prisoner (victim)")
            # reported an approach herself/himself
            est_c = self.est_with_ocg()
            o, pris = self.ocg_at(est_c)
            st = self.pick_staff(est_c, ["Prison Officer", "OSG", "Healthcare"])
            if st:
                self.link(
                    "prisoner",
                    r.choice(pris),
                    "staff",
                    st["sn"],
                    "CORRUPT_APPROACH",
                    self.rdate(WSTART, WEND),
                    1,
                    "A",
                    agency="hmpps",
                    ref=self.nid("SIR-", 6),
                    summary="Officer reported being asked to bring in a phone (security information report)",
                )
                self.add_decoy(st, "self_reported_approach", "the approach was reported by the staff member (1/A SIR)")
            # one call, once
            st = self.pick_staff(None, None, need_phone=True)
            ov = self.ocg_visitor_phones()
            if st and ov:
                v = r.choice(ov)
                self.cdr(st["phone"], v["phone"], 1, *self.staff_active(st), "day", dur=(40, 200))
                self.add_decoy(
                    st, "one_off_call", f"a single daytime call with OCG visitor:{v['vref']} (selling a car)"
                )
            # an innocent second phone known to intelligence
            st = self.pick_staff(None, None)
            if st:
                p2 = self.mobile()
                self.phone(p2, "staff", st["sn"], "intelligence", se=2, ie="B", agency="police")
                reg = self.est[self.staff_est(st)]["region"]
                fam = [self.mobile() for _ in range(3)]
                for x in fam + self.common_for(reg, 2):
                    self.cdr(p2, x, r.randint(3, 15), *self.staff_active(st), "social")
                self.add_decoy(
                    st, "innocent_second_phone", "a second personal phone known to police (2/B); family calls only"
                )
            # mistaken attribution: single low-graded report gives a staff member an OCG associate's number
            st = self.pick_staff(None, None)
            o = r.choice(self.ocgs)
            m = self.persons[r.choice(o["persons"])]
            if st:
                self.phone(m["phone"], "staff", st["sn"], "intelligence", se=3, ie="D", handling="C", agency="police")
                self.add_decoy(
                    st,
                    "mistaken_attribution",
                    f"OCG person:{m['ref']}'s number attributed to the staff member by one 3/D report",
                )

    def plant_non_ocg_associations(self):
        r = self.rng
        for _ in range(3 if self.size == "standard" else 1):
            st = self.pick_staff(None, None)
            if not st:
                continue
            q = self.persons[r.choice(self.background_persons)]
            se, ie = self.grade([((3, "C"), 3), ((2, "C"), 2), ((3, "D"), 1)])
            self.link(
                "staff",
                st["sn"],
                "person",
                q["ref"],
                "ASSOCIATE_OF",
                self.rdate(WSTART, WEND),
                se,
                ie,
                agency="police",
                summary="Seen socialising with the nominal",
            )
            self.add_decoy(
                st, "association_non_ocg", f"ASSOCIATE_OF {se}/{ie} with person:{q['ref']}, a nominal in no OCG"
            )

    def flag_chance_lookalikes(self):
        """innocent staff whom the random background happened to put near an OCG: listed as decoys"""
        ocg_v = {v for o in self.ocgs for v in o["visitors"]}
        ocg_p = {p for o in self.ocgs for p in o["persons"]}
        corrupt = {e["staff_id"] for e in self.truth["corrupt_staff"]}
        listed = corrupt | {d["staff_id"] for d in self.truth["decoys"]}
        for st in self.staff.values():
            sid = f"staff:{st['sn']}"
            if sid in listed:
                continue
            hold = self.used_pc.get(st["postcode"], [])
            near = [h for h in hold if (h[0] == "visitor" and h[1] in ocg_v) or (h[0] == "person" and h[1] in ocg_p)]
            if near:
                self.add_decoy(
                    st,
                    "chance_shared_postcode",
                    f"postcode {st['postcode']} ({len(hold)} records) happens to be shared with "
                    f"{near[0][0]}:{near[0][1]} of an OCG; no other trace",
                )
                listed.add(sid)
        for sn, vref in self.chance_contacts:
            sid = f"staff:{sn}"
            if vref in ocg_v and sid not in listed:
                self.add_decoy(
                    self.staff[sn],
                    "chance_contact",
                    f"1-3 background calls with OCG visitor:{vref} (small-town overlap)",
                )
                listed.add(sid)

    # ------------------------------------------------------------------ output
    def write(self, out: Path):
        out.mkdir(parents=True, exist_ok=True)

        def w(name, cols, rows, bom=False):
            with open(out / name, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
                wr = csv.writer(fh)
                wr.writerow(cols)
                for row in rows:
                    wr.writerow(["" if row.get(c) is None else row.get(c) for c in cols])
            return len(rows)

        sizes = {}
        sizes["establishments.csv"] = w(
            "establishments.csv",
            ["establishment_code", "name", "region", "category"],
            [
                dict(establishment_code=e["code"], name=e["name"], region=e["region"], category=e["category"])
                for e in self.estabs
            ],
        )
        prow = []
        for p in self.prisoners.values():
            for per in p["periods"]:
                prow.append(
                    dict(
                        prison_number=p["pn"],
                        surname=p["surname"],
                        forenames=p["forenames"],
                        dob=ds(p["dob"]),
                        gender=p["gender"],
                        pnc_id=p["pnc"],
                        establishment_code=per["est"],
                        reception_date=ds(per["from"]),
                        release_date=ds(per["to"]),
                        cell_location=per["cell"],
                    )
                )
        sizes["prisoners.csv"] = w(
            "prisoners.csv",
            [
                "prison_number",
                "surname",
                "forenames",
                "dob",
                "gender",
                "pnc_id",
                "establishment_code",
                "reception_date",
                "release_date",
                "cell_location",
            ],
            prow,
        )
        srow = []
        for s in self.staff.values():
            for p in s["posts"]:
                srow.append(
                    dict(
                        staff_number=s["sn"],
                        surname=s["surname"],
                        forenames=s["forenames"],
                        dob=ds(s["dob"]),
                        establishment_code=p["est"],
                        role=p["role"],
                        start_date=ds(p["from"]),
                        end_date=ds(p["to"]),
                        home_postcode=s["postcode"],
                    )
                )
        sizes["staff.csv"] = w(
            "staff.csv",
            [
                "staff_number",
                "surname",
                "forenames",
                "dob",
                "establishment_code",
                "role",
                "start_date",
                "end_date",
                "home_postcode",
            ],
            srow,
        )
        sizes["persons.csv"] = w(
            "persons.csv",
            ["person_ref", "surname", "forenames", "dob", "pnc_id", "postcode"],
            [
                dict(
                    person_ref=p["ref"],
                    surname=p["surname"],
                    forenames=p["forenames"],
                    dob=ds(p["dob"]),
                    pnc_id=p["pnc"],
                    postcode=p["postcode"],
                )
                for p in self.persons.values()
            ],
        )
        sizes["visits.csv"] = w(
            "visits.csv",
            [
                "visit_id",
                "visit_date",
                "establishment_code",
                "prison_number",
                "visitor_ref",
                "visitor_surname",
                "visitor_forenames",
                "visitor_dob",
                "visitor_postcode",
                "relationship",
            ],
            self.visit_rows,
            bom=True,
        )
        gcols = ["source_eval", "intel_eval", "handling", "handling_conditions", "originating_agency"]
        sizes["phones.csv"] = w(
            "phones.csv",
            ["phone_number", "subject_type", "subject_id", "attribution_source", "first_seen", "last_seen", *gcols],
            self.phone_rows,
        )
        sizes["ocgs.csv"] = w(
            "ocgs.csv",
            ["ocg_urn", "name", "band", "primary_crime"],
            [dict(ocg_urn=o["urn"], name=o["name"], band=o["band"], primary_crime=o["crime"]) for o in self.ocgs],
        )
        sizes["ocg_members.csv"] = w(
            "ocg_members.csv", ["ocg_urn", "subject_type", "subject_id", "role", "since", *gcols], self.ocg_member_rows
        )
        self.calls.sort(key=lambda c: ({"pin": 0, "cdr": 1, "handset_download": 2}[c[0]], c[4]))
        pref = {"pin": "PIN", "cdr": "CDR", "handset_download": "HSD"}
        with open(out / "calls.csv", "w", newline="", encoding="utf-8") as fh:
            wr = csv.writer(fh)
            wr.writerow(
                [
                    "call_id",
                    "caller_number",
                    "caller_prison_number",
                    "callee_number",
                    "started_at",
                    "duration_seconds",
                    "call_source",
                    "establishment_code",
                    "privileged",
                ]
            )
            for i, c in enumerate(self.calls, 1):
                wr.writerow(
                    [
                        f"{pref[c[0]]}-{i:07d}",
                        self.spell(c[1]) if c[1] else "",
                        c[2],
                        self.spell(c[3]),
                        ts(c[4]),
                        c[5],
                        c[0],
                        c[6],
                        c[7],
                    ]
                )
        sizes["calls.csv"] = len(self.calls)
        sizes["links.csv"] = w(
            "links.csv",
            ["from_type", "from_id", "to_type", "to_id", "link_type", "date", "source_ref", *gcols, "summary"],
            self.link_rows,
        )
        sizes["resolutions.csv"] = w(
            "resolutions.csv",
            ["left_type", "left_id", "right_type", "right_id", "decision", "decided_by", "decided_at"],
            self.resolution_rows,
        )
        priv = sum(1 for c in self.calls if c[7] == "Y")
        by_src = {}
        for c in self.calls:
            by_src[c[0]] = by_src.get(c[0], 0) + 1
        self.truth["sizes"] = sizes
        self.truth["calls_by_source"] = by_src
        self.truth["privileged_calls"] = priv
        self.truth["window"] = [ds(WSTART), ds(WEND)]
        self.truth["ocgs"] = [
            dict(
                ocg_urn=o["urn"],
                name=o["name"],
                held_at=o["held"],
                members=[f"prisoner:{x}" for x in o["prisoners"]] + [f"person:{x}" for x in o["persons"]],
            )
            for o in self.ocgs
        ]
        with open(out / "truth.json", "w", encoding="utf-8") as fh:
            json.dump(self.truth, fh, indent=1, ensure_ascii=False, default=str)
        return sizes


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--size", choices=sorted(SIZES), default="standard")
    a = ap.parse_args(argv)
    t0 = time.time()
    w = World(a.seed, a.size).build()
    sizes = w.write(a.out)
    kinds = {c["kind"] for c in w.truth["corrupt_staff"]}
    if (a.size == "standard" and len(kinds) < 8) or len(w.truth["corrupt_staff"]) < 4:
        print(
            f"warning: only {len(w.truth['corrupt_staff'])} corrupt staff planted, kinds {sorted(kinds)}",
            file=sys.stderr,
        )
    print(
        json.dumps(
            dict(
                seed=a.seed,
                size=a.size,
                out=str(a.out),
                seconds=round(time.time() - t0, 1),
                rows=sizes,
                corrupt=len(w.truth["corrupt_staff"]),
                decoys=len(w.truth["decoys"]),
            )
        )
    )


if __name__ == "__main__":
    main()
