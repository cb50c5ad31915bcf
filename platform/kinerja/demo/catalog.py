"""Positions of the demo regions: what each one is called, its kelas jabatan, the schooling it asks for,
the golongan range its holders are in, and which of them are also filled by PPPK staff.

Titles follow the current names in the BKN/KemenPAN-RB nomenclature; kelas jabatan follow the usual
regional tables (JPT Pratama 14-15, administrator 11-12, pengawas 9, fungsional Ahli Pertama 8,
Ahli Muda 9, Ahli Madya 11, Terampil 6, Mahir 7; pelaksana 1-7)."""
from __future__ import annotations

from dataclasses import dataclass

from kinerja.people.models import PNS_RANKS, PositionKind


def rank_index(rank: str) -> int:
    return PNS_RANKS.index(rank)


# The golongan a new PNS starts in, by the schooling their formation asked for.
ENTRY_RANK = {"SMP": "I/c", "SMA": "II/a", "D3": "II/c", "S1": "III/a", "PROFESSION": "III/b", "S2": "III/b"}
# Age when entering CPNS, by schooling (the CPNS age limit is 35).
ENTRY_AGE = {"SMP": (18, 25), "SMA": (19, 27), "D3": (21, 30), "S1": (22, 32), "PROFESSION": (25, 33),
             "S2": (25, 34)}


@dataclass(frozen=True)
class PositionTemplate:
    code: str
    title: str
    kind: str
    position_class: int
    education: str
    rank_low: str
    rank_high: str
    # Oldest age kept in the demo: a little under the retirement age (58, or 60 for JPT, Ahli Madya
    # and teachers), so nobody in the data is past it.
    max_age: int = 56
    female_share: float = 0.45
    pppk_share: float = 0.0
    pppk_grade: str = ""
    # (prefix, suffix) academic titles, e.g. ("dr.", "") or ("", "S.Pd.")
    titles: tuple[tuple[str, str], ...] = (("", ""),)


F, P, S = PositionKind.FUNCTIONAL, PositionKind.EXECUTIVE, PositionKind.STRUCTURAL

_S1_GENERAL = (("", "S.Sos."), ("", "S.AP"), ("", "S.E."), ("", "S.H."), ("", "S.IP"), ("", "S.Kom."))
_D3 = (("", "A.Md."),)
_TEACHER = (("", "S.Pd."), ("", "S.Pd."), ("", "S.Pd."), ("", "S.Pd.I."), ("", "S.Si."))

