"""A payslip shows each line's explanation as the plugin wrote it, in the reader's language, and a
neutral sentence for a line that has none: the platform does not word lines by their rule codes."""
import datetime
import types

import pytest
from django.utils import translation

from kinerja.pay import selectors
from kinerja.pay.explain import explain
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.host import PluginHost, get_host, set_host
from kinerja_plugin_api.types import EARNING, Explanation, PayLine
from tests.helpers import client_for
from tests.factories import make_employee
from tests.pay.factories import computed_run, rate, use_pay_plugin

MARCH = datetime.date(2025, 3, 1)


def _sentences(result, code):
    return next(line.sentences for line in explain(result)["lines"] if line.code == code)


def test_the_payslip_shows_the_plugins_sentences_in_the_readers_language(in_a, hr, checker, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    employee = make_employee(unit, "Dewi", position_class=9)
    rate(employee, year=2024, work_result="above", behaviour="above", predicate="sangat_baik")
    run = computed_run(MARCH, hr, approve_with=checker, lock=True)
    result = selectors.result_for(hr, run.results.get(employee=employee).pk)

    assert _sentences(result, "TPP_KINERJA") == [
        "The performance part of your base TPP, paid according to your appraisal.", "Your predikat: Sangat Baik.",
        "60% of the base is the performance part, of which 100% is paid for your predikat."]
    assert _sentences(result, "BPJS_4") == [
        "The region's 4% share of your BPJS Kesehatan health insurance, paid on your behalf; it is not part of "
        "your take-home pay."]
    with translation.override("id"):
        assert _sentences(result, "TPP_KINERJA")[1] == "Predikat Anda: Sangat Baik."
        assert explain(result)["intro"][1] == "TPP dasar untuk kelas jabatan 9 adalah Rp 3.400.000 per bulan."

    page = client_for(in_a, employee.user).get(f"/pay/results/{result.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Your predikat: Sangat Baik." in page.content.decode()
    answer = client_for(in_a, employee.user).get(f"/api/v1/pay-results/{result.pk}/explanation/",
                                                 HTTP_ACCEPT_LANGUAGE="en").json()
    assert {line["code"]: line["explanation"] for line in answer["lines"]}["TPP_DISIPLIN"] == [
        "The discipline part of your base TPP."]


def _unexplained_plugin():
    module = types.ModuleType("test_unexplained_pay")
    module.PLUGIN_META = {"name": "test-unexplained-pay", "version": "1.0.0", "vendor": "Tests",
                          "hook_api": ">=2.0,<3.0", "description": "Lines without explanations."}

    @hookimpl
    def kinerja_compute_pay(employee):
        # the codes and inputs the first-party plugins use, to show the platform reads neither
        return [PayLine("TPP_KINERJA", "TPP Prestasi Kerja", 1_000_000, EARNING, {"predikat": "Baik", "base": 1_000_000}),
                PayLine("BONUS", "Bonus", 50_000, EARNING),
                PayLine("EXTRA", "Tambahan", 10_000, EARNING, {}, Explanation("Hanya dalam bahasa Indonesia."))]

    module.kinerja_compute_pay = kinerja_compute_pay
    return module


@pytest.fixture
def unexplained_host():
    host = PluginHost()
    for info in get_host().plugins():
        host.register(get_host().manager.get_plugin(info.name))
    assert host.register(_unexplained_plugin()) is not None
    previous = set_host(host)
    yield host
    set_host(previous)


def test_a_line_without_explanation_gets_a_neutral_sentence_whatever_its_code(unexplained_host, in_a, hr, unit):
    use_pay_plugin("test-unexplained-pay", hr)
    employee = make_employee(unit, "Eko", position_class=5)
    run = computed_run(MARCH, hr)
    result = selectors.result_for(hr, run.results.get(employee=employee).pk)
    assert _sentences(result, "TPP_KINERJA") in (["Computed from: predikat = Baik, base = 1000000."],
                                                 ["Computed from: base = 1000000, predikat = Baik."])
    assert _sentences(result, "BONUS") == []
    # no English given: the Indonesian sentence is shown in English too
    assert _sentences(result, "EXTRA") == ["Hanya dalam bahasa Indonesia."]


def test_the_payslip_opens_with_a_base_only_when_a_line_gives_a_number():
    from types import SimpleNamespace as Line

    from kinerja.pay.explain import _base_of

    assert _base_of([Line(inputs={}), Line(inputs={"base": "1840000.5"})]) == 1_840_001
    assert _base_of([Line(inputs={"base": "tidak ada"})]) is None
    assert _base_of([Line(inputs={"base": "NaN"})]) is None
    assert _base_of([Line(inputs={"days": 3})]) is None
