"""Pools the synthetic world draws from: names, places, postcodes, phone numbers.

Everything here is fictitious. Phone numbers come from Ofcom's drama ranges where those
are valid for the ``phonenumbers`` library (geographic 01xx 496 0xxx, 020 7946 0xxx,
028 9649 6xxx, 029 2018 0xxx, freephone 0808 157 0xxx, 03069 990xxx); mobile numbers
(Ofcom's 07700 900xxx drama block is *not* valid for ``phonenumbers``) are drawn from
the 07701-07709 blocks next to it by a seeded permutation, so they are valid GB mobile
numbers once normalised but carry no meaning.
"""

from __future__ import annotations

import random
from typing import TypedDict

SURNAMES: tuple[str, ...] = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Lewis",
    "James",
    "Phillips",
    "Mason",
    "Mitchell",
    "Rose",
    "Davis",
    "Rodgers",
    "Cooper",
    "Morris",
    "Ward",
    "King",
    "Baker",
    "Harris",
    "Turner",
    "Edwards",
    "Hughes",
    "Allen",
    "Carter",
    "Parker",
    "Collins",
    "Bennett",
    "Murphy",
    "Cook",
    "Bell",
    "Shaw",
    "Richardson",
    "Reid",
    "Campbell",
    "Kelly",
    "Lee",
    "Ali",
    "Hussain",
    "Begum",
    "Ahmed",
    "Singh",
    "Kaur",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Owusu",
    "Boateng",
    "Nwosu",
    "Achterberg",
    "O'Brien",
    "O'Connor",
    "McDonald",
    "McCarthy",
    "Gallagher",
    "Doherty",
    "Quinn",
    "Byrne",
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Popescu",
    "Ionescu",
    "Silva",
    "Santos",
    "Ferreira",
    "Costa",
    "Rossi",
    "Russo",
    "Brennan",
    "Fletcher",
    "Barnes",
    "Holmes",
    "Lloyd",
    "Price",
    "Watson",
    "Hunt",
    "Stevens",
    "Marshall",
    "Simpson",
    "Harrison",
    "Gibson",
    "Ellis",
    "Grant",
    "Graham",
    "Hamilton",
    "Kennedy",
    "Henderson",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Palmer",
    "Mills",
    "Nicholls",
    "Knight",
    "Butler",
    "Russell",
    "Lawrence",
    "Fox",
    "Chapman",
    "Dixon",
    "Hart",
    "Hunter",
    "Saunders",
    "Payne",
    "Pearson",
    "Day",
    "Hayes",
    "Armstrong",
    "Ford",
    "Lowe",
    "Dean",
    "Burton",
    "Moss",
    "Lamb",
    "Black",
    "Spencer",
    "Stone",
    "Harvey",
    "Andrews",
    "Wells",
    "Reynolds",
    "Matthews",
    "Griffiths",
    "Jenkins",
    "Morgan",
    "Owen",
    "Pritchard",
    "Vaughan",
    "Rees",
    "Francis",
    "Joseph",
    "Campbell-Reid",
    "Mahmood",
    "Iqbal",
    "Rahman",
    "Uddin",
    "Chowdhury",
    "Miah",
    "Sharma",
    "Gill",
    "Sandhu",
    "Thomson",
    "Clark",
    "Smyth",
    "Reed",
    "Phillipps",
    "Muhammad",
    "Mohammed",
    "Addo",
    "Asante",
    "Bailey",
    "Goldsmith",
    "Hewitt",
    "Kirby",
    "Lambert",
    "Nash",
    "Osei",
    "Pike",
    "Quigley",
    "Rowe",
    "Sutton",
    "Tucker",
    "Vincent",
    "Whitfield",
    "Yates",
    "Zielinski",
    "Dvořák",
)

