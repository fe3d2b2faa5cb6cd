"""Translation tables and locale formatting (shared with the transparency site)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fundledger import i18n


def test_every_label_exists_in_every_language() -> None:
    for key, labels in i18n.LABELS.items():
        assert set(labels) == set(i18n.LANGUAGES), key
        assert all(text.strip() for text in labels.values()), key


def test_placeholders_agree_across_languages() -> None:
    import string

    for key, labels in i18n.LABELS.items():
        fields = {lang: {f for _, f, _, _ in string.Formatter().parse(text) if f}
                  for lang, text in labels.items()}
        assert fields["fr"] == fields["it"] == fields["en"], key


def test_unknown_key_and_language_are_errors() -> None:
    with pytest.raises(KeyError):
        i18n.t("no.such.label", "fr")
    with pytest.raises(ValueError, match="unknown language"):
        i18n.t("total", "de")


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", "1\u202f000\u202f000,00\u00a0€"),
    ("it", "1.000.000,00\u00a0€"),
    ("en", "€1,000,000.00"),
])
def test_money(lang: str, expected: str) -> None:
    assert i18n.format_money(Decimal("1000000"), lang) == expected


@pytest.mark.parametrize(("lang", "date", "percent", "number"), [
    ("fr", "30 septembre 2025", "20,0\u00a0%", "12\u202f345,50"),
    ("it", "30 settembre 2025", "20,0%", "12.345,50"),
    ("en", "30 September 2025", "20.0%", "12,345.50"),
])
def test_dates_percentages_numbers(lang: str, date: str, percent: str, number: str) -> None:
    assert i18n.format_date(datetime.date(2025, 9, 30), lang) == date
    assert i18n.format_percent(Decimal("0.2"), lang) == percent
    assert i18n.format_rate(20, lang) == percent
    assert i18n.format_number(Decimal("12345.5"), lang, 2) == number


def test_labels_with_values_and_kinds() -> None:
    assert i18n.t("page", "it", page=2, pages=5) == "Pagina 2 di 5"
    assert i18n.format_quarter(2025, 3, "fr") == "3e trimestre 2025"
    assert i18n.fund_kind("restricted", "it") == "Vincolato"
    assert i18n.grantee_kind("person", "fr") == "Personne physique"
    assert i18n.cost_label("Expenses:Admin:Management", "en") == "Management costs"
    assert i18n.cost_label("Expenses:Travel", "fr") == "Autres charges"


def test_locales_are_parsed_once_not_per_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """A report formats about a thousand numbers: parsing the locale each time was slow."""
    from babel import Locale

    def every_format(lang: str) -> list[str]:
        return [i18n.format_money(Decimal("1234.5"), lang), i18n.format_number(3, lang),
                i18n.format_number(Decimal("1234.5"), lang, 2), i18n.format_percent(0.2, lang),
                i18n.format_rate(4, lang), i18n.format_date(datetime.date(2025, 9, 30), lang),
                i18n.format_quarter(2025, 3, lang)]

    before = {lang: every_format(lang) for lang in i18n.LANGUAGES}  # warm
    parsed: list[str] = []
    original = Locale.parse

    def spy(identifier, *args, **kwargs):
        if not isinstance(identifier, Locale):
            parsed.append(identifier)
        return original(identifier, *args, **kwargs)

    monkeypatch.setattr(Locale, "parse", staticmethod(spy))
    for _ in range(3):
        assert {lang: every_format(lang) for lang in i18n.LANGUAGES} == before
    assert parsed == []
    assert i18n.locale_of("fr") is i18n.locale_of("fr")
