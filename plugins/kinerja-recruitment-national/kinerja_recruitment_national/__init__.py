"""The national recruitment flows: CPNS (administrative selection, SKD, SKB, integration, final
announcement, with sanggah windows) and PPPK. Stage orders go in tens so a region's plugin can slot its
own stages between them (e.g. 35 for a psychological test after SKB)."""
from __future__ import annotations

from decimal import Decimal as D

from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import RankingPart, RecruitmentStage, ScoreComponent

PLUGIN_META = {
    "name": "kinerja-recruitment-national",
    "version": "1.2.0",
    "vendor": "Kinerja",
    "hook_api": ">=2.0,<3.0",
    "description": "National CPNS and PPPK recruitment stages: SKD passing grades (TWK 65, TIU 80, TKP 166), "
                   "3x posts to SKB, 40/60 integration, sanggah windows.",
}

# SKD passing grades of the 2024 general track; special tracks have others.
SKD_PASSING = {"TWK": D(65), "TIU": D(80), "TKP": D(166)}
SKD_MAX = {"TWK": D(150), "TIU": D(175), "TKP": D(225)}
SKB_CANDIDATES_PER_POST = 3
SKD = "Seleksi Kompetensi Dasar (SKD)"
SKB = "Seleksi Kompetensi Bidang (SKB)"

CPNS_STAGES = (
    RecruitmentStage(
        "Seleksi Administrasi", 10, "committee",
        pass_rule="Memenuhi seluruh persyaratan administrasi formasi yang dilamar (MS/TMS).",
        ranking_rule="Tidak diperingkat.", announced=True, objection_window_days=3),
    RecruitmentStage(
        SKD, 20, "system",
        components=tuple(ScoreComponent(name, SKD_MAX[name] / 550 * 100, SKD_MAX[name], SKD_PASSING[name])
                         for name in ("TWK", "TIU", "TKP")),
        pass_rule="Nilai TWK >= 65, TIU >= 80 dan TKP >= 166; yang lulus ambang batas dan berperingkat "
                  f"dalam {SKB_CANDIDATES_PER_POST} x jumlah formasi mengikuti SKB.",
        ranking_rule="Total nilai SKD tertinggi; jika sama: TKP, lalu TIU, lalu TWK.",
        announced=True, advance_per_post=SKB_CANDIDATES_PER_POST, tie_breakers=("TKP", "TIU", "TWK")),
    RecruitmentStage(
        SKB, 30, "system",
        components=(ScoreComponent("CAT SKB", D(60), D(100)),
                    ScoreComponent("Tes tambahan (praktik kerja/wawancara)", D(40), D(100))),
        pass_rule="Mengikuti seluruh tes SKB; bobot CAT paling sedikit 60%, tes tambahan paling banyak 40%.",
        ranking_rule="Nilai SKB tertimbang."),
    RecruitmentStage(
        # Computed from SKD and SKB: no components of its own, its score is the ranking mix.
        "Integrasi Nilai SKD dan SKB", 40, "system",
        pass_rule="Peringkat terbaik sebanyak jumlah formasi.",
        ranking_rule="Nilai akhir = 40% x (SKD / 550 x 100) + 60% x SKB; jika sama, nilai SKD lebih tinggi.",
        ranking=(RankingPart(SKD, D(40), scale_to_100=True), RankingPart(SKB, D(60), scale_to_100=True)),
        tie_breakers=(SKD,), advance_per_post=1),
    RecruitmentStage(
        "Pengumuman Akhir", 50, "none",
        pass_rule="Diumumkan sebagai peserta lulus akhir.", ranking_rule="Sesuai integrasi nilai.",
        announced=True, objection_window_days=3),
)

PPPK_STAGES = (
    RecruitmentStage(
        "Seleksi Administrasi", 10, "committee", pass_rule="Memenuhi persyaratan administrasi (MS/TMS).",
        ranking_rule="Tidak diperingkat.", announced=True, objection_window_days=3),
    RecruitmentStage(
        "Seleksi Kompetensi PPPK", 20, "system",
        components=(ScoreComponent("Kompetensi teknis", D(450) / 690 * 100, D(450)),
                    ScoreComponent("Kompetensi manajerial dan sosial kultural", D(200) / 690 * 100, D(200)),
                    ScoreComponent("Wawancara", D(40) / 690 * 100, D(40))),
        pass_rule="Memenuhi nilai ambang batas yang ditetapkan per jabatan.",
        ranking_rule="Total nilai tertinggi; jika sama, nilai kompetensi teknis lebih tinggi.",
        announced=True, objection_window_days=3, tie_breakers=("Kompetensi teknis",)),
)


@hookimpl
def kinerja_recruitment_stages(opening_kind):
    return {"cpns": list(CPNS_STAGES), "pppk": list(PPPK_STAGES)}.get(opening_kind)


def final_score(skd_total: D, skb_score: D) -> D:
    """The integrated score: 40% of SKD scaled to 100 plus 60% of SKB (both on 100)."""
    return D("0.4") * (skd_total / 550 * 100) + D("0.6") * skb_score
