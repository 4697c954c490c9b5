from django.template import Context, Template

from ketnoi.templatetags.money import vnd


def test_amounts_show_dots_between_thousands_and_the_dong_sign():
    assert vnd(12_345_678) == "12.345.678\u00a0₫"
    assert vnd("-1500") == "-1.500\u00a0₫"
    assert vnd(0) == "0\u00a0₫"


def test_missing_or_unreadable_amounts_show_nothing():
    assert vnd(None) == ""
    assert vnd("") == ""
    assert vnd("nhiều") == ""


def test_any_template_can_load_the_filter():
    rendered = Template("{% load money %}{{ amount|vnd }}").render(
        Context({"amount": 20_000})
    )

    assert rendered == "20.000\u00a0₫"
