"""The gettext catalogs: complete in every language, parsed by Babel, the only source of texts."""

from __future__ import annotations

import ast
import datetime
import string
import tomllib
from decimal import Decimal
from pathlib import Path, PurePosixPath

import pytest
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from fundledger import i18n
from fundledger.i18n import catalogs
from fundledger.i18n.formatter import Formatter
from fundledger.publish import labels as site_labels

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "fundledger"
LOCALE = SRC / "i18n" / "locale"
CATALOGS = [(lang, domain) for lang in i18n.LANGUAGES for domain in catalogs.DOMAINS]


def fields(text: str) -> set[str]:
    """The ``{placeholders}`` of a text (``str.format`` syntax)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize(("lang", "domain"), CATALOGS)
def test_catalogs_parse_with_babel(lang: str, domain: str) -> None:
    path = LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    assert str(catalog.locale) == i18n.LOCALES[lang]
    entries = [message for message in catalog if message.id]
    assert len(entries) > (200 if domain == catalogs.DOMAIN else 50)
    assert not [m.id for m in entries if m.fuzzy or not m.string], "fuzzy or empty msgstr"
    assert not catalog.obsolete, "obsolete (#~) entries: delete them"


@pytest.mark.parametrize("domain", catalogs.DOMAINS)
def test_every_key_in_every_language_with_the_same_placeholders(domain: str) -> None:
    keys = {lang: set(catalogs.messages(lang, domain)) for lang in i18n.LANGUAGES}
    every = set().union(*keys.values())
    for lang, present in keys.items():
        assert every - present == set(), f"missing in {lang}/{domain}.po"
    for key in every:
        texts = {lang: catalogs.messages(lang, domain)[key] for lang in i18n.LANGUAGES}
        assert all(text.strip() for text in texts.values()), key
        assert fields(texts["fr"]) == fields(texts["it"]) == fields(texts["en"]), (key, texts)


def test_a_missing_translation_or_placeholder_is_caught(tmp_path: Path) -> None:
    """The check above fails on a catalog that lacks a key or renames a placeholder."""
    broken = (LOCALE / "it" / "LC_MESSAGES" / "fundledger.po").read_text(encoding="utf-8")
    broken = broken.replace('msgid "total"\nmsgstr "Totale"\n', "")
    broken = broken.replace("Pagina {page} di {pages}", "Pagina {pagina} di {pages}")
    with (tmp_path / "it.po").open("w", encoding="utf-8") as handle:
        handle.write(broken)
    with (tmp_path / "it.po").open("rb") as handle:
        italian = {m.id: m.string for m in read_po(handle) if m.id}
    french = catalogs.messages("fr")
    assert set(french) - set(italian) == {"total"}
    assert fields(italian["page"]) != fields(french["page"])


def test_t_reads_the_catalogs_and_fails_loudly() -> None:
    assert i18n.t("section.endowment", "fr") == catalogs.messages("fr")["section.endowment"]
    with pytest.raises(KeyError):
        i18n.t("no.such.label", "it")
    with pytest.raises(ValueError, match="unknown language"):
        i18n.t("total", "de")
    with pytest.raises(KeyError):
        site_labels.t("no.such.label", "fr")
    # the site's own label first, then the shared one
    assert site_labels.t("site.transparency", "it") == "Trasparenza"
    assert site_labels.t("figures.received", "fr") == i18n.t("figures.received", "fr")
    # a site key may say it its own way on the site (the site's catalog wins)
    assert site_labels.t("contributor.title", "en") == (
        catalogs.messages("en", catalogs.SITE)["contributor.title"])


#: A few texts as the outputs print them, pinned literally: typography (narrow no-break
#: space before a French colon, typographic quotes, dashes) survives the .po round trip.
RENDERED = [
    (("colon", "fr"), {}, "\u202f:"),
    (("colon", "it"), {}, ":"),
    (("not_applicable", "en"), {}, "—"),
    (("page", "it"), {"page": 2, "pages": 5}, "Pagina 2 di 5"),
    (("quarterly.title", "fr"), {}, "Rapport trimestriel d'allocation"),
    (("quarterly.period", "en"), {"start": "1 July 2025", "end": "30 September 2025"},
     "Period from 1 July 2025 to 30 September 2025"),
    (("private.note", "en"), {}, "Grantees marked “private” must not appear in any public "
                                 "document."),
    (("closing.closed", "fr"), {"date": "31 décembre 2025", "note": "comptes approuvés"},
     "Période close le 31 décembre 2025\u202f: comptes approuvés"),
]


@pytest.mark.parametrize(("args", "values", "expected"), RENDERED)
def test_rendered_texts(args: tuple[str, str], values: dict[str, object], expected: str) -> None:
    assert i18n.t(*args, **values) == expected


def test_templates_formatter_renders_as_before() -> None:
    fmt = Formatter("fr")
    assert fmt.money(Decimal("1180450")) == "1\u202f180\u202f450,00\u00a0€"
    assert fmt.amount(Decimal("-123.454")) == "-123,45"
    assert fmt.date(datetime.date(2025, 9, 30)) == "30 septembre 2025"
    assert fmt.rate(20) == "20,0\u00a0%"
    assert fmt.fund_kind("restricted") == "Dédié"
    assert fmt.cost("Expenses:Travel") == "Autres charges"
    assert Formatter("it").t("figures.available") == "Disponibile"


def test_catalogs_are_package_data() -> None:
    """An installed wheel carries every catalog (setuptools package-data globs)."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["fundledger"]
    for path in LOCALE.rglob("*.po"):
        relative = PurePosixPath(path.relative_to(SRC).as_posix())
        assert any(relative.match(glob) or relative.match(glob.removeprefix("**/"))
                   for glob in globs), relative
    assert catalogs.po_file("fr").is_file()  # found through importlib.resources


