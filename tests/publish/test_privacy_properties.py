"""Property: a withheld name never leaves, wherever in the books it is written.

Hypothesis writes ledgers with one withheld party -- a grantee who is a person, a private
grant, a donor who is a person, a private loan -- and then writes its name again in
random places: the withheld entry's own narration, metadata, links and tags, and other
entries' narrations, payees, published metadata, tags, links and account names, each
time in a random case, Unicode normalisation (NFC or NFD) and spacing.  Whatever the
books, every outside-facing output -- the public site (every file) and the contributor
statement of a public donor (HTML and CSV) -- either is written and holds the name in no
form (compared as :func:`fundledger.privacy.normalise` compares), or is refused with
exit 2 in one line, having written nothing.  And when the name sits only in the withheld
entry itself, the outputs are written: the property is not met by refusing everything.
"""

from __future__ import annotations

import html
import tempfile
import unicodedata
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from fundledger.cli import cli
from fundledger.privacy import normalise

HEAD = """\
option "title" "Fondation Propriété"
option "operating_currency" "EUR"
plugin "fundledger.plugins.funds"

2024-01-01 custom "fundledger-option" "language" "fr"
2024-01-01 open Assets:Bank:Main EUR
2024-01-01 open Assets:Loans:Honneur EUR
2024-01-01 open Liabilities:GrantsPayable EUR
2024-01-01 open Income:Contributions:Partners EUR
2024-01-01 open Expenses:Grants:Themes EUR
2024-01-01 open Expenses:Programs:Events EUR
2024-01-01 custom "fund" "general" "unrestricted" "Fonds libres"

2024-01-10 * "Mutuelle Publique" "Contribution"
  fund: "general"
  contributor-kind: "company"
  Assets:Bank:Main  50000.00 EUR
  Income:Contributions:Partners

2024-02-01 * "Recyclerie Ouverte" "Subvention atelier"
  grant: "G-PUB-1"
  fund: "general"
  grantee-kind: "association"
  projet: "atelier vélo"
  Expenses:Grants:Themes  1000.00 EUR
  Liabilities:GrantsPayable
"""

#: How the withheld party is withheld: (entry template, needs a trailing payment).
WITHHELD = {
    "person-grantee": '2024-03-01 * "{name}" "{narration}"{links}\n  grant: "G-SECRET-1"\n'
                      '  fund: "general"\n  grantee-kind: "person"\n{meta}'
                      "  Expenses:Grants:Themes  700.00 EUR\n  Liabilities:GrantsPayable\n",
    "private-grant": '2024-03-01 * "{name}" "{narration}"{links}\n  grant: "G-SECRET-1"\n'
                     '  fund: "general"\n  grantee-kind: "company"\n  private: TRUE\n{meta}'
                     "  Expenses:Grants:Themes  700.00 EUR\n  Liabilities:GrantsPayable\n",
    "person-donor": '2024-01-05 * "{name}" "{narration}"{links}\n  fund: "general"\n'
                    '  contributor-kind: "person"\n{meta}'
                    "  Assets:Bank:Main  300.00 EUR\n  Income:Contributions:Partners\n",
    "private-loan": '2024-03-01 * "{name}" "{narration}"{links}\n  loan: "P-SECRET-1"\n'
                    '  fund: "general"\n  grantee-kind: "company"\n  private: TRUE\n'
                    "  term-months: 24\n{meta}"
                    "  Assets:Loans:Honneur  400.00 EUR\n  Assets:Bank:Main\n",
}
#: Places in the withheld entry itself (never shown), and in other entries (may be shown).
OWN_PLACES = ("narration", "meta", "link", "tag")
OTHER_PLACES = ("other-narration", "other-payee", "other-projet", "other-tag", "other-link",
                "other-account")

word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèüö", min_size=3, max_size=7)
ascii_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=7)


@st.composite
def names(draw: st.DrawFn) -> str:
    """A name no page of the site would write by chance (it starts with "Qx")."""
    first = "Qx" + draw(ascii_word)
    if draw(st.booleans()):
        return f"{first.capitalize()} {draw(word).capitalize()}"
    return first.capitalize()


@st.composite
def forms(draw: st.DrawFn, name: str) -> str:
    """``name`` again, in a random case, normalisation and spacing."""
    cased = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in name)
    spaced = cased.replace(" ", " " * draw(st.integers(1, 3)))
    return unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), spaced)


