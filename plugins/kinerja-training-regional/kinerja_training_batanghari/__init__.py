"""Kabupaten Batanghari's IT training for administrative staff."""
from __future__ import annotations

from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import TrainingCourse

PLUGIN_META = {
    "name": "kinerja-training-batanghari",
    "version": "1.1.0",
    "vendor": "Kinerja",
    "hook_api": ">=2.0,<3.0",
    "description": "Batanghari's IT courses for administrative staff (office tools, e-government, data, security).",
}

CATALOG = (
    TrainingCourse("BTH-TI-01", "Aplikasi Perkantoran untuk Administrasi", "klasikal", 16, 750_000,
                   "Diskominfo Batanghari", ("Pengolahan kata", "Lembar kerja")),
    TrainingCourse("BTH-TI-02", "Tata Naskah Dinas Elektronik (SRIKANDI)", "klasikal", 12, 500_000,
                   "Diskominfo Batanghari", ("Administrasi elektronik", "Kearsipan")),
    TrainingCourse("BTH-TI-03", "Pengelolaan Data Layanan dengan Spreadsheet", "blended", 20, 900_000,
                   "Diskominfo Batanghari", ("Pengolahan data", "Pelaporan")),
    TrainingCourse("BTH-TI-04", "Keamanan Informasi Dasar", "e-learning", 8, 0, "Diskominfo Batanghari",
                   ("Keamanan informasi",)),
)


@hookimpl
def kinerja_training_catalog():
    return list(CATALOG)