MALE_FORENAMES: tuple[str, ...] = (
    "Jonathan",
    "Michael",
    "William",
    "Robert",
    "Daniel",
    "Thomas",
    "Anthony",
    "Christopher",
    "James",
    "Joseph",
    "Matthew",
    "Stephen",
    "Richard",
    "Edward",
    "Alexander",
    "Nicholas",
    "Benjamin",
    "Samuel",
    "Andrew",
    "David",
    "Kenneth",
    "Ronald",
    "Terence",
    "Lee",
    "Jason",
    "Craig",
    "Dean",
    "Wayne",
    "Darren",
    "Ryan",
    "Liam",
    "Connor",
    "Jordan",
    "Kieran",
    "Reece",
    "Tyrone",
    "Marcus",
    "Jermaine",
    "Delroy",
    "Mohammed",
    "Imran",
    "Tariq",
    "Arjun",
    "Harpreet",
    "Kwame",
    "Chinedu",
    "Oluwaseun",
    "Piotr",
    "Łukasz",
    "Andrei",
    "Gheorghe",
    "Paulo",
    "Luca",
    "Sean",
    "Patrick",
    "Declan",
    "Callum",
    "Jamal",
    "Kyle",
    "Shane",
    "Bradley",
    "Jake",
    "Adam",
    "Gary",
    "Paul",
    "Mark",
    "Carl",
    "Neil",
    "Stuart",
    "Kevin",
    "Ian",
    "Scott",
    "Aaron",
    "Nathan",
    "Zak",
    "Josh",
    "Tom",
    "Harry",
    "George",
    "Oliver",
    "Charlie",
    "Jack",
    "Ethan",
    "Mason",
)

FEMALE_FORENAMES: tuple[str, ...] = (
    "Katherine",
    "Elizabeth",
    "Margaret",
    "Rebecca",
    "Samantha",
    "Jennifer",
    "Victoria",
    "Patricia",
    "Susan",
    "Sarah",
    "Emma",
    "Laura",
    "Lisa",
    "Michelle",
    "Nicola",
    "Claire",
    "Donna",
    "Tracey",
    "Karen",
    "Joanne",
    "Kelly",
    "Stacey",
    "Gemma",
    "Chantelle",
    "Jade",
    "Shanice",
    "Aisha",
    "Fatima",
    "Nadia",
    "Priya",
    "Amrit",
    "Abena",
    "Chioma",
    "Ngozi",
    "Agnieszka",
    "Zoë",
    "Renée",
    "Siobhán",
    "Ioana",
    "Maria",
    "Ana",
    "Chloe",
    "Megan",
    "Hannah",
    "Amy",
    "Lauren",
    "Charlotte",
    "Sophie",
    "Jessica",
    "Grace",
    "Olivia",
    "Ruby",
    "Danielle",
    "Natalie",
    "Leanne",
    "Carly",
    "Hayley",
    "Kirsty",
    "Debbie",
    "Julie",
    "Paula",
    "Angela",
    "Denise",
    "Sharon",
    "Diane",
    "Christine",
    "Janet",
    "Maureen",
    "Brenda",
    "Jean",
)

MALE_MIDDLE_NAMES: tuple[str, ...] = (
    "Paul",
    "John",
    "James",
    "Lee",
    "Michael",
    "David",
    "Anthony",
    "Junior",
    "Kofi",
    "Ali",
)
FEMALE_MIDDLE_NAMES: tuple[str, ...] = ("Marie", "Louise", "Jane", "Ann", "Elizabeth", "Rose", "May", "Amara")

