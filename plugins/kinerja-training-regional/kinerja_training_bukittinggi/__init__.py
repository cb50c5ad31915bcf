"""Kota Bukittinggi's workshops for teachers (they count towards the teachers' appraisal)."""
from __future__ import annotations

from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import TrainingCourse

PLUGIN_META = {
    "name": "kinerja-training-bukittinggi",
    "version": "1.1.0",
    "vendor": "Kinerja",
    "hook_api": ">=2.0,<3.0",
    "description": "Bukittinggi's teachers' workshops (curriculum, differentiated learning, assessment).",
}

CATALOG = (
    TrainingCourse("BKT-GURU-01", "Lokakarya Implementasi Kurikulum Merdeka", "workshop", 32, 1_200_000,
                   "Dinas Pendidikan Bukittinggi", ("Perencanaan pembelajaran", "Kurikulum")),
    TrainingCourse("BKT-GURU-02", "Pembelajaran Berdiferensiasi", "workshop", 24, 900_000,
                   "Dinas Pendidikan Bukittinggi", ("Pedagogik", "Pembelajaran berdiferensiasi")),
    TrainingCourse("BKT-GURU-03", "Asesmen Kelas dan Analisis Hasil Ujian", "workshop", 16, 600_000,
                   "Dinas Pendidikan Bukittinggi", ("Asesmen", "Analisis data hasil belajar")),
    TrainingCourse("BKT-GURU-04", "Komunitas Belajar Guru (MGMP)", "coaching", 20, 0,
                   "MGMP Kota Bukittinggi", ("Refleksi praktik mengajar",)),
)


@hookimpl
def kinerja_training_catalog():
    return list(CATALOG)
