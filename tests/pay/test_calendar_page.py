"""The working-days page is valid HTML: no form sits directly in a table or row (browsers move such a form
out, leaving its fields unsent); each weekday's fields name their form, and saving one still works."""
import datetime
from html.parser import HTMLParser

from kinerja.accounts.models import Role
from kinerja.region.models import WorkingDay
from tests.factories import make_login
from tests.helpers import client_for, in_region

TABLE_PARTS = {"table", "thead", "tbody", "tfoot", "tr"}
FIELDS = {"input", "button", "select", "textarea"}
VOID = {"input", "br", "img", "meta", "link", "hr", "col", "area", "base", "embed", "source", "track", "wbr"}


class FormCheck(HTMLParser):
    """Forms whose parent is a table part, form ids, and the fields of the week table with their form."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.misplaced: list[str] = []
        self.form_ids: set[str] = set()
        self.week_fields: list[tuple[str, str | None]] = []  # (name, id of its form)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if self.stack and self.stack[-1][0] in TABLE_PARTS:
                self.misplaced.append(self.stack[-1][0])
            if attrs.get("id"):
                self.form_ids.add(attrs["id"])
        in_week = any(a.get("data-testid") == "week" for _t, a in self.stack)
        if tag in FIELDS and in_week and attrs.get("name"):
            enclosing = next((a for t, a in reversed(self.stack) if t == "form"), None)
            owner = attrs.get("form") or (enclosing.get("id", "enclosing") if enclosing is not None else None)
            self.week_fields.append((attrs["name"], owner))
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break


def _check(content: bytes) -> FormCheck:
    check = FormCheck()
    check.feed(content.decode())
    return check


def test_no_form_is_nested_in_a_table_row_and_every_field_has_its_form(in_a, hr):
    check = _check(client_for(in_a, hr).get("/pay/calendar/").content)
    assert check.misplaced == []
    names = {name for name, _owner in check.week_fields}
    assert {"weekday", "is_working", "starts_at", "ends_at"} <= names
    for name, owner in check.week_fields:
        assert owner is not None, f"{name} belongs to no form"
        assert owner == "enclosing" or owner in check.form_ids, f"{name} names a missing form {owner}"
    # one form per weekday, each holding its own weekday number
    assert {f"weekday-{n}" for n in range(7)} <= check.form_ids


def test_saving_a_weekday_through_its_form(in_a, hr):
    response = client_for(in_a, hr).post("/pay/calendar/", {
        "weekday": "5", "is_working": "on", "starts_at": "08:00", "ends_at": "12:00"})
    assert response.status_code == 302
    with in_region(in_a):
        saturday = WorkingDay.objects.get(weekday=5)
    assert (saturday.is_working, saturday.starts_at, saturday.ends_at) == (True, datetime.time(8), datetime.time(12))


def test_readers_see_the_week_without_forms(in_a):
    leadership = make_login(Role.LEADERSHIP)
    check = _check(client_for(in_a, leadership).get("/pay/calendar/").content)
    assert check.misplaced == [] and not any(name.startswith("weekday-") for name in check.form_ids)
