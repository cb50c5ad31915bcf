"""One demo person: name with academic titles, gender, birth date, NIP (PNS) or PPPK number, and a
golongan that fits the position and the years since they entered the service.

A PNS NIP is birth date (YYYYMMDD) + start of CPNS service (YYYYMM) + gender (1/2) + a 3-digit sequence.
A PPPK number is birth date + appointment year + "21" + gender + sequence, the shape numbers issued since
2019 have; the "21" keeps it from ever reading as a PNS NIP."""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from kinerja.demo.catalog import ENTRY_AGE, ENTRY_RANK, PositionTemplate, rank_index
from kinerja.demo.names import NameMix
from kinerja.people.models import PNS_RANKS, EmployeeType

# Fixed, so that the same seed gives the same people whatever day the demo is built.
REFERENCE_DATE = datetime.date(2025, 1, 1)
# Months in which CPNS formations usually start (TMT CPNS).
CPNS_MONTHS = (1, 1, 2, 3, 3, 4, 12)
PPPK_YEARS = (2019, 2021, 2021, 2022, 2022, 2023, 2024)


@dataclass(frozen=True)
class Person:
    full_name: str
    gender: str
    birth_date: datetime.date
    employee_type: str
    nip: str
    rank: str


def _titled(rng: random.Random, name: str, template: PositionTemplate) -> str:
    prefix, suffix = rng.choice(template.titles)
    full = f"{prefix} {name}" if prefix else name
    return f"{full}, {suffix}" if suffix else full


def _birth_date(rng: random.Random, year: int) -> datetime.date:
    return datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))


class PersonFactory:
    """Makes people for one region; remembers the numbers it gave out so none repeats."""

    def __init__(self, rng: random.Random, names: NameMix):
        self.rng = rng
        self.names = names
        self.numbers: set[str] = set()

    def _number(self, head: str, gender: str) -> str:
        digit = "1" if gender == "M" else "2"
        while True:
            number = f"{head}{digit}{self.rng.randint(1, 999):03d}"
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def make(self, template: PositionTemplate, *, pppk_allowed: bool = True) -> Person:
        rng = self.rng
        gender = "F" if rng.random() < template.female_share else "M"
        name = _titled(rng, self.names.draw(rng, gender), template)
        if pppk_allowed and template.pppk_grade and rng.random() < template.pppk_share:
            return self._pppk(template, name, gender)
        return self._pns(template, name, gender)

    def _pns(self, template: PositionTemplate, name: str, gender: str) -> Person:
        rng = self.rng
        entry = rank_index(ENTRY_RANK[template.education])
        low = max(rank_index(template.rank_low), entry)
        target = rng.randint(low, max(rank_index(template.rank_high), low))
        entry_age = rng.randint(*ENTRY_AGE[template.education])
        # A regular promotion comes after four years in a rank, a faster one (by position) after two.
        years = sum(rng.choice((2, 3, 4, 4, 4, 5)) for _ in range(target - entry)) + rng.randint(1, 3)
        years = min(years, template.max_age - entry_age)
        cpns_year = REFERENCE_DATE.year - years
        cpns_month = rng.choice(CPNS_MONTHS)
        birth = _birth_date(rng, cpns_year - entry_age)
        nip = self._number(f"{birth:%Y%m%d}{cpns_year:04d}{cpns_month:02d}", gender)
        return Person(name, gender, birth, EmployeeType.PNS, nip, PNS_RANKS[target])

    def _pppk(self, template: PositionTemplate, name: str, gender: str) -> Person:
        rng = self.rng
        appointed = rng.choice(PPPK_YEARS)
        # Many PPPK were long-serving contract staff before, so they enter older than CPNS do.
        birth = _birth_date(rng, appointed - rng.randint(24, 45))
        number = self._number(f"{birth:%Y%m%d}{appointed:04d}21", gender)
        return Person(name, gender, birth, EmployeeType.PPPK, number, template.pppk_grade)