# Forename -> informal variants used for the same human being in another source.
FORENAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "Jonathan": ("Jon", "Johnny"),
    "Michael": ("Mick", "Mike"),
    "William": ("Bill", "Will"),
    "Robert": ("Rob", "Bob"),
    "Daniel": ("Dan", "Danny"),
    "Thomas": ("Tom", "Tommy"),
    "Anthony": ("Tony", "Ant"),
    "Christopher": ("Chris",),
    "James": ("Jim", "Jamie"),
    "Joseph": ("Joe",),
    "Matthew": ("Matt",),
    "Stephen": ("Steve", "Steven"),
    "Richard": ("Rich", "Ricky"),
    "Edward": ("Ed", "Eddie"),
    "Alexander": ("Alex",),
    "Nicholas": ("Nick", "Nicky"),
    "Benjamin": ("Ben",),
    "Samuel": ("Sam",),
    "Andrew": ("Andy",),
    "David": ("Dave",),
    "Kenneth": ("Ken", "Kenny"),
    "Ronald": ("Ron",),
    "Terence": ("Terry",),
    "Mohammed": ("Mohamed", "Muhammad"),
    "Katherine": ("Kate", "Kathy"),
    "Elizabeth": ("Liz", "Beth"),
    "Margaret": ("Maggie",),
    "Rebecca": ("Becky",),
    "Samantha": ("Sam",),
    "Jennifer": ("Jen", "Jenny"),
    "Victoria": ("Vicky",),
    "Patricia": ("Tricia", "Pat"),
    "Susan": ("Sue",),
    "Joanne": ("Jo",),
    "Nicola": ("Nicky",),
    "Zoë": ("Zoe",),
    "Renée": ("Renee",),
    "Siobhán": ("Siobhan",),
    "Łukasz": ("Lukasz",),
}

# Spelling variants between two records of one surname (beyond generic typos).
SURNAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "Smith": ("Smyth",),
    "Thompson": ("Thomson",),
    "Reid": ("Reed",),
    "Clarke": ("Clark",),
    "Phillips": ("Philips", "Phillipps"),
    "Mohammed": ("Muhammad", "Mohamed"),
    "O'Brien": ("OBrien", "O Brien"),
    "O'Connor": ("OConnor",),
    "McDonald": ("MacDonald",),
    "Wiśniewski": ("Wisniewski",),
    "Dvořák": ("Dvorak",),
    "Hussain": ("Husain",),
    "Campbell-Reid": ("Campbell Reid", "Reid"),
}

MALE_RELATIONSHIPS: tuple[str, ...] = ("father", "brother", "son", "uncle", "cousin", "friend", "partner")
FEMALE_RELATIONSHIPS: tuple[str, ...] = ("mother", "sister", "daughter", "aunt", "cousin", "friend", "partner")

PLACE_PREFIXES: tuple[str, ...] = (
    "Ash",
    "Black",
    "Bram",
    "Cold",
    "Crow",
    "Elm",
    "Fern",
    "Gold",
    "Hawk",
    "Holl",
    "Kings",
    "Lark",
    "Mill",
    "North",
    "Oak",
    "Red",
    "Stone",
    "Thorn",
    "West",
    "Wych",
    "Brook",
    "Castle",
    "Deer",
    "Fox",
    "Glen",
    "Hazel",
    "Iron",
    "Marsh",
    "Pine",
    "Raven",
    "Silver",
    "Wolf",
)
PLACE_SUFFIXES: tuple[str, ...] = (
    "bridge",
    "field",
    "ford",
    "gate",
    "ham",
    "hill",
    "moor",
    "ton",
    "wood",
    "worth",
    "mere",
    "combe",
    "dale",
    "holt",
    "leigh",
    "stead",
)

OCG_NOUNS: tuple[str, ...] = ("Crew", "Firm", "Boys", "Network", "Family", "Mob", "Lines", "Gang")
PRIMARY_CRIMES: tuple[str, ...] = (
    "Drugs supply",
    "County lines",
    "Firearms supply",
    "Money laundering",
    "Organised acquisitive crime",
    "Modern slavery",
    "Fraud",
    "Prison conveyancing",
)
OCG_BANDS: tuple[str, ...] = ("1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C")

