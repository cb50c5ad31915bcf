"""The unit tree of a demo region: regional agencies (OPD) with their bidang, bagian and seksi, schools
under the education agency, health centres under the health agency, and districts (kecamatan) with their
urban villages (kelurahan). The tree shrinks for small demo sizes so every unit still has staff."""
from __future__ import annotations

from dataclasses import dataclass, field

from kinerja.demo.catalog import (
    ADMINISTRATOR,
    CAMAT,
    OPD_HEAD,
    PENGAWAS,
    PRINCIPAL,
    SEKCAM,
    SEKDA,
    HeadLevel,
    PositionTemplate,
    head_template,
)
from kinerja.demo.regions import RegionSpec
from kinerja.people.models import UnitKind, UnitType

SEKDA_UNIT = "SETDA"
SCHOOL_HEAD_CODE = "KEPSEK"


@dataclass(frozen=True)
class UnitPlan:
    code: str
    name: str
    unit_type: str
    kind: str
    parent: str | None
    head: PositionTemplate
    profile: str
    weight: float  # share of the region's staff (not heads) placed in this unit
    min_staff: int = 0


@dataclass(frozen=True)
class SubUnit:
    suffix: str
    name: str
    head_title: str
    profile: str
    level: HeadLevel = ADMINISTRATOR
    weight: float = 2.0
    children: tuple["SubUnit", ...] = ()  # subbagian, kept only at the full size


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    unit_type: str
    head_title: str
    field: str
    profile: str
    subs: tuple[SubUnit, ...]
    level: HeadLevel = OPD_HEAD
    own_weight: float = 0.6  # functional staff reporting straight to the head
    min_own_staff: int = 0


def _secretariat(name: str, head_title: str, with_subdivisions: bool = True) -> SubUnit:
    children = (
        SubUnit("UMPEG", "Subbagian Umum dan Kepegawaian", "Kepala Subbagian Umum dan Kepegawaian", "office",
                PENGAWAS, 1.2),
        SubUnit("KEU", "Subbagian Keuangan dan Aset", "Kepala Subbagian Keuangan dan Aset", "office", PENGAWAS, 1.2),
    ) if with_subdivisions else ()
    return SubUnit("SEK", name, head_title, "office", ADMINISTRATOR, 2.0, children)


def _field(suffix: str, name: str, profile: str, weight: float = 2.0) -> SubUnit:
    return SubUnit(suffix, name, f"Kepala {name}", profile, ADMINISTRATOR, weight)


