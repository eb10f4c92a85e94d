"""The sizes of the synthetic worlds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Scale:
    name: str
    establishments: int
    prisoners: int
    visitors_per_prisoner: float
    staff: int
    persons: int
    calls: int
    ocgs: int
    corrupt_staff: int
    hubs: int
    same_person: int
    not_same: int
    # Regions drawn from (London only for the smaller worlds).
    regions: int = 1
    # Fraction of rows made bad, and the least number per checked file.
    bad_rate: float = 0.005
    min_bad: int = 5
    # Visits per visitor-prisoner pair (mean) and hub sizes.
    hub_prisoners: tuple[int, int] = (10, 25)
    hub_person_prisoners: tuple[int, int] = (8, 16)
    decoy_staff_family: int = 2
    decoy_busy_staff: int = 2
    decoy_postcode_near: int = 2
    decoy_false_allegation: int = 1
    # Harder decoys (issue 12): staff with a declared OCG relative outside, duty roles
    # calling many families, chance co-residence with an OCG visitor, E-graded reports.
    decoy_declared_relative: int = 1
    decoy_duty_contacts: int = 2
    duty_families: tuple[int, int] = (25, 50)
    decoy_chance_coresidence: int = 2
    decoy_false_allegation_e: int = 2
    exact_duplicates: int = 5
    conflicting_duplicates: int = 2
    chunk_size: int = 50_000


# The period the activity (visits, calls) covers.
WINDOW_START = date(2023, 1, 1)
WINDOW_END = date(2024, 12, 31)

SCALES: dict[str, Scale] = {
    "demo": Scale(
        name="demo",
        establishments=3,
        prisoners=300,
        visitors_per_prisoner=2.0,
        staff=120,
        persons=160,
        calls=20_000,
        ocgs=6,
        corrupt_staff=10,
        hubs=3,
        same_person=10,
        not_same=4,
        hub_prisoners=(6, 10),
        hub_person_prisoners=(5, 8),
        duty_families=(12, 20),
        min_bad=5,
        exact_duplicates=4,
        conflicting_duplicates=2,
    ),
    "london": Scale(
        name="london",
        establishments=8,
        prisoners=8_000,
        visitors_per_prisoner=3.1,
        staff=4_000,
        persons=3_000,
        calls=500_000,
        ocgs=60,
        corrupt_staff=30,
        hubs=12,
        same_person=40,
        not_same=12,
        decoy_staff_family=6,
        decoy_busy_staff=6,
        decoy_postcode_near=6,
        decoy_false_allegation=3,
        decoy_declared_relative=3,
        decoy_duty_contacts=6,
        decoy_chance_coresidence=32,
        decoy_false_allegation_e=4,
        exact_duplicates=25,
        conflicting_duplicates=2,
        min_bad=10,
    ),
    "national": Scale(
        name="national",
        establishments=120,
        prisoners=85_000,
        visitors_per_prisoner=3.1,
        staff=42_000,
        persons=30_000,
        calls=5_000_000,
        ocgs=600,
        corrupt_staff=120,
        hubs=120,
        same_person=300,
        not_same=80,
        regions=11,
        decoy_staff_family=60,
        decoy_busy_staff=60,
        decoy_postcode_near=60,
        decoy_false_allegation=25,
        decoy_declared_relative=30,
        decoy_duty_contacts=40,
        decoy_chance_coresidence=320,
        decoy_false_allegation_e=30,
        exact_duplicates=200,
        conflicting_duplicates=20,
        min_bad=10,
        chunk_size=100_000,
    ),
}


def get_scale(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        raise ValueError(f"unknown scale {name!r}; choose one of {', '.join(SCALES)}") from None
