import pytest
from django.utils import translation
from kinerja.celery import app

from tests.factories import build_organisation
from tests.helpers import in_region


@pytest.fixture(autouse=True)
def _english():
    """Assertions read the English source texts unless a test asks for Indonesian."""
    with translation.override("en"):
        yield


@pytest.fixture
def org(region_a):
    """An organisation in region A; the test body runs with region A's schema active."""
    with in_region(region_a):
        yield build_organisation(region_a)


@pytest.fixture
def mail(mailoutbox, django_capture_on_commit_callbacks):
    """Tasks run here and now, and `mail.commit()` runs what waits for the transaction's commit, so the
    e-mails land in the outbox as they would after a real commit."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True

    class Mail:
        outbox = mailoutbox

        @staticmethod
        def commit():
            return django_capture_on_commit_callbacks(execute=True)

        def to(self, address: str) -> list:
            return [message for message in mailoutbox if address in message.to]

    yield Mail()
    app.conf.task_always_eager = previous


def with_email(*users):
    for number, user in enumerate(users):
        user.email = f"{user.username}@example.go.id"
        user.save(update_fields=["email"])
    return users
