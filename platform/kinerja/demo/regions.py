"""The four demo regions, the ones the seed articles describe.

Bukittinggi, Tebing Tinggi and Batanghari carry their official Kemendagri codes and real district,
sub-district and health-centre names. Kotalama is named by one article only and is no real region:
it is treated as a city in Jawa Timur with a code that no real city uses (35.80)."""
from __future__ import annotations

from dataclasses import dataclass

from kinerja.demo.names import BATAK, JAVANESE, MALAY, MINANG, NameMix


@dataclass(frozen=True)
class District:
    name: str
    urban_villages: tuple[str, ...] = ()  # kelurahan, led by a lurah (a civil servant)


@dataclass(frozen=True)
class RegionSpec:
    slug: str
    name: str
    short_name: str
    kind: str  # kota or kabupaten
    region_code: str
    province: str
    time_zone: str
    names: NameMix
    districts: tuple[District, ...]
    health_centres: tuple[str, ...]
    school_places: tuple[str, ...]
    mail_domain: str
    article: str = ""  # whose story the region tells (kinerja.demo.stories); its own slug when empty

    @property
    def story(self) -> str:
        return self.article or self.slug

    @property
    def head_of_region(self) -> str:
        return "Wali Kota" if self.kind == "kota" else "Bupati"


WIB = "Asia/Jakarta"

BUKITTINGGI = RegionSpec(
    slug="bukittinggi", name="Kota Bukittinggi", short_name="Bukittinggi", kind="kota", region_code="13.75",
    province="Sumatera Barat", time_zone=WIB,
    names=NameMix(((MINANG, 0.9), (JAVANESE, 0.05), (BATAK, 0.05))),
    districts=(
        District("Guguk Panjang", ("Benteng Pasar Atas", "Aur Tajungkang Tangah Sawah", "Bukit Cangang Kayu Ramang")),
        District("Mandiangin Koto Selayan", ("Campago Ipuh", "Garegeh", "Pulai Anak Air")),
        District("Aur Birugo Tigo Baleh", ("Birugo", "Aur Kuning", "Belakang Balok")),
    ),
    health_centres=("Guguk Panjang", "Mandiangin", "Tigo Baleh", "Nilam Sari", "Rasimah Ahmad", "Gulai Bancah"),
    school_places=("Bukittinggi",),
    mail_domain="bukittinggikota.go.id",
)

KOTALAMA = RegionSpec(
    slug="kotalama", name="Kotalama", short_name="Kotalama", kind="kota", region_code="35.80",
    province="Jawa Timur", time_zone=WIB,
    names=NameMix(((JAVANESE, 0.9), (MALAY, 0.1))),
    districts=(
        District("Kotalama", ("Kotalama", "Mergosono", "Jodipan")),
        District("Sumberrejo", ("Sumberrejo", "Bumiayu", "Wonokoyo")),
        District("Tlogomas", ("Tlogomas", "Dinoyo", "Ketawanggede")),
        District("Arjosari", ("Arjosari", "Polowijen", "Balearjosari")),
    ),
    health_centres=("Kotalama", "Arjowinangun", "Janti", "Dinoyo", "Arjuno", "Kendalkerep"),
    school_places=("Kotalama",),
    mail_domain="kotalamakota.go.id",
)

TEBINGTINGGI = RegionSpec(
    slug="tebingtinggi", name="Kota Tebing Tinggi", short_name="Tebing Tinggi", kind="kota", region_code="12.76",
    province="Sumatera Utara", time_zone=WIB,
    names=NameMix(((BATAK, 0.55), (MALAY, 0.25), (JAVANESE, 0.2))),
    districts=(
        District("Padang Hulu", ("Lubuk Baru", "Persiakan", "Pabatu")),
        District("Padang Hilir", ("Tambangan", "Deblod Sundoro", "Satria")),
        District("Rambutan", ("Rantau Laban", "Sri Padang", "Tanjung Marulak")),
        District("Bajenis", ("Bandar Sakti", "Pelita", "Berohol")),
        District("Tebing Tinggi Kota", ("Badak Bejuang", "Pasar Baru", "Rambung")),
    ),
    health_centres=("Rantau Laban", "Pasar Gambir", "Brohol", "Satria", "Tanjung Marulak", "Sri Padang",
                    "Rambung", "Teluk Karang", "Persiakan"),
    school_places=("Tebing Tinggi",),
    mail_domain="tebingtinggikota.go.id",
)

BATANGHARI = RegionSpec(
    slug="batanghari", name="Kabupaten Batanghari", short_name="Batanghari", kind="kabupaten",
    region_code="15.04", province="Jambi", time_zone=WIB,
    names=NameMix(((MALAY, 0.7), (JAVANESE, 0.2), (MINANG, 0.1))),
    districts=(
        District("Muara Bulian", ("Muara Bulian", "Rengas Condong", "Teratai")),
        District("Muara Tembesi", ("Pasar Muara Tembesi", "Kampung Baru")),
        District("Pemayung"),
        District("Mersam"),
        District("Maro Sebo Ulu"),
        District("Maro Sebo Ilir"),
        District("Bajubang"),
        District("Batin XXIV"),
    ),
    health_centres=("Muara Bulian", "Muara Tembesi", "Pemayung", "Mersam", "Sungai Rengas", "Bajubang",
                    "Muara Singoan", "Kampung Baru"),
    school_places=("Muara Bulian", "Muara Tembesi", "Bajubang", "Mersam"),
    mail_domain="batangharikab.go.id",
)

DEMO_REGIONS = (BUKITTINGGI, KOTALAMA, TEBINGTINGGI, BATANGHARI)
