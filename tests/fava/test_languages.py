"""The fundledger Fava pages speak the ledger's language (fr, it, en): every label comes
from fundledger.i18n, none is left in English on the French demo books."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fava.application import create_app

from fundledger import i18n
from fundledger.fava import PAGES, extension
from tests.fava.conftest import LYON, REPO, write_small

TEMPLATES = REPO / "src" / "fundledger" / "fava" / "templates"
TORINO = REPO / "ledger" / "torino" / "main.beancount"
#: Labels of the pages that are the same in French (or Italian) and English, on purpose;
#: any other label whose translation is its English text is a translation left undone.
SAME_WORD = {"total", "date", "colon", "grantee_kind.association", "section.impact",
             "contributor.impact", "fava.code", "fava.message"}
#: Labels whose English word is also a French word used by another label ("Programmes",
#: the French for the Expenses:Programs costs): seen on a French page, it is French.
FRENCH_TOO = {"programmes"}


class Visible(HTMLParser):
    """The text a reader sees in the fundledger part of a page (and its ``title``s)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # <div> nesting inside div.fundledger (0: outside)
        self.hidden = 0  # inside <style>/<script>
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "div" and (self.depth or "fundledger" in (attributes.get("class") or "")):
            self.depth += 1
        if tag in ("style", "script"):
            self.hidden += 1
        if self.depth and attributes.get("title"):
            self.parts.append(str(attributes["title"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.depth:
            self.depth -= 1
        if tag in ("style", "script"):
            self.hidden -= 1

    def handle_data(self, text: str) -> None:
        if self.depth and not self.hidden and text.strip():
            self.parts.append(" ".join(text.split()))


def visible(html: str) -> str:
    parser = Visible()
    parser.feed(html)
    assert parser.parts, "no div.fundledger on the page"
    return "\n".join(parser.parts)


def fragments(label: str) -> list[str]:
    """The words of a label around its ``{placeholders}``, as they appear on a page."""
    return [" ".join(part.split()).strip(" ,;:.()") for part in re.split(r"\{\w+\}", label)]


def english_left(text: str, keys: set[str], lang: str) -> list[tuple[str, str]]:
    """(key, English words) of the labels ``keys`` whose English shows in ``text``.

    A label whose ``lang`` text is its English text counts as left in English, unless
    it is one of :data:`SAME_WORD`.
    """
    left = []
    for key in sorted(keys):
        labels = i18n.LABELS[key]
        if lang == "fr" and key in FRENCH_TOO:
            continue
        if labels["en"] == labels[lang]:
            if key not in SAME_WORD:
                left.append((key, labels["en"]))
            continue
        translated = " ".join(labels[lang].split())
        for words in fragments(labels["en"]):
            if len(re.findall(r"[^\W\d_]", words)) < 4 or words in translated:
                continue  # "of", "—", or the same word in both languages ("Impact")
            if re.search(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text):
                left.append((key, words))
    return left


def render(ledger: Path, addresses: dict[str, str], monkeypatch: pytest.MonkeyPatch,
           ) -> dict[str, tuple[str, str, set[str]]]:
    """``{address: (html, visible text, label keys used)}`` of pages of ``ledger``."""
    real, used = i18n.t, set()

    def recording(key: str, lang: str, **values: object) -> str:
        used.add(key)
        return real(key, lang, **values)

    monkeypatch.setattr(i18n, "t", recording)
    app = create_app([str(ledger)], load=True)
    client = app.test_client()
    bfile = app.config["LEDGERS"].first_slug()
    found = {}
    for address, query in addresses.items():
        used.clear()
        answer = client.get(f"/{bfile}/extension/{PAGES[address.split('?')[0]]}/{query}")
        assert answer.status_code == 200, answer.data[:2000]
        html = answer.get_data(as_text=True)
        found[address] = (html, visible(html), set(used))
    monkeypatch.setattr(i18n, "t", real)
    return found


#: The Lyon pages, with the variants that show other labels (a date with no figures, an
#: unknown contributor or loan, a loan's full schedule, a second page of grants).
LYON_PAGES = {
    "funds": "", "funds?at": "?at=2024-12-31", "funds?at=nokept": "?at=2024-05-05",
    "grants": "", "grants?page": "?page=2", "loans": "", "loans?loan": "?loan=P-2020-001",
    "loans?loan=unknown": "?loan=P-404", "contributors": "",
    "contributors?contributor": "?contributor=Métropole de Lyon",
    "contributors?contributor=unknown": "?contributor=Nobody", "compliance": "",
}


@pytest.fixture(scope="module")
def lyon_pages() -> Iterator[dict[str, dict[str, tuple[str, str, set[str]]]]]:
    """The Lyon pages as the ledger asks (French), and forced to English."""
    if not LYON.exists():
        pytest.skip(f"{LYON} not written yet")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(extension, "PAGE_SIZE", 50)  # 83 grants: two pages
        french = render(LYON, LYON_PAGES, monkeypatch)
        monkeypatch.setattr(extension, "language", lambda ledger: "en")
        english = render(LYON, LYON_PAGES, monkeypatch)
    yield {"fr": french, "en": english}


@pytest.mark.parametrize("address", LYON_PAGES)
def test_lyon_pages_have_no_english_label_left(lyon_pages: Any, address: str) -> None:
    _, french, keys = lyon_pages["fr"][address]
    _, english, english_keys = lyon_pages["en"][address]
    assert keys == english_keys  # the same labels, only their language differs
    assert english_left(english, keys, "fr"), "the English rendering shows English labels"
    assert english_left(french, keys, "fr") == []


def test_lyon_pages_show_french_labels(lyon_pages: Any) -> None:
    def fr(key: str, **values: object) -> str:
        return " ".join(i18n.t(key, "fr", **values).split())

    pages = {address: text for address, (_, text, _) in lyon_pages["fr"].items()}
    assert fr("figures.received") in pages["funds"] and fr("fava.transfers") in pages["funds"]
    assert fr("fund_kind.endowment") in pages["funds"]
    assert fr("fava.grants") in pages["grants"] and fr("page", page=2, pages=2) in \
        pages["grants?page"]
    assert fr("loan.outstanding") in pages["loans"]
    assert fr("fava.schedule.of", loan="P-2020-001", borrower="Le Cent Sept") in \
        pages["loans?loan"]
    assert fr("contributor.unspent") in pages["contributors?contributor"]
    assert fr("fava.contributors.unknown", name="Nobody") in \
        pages["contributors?contributor=unknown"]
    assert fr("fava.compliance.none") in pages["compliance"]
    html = lyon_pages["fr"]["funds"][0]
    chart = re.search(r'<svelte-component type="charts"><script type="application/json">'
                      r"(.*?)</script>", html, re.S)
    assert chart and json.loads(chart.group(1))[0]["label"] == fr("chart.history")


def test_lyon_amounts_do_not_depend_on_the_language(lyon_pages: Any) -> None:
    """Figures and ``data-amount`` are the same in French and English (Fava's format)."""
    for address in LYON_PAGES:
        amounts = [[(amount, re.sub(r"<[^>]*>", "", shown)) for amount, shown in re.findall(
            r'data-amount="([^"]*)"[^>]*>(.*?)</(?:td|a)>', lyon_pages[lang][address][0], re.S)]
            for lang in ("fr", "en")]
        if address.startswith(("funds", "grants", "loans")):
            assert amounts[0], address
        assert amounts[0] == amounts[1], address


def test_templates_hold_no_text_of_their_own() -> None:
    """Every word of the pages goes through extension.tr (an unknown key raises)."""
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<style>.*?</style>", " ", source,
                        flags=re.S)
        parser = Visible()
        parser.depth = 1  # the whole template
        parser.feed(source)
        words = [part for part in parser.parts if re.search(r"[^\W\d_]", part)]
        assert words == [], (template.name, words)


def test_page_labels_are_translated() -> None:
    """The pages' own labels (fava.*) exist in fr, it, en, none left in English."""
    keys = [key for key in i18n.LABELS if key.startswith("fava.")]
    assert len(keys) > 50
    for key in keys:
        labels = i18n.LABELS[key]
        if key not in SAME_WORD:
            assert labels["fr"] != labels["en"] and labels["it"] != labels["en"], key


def sidebar(path: Path) -> dict[str, str]:
    app = create_app([str(path)], load=True)
    ledger = app.config["LEDGERS"].ledgers[0]
    return {d.name: d.report_title for d in ledger.extensions.extension_details
            if d.report_title is not None}  # what Fava lists in its sidebar


def test_sidebar_titles_follow_the_language(tmp_path: Path) -> None:
    path = write_small(tmp_path)
    path.write_text(path.read_text() + '2019-01-01 custom "fundledger-option" "language" "fr"\n')
    assert sidebar(path) == {"FundledgerFunds": "Fonds", "FundledgerGrants": "Subventions",
                             "FundledgerLoans": "Prêts",
                             "FundledgerContributors": "Contributeurs",
                             "FundledgerCompliance": "Conformité",
                             "FundledgerProgrammes": "Appels à projets",
                             "FundledgerBudget": "Budget et prévisions"}


@pytest.mark.parametrize(("declared", "expected"), [
    ("", "en"),
    ('custom "fundledger-option" "language" "it"', "it"),
    ('custom "fava-option" "language" "fr"', "fr"),  # Fava's option alone
    ('custom "fava-option" "language" "fr_FR"', "fr"),
    # Fava's option, when fundledger speaks it, wins over fundledger's own.
    ('custom "fundledger-option" "language" "it"\n2019-01-01 custom "fava-option" "language" "en"',
     "en"),
    # A language fundledger does not speak leaves fundledger's option in charge.
    ('custom "fundledger-option" "language" "it"\n2019-01-01 custom "fava-option" "language" "de"',
     "it"),
])
def test_language_choice(tmp_path: Path, declared: str, expected: str) -> None:
    path = write_small(tmp_path)
    if declared:
        path.write_text(path.read_text() + f"2019-01-01 {declared}\n")
    app = create_app([str(path)], load=True)
    ledger = app.config["LEDGERS"].ledgers[0]
    assert extension.language(ledger) == expected
    html = app.test_client().get(
        f"/{app.config['LEDGERS'].first_slug()}/extension/FundledgerGrants/").get_data(
            as_text=True)
    assert f'lang="{expected}"' in html
    assert i18n.t("fava.grants.all", expected, count=2) in html


def test_torino_pages_are_in_italian(monkeypatch: pytest.MonkeyPatch) -> None:
    if not TORINO.exists():
        pytest.skip(f"{TORINO} not written yet")
    pages = render(TORINO, {"funds": "", "compliance": ""}, monkeypatch)
    for _, text, keys in pages.values():
        assert english_left(text, keys, "it") == []
    assert i18n.t("figures.received", "it") in pages["funds"][1]
    assert sidebar(TORINO)["FundledgerCompliance"] == "Conformità"
