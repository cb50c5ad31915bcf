"""Personal names that fit each region: Minangkabau (Bukittinggi), Batak and Deli Malay (Tebing Tinggi),
Jambi Malay (Batanghari) and Javanese (Kotalama, and the transmigrant families of Sumatra).

Minangkabau and Malay names carry no family name; Batak names end in the marga (clan) name."""
from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class NamePool:
    male: tuple[str, ...]
    female: tuple[str, ...]
    male_second: tuple[str, ...] = ()
    female_second: tuple[str, ...] = ()
    second_share: float = 0.6  # how often a second name follows the first
    family: tuple[str, ...] = ()  # a clan name always closes the name when given

    def draw(self, rng: random.Random, gender: str) -> str:
        first = rng.choice(self.male if gender == "M" else self.female)
        parts = [first]
        seconds = self.male_second if gender == "M" else self.female_second
        if seconds and rng.random() < self.second_share:
            second = rng.choice(seconds)
            if second not in first:
                parts.append(second)
        if self.family:
            parts.append(rng.choice(self.family))
        return " ".join(parts)


MINANG = NamePool(
    male=("Afrizal", "Yusrizal", "Zulkarnaini", "Syafrizal", "Hendri", "Defrizal", "Zulfikar", "Fadhli", "Rahmat",
          "Irwan", "Asrul", "Yuliardi", "Erizal", "Nasrul", "Jasman", "Indra", "Ferdinal", "Armen", "Hardi",
          "Rizki", "Ilham", "Fauzan", "Rendi", "Fajri", "Ridho", "Yoserizal", "Marzuki", "Nofrizal", "Efendi",
          "Dodi", "Andri", "Zulhendri", "Alfian", "Gusrizal", "Masrul", "Roni"),
    female=("Yulnita", "Deswita", "Nofrianti", "Elfi", "Rosmaniar", "Yusnimar", "Desmawati", "Rahmi", "Fitri",
            "Silvia", "Mardiana", "Nelly", "Yenni", "Rini", "Vivi", "Meri", "Rika", "Yelfi", "Erna", "Gusnelti",
            "Elvira", "Ratna", "Zurniati", "Syafrida", "Nurhasanah", "Fadilla", "Annisa", "Mutia", "Yusnita",
            "Dewi", "Hayati", "Lusi"),
    male_second=("Putra", "Syahputra", "Hidayat", "Saputra", "Rahman", "Chaniago", "Piliang", "Koto", "Sikumbang",
                 "Tanjung", "Jambak", "Guci", "Syafri", "Effendi", "Zulfikri", "Arif"),
    female_second=("Yanti", "Sari", "Rahmadani", "Dewi", "Putri", "Oktavia", "Suryani", "Yulianti", "Marlina",
                   "Febriani", "Novita", "Handayani", "Syafitri", "Zahara"),
    second_share=0.65,
)

JAVANESE = NamePool(
    male=("Agus", "Budi", "Eko", "Joko", "Bambang", "Heru", "Slamet", "Teguh", "Wahyu", "Dwi", "Hari", "Sugeng",
          "Imam", "Bayu", "Rizky", "Yoga", "Aditya", "Fajar", "Hendro", "Gunawan", "Sigit", "Didik", "Yudi",
          "Arief", "Tri", "Suparman", "Sutrisno", "Mulyono", "Priyo", "Anang"),
    female=("Sri", "Endang", "Dwi", "Tri", "Retno", "Ratna", "Yuli", "Eka", "Nur", "Rina", "Puji", "Ayu", "Anisa",
            "Novi", "Wiwik", "Kartika", "Dewi", "Siti", "Indah", "Diah", "Sumarni", "Suprapti", "Erna", "Lilik"),
    male_second=("Santoso", "Setiawan", "Prasetyo", "Susilo", "Wijayanto", "Purnomo", "Riyadi", "Wibowo",
                 "Hidayat", "Cahyono", "Susanto", "Rahardjo", "Nugroho", "Pratama", "Saputro", "Kurniawan",
                 "Widodo", "Hartono", "Sulistyo", "Wicaksono", "Prabowo", "Ardiansyah"),
    female_second=("Wahyuni", "Purwanti", "Rahayu", "Handayani", "Wulandari", "Astuti", "Ningsih", "Kurniawati",
                   "Aini", "Susanti", "Lestari", "Rahmawati", "Indriani", "Sulistyani", "Sari", "Utami",
                   "Pratiwi", "Setyowati", "Widyastuti", "Fitriani"),
    second_share=0.85,
)

BATAK = NamePool(
    male=("Parlindungan", "Togar", "Maruli", "Hotman", "Saut", "Binsar", "Poltak", "Mangasi", "Tigor", "Sahat",
          "Bonar", "Daniel", "Rizal", "Ahmad", "Ridwan", "Darwin", "Hendra", "Frans", "Benny", "Robert", "Irfan",
          "Syahrial", "Jonni", "Marihot", "Dedi", "Ucok", "Amran", "Muhammad Yusuf"),
    female=("Rosmawati", "Tiurma", "Lasmaria", "Nurhayati", "Rugun", "Dumaria", "Sondang", "Romauli", "Rosdiana",
            "Juliana", "Hotmaida", "Erika", "Lestari", "Maya", "Friska", "Debora", "Christina", "Nurainun",
            "Fitriani", "Sarah", "Melati", "Nurhalimah", "Rosita", "Evi"),
    family=("Siregar", "Nasution", "Lubis", "Harahap", "Simatupang", "Sinaga", "Tampubolon", "Hutagalung", "Pane",
            "Damanik", "Saragih", "Purba", "Sitorus", "Manurung", "Pardede", "Simanjuntak", "Panjaitan",
            "Sihombing", "Hasibuan", "Pohan", "Daulay", "Ritonga", "Sembiring", "Ginting", "Tarigan", "Matondang"),
)

MALAY = NamePool(
    male=("Muhammad", "Abdul Rahman", "Hasbullah", "Azhar", "Zulkifli", "Syamsul Bahri", "Ahmad Fauzi", "Hasan",
          "Jamaluddin", "Kamaruddin", "Ismail", "Rusli", "Syarifuddin", "Mahmud", "Herman", "Ridwan", "Amiruddin",
          "Tarmizi", "Fahrul", "Junaidi", "Fikri", "Rahmat", "Hamdani", "Firdaus", "Nasrullah", "Syahrial",
          "Zainal", "Erwin"),
    female=("Nurhayati", "Syarifah", "Siti Aminah", "Hasnah", "Rosmalina", "Zubaidah", "Nurlela", "Fatimah",
            "Rahmawati", "Halimah", "Masitoh", "Nurjanah", "Erni", "Suryani", "Yusnidar", "Hafizah", "Aisyah",
            "Maimunah", "Khairunnisa", "Rosdiana", "Zuraidah", "Nurbaiti", "Rohani"),
    male_second=("Abdullah", "Hamid", "Yusuf", "Ahmad", "Ibrahim", "Saleh", "Rasyid", "Hakim", "Arsyad", "Usman",
                 "Effendi", "Syukri"),
    female_second=("Aini", "Fitriani", "Maharani", "Rahmadani", "Safitri", "Utami", "Zahra", "Wati", "Handayani",
                   "Rahmah"),
    second_share=0.55,
)


@dataclass(frozen=True)
class NameMix:
    """A region's population: pools with their shares."""

    pools: tuple[tuple[NamePool, float], ...]

    def draw(self, rng: random.Random, gender: str) -> str:
        pools, weights = zip(*self.pools)
        return rng.choices(pools, weights=weights)[0].draw(rng, gender)