STAFF_POSITIONS = {t.code: t for t in [
    # education
    PositionTemplate("GURU-AP", "Guru Ahli Pertama", F, 8, "S1", "III/a", "III/b", 58, 0.7, 0.6, "IX", _TEACHER),
    PositionTemplate("GURU-AM", "Guru Ahli Muda", F, 9, "S1", "III/c", "III/d", 58, 0.7, 0.0, "", _TEACHER),
    PositionTemplate("GURU-AMD", "Guru Ahli Madya", F, 11, "S1", "IV/a", "IV/b", 58, 0.65, 0.0, "",
                     _TEACHER + (("", "S.Pd., M.Pd."),)),
    PositionTemplate("PENGAWAS-SEKOLAH", "Pengawas Sekolah Ahli Madya", F, 11, "S2", "IV/a", "IV/c", 58, 0.5,
                     titles=(("", "S.Pd., M.Pd."),)),
    PositionTemplate("PENILIK-AP", "Penilik Ahli Pertama", F, 8, "S1", "III/a", "III/b", titles=_TEACHER),
    # health
    PositionTemplate("DOKTER-AP", "Dokter Ahli Pertama", F, 8, "PROFESSION", "III/b", "III/b", female_share=0.6,
                     pppk_share=0.3, pppk_grade="X", titles=(("dr.", ""),)),
    PositionTemplate("DOKTER-AM", "Dokter Ahli Muda", F, 9, "PROFESSION", "III/c", "III/d", female_share=0.55,
                     titles=(("dr.", ""),)),
    PositionTemplate("DRG-AP", "Dokter Gigi Ahli Pertama", F, 8, "PROFESSION", "III/b", "III/b",
                     female_share=0.7, pppk_share=0.3, pppk_grade="X", titles=(("drg.", ""),)),
    PositionTemplate("PERAWAT-T", "Perawat Terampil", F, 6, "D3", "II/c", "II/d", female_share=0.7,
                     pppk_share=0.35, pppk_grade="VII", titles=(("", "A.Md.Kep."),)),
    PositionTemplate("PERAWAT-M", "Perawat Mahir", F, 7, "D3", "III/a", "III/b", female_share=0.7,
                     titles=(("", "A.Md.Kep."),)),
    PositionTemplate("PERAWAT-AP", "Perawat Ahli Pertama", F, 8, "S1", "III/a", "III/b", female_share=0.7,
                     pppk_share=0.3, pppk_grade="IX", titles=(("", "S.Kep., Ns."),)),
    PositionTemplate("PERAWAT-AM", "Perawat Ahli Muda", F, 9, "S1", "III/c", "III/d", female_share=0.7,
                     titles=(("", "S.Kep., Ns."),)),
    PositionTemplate("BIDAN-T", "Bidan Terampil", F, 6, "D3", "II/c", "II/d", female_share=1.0, pppk_share=0.35,
                     pppk_grade="VII", titles=(("", "A.Md.Keb."),)),
    PositionTemplate("BIDAN-M", "Bidan Mahir", F, 7, "D3", "III/a", "III/b", female_share=1.0,
                     titles=(("", "A.Md.Keb."),)),
    PositionTemplate("BIDAN-AP", "Bidan Ahli Pertama", F, 8, "S1", "III/a", "III/b", female_share=1.0,
                     pppk_share=0.3, pppk_grade="IX", titles=(("", "S.Tr.Keb."), ("", "S.Keb., Bd."))),
    PositionTemplate("APOTEKER-AP", "Apoteker Ahli Pertama", F, 8, "S1", "III/a", "III/b", female_share=0.7,
                     pppk_share=0.3, pppk_grade="IX", titles=(("apt.", "S.Farm."),)),
    PositionTemplate("PLK-T", "Pranata Laboratorium Kesehatan Terampil", F, 6, "D3", "II/c", "III/a",
                     female_share=0.6, pppk_share=0.3, pppk_grade="VII", titles=(("", "A.Md.AK."),)),
    PositionTemplate("SANITARIAN-T", "Sanitarian Terampil", F, 6, "D3", "II/c", "III/a", pppk_share=0.3,
                     pppk_grade="VII", titles=(("", "A.Md.KL."),)),
    PositionTemplate("NUTRISIONIS-T", "Nutrisionis Terampil", F, 6, "D3", "II/c", "III/a", female_share=0.85,
                     pppk_share=0.3, pppk_grade="VII", titles=(("", "A.Md.Gz."),)),
    PositionTemplate("EPIDEMIOLOG-AP", "Epidemiolog Kesehatan Ahli Pertama", F, 8, "S1", "III/a", "III/b",
                     female_share=0.55, titles=(("", "S.KM"),)),
    # audit and government affairs
    PositionTemplate("AUDITOR-AP", "Auditor Ahli Pertama", F, 8, "S1", "III/a", "III/b",
                     titles=(("", "S.E."), ("", "S.Ak."))),
    PositionTemplate("AUDITOR-AM", "Auditor Ahli Muda", F, 9, "S1", "III/c", "III/d",
                     titles=(("", "S.E."), ("", "S.Ak."), ("", "S.E., M.Ak."))),
    PositionTemplate("AUDITOR-AMD", "Auditor Ahli Madya", F, 11, "S1", "IV/a", "IV/b", 58,
                     titles=(("", "S.E., M.Ak."), ("", "S.E., M.M."))),
    PositionTemplate("P2UPD-AP", "Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah Ahli Pertama", F, 8,
                     "S1", "III/a", "III/b", titles=(("", "S.STP"), ("", "S.IP"), ("", "S.H."))),
    PositionTemplate("PERANCANG-AP", "Perancang Peraturan Perundang-undangan Ahli Pertama", F, 8, "S1", "III/a",
                     "III/b", titles=(("", "S.H."),)),
    # HR, planning, information
    PositionTemplate("ANALIS-SDMA-AP", "Analis Sumber Daya Manusia Aparatur Ahli Pertama", F, 8, "S1", "III/a",
                     "III/b", female_share=0.55, titles=(("", "S.Psi."), ("", "S.Sos."), ("", "S.AP"))),
    PositionTemplate("ANALIS-SDMA-AM", "Analis Sumber Daya Manusia Aparatur Ahli Muda", F, 9, "S1", "III/c",
                     "III/d", female_share=0.55, titles=(("", "S.Psi."), ("", "S.Sos."), ("", "S.AP, M.Si."))),
    PositionTemplate("PERENCANA-AP", "Perencana Ahli Pertama", F, 8, "S1", "III/a", "III/b",
                     titles=(("", "S.E."), ("", "S.T."), ("", "S.P."))),
    PositionTemplate("PRAKOM-AP", "Pranata Komputer Ahli Pertama", F, 8, "S1", "III/a", "III/b", female_share=0.35,
                     pppk_share=0.25, pppk_grade="IX", titles=(("", "S.Kom."), ("", "S.T."))),
    PositionTemplate("PRAKOM-T", "Pranata Komputer Terampil", F, 6, "D3", "II/c", "III/a", female_share=0.35,
                     pppk_share=0.25, pppk_grade="VII", titles=(("", "A.Md.Kom."),)),
    PositionTemplate("ADB-AP", "Administrator Database Kependudukan Ahli Pertama", F, 8, "S1", "III/a", "III/b",
                     titles=(("", "S.Kom."),)),
    PositionTemplate("HUMAS-AP", "Pranata Hubungan Masyarakat Ahli Pertama", F, 8, "S1", "III/a", "III/b",
                     female_share=0.6, titles=(("", "S.I.Kom."), ("", "S.Sos."))),
    PositionTemplate("ARSIPARIS-T", "Arsiparis Terampil", F, 6, "D3", "II/c", "III/a", female_share=0.6,
                     titles=_D3),
    # pelaksana
    PositionTemplate("ADM-UMUM", "Pengadministrasi Umum", P, 5, "SMA", "II/a", "III/b", female_share=0.55),
    PositionTemplate("ADM-KEPEGAWAIAN", "Pengadministrasi Kepegawaian", P, 5, "SMA", "II/a", "III/b",
                     female_share=0.6),
    PositionTemplate("ADM-PEMERINTAHAN", "Pengadministrasi Pemerintahan", P, 5, "SMA", "II/a", "III/b"),
    PositionTemplate("ADM-KEPENDUDUKAN", "Pengadministrasi Kependudukan", P, 5, "SMA", "II/a", "III/b",
                     female_share=0.55),
    PositionTemplate("PENGOLAH-DATA", "Pengolah Data", P, 6, "D3", "II/c", "III/b", titles=_D3),
    PositionTemplate("PENGELOLA-BMD", "Pengelola Barang Milik Daerah", P, 6, "D3", "II/c", "III/b", titles=_D3),
    PositionTemplate("PENGELOLA-KEUANGAN", "Pengelola Keuangan", P, 7, "S1", "III/a", "III/c", female_share=0.6,
                     titles=(("", "S.E."), ("", "S.Ak."))),
    PositionTemplate("BENDAHARA", "Bendahara", P, 7, "S1", "III/a", "III/c", female_share=0.65,
                     titles=(("", "S.E."), ("", "S.Ak."))),
    PositionTemplate("ANALIS-DATA", "Analis Data dan Informasi", P, 7, "S1", "III/a", "III/c",
                     titles=_S1_GENERAL),
    PositionTemplate("PENGEMUDI", "Pengemudi", P, 3, "SMA", "II/a", "II/d", female_share=0.0),
    PositionTemplate("PENJAGA-SEKOLAH", "Penjaga Sekolah", P, 1, "SMP", "I/c", "II/b", female_share=0.1),
]}

