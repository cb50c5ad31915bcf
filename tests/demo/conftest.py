import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo hashes its password once per run and every login test checks it again; the slow default
    hasher would make these tests take seconds each without testing anything more."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """The demo uploads an attendance file; tests keep it out of the shared media folder."""
    settings.MEDIA_ROOT = tmp_path
