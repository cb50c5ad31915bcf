"""The national training catalog: basic training for new CPNS (Latsar), the leadership tracks (PKP, PKA,
PKN Tingkat II) and technical courses that count towards the 20 JP a year every ASN should receive.
Hours and costs are indicative defaults from published curricula and budgets; regions confirm them."""
from __future__ import annotations

from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import TrainingCourse

PLUGIN_META = {
    "name": "kinerja-training-national",
    "version": "1.1.0",
    "vendor": "Kinerja",
    "hook_api": ">=2.0,<3.0",
    "description": "National training catalog: Latsar CPNS, PKP/PKA/PKN leadership tracks and technical "
                   "courses, with JP hours and costs.",
}

CATALOG = (
    TrainingCourse("LATSAR-CPNS-III", "Pelatihan Dasar CPNS Golongan III", "blended", 241, 6_500_000,
                   "BPSDM Provinsi / LAN", ("Nilai dasar ASN BerAKHLAK", "Kedudukan dan peran ASN", "Aktualisasi")),
    TrainingCourse("LATSAR-CPNS-II", "Pelatihan Dasar CPNS Golongan II", "blended", 241, 5_500_000,
                   "BPSDM Provinsi / LAN", ("Nilai dasar ASN BerAKHLAK", "Kedudukan dan peran ASN", "Aktualisasi")),
    TrainingCourse("PKP", "Pelatihan Kepemimpinan Pengawas", "blended", 327, 12_000_000, "LAN / BPSDM Provinsi",
                   ("Kepemimpinan pengawas", "Manajemen kinerja", "Proyek perubahan")),
    TrainingCourse("PKA", "Pelatihan Kepemimpinan Administrator", "blended", 423, 22_000_000, "LAN / BPSDM Provinsi",
                   ("Kepemimpinan kinerja", "Manajemen strategis", "Proyek perubahan")),
    TrainingCourse("PKN-II", "Pelatihan Kepemimpinan Nasional Tingkat II", "blended", 475, 45_000_000, "LAN",
                   ("Kepemimpinan strategis", "Kebijakan publik", "Proyek perubahan")),
    TrainingCourse("TEK-SKP", "Penyusunan SKP dan Manajemen Kinerja ASN", "e-learning", 20, 0, "BKN / LAN",
                   ("Manajemen kinerja", "Penyusunan indikator kinerja")),
    TrainingCourse("TEK-PELAYANAN", "Etika dan Standar Pelayanan Publik", "klasikal", 24, 1_500_000, "LAN",
                   ("Etika pelayanan", "Standar pelayanan")),
    TrainingCourse("TEK-PBJ", "Pengadaan Barang/Jasa Pemerintah Tingkat Dasar", "klasikal", 40, 3_000_000, "LKPP",
                   ("Pengadaan barang/jasa",)),
    TrainingCourse("TEK-ARSIP", "Tata Naskah Dinas dan Kearsipan Elektronik", "e-learning", 16, 0, "ANRI",
                   ("Administrasi perkantoran", "Kearsipan")),
)


@hookimpl
def kinerja_training_catalog():
    return list(CATALOG)