# Heads of units. A struktural position is one per unit, so these are templates: the builder makes
# "Kepala Dinas Kesehatan", "Camat Guguk Panjang" and so on from them.
_LEADER_TITLES = {
    "general": (("", "S.Sos., M.Si."), ("", "S.H., M.H."), ("", "S.E., M.M."), ("", "S.STP, M.Si."),
                ("", "S.IP, M.Si."), ("", "S.T., M.T.")),
    "legal": (("", "S.H., M.H."), ("", "S.H."), ("", "S.H., M.Kn.")),
    "audit": (("", "S.E., M.Ak."), ("", "S.E., M.M."), ("", "S.H., M.H.")),
    "hr": (("", "S.Psi., M.Si."), ("", "S.Sos., M.AP"), ("", "S.E., M.M.")),
    "education": (("", "S.Pd., M.Pd."), ("", "S.Pd."), ("", "S.Pd., M.Si.")),
    "health": (("dr.", "M.Kes."), ("", "S.KM, M.Kes."), ("", "S.Kep., Ns., M.Kep."), ("dr.", "")),
    "informatics": (("", "S.Kom., M.Kom."), ("", "S.T., M.T."), ("", "S.Kom.")),
}


@dataclass(frozen=True)
class HeadLevel:
    kind: str
    position_class: int
    education: str
    rank_low: str
    rank_high: str
    max_age: int