def _token(text: str) -> str:
    """A form usable as a link, tag or account component (no spaces; ASCII letters kept)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if c.isascii() and c != " ")


@st.composite
def books(draw: st.DrawFn) -> tuple[str, str, bool]:
    """(ledger text, withheld name, whether the name sits only in the withheld entry)."""
    name = draw(names())
    kind = draw(st.sampled_from(sorted(WITHHELD)))
    places = draw(st.sets(st.sampled_from(OWN_PLACES + OTHER_PLACES), max_size=4))
    own_only = not places & set(OTHER_PLACES)
    one_word = " " not in name

    def form() -> str:
        return draw(forms(name))

    narration = f"Aide à {form()}" if "narration" in places else "Aide individuelle"
    meta = f'  note: "dossier de {form()}"\n' if "meta" in places else ""
    links = ""
    if "link" in places and one_word:
        links += f" ^{_token(form())}"
    if "tag" in places and one_word:
        links += f" #{_token(form()).lower()}"
    text = HEAD + "\n" + WITHHELD[kind].format(name=name, narration=narration,
                                                links=links, meta=meta)
    if kind in ("person-grantee", "private-grant"):
        text += (f'\n2024-04-01 * "{form()}" "Versement"\n  grant: "G-SECRET-1"\n'
                 "  Liabilities:GrantsPayable  700.00 EUR\n  Assets:Bank:Main\n"
                 )
    other_payee = form() if "other-payee" in places else "Imprimerie Centrale"
    other_narration = f"Atelier avec {form()}" if "other-narration" in places else "Atelier"
    extra = ""
    if "other-tag" in places and one_word:
        extra += f" #{_token(form()).lower()}"
    if "other-link" in places and one_word:
        extra += f" ^{_token(form())}"
    projet = f'  projet: "chantier {form()}"\n' if "other-projet" in places else ""
    text += (f'\n2024-05-01 * "{other_payee}" "{other_narration}"{extra}\n'
             f'  grant: "G-PUB-2"\n  fund: "general"\n  grantee-kind: "company"\n{projet}'
             "  Expenses:Grants:Themes  500.00 EUR\n  Liabilities:GrantsPayable\n")
    if "other-account" in places and one_word:
        account = f"Expenses:Programs:{_token(form()).capitalize()}"
        text += (f"\n2024-01-01 open {account} EUR\n"
                 f'2024-06-01 * "Traiteur" "Repas"\n  fund: "general"\n'
                 f"  {account}  80.00 EUR\n  Assets:Bank:Main\n")
    return text, name, own_only


def _readable(data: bytes) -> str:
    return normalise(html.unescape(data.decode("utf-8", "replace")))


def _outputs(ledger: Path, folder: Path) -> dict[str, tuple[int, str, list[Path]]]:
    """Run every outside-facing output: name -> (exit status, stderr, files written)."""
    runner = CliRunner()
    found = {}
    site = folder / "site"
    result = runner.invoke(cli, ["publish", str(ledger), "-o", str(site)])
    found["site"] = (result.exit_code, result.stderr,
                     [p for p in site.rglob("*") if p.is_file()] if site.exists() else [])
    for suffix in ("html", "csv"):
        out = folder / f"statement.{suffix}"
        result = runner.invoke(cli, ["report", "contributor", str(ledger), "--contributor",
                                     "Mutuelle Publique", "-o", str(out)])
        found[suffix] = (result.exit_code, result.stderr, [out] if out.exists() else [])
    return found


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(books())
def test_no_outside_output_holds_a_withheld_name(case: tuple[str, str, bool]) -> None:
    text, name, own_only = case
    withheld = normalise(name)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ledger = folder / "main.beancount"
        ledger.write_text(text, encoding="utf-8")
        for output, (status, stderr, written) in _outputs(ledger, folder).items():
            assert "Traceback" not in stderr
            event(f"{output}: exit {status}")
            if status == 2:
                assert len(stderr.strip().splitlines()) == 1, stderr
                assert written == [], output
                assert not own_only, (output, stderr)  # refused only for a real clash
                continue
            assert status == 0, (output, stderr)
            assert written, output
            for path in written:
                assert withheld not in _readable(path.read_bytes()), (output, path)
                assert withheld not in normalise(str(path.relative_to(folder))), path