AGENCIES = (
    Agency(SEKDA_UNIT, "Sekretariat Daerah", UnitType.SECRETARIAT, "Sekretaris Daerah", "general", "office", (
        _field("UMUM", "Bagian Umum", "office"),
        _field("PEM", "Bagian Pemerintahan", "office"),
        _field("HUKUM", "Bagian Hukum", "legal"),
        _field("ORG", "Bagian Organisasi", "office"),
    ), level=SEKDA, own_weight=0),
    Agency("INSPEKTORAT", "Inspektorat Daerah", UnitType.INSPECTORATE, "Inspektur", "audit", "audit", (
        SubUnit("IRBAN1", "Inspektorat Pembantu Wilayah I", "Inspektur Pembantu Wilayah I", "audit",
                ADMINISTRATOR, 3.0),
        _secretariat("Sekretariat Inspektorat", "Sekretaris Inspektorat", with_subdivisions=False),
        SubUnit("IRBAN2", "Inspektorat Pembantu Wilayah II", "Inspektur Pembantu Wilayah II", "audit",
                ADMINISTRATOR, 3.0),
        SubUnit("IRBANSUS", "Inspektorat Pembantu Khusus", "Inspektur Pembantu Khusus", "audit", ADMINISTRATOR, 2.0),
    )),
    Agency("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", UnitType.BADAN,
           "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "hr", "hr", (
               _field("PPIK", "Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian", "hr"),
               _secretariat("Sekretariat Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
                            "Sekretaris Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
               _field("MUTASI", "Bidang Mutasi dan Promosi", "hr"),
               _field("BANGKOM", "Bidang Pengembangan Kompetensi Aparatur", "hr"),
           )),
    Agency("DISDIK", "Dinas Pendidikan", UnitType.DINAS, "Kepala Dinas Pendidikan", "education",
           "education_office", (
               _secretariat("Sekretariat Dinas Pendidikan", "Sekretaris Dinas Pendidikan"),
               _field("SD", "Bidang Pembinaan Sekolah Dasar", "education_office"),
               _field("SMP", "Bidang Pembinaan Sekolah Menengah Pertama", "education_office"),
               _field("PAUD", "Bidang Pendidikan Anak Usia Dini dan Pendidikan Nonformal", "education_office"),
               _field("GTK", "Bidang Guru dan Tenaga Kependidikan", "education_office"),
           )),
    Agency("DINKES", "Dinas Kesehatan", UnitType.DINAS, "Kepala Dinas Kesehatan", "health", "health_office", (
        _secretariat("Sekretariat Dinas Kesehatan", "Sekretaris Dinas Kesehatan"),
        _field("P2P", "Bidang Pencegahan dan Pengendalian Penyakit", "health_office"),
        _field("KESMAS", "Bidang Kesehatan Masyarakat", "health_office"),
        _field("YANKES", "Bidang Pelayanan Kesehatan", "health_office"),
        _field("SDK", "Bidang Sumber Daya Kesehatan", "health_office"),
    ), own_weight=1.0, min_own_staff=1),  # the demo employee login works here, under the demo supervisor
    Agency("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", UnitType.DINAS,
           "Kepala Dinas Kependudukan dan Pencatatan Sipil", "general", "civil_registry", (
               _field("DAFDUK", "Bidang Pelayanan Pendaftaran Penduduk", "civil_registry", 2.5),
               _secretariat("Sekretariat Dinas Kependudukan dan Pencatatan Sipil",
                            "Sekretaris Dinas Kependudukan dan Pencatatan Sipil", with_subdivisions=False),
               _field("CAPIL", "Bidang Pelayanan Pencatatan Sipil", "civil_registry", 2.5),
               _field("PIAK", "Bidang Pengelolaan Informasi Administrasi Kependudukan dan Pemanfaatan Data",
                      "civil_registry"),
           )),
    Agency("DISKOMINFO", "Dinas Komunikasi dan Informatika", UnitType.DINAS,
           "Kepala Dinas Komunikasi dan Informatika", "informatics", "informatics", (
               _field("APTIKA", "Bidang Aplikasi Informatika", "informatics"),
               _secretariat("Sekretariat Dinas Komunikasi dan Informatika",
                            "Sekretaris Dinas Komunikasi dan Informatika", with_subdivisions=False),
               _field("IKP", "Bidang Informasi dan Komunikasi Publik", "informatics"),
               _field("STATSAN", "Bidang Statistik dan Persandian", "informatics"),
           )),
)

DISTRICT_SECTIONS = (("PEM", "Seksi Pemerintahan"), ("YANUM", "Seksi Pelayanan Umum"),
                     ("KESOS", "Seksi Kesejahteraan Sosial"))