ANALYSTS: tuple[str, ...] = (
    "analyst.jones",
    "analyst.okafor",
    "analyst.patel",
    "analyst.murphy",
    "fiu.reid",
    "rocu.desk3",
    "analyst.nowak",
)

HANDLING_CONDITIONS: tuple[str, ...] = (
    "Not for disclosure to establishment staff without LIO authority",
    "Source protection: do not action without consulting originator",
    "Share with police partners only; no onward dissemination",
    "Sanitise before dissemination; originator ref required",
    "Not to be disclosed to the subject or their legal representatives",
)

LINK_NOTES: tuple[str, ...] = (
    "",
    "",
    "",
    "",
    "seen together on visits CCTV",
    "named in intercepted letter",
    "financial transfers via third party",
    "reported by community partner",
    "common address on benefits record",
    "from custody intelligence report",
)


class Region(TypedDict):
    """A region's postcode areas and its landline drama range (area code, local prefix)."""

    areas: tuple[str, ...]
    landline: tuple[str, str]


# Regions: postcode areas and the landline drama range (area code, local prefix).
REGIONS: dict[str, Region] = {
    "London": {
        "areas": ("E", "N", "NW", "SE", "SW", "W", "BR", "CR", "DA", "EN", "HA", "IG", "KT", "RM", "SM", "TW", "UB"),
        "landline": ("020", "7946 0"),
    },
    "Kent, Surrey and Sussex": {"areas": ("BN", "CT", "GU", "ME", "RH", "TN"), "landline": ("0118", "496 0")},
    "South Central": {"areas": ("OX", "PO", "RG", "SL", "SO", "MK"), "landline": ("0118", "496 0")},
    "South West": {"areas": ("BA", "BS", "EX", "GL", "PL", "SN", "TA", "TQ"), "landline": ("0117", "496 0")},
    "East of England": {"areas": ("CB", "CM", "CO", "IP", "LU", "NR", "PE", "SG", "SS"), "landline": ("0116", "496 0")},
    "East Midlands": {"areas": ("DE", "LE", "LN", "NG", "NN"), "landline": ("0116", "496 0")},
    "West Midlands": {"areas": ("B", "CV", "DY", "ST", "WR", "WS", "WV"), "landline": ("0121", "496 0")},
    "Yorkshire and the Humber": {
        "areas": ("BD", "DN", "HD", "HU", "HX", "LS", "S", "WF", "YO"),
        "landline": ("0113", "496 0"),
    },
    "North West": {
        "areas": ("BB", "BL", "CH", "CW", "FY", "L", "LA", "M", "OL", "PR", "SK", "WA", "WN"),
        "landline": ("0161", "496 0"),
    },
    "North East": {"areas": ("DH", "DL", "NE", "SR", "TS"), "landline": ("0191", "498 0")},
    "Wales": {"areas": ("CF", "LL", "NP", "SA"), "landline": ("029", "2018 0")},
}
EXTRA_LANDLINE_RANGES: tuple[tuple[str, str], ...] = (
    ("0114", "496 0"),
    ("0151", "496 0"),
    ("0131", "496 0"),
    ("0141", "496 0"),
    ("028", "9649 6"),
)
FREEPHONE_RANGE: tuple[str, str] = ("0808", "157 0")
NON_GEOGRAPHIC_RANGE: tuple[str, str] = ("0306", "999 0")
MOBILE_PREFIXES: tuple[str, ...] = tuple(f"0770{d}" for d in range(1, 10))

POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def postcode(rng: random.Random, areas: tuple[str, ...]) -> str:
    """A UK-format postcode (canonical form, with one space)."""
    area = rng.choice(areas)
    district = rng.randint(1, 20 if len(area) == 2 else 18)
    return f"{area}{district} {rng.randint(0, 9)}{rng.choice(POSTCODE_UNIT_LETTERS)}{rng.choice(POSTCODE_UNIT_LETTERS)}"


