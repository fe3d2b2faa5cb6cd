"""tools/i18n_to_po.py: merging tuple tables into the catalogs, stripping them, old imports."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / "tools" / "i18n_to_po.py"


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("i18n_to_po", TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


SOURCE = '''\
"""Labels."""

from fundledger import i18n

#: key -> (fr, it, en)
_TABLE: dict[str, tuple[str, str, str]] = {
    "b.key": ("Bé", "Bi", "Bee"),
    "a.key": ("Page {page}\\u202f:", "Pagina {page}:",
              "Page "
              "{page}:"),
}

LABELS = i18n.LABELS
'''


def texts(locale: Path, lang: str, domain: str = "fundledger") -> dict[str, str]:
    with (locale / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle, abort_invalid=True) if m.id}


def test_merge_adds_updates_keeps_and_is_stable(tool, tmp_path: Path) -> None:
    source, locale = tmp_path / "labels.py", tmp_path / "locale"
    source.write_text(SOURCE, encoding="utf-8")
    assert tool.main(["merge", str(source), "--locale-dir", str(locale)]) == 0
    assert texts(locale, "fr") == {"a.key": "Page {page}\u202f:", "b.key": "Bé"}
    assert texts(locale, "en") == {"a.key": "Page {page}:", "b.key": "Bee"}
    french = (locale / "fr" / "LC_MESSAGES" / "fundledger.po").read_text(encoding="utf-8")
    assert french.index('msgid "a.key"') < french.index('msgid "b.key"')  # sorted
    assert "Generated-By" not in french and '"Language: fr_FR\\n"' in french
    # a re-run changes no byte
    before = {path: path.read_bytes() for path in locale.rglob("*.po")}
    tool.main(["merge", str(source), "--locale-dir", str(locale)])
    assert {path: path.read_bytes() for path in locale.rglob("*.po")} == before
    # another branch's table: one text changed, one key new, one key gone (kept)
    source.write_text(SOURCE.replace('"Bi"', '"Bì"').replace(
        '    "b.key"', '    "c.key": ("Cé", "Ci", "See"),\n    "b.key"').replace(
        '    "a.key": ("Page {page}\\u202f:", "Pagina {page}:",\n              "Page "\n'
        '              "{page}:"),\n', ""), encoding="utf-8")
    tool.main(["merge", str(source), "--locale-dir", str(locale)])
    assert texts(locale, "it") == {"a.key": "Pagina {page}:", "b.key": "Bì", "c.key": "Ci"}
    # the last run, with the complete table, drops the keys it no longer holds
    tool.main(["merge", str(source), "--locale-dir", str(locale), "--prune"])
    assert texts(locale, "it") == {"b.key": "Bì", "c.key": "Ci"}


def test_merge_keeps_a_translators_edit_of_other_keys(tool, tmp_path: Path) -> None:
    source, locale = tmp_path / "labels.py", tmp_path / "locale"
    source.write_text(SOURCE, encoding="utf-8")
    tool.main(["merge", str(source), "--locale-dir", str(locale), "--domain", "site"])
    po = locale / "en" / "LC_MESSAGES" / "site.po"
    po.write_text(po.read_text(encoding="utf-8") + '\n# checked by the board\n'
                  'msgid "z.key"\nmsgstr "Zed"\n', encoding="utf-8")
    tool.main(["merge", str(source), "--locale-dir", str(locale), "--domain", "site"])
    assert texts(locale, "en", "site")["z.key"] == "Zed"
    assert "# checked by the board" in po.read_text(encoding="utf-8")


def test_strip_deletes_the_table_once_merged(tool, tmp_path: Path) -> None:
    source, locale = tmp_path / "labels.py", tmp_path / "locale"
    source.write_text(SOURCE, encoding="utf-8")
    tool.main(["merge", str(source), "--locale-dir", str(locale), "--strip"])
    assert source.read_text(encoding="utf-8") == (
        '"""Labels."""\n\nfrom fundledger import i18n\n\n\nLABELS = i18n.LABELS\n')
    assert set(texts(locale, "fr")) == {"a.key", "b.key"}
    with pytest.raises(SystemExit, match="no module-level _TABLE"):
        tool.main(["merge", str(source), "--locale-dir", str(locale)])


def test_a_malformed_table_is_refused(tool, tmp_path: Path) -> None:
    source = tmp_path / "labels.py"
    source.write_text('_TABLE = {"a": ("un", "uno")}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="tuple of three texts"):
        tool.main(["merge", str(source), "--locale-dir", str(tmp_path / "locale")])
    assert not (tmp_path / "locale").exists()


def test_imports_point_at_the_new_modules(tool) -> None:
    old = ("from fundledger.reports import charts, facts, i18n  # noqa: E402\n"
           "    from fundledger.reports.i18n import t\n"
           "from fundledger.reports import quarterly\n"
           "import fundledger.reports.charts\n")
    assert tool.rewrite_imports(old) == (
        "from fundledger import charts, i18n  # noqa: E402\n"
        "from fundledger.reports import facts  # noqa: E402\n"
        "    from fundledger.i18n import t\n"
        "from fundledger.reports import quarterly\n"
        "import fundledger.charts\n")
