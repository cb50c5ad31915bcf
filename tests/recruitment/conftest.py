"""Recruitment fixtures: a unit and a position in a region, the region's recruitment plugins enabled
through the plugin services, and applicants registered through the recruitment services."""
from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from kinerja.accounts.models import Role
from kinerja.people.models import Position, PositionKind, UnitType
from kinerja.plugins.services import set_plugin_enabled
from kinerja.recruitment.services.openings import create_opening
from tests.factories import make_unit
from tests.helpers import in_region, make_user

NATIONAL = "kinerja-recruitment-national"
TEBINGTINGGI = "kinerja-recruitment-tebingtinggi"
TRAINING_NATIONAL = "kinerja-training-national"
APPLICANT_PASSWORD = "Lamaran-CPNS-2026"
OPEN_DAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _english(settings):
    """Assertions read the English source texts; the region's default language is Indonesian. Pages
    follow the default language too when a request names none (the test clients send no Accept-Language)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Fifty applicants register per flow; the real hasher would spend most of the test's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _uploads_in_tmp(media):
    """Every recruitment test keeps applicants' uploads out of the shared media folder."""


class Org:
    def __init__(self, region, plugins):
        self.region = region
        self.hr = make_user(region, Role.HR_ADMIN, username=f"hr-{region.schema_name}")
        with in_region(region):
            self.unit = make_unit("BKPSDM", "Badan Kepegawaian dan PSDM", UnitType.BADAN)
            self.position = Position.objects.create(code="ANALIS-SDM", title="Analis SDM Aparatur",
                                                    kind=PositionKind.FUNCTIONAL, position_class=8)
            self.manager_position = Position.objects.create(code="KABID-PENGADAAN", title="Kepala Bidang Pengadaan",
                                                            kind=PositionKind.STRUCTURAL, position_class=11)
            for plugin in plugins:
                set_plugin_enabled(plugin, True, actor=self.hr)

    def opening(self, code="cpns-analis-2026", kind="cpns", posts=3, managerial=False, onboarding=(), **extra):
        fields = dict(
            actor=self.hr, code=code, title="Analis SDM Aparatur", kind=kind, position=self.position, unit=self.unit,
            posts=posts, rank="III/a", requirements="S1 Psikologi / Manajemen SDM, IPK >= 3.00",
            documents_required=["KTP", "Ijazah", "Transkrip nilai"], registration_opens=OPEN_DAY,
            registration_closes=OPEN_DAY + datetime.timedelta(days=14), schedule="Mar 2026: registration",
            managerial=managerial, onboarding_courses=list(onboarding))
        fields.update(extra)
        return create_opening(**fields)


@pytest.fixture
def national(region_a):
    """Region A with the national recruitment plugin; the test runs in region A's schema."""
    org = Org(region_a, [NATIONAL])
    with in_region(region_a):
        yield org


@pytest.fixture
def tebingtinggi(region_b):
    """Region B running Kota Tebingtinggi's plugins: the national flow plus Tebingtinggi's own stages, and
    the national training catalog for the new hires' onboarding."""
    org = Org(region_b, [NATIONAL, TEBINGTINGGI, TRAINING_NATIONAL])
    with in_region(region_b):
        yield org