@dataclass(frozen=True)
class Scale:
    """How much of the full tree a demo of `total` employees gets."""

    subs_per_agency: int | None  # None: all of them
    subdivisions: bool
    schools: int
    health_centres: int
    districts: int | None
    district_sections: int
    villages_per_district: int

    @classmethod
    def for_total(cls, total: int) -> "Scale":
        if total < 100:
            return cls(1, False, 2, 1, 1, 0, 1)
        if total < 200:
            return cls(2, False, max(2, total // 35), max(1, total // 80), 2, 1, 1)
        return cls(None, True, min(max(total // 25, 4), 16), max(total // 50, 2), None, 2, 2)


@dataclass
class OrganisationPlan:
    units: list[UnitPlan] = field(default_factory=list)

    def add(self, unit: UnitPlan) -> None:
        self.units.append(unit)


def _head(code: str, title: str, level: HeadLevel, field_name: str) -> PositionTemplate:
    return head_template(f"J.{code}", title, level, field_name)


def plan_organisation(spec: RegionSpec, total: int) -> list[UnitPlan]:
    scale = Scale.for_total(total)
    plan = OrganisationPlan()
    for agency in AGENCIES:
        plan.add(UnitPlan(agency.code, agency.name, agency.unit_type, UnitKind.OPD, None,
                          _head(agency.code, agency.head_title, agency.level, agency.field), agency.profile,
                          agency.own_weight, agency.min_own_staff))
        subs = agency.subs if scale.subs_per_agency is None else agency.subs[:scale.subs_per_agency]
        for sub in subs:
            code = f"{agency.code}.{sub.suffix}"
            unit_type = UnitType.SECRETARIAT if sub.suffix == "SEK" else UnitType.OTHER
            plan.add(UnitPlan(code, sub.name, unit_type, UnitKind.SUB_UNIT, agency.code,
                              _head(code, sub.head_title, sub.level, agency.field), sub.profile, sub.weight))
            for child in sub.children if scale.subdivisions else ():
                child_code = f"{code}.{child.suffix}"
                plan.add(UnitPlan(child_code, child.name, UnitType.OTHER, UnitKind.SUB_UNIT, code,
                                  _head(child_code, child.head_title, child.level, agency.field), child.profile,
                                  child.weight))
        if agency.code == "DISDIK":
            _plan_schools(plan, spec, scale.schools)
        if agency.code == "DINKES":
            for number, name in enumerate(spec.health_centres[:scale.health_centres], start=1):
                code = f"DINKES.PKM{number:02d}"
                plan.add(UnitPlan(code, f"Puskesmas {name}", UnitType.HEALTH_CENTRE, UnitKind.SUB_UNIT, "DINKES",
                                  _head(code, f"Kepala Puskesmas {name}", PENGAWAS, "health"), "health_centre",
                                  8.0))
    _plan_districts(plan, spec, scale)
    return plan.units


def _plan_schools(plan: OrganisationPlan, spec: RegionSpec, count: int) -> None:
    principal = head_template(SCHOOL_HEAD_CODE, "Kepala Sekolah", PRINCIPAL, "education")
    primary = (count + 1) // 2
    numbers: dict[tuple[str, str], int] = {}
    for index in range(count):
        level = "SD" if index < primary else "SMP"
        place = spec.school_places[index % len(spec.school_places)]
        numbers[level, place] = numbers.get((level, place), 0) + 1
        number = numbers[level, place]
        label = f"{number:02d}" if level == "SD" else str(number)
        code = f"DISDIK.{level}{index + 1:02d}"
        plan.add(UnitPlan(code, f"{level} Negeri {label} {place}", UnitType.SCHOOL, UnitKind.SUB_UNIT, "DISDIK",
                          principal, "school", 5.0 if level == "SD" else 7.0))


def _plan_districts(plan: OrganisationPlan, spec: RegionSpec, scale: Scale) -> None:
    districts = spec.districts if scale.districts is None else spec.districts[:scale.districts]
    for number, district in enumerate(districts, start=1):
        code = f"KEC{number:02d}"
        plan.add(UnitPlan(code, f"Kecamatan {district.name}", UnitType.KECAMATAN, UnitKind.OPD, None,
                          _head(code, f"Camat {district.name}", CAMAT, "general"), "district", 0))
        plan.add(UnitPlan(f"{code}.SEK", f"Sekretariat Kecamatan {district.name}", UnitType.SECRETARIAT,
                          UnitKind.SUB_UNIT, code,
                          _head(f"{code}.SEK", f"Sekretaris Kecamatan {district.name}", SEKCAM, "general"),
                          "district", 1.5))
        for suffix, name in DISTRICT_SECTIONS[:scale.district_sections]:
            plan.add(UnitPlan(f"{code}.{suffix}", name, UnitType.OTHER, UnitKind.SUB_UNIT, code,
                              _head(f"{code}.{suffix}", f"Kepala {name}", PENGAWAS, "general"), "district", 1.0))
        for village_number, village in enumerate(district.urban_villages[:scale.villages_per_district], start=1):
            village_code = f"{code}.KEL{village_number:02d}"
            plan.add(UnitPlan(village_code, f"Kelurahan {village}", UnitType.OTHER, UnitKind.SUB_UNIT, code,
                              _head(village_code, f"Lurah {village}", PENGAWAS, "general"), "district", 1.2))
