"""Phrases for pay-line explanations, in Indonesian and English (hook API 2.0).

Each function returns an `Explanation` of one or two sentences; add them up to explain a line, and add
a plugin's own `Explanation("...", "...")` where the phrases do not say enough:

    explanation = explanations.performance_part() + explanations.predikat("Baik")

The payslip shows the sentences as they are, so every figure a phrase cites is formatted here: rupiah as
Rp 1.234.567 in both languages, percentages with a decimal comma in Indonesian (2,5%) and a decimal point
in English (2.5%).

A pay run explains every line of every employee, mostly with the same settings, so the phrases that
depend only on a few values are cached (explanations are immutable and safe to share).
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Iterable

from kinerja_plugin_api.types import Explanation, round_rupiah


def rupiah(amount: Decimal | int) -> str:
    """Rp 1.234.567: whole rupiah (rounded half up) with dots, as the platform writes money everywhere."""
    whole = round_rupiah(amount)
    sign = "-" if whole < 0 else ""
    return f"{sign}Rp {abs(whole):,}".replace(",", ".")


@lru_cache(maxsize=512)
def percent(value: Decimal | int | str, language: str = "en") -> str:
    """A percentage without its sign and without trailing zeros: "2.5" ("2,5" in Indonesian), "60"."""
    text = format(Decimal(str(value)).normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if language == "id" else text


def _names(items: Iterable[str]) -> str:
    return ", ".join(items)


@lru_cache(maxsize=512)
def performance_part() -> Explanation:
    """What the performance part of the base TPP is."""
    return Explanation("Bagian kinerja dari TPP dasar Anda, dibayarkan sesuai hasil penilaian Anda.",
                       "The performance part of your base TPP, paid according to your appraisal.")


@lru_cache(maxsize=512)
def predikat(name: str | None) -> Explanation:
    """The employee's predikat, or that they had no appraisal result yet (None)."""
    if not name:
        return Explanation("Anda belum memiliki hasil penilaian, sehingga berlaku aturan bagi pegawai yang belum "
                           "memiliki hasil penilaian.",
                           "You had no appraisal result yet, so the rule for employees without one applies.")
    return Explanation(f"Predikat Anda: {name}.", f"Your predikat: {name}.")


@lru_cache(maxsize=512)
def performance_share(share_percent: Decimal, factor_percent: Decimal) -> Explanation:
    """Which share of the base is the performance part, and which share of that the predikat pays."""
    return Explanation(
        f"{percent(share_percent, 'id')}% dari TPP dasar adalah bagian kinerja, dan {percent(factor_percent, 'id')}% "
        "darinya dibayarkan sesuai predikat Anda.",
        f"{percent(share_percent)}% of the base is the performance part, of which {percent(factor_percent)}% is "
        "paid for your predikat.")


@lru_cache(maxsize=512)
def ratings(work_result: str, behaviour: str, score_percent: Decimal) -> Explanation:
    """The two ratings of the appraisal and the score they make."""
    return Explanation(
        f"Hasil kerja: {work_result}; perilaku kerja: {behaviour}; skor {percent(score_percent, 'id')}%.",
        f"Work result: {work_result}; behaviour: {behaviour}; score {percent(score_percent)}%.")


@lru_cache(maxsize=512)
def discipline_part() -> Explanation:
    """What the discipline part of the base TPP is."""
    return Explanation("Bagian disiplin dari TPP dasar Anda.", "The discipline part of your base TPP.")


@lru_cache(maxsize=512)
def days_accounted(days: int, working_days: int) -> Explanation:
    """A part paid in proportion to the days accounted for (see `tpp.days_accounted`)."""
    return Explanation(
        f"Dibayarkan untuk {days} dari {working_days} hari kerja (hari hadir, dinas luar, cuti, dan sakit dihitung; "
        "hari tidak masuk tanpa keterangan tidak dihitung).",
        f"Paid for {days} of {working_days} working days (present, official duty, leave and sick days count; days "
        "absent without reason do not).")


