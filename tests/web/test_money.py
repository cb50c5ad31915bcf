from django.template import Context, Template


def render(value):
    return Template("{% load money %}{{ value|rupiah }}").render(Context({"value": value}))


def test_rupiah_groups_thousands_with_dots_and_keeps_the_sign():
    assert render(2401245) == "Rp 2.401.245"
    assert render(0) == "Rp 0"
    assert render(-15000) == "-Rp 15.000"
    assert render(None) == "—"