def same_sector_postcode(rng: random.Random, canonical: str) -> str:
    """Another postcode in the same sector (outward code + sector digit)."""
    outward, inward = canonical.split(" ")
    while True:
        candidate = f"{outward} {inward[0]}{rng.choice(POSTCODE_UNIT_LETTERS)}{rng.choice(POSTCODE_UNIT_LETTERS)}"
        if candidate != canonical:
            return candidate


def postcode_as_written(rng: random.Random, canonical: str) -> str:
    """How a clerk might have typed the postcode: mostly canonical, sometimes not."""
    r = rng.random()
    if r < 0.80:
        return canonical
    if r < 0.90:
        return canonical.replace(" ", "")
    if r < 0.96:
        return canonical.lower()
    return canonical.lower().replace(" ", "")


def surname_typo(rng: random.Random, surname: str) -> str:
    """A plausible mis-keying of a surname (known variant, swapped or dropped letter)."""
    if surname in SURNAME_VARIANTS and rng.random() < 0.6:
        return rng.choice(SURNAME_VARIANTS[surname])
    letters = list(surname)
    if len(letters) >= 4:
        i = rng.randint(1, len(letters) - 2)
        if rng.random() < 0.5 and letters[i] != letters[i + 1]:
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
            return "".join(letters)
        return "".join(letters[:i] + letters[i + 1 :])
    return surname + surname[-1]


def forename_variant(rng: random.Random, forenames: str) -> str:
    """An informal or shortened form of the forenames (first name only kept)."""
    first = forenames.split(" ")[0]
    if first in FORENAME_VARIANTS:
        return rng.choice(FORENAME_VARIANTS[first])
    if " " in forenames:
        return first
    return first.upper() if rng.random() < 0.3 else first


def place_names(rng: random.Random, count: int) -> list[str]:
    names = [p + s for p in PLACE_PREFIXES for s in PLACE_SUFFIXES]
    rng.shuffle(names)
    return names[:count]


def establishment_code(name: str, taken: set[str]) -> str:
    """`HMP-` plus three letters from the name, unique among ``taken``."""
    upper = name.upper()
    consonants = [c for c in upper[1:] if c.isalpha() and c not in "AEIOU"]
    candidates = []
    for i in range(len(consonants)):
        for j in range(i + 1, len(consonants)):
            candidates.append(upper[0] + consonants[i] + consonants[j])
    candidates += [upper[0] + a + b for a in LETTERS for b in LETTERS]
    for c in candidates:
        code = f"HMP-{c}"
        if code not in taken and code != UNKNOWN_ESTABLISHMENT:
            taken.add(code)
            return code
    raise ValueError("no free establishment code")


UNKNOWN_ESTABLISHMENT = "HMP-XXX"


class AffineSequence:
    """A seeded permutation of range(size) drawn one value at a time (no big list)."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.size = size
        while True:
            a = rng.randrange(1, size)
            if _gcd(a, size) == 1:
                break
        self.a = a
        self.b = rng.randrange(size)
        self.i = 0

    def next(self) -> int:
        if self.i >= self.size:
            raise ValueError("sequence exhausted")
        value = (self.a * self.i + self.b) % self.size
        self.i += 1
        return value


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def phone_variant(r: float, national: str, landline: bool) -> str:
    """One of the ways a number turns up in exports, from its spaced national form.

    ``national`` is e.g. ``07701 234567`` or ``020 7946 0123``; ``r`` a uniform draw.
    """
    if r < 0.36:
        return national
    compact = national.replace(" ", "")
    if r < 0.52:
        return compact
    if r < 0.66:
        return "+44 " + national[1:]
    if r < 0.80:
        return "+44" + compact[1:]
    if r < 0.90:
        return "44" + compact[1:]
    if landline:
        head, _, rest = national.partition(" ")
        return f"({head}) {rest}"
    return "+44 (0)" + national[1:]


def e164(national: str) -> str:
    return "+44" + national.replace(" ", "")[1:]