#: Modules that must reach labels, formats and charts through fundledger.i18n / .charts.
OUTPUT_ROOMS = ("reports", "fava", "publish", "cli", "importers", "scaffold", "queries")
OLD_MODULES = {"fundledger.reports.i18n", "fundledger.reports.charts"}


def old_imports(path: Path) -> list[str]:
    """The old presentation modules ``path`` imports, as ``file:module``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name in OLD_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [f"{node.module}.{alias.name}" for alias in node.names
                      if f"{node.module}.{alias.name}" in OLD_MODULES]
            if node.module in OLD_MODULES:
                found.append(node.module)
    return [f"{path.name}:{name}" for name in found]


def test_outputs_import_presentation_from_its_own_room() -> None:
    shim = SRC / "reports" / "i18n.py"
    paths = [path for room in OUTPUT_ROOMS for path in (SRC / room).rglob("*.py")
             if path != shim]
    paths += [path for path in (REPO / "tests").rglob("*.py")]
    assert len(paths) > 50
    assert [f"{path.relative_to(REPO)}: {found}" for path in paths
            for found in old_imports(path)] == []
    assert not (SRC / "reports" / "charts.py").exists()


def test_old_imports_are_detected(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from fundledger.reports import charts, facts\n"
                      "import fundledger.reports.i18n\n"
                      "def f():\n    from fundledger.reports.i18n import t\n",
                      encoding="utf-8")
    assert sorted(old_imports(sample)) == ["sample.py:fundledger.reports.charts",
                                           "sample.py:fundledger.reports.i18n",
                                           "sample.py:fundledger.reports.i18n"]


def _babel_messages(raw: bytes) -> dict[str, str]:
    import io

    catalog = read_po(io.BytesIO(raw), abort_invalid=True)
    return {message.id: message.string for message in catalog if message.id and message.string}


@pytest.mark.parametrize(("lang", "domain"), CATALOGS)
def test_the_quick_reader_reads_every_catalog_as_babel_does(lang: str, domain: str) -> None:
    raw = (LOCALE / lang / "LC_MESSAGES" / f"{domain}.po").read_bytes()
    quick = catalogs.quick_messages(raw)
    assert quick is not None, "a shipped catalog falls back to Babel: keep them plain"
    assert list(quick.items()) == list(_babel_messages(raw).items())


_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'


@pytest.mark.parametrize(("body", "plain"), [
    ('# a comment\nmsgid "a"\nmsgstr "A \\"quoted\\"\\tand\\\\ \\n"\n', True),
    ('msgid ""\n"long."\n"key"\nmsgstr ""\n"Texte "\n"continué"\n\n#: x.py:1\n'
     'msgid "b"\nmsgstr ""\n', True),
    ('msgid "a"\nmsgstr "Été\u00a0: oui"\n', True),
    ('#, fuzzy\nmsgid "a"\nmsgstr "A"\n', False),
    ('msgctxt "c"\nmsgid "a"\nmsgstr "A"\n', False),
    ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "A"\nmsgstr[1] "As"\n', False),
    ('msgid "a"\nmsgstr "A"\n#~ msgid "old"\n#~ msgstr "Vieux"\n', False),
    ('msgid "a"\nmsgstr "A"\n# a comment ends the entry\n"more"\n', False),
])
def test_the_quick_reader_agrees_with_babel_or_leaves_it_to_babel(body: str,
                                                                   plain: bool) -> None:
    raw = (_HEADER + body).encode("utf-8")
    quick = catalogs.quick_messages(raw)
    assert (quick is not None) == plain
    if quick is not None:
        assert quick == _babel_messages(raw)
    latin = raw.replace(b"charset=utf-8", b"charset=latin-1")
    assert catalogs.quick_messages(latin) is None  # another charset: Babel decodes it


_PO_LINES = ['msgid "a"', 'msgid "b"', 'msgid ""', 'msgstr "A"', 'msgstr ""', '"x\\n"',
             '"y\\"z"', "# c", "#: f.py:1", "#. auto", "#, fuzzy", "", 'msgctxt "c"',
             '  msgid "a"  ', '"é\\t"', 'msgstr "B\\\\"', '#~ msgid "o"', 'msgid_plural "p"',
             'msgstr[0] "q"', "garbage", '#| msgid "old"']


@given(st.lists(st.sampled_from(_PO_LINES), max_size=10))
def test_what_the_quick_reader_reads_babel_reads_alike(lines: list[str]) -> None:
    """Any file the quick reader accepts, Babel reads without error and to the same texts
    (the others go to Babel)."""
    raw = (_HEADER + "\n".join(lines) + "\n").encode("utf-8")
    quick = catalogs.quick_messages(raw)
    if quick is not None:
        assert quick == _babel_messages(raw)