@lru_cache(maxsize=512)
def performance_bonus() -> Explanation:
    """An extra payment (bonus, reward) for performance."""
    return Explanation("Pembayaran tambahan atas kinerja Anda.", "An extra payment for your performance.")


@lru_cache(maxsize=512)
def service_targets_met(met: int, targets: int) -> Explanation:
    """How many of the month's public-service targets were met on time."""
    return Explanation(f"{met} dari {targets} target pelayanan publik Anda bulan ini selesai tepat waktu.",
                       f"{met} of your {targets} public-service targets this month were met on time.")


@lru_cache(maxsize=512)
def attendance_deduction(percent_taken: Decimal | None = None) -> Explanation:
    """A deduction for attendance and discipline (absences, lateness, early leave, missed assemblies);
    the payslip lists the dates under the lines. `percent_taken`, when given, is the percentage the
    region's rules add up to."""
    explanation = Explanation("Dipotong karena kehadiran dan disiplin bulan ini (tanggalnya tercantum di bawah).",
                              "Withheld for attendance and discipline this month (the dates are listed below).")
    if percent_taken:
        explanation += Explanation(f"Total {percent(percent_taken, 'id')}% menurut aturan daerah.",
                                   f"Together {percent(percent_taken)}% by the region's rules.")
    return explanation


def sanctions(kinds: Iterable[str]) -> Explanation:
    """A deduction for the disciplinary sanctions in force, named as in their decisions."""
    names = _names(kinds)
    return Explanation(f"Dipotong karena sanksi disiplin yang sedang berlaku: {names}.",
                       f"Withheld because of disciplinary sanctions in force: {names}.")


def coaching_only(kinds: Iterable[str]) -> Explanation:
    """Sanctions in force that mean coaching and cost nothing."""
    names = _names(kinds)
    return Explanation(f"Hanya pembinaan, tanpa potongan: {names}.", f"Coaching only, no deduction: {names}.")


def bpjs_withheld(share_percent: Decimal, basis: Decimal) -> Explanation:
    """The employee's share of BPJS Kesehatan, withheld from the TPP after deductions (`basis`)."""
    return Explanation(
        f"Iuran {percent(share_percent, 'id')}% BPJS Kesehatan yang menjadi bagian Anda, dipotong dari TPP Anda "
        f"setelah potongan lain ({rupiah(basis)}).",
        f"Your {percent(share_percent)}% share of the BPJS Kesehatan health insurance, withheld from your TPP after "
        f"deductions ({rupiah(basis)}).")


@lru_cache(maxsize=512)
def bpjs_paid_by_region(share_percent: Decimal) -> Explanation:
    """The region's share of BPJS Kesehatan, paid on the employee's behalf (a contribution)."""
    return Explanation(
        f"Bagian daerah {percent(share_percent, 'id')}% sebagai iuran BPJS Kesehatan Anda, dibayarkan atas nama "
        "Anda; bagian ini tidak termasuk penghasilan bersih yang Anda terima.",
        f"The region's {percent(share_percent)}% share of your BPJS Kesehatan health insurance, paid on your "
        "behalf; it is not part of your take-home pay.")


@lru_cache(maxsize=512)
def unpaid_leave(days: int, working_days: int) -> Explanation:
    """(hook API 2.1) The share of the month spent on leave outside the state's account (CLTN), unpaid."""
    return Explanation(
        f"{days} dari {working_days} hari kerja bulan ini Anda menjalani cuti di luar tanggungan negara (CLTN), "
        "yang tidak dibayar.",
        f"{days} of this month's {working_days} working days were unpaid leave outside the state's account (CLTN).")


__all__ = [
    "unpaid_leave",
    "attendance_deduction", "bpjs_paid_by_region", "bpjs_withheld", "coaching_only", "days_accounted",
    "discipline_part", "percent", "performance_bonus", "performance_part", "performance_share", "predikat",
    "ratings", "rupiah", "sanctions", "service_targets_met",
]
