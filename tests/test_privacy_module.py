"""`fundledger.privacy` and `fundledger.csvout`, unit by unit (the outputs' own tests are in
tests/publish, tests/reports and tests/reliability/test_fail_closed.py)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

import pytest
from beancount import loader
from hypothesis import given
from hypothesis import strategies as st

from fundledger import csvout
from fundledger.engine import analyse
from fundledger.privacy import (
    Privacy,
    Refused,
    mask_ibans,
    names_pattern,
    normalise,
    search_unpreceded,
)

LEDGER = """\
option "operating_currency" "EUR"
2024-01-01 open Assets:Bank:Main EUR
  iban: "DE89 3704 0044 0532 0130 00"
2024-01-01 open Income:Contributions:Partners EUR
2024-01-01 open Expenses:Grants:Themes EUR
2024-01-01 open Liabilities:GrantsPayable EUR
2024-01-01 custom "fund" "general" "unrestricted" "Fonds libres"
2024-01-10 * "Mutuelle Publique" "Contribution, voir FR7630006000011234567890189"
  fund: "general"
  Assets:Bank:Main  1000.00 EUR
  Income:Contributions:Partners
2024-02-01 * "Élodie Dubois" "Bourse"
  grant: "G-1"
  fund: "general"
  grantee-kind: "person"
  Expenses:Grants:Themes  100.00 EUR
  Liabilities:GrantsPayable
"""


@pytest.fixture
def privacy() -> Privacy:
    entries, errors, options = loader.load_string(LEDGER)
    assert not errors
    found = Privacy.of(analyse(entries, options=options), entries)
    return found


def test_normalise_equates_case_accents_and_spacing() -> None:
    nfd = unicodedata.normalize("NFD", "Élodie  DUBOIS")
    assert normalise(nfd) == normalise("élodie dubois") == "élodie dubois"
    assert normalise(" a\t b\n") == "a b"


@given(st.text(st.sampled_from(list("aÉé \t\n\r\x0b\x0c\x1c\x85\u00a0\u2028\u3000."))))
def test_normalise_collapses_what_the_regex_white_space_does(text: str) -> None:
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    assert normalise(text) == re.sub(r"\s+", " ", folded).strip()


@pytest.mark.parametrize("text", ["FR76 3000 6000 0112 3456 7890 189",
                                  "fr7630006000011234567890189", "GB82WEST12345698765432",
                                  "DE89-3704-0044-0532-0130-00"])
def test_valid_ibans_are_masked_but_their_last_four(text: str) -> None:
    masked, found = mask_ibans(f"payé sur {text}, merci")
    assert len(found) == 1 and masked.startswith("payé sur ****") and masked.endswith(", merci")
    span = masked[len("payé sur "):-len(", merci")]
    assert "".join(c for c in span if c.isalnum()).upper() == found[0][-4:]
    assert len(span) == len(text)  # spacing kept


@pytest.mark.parametrize("text", ["FR7630006000011234567890188",  # checksum off by one
                                  "FR76", "AB12 short", "G-2025-001", "2024-01-10"])
def test_what_is_not_an_iban_is_left_alone(text: str) -> None:
    assert mask_ibans(text) == (text, [])


def test_guard_names_the_entry_in_any_form(privacy: Privacy) -> None:
    for form in ("ÉLODIE DUBOIS", unicodedata.normalize("NFD", "élodie  dubois"),
                 "&Eacute;lodie Dubois", "<b>Élodie</b> Dubois"):
        with pytest.raises(Refused, match=r"refusing to write out\.html: it would show "
                                          r"'Élodie Dubois', withheld by the entry at "
                                          r"<string>:12"):
            privacy.guard(f"<p>Merci à {form}.</p>", "out.html")
    with pytest.raises(Refused, match="'G-1'"):
        privacy.guard("grant G-1", "out.csv")
    privacy.guard("grant G-10, Élodie Duboisier", "out.csv")  # whole words only


_ALPHABET = st.sampled_from(list("ab é-_1 ."))


@given(st.lists(st.text(_ALPHABET, min_size=1, max_size=4), min_size=1, max_size=4),
       st.text(_ALPHABET, max_size=40))
def test_guard_search_finds_what_a_look_behind_would(names: list[str], text: str) -> None:
    """The guard's search (names as a tree, boundary before a name checked apart) finds
    the same name at the same place as the plain ``(?<!\\w)(...)(?!\\w)`` pattern of the
    names sorted longest first."""
    names = list(dict.fromkeys(names))
    body = "(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")"
    plain = re.compile(r"(?<!\w)" + body + r"(?!\w)").search(text)
    found = search_unpreceded(re.compile("(" + names_pattern(names) + r")(?!\w)"), text)
    assert (found and (found.span(), found.group(1))) == (plain and (plain.span(),
                                                                     plain.group(1)))


def test_names_too_deep_for_a_tree_are_listed() -> None:
    names = ["a" * length for length in range(1, 300)]
    assert re.compile(f"({names_pattern(names)})").search("a" * 400)[1] == "a" * 299


def test_mask_warns_naming_the_entry(privacy: Privacy) -> None:
    said: list[str] = []
    privacy.warn = said.append
    text = privacy.mask("FR76 3000 6000 0112 3456 7890 189 et de89370400440532013000",
                        "site/x.html")
    assert "0112" not in text and "de89" not in text.lower()
    assert said == ["fundledger: warning: <string>:2: bank identifier masked in site/x.html",
                    "fundledger: warning: <string>:8: IBAN masked in site/x.html"]


def test_the_audience_sees_its_own_name() -> None:
    entries, _errors, options = loader.load_string(LEDGER.replace(
        '"Mutuelle Publique" "Contribution', '"Jean Martin" "Contribution').replace(
        '  fund: "general"\n  Assets:Bank:Main', '  fund: "general"\n'
        '  contributor-kind: "person"\n  Assets:Bank:Main'))
    books = analyse(entries, options=options)
    assert Privacy.of(books, entries).is_withheld_contributor("JEAN MARTIN")
    with pytest.raises(Refused):
        Privacy.of(books, entries).guard("Jean Martin", "s.html")
    Privacy.of(books, entries, audience="Jean Martin").guard("Jean Martin", "s.html")


def test_unsure_books_refuse_every_output() -> None:
    entries, _errors, options = loader.load_string(LEDGER.replace(
        'grantee-kind: "person"', 'grantee-kind: "Person"'))
    privacy = Privacy.of(analyse(entries, options=options), entries)
    with pytest.raises(Refused, match=r"refusing to write x\.csv: <string>:12: FL105 grant "
                                      r"\"G-1\": grantee-kind: 'Person'"):
        privacy.clean("anything", "x.csv")


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+33 6", "'+33 6"), ("-G-2", "'-G-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("-1200.50", "-1200.50"), ("1200", "1200"),
    (Decimal("-3.10"), Decimal("-3.10")), ("Mutuelle", "Mutuelle"), (None, ""),
])
def test_csv_cells(value: object, cell: object) -> None:
    assert csvout.cell(value) == cell