SEKDA = HeadLevel(S, 15, "S2", "IV/c", "IV/d", 58)
OPD_HEAD = HeadLevel(S, 14, "S2", "IV/b", "IV/d", 58)
CAMAT = HeadLevel(S, 12, "S1", "IV/a", "IV/b", 56)
ADMINISTRATOR = HeadLevel(S, 11, "S1", "IV/a", "IV/b", 56)
SEKCAM = HeadLevel(S, 10, "S1", "III/d", "IV/a", 56)
PENGAWAS = HeadLevel(S, 9, "S1", "III/c", "III/d", 56)
# A school is led by a teacher with the added duty of principal: a functional position, not struktural.
PRINCIPAL = HeadLevel(F, 10, "S1", "III/d", "IV/b", 58)


def head_template(code: str, title: str, level: HeadLevel, field: str) -> PositionTemplate:
    titles = _LEADER_TITLES.get(field, _LEADER_TITLES["general"])
    if level.position_class <= 10:
        titles = tuple((prefix, suffix.split(", M.")[0]) for prefix, suffix in titles)  # fewer masters
    return PositionTemplate(code, title, level.kind, level.position_class, level.education, level.rank_low,
                            level.rank_high, level.max_age, female_share=0.35, titles=titles)


# What the staff of a unit do, by the kind of unit: (position code, weight).
STAFF_PROFILES: dict[str, tuple[tuple[str, float], ...]] = {
    "office": (("ADM-UMUM", 4), ("ANALIS-DATA", 2), ("PENGELOLA-KEUANGAN", 1.5), ("BENDAHARA", 0.5),
               ("PENGELOLA-BMD", 1), ("ARSIPARIS-T", 1), ("PERENCANA-AP", 1), ("PENGEMUDI", 1)),
    "legal": (("PERANCANG-AP", 3), ("ADM-UMUM", 2), ("ANALIS-DATA", 1)),
    "audit": (("AUDITOR-AP", 3), ("AUDITOR-AM", 3), ("AUDITOR-AMD", 1), ("P2UPD-AP", 2), ("ADM-UMUM", 1)),
    "hr": (("ANALIS-SDMA-AP", 3), ("ANALIS-SDMA-AM", 2), ("ADM-KEPEGAWAIAN", 3), ("PRAKOM-T", 1),
           ("ANALIS-DATA", 1)),
    "education_office": (("PENGAWAS-SEKOLAH", 2), ("PENILIK-AP", 1), ("ADM-UMUM", 2), ("ANALIS-DATA", 1),
                         ("PERENCANA-AP", 1)),
    "school": (("GURU-AP", 4), ("GURU-AM", 3), ("GURU-AMD", 2), ("ADM-UMUM", 0.8), ("PENJAGA-SEKOLAH", 0.4)),
    "health_office": (("EPIDEMIOLOG-AP", 2), ("SANITARIAN-T", 1), ("NUTRISIONIS-T", 1), ("APOTEKER-AP", 1),
                      ("PERAWAT-AM", 1), ("ADM-UMUM", 2), ("ANALIS-DATA", 1)),
    "health_centre": (("DOKTER-AP", 1.5), ("DOKTER-AM", 0.6), ("DRG-AP", 0.5), ("PERAWAT-T", 2),
                      ("PERAWAT-M", 1), ("PERAWAT-AP", 2), ("PERAWAT-AM", 0.8), ("BIDAN-T", 2), ("BIDAN-M", 1),
                      ("BIDAN-AP", 0.6), ("APOTEKER-AP", 0.4), ("PLK-T", 0.7), ("SANITARIAN-T", 0.5),
                      ("NUTRISIONIS-T", 0.5), ("ADM-UMUM", 1)),
    "civil_registry": (("ADM-KEPENDUDUKAN", 3), ("PENGOLAH-DATA", 3), ("ADB-AP", 1), ("PRAKOM-AP", 1),
                       ("PRAKOM-T", 1)),
    "informatics": (("PRAKOM-AP", 3), ("PRAKOM-T", 2), ("HUMAS-AP", 2), ("ANALIS-DATA", 1), ("ADM-UMUM", 1)),
    "district": (("ADM-PEMERINTAHAN", 4), ("ADM-UMUM", 2), ("PENGELOLA-KEUANGAN", 1), ("PENGEMUDI", 0.5)),
}
