"""Kota Tebingtinggi's recruitment stages. For CPNS and PPPK openings it adds its own stages to the
national flow (orders between the national tens); for its regional contract openings ("kontrak") it
supplies the whole flow: written test, interview, psychological test, a panel for managerial posts, a
public announcement and a clarification session."""
from __future__ import annotations

from decimal import Decimal as D

from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import RankingPart, RecruitmentStage, ScoreComponent

PLUGIN_META = {
    "name": "kinerja-recruitment-tebingtinggi",
    "version": "1.2.0",
    "vendor": "Kinerja",
    "hook_api": ">=2.0,<3.0",
    "description": "Tebingtinggi's recruitment stages: psychological test, panel interview for managerial "
                   "posts, public announcement and clarification session.",
}

PSYCHOLOGICAL_TEST = RecruitmentStage(
    "Tes Psikologi", 35, "psychologist",
    components=(ScoreComponent("Asesmen psikologi", D(100), D(100), D(60)),),
    pass_rule="Dinyatakan Memenuhi Syarat oleh psikolog (nilai >= 60).", ranking_rule="Tidak diperingkat.",
    ranked=False)
PANEL_INTERVIEW = RecruitmentStage(
    "Wawancara Panel Jabatan Manajerial", 36, "panel",
    components=(ScoreComponent("Visi dan rencana kerja", D(40), D(100)),
                ScoreComponent("Kepemimpinan", D(35), D(100)),
                ScoreComponent("Integritas", D(25), D(100))),
    pass_rule="Rata-rata nilai panel tertimbang >= 70.",
    ranking_rule="Nilai panel tertimbang; jika sama, nilai integritas lebih tinggi.",
    min_stage_score=D(70), tie_breakers=("Integritas",), optional=True, applies_to="managerial")
CLARIFICATION = RecruitmentStage(
    "Sesi Klarifikasi Hasil", 60, "committee",
    pass_rule="Peserta dapat meminta penjelasan atas nilainya; panitia menjawab tertulis.",
    ranking_rule="Tidak mengubah peringkat kecuali ada koreksi nilai.", announced=True, objection_window_days=5)

CONTRACT_STAGES = (
    RecruitmentStage("Seleksi Administrasi", 10, "committee", pass_rule="Memenuhi persyaratan (MS/TMS).",
                     ranking_rule="Tidak diperingkat.", announced=True, objection_window_days=3),
    RecruitmentStage("Tes Tertulis", 20, "system",
                     components=(ScoreComponent("Pengetahuan umum", D(40), D(100)),
                                 ScoreComponent("Pengetahuan bidang", D(60), D(100))),
                     pass_rule="Nilai tertimbang >= 60.", ranking_rule="Nilai tertimbang tertinggi.",
                     min_stage_score=D(60)),
    RecruitmentStage("Wawancara", 30, "panel", components=(ScoreComponent("Wawancara", D(100), D(100), D(60)),),
                     pass_rule="Nilai wawancara >= 60.", ranking_rule="Nilai tes tertulis 60% + wawancara 40%.",
                     ranking=(RankingPart("Tes Tertulis", D(60)), RankingPart("Wawancara", D(40)))),
    PSYCHOLOGICAL_TEST,
    PANEL_INTERVIEW,
    RecruitmentStage("Pengumuman Terbuka", 50, "none", pass_rule="Hasil diumumkan di laman publik.",
                     ranking_rule="Sesuai nilai akhir.", announced=True),
    CLARIFICATION,
)


@hookimpl
def kinerja_recruitment_stages(opening_kind):
    if opening_kind in {"cpns", "pppk"}:
        return [PSYCHOLOGICAL_TEST, PANEL_INTERVIEW, CLARIFICATION]
    if opening_kind == "kontrak":
        return list(CONTRACT_STAGES)
    return None
