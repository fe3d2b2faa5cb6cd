"""What a treasurer tripped on in the review (issue 22): a contributor typed without its
accent, a misspelled fund on an award."""

from __future__ import annotations

from pathlib import Path

from fundledger.engine import analyse
from tests.engine.helpers import codes
from tests.engine.test_rules import FUNDED_ZERO, award, line_of, pay


def test_a_misspelled_fund_on_an_award_gives_fl102_alone(tmp_path: Path) -> None:
    """The award names "zer0": FL102 on the award, and no FL302 ("never awarded") on the
    same line repeating the mistake under another code."""
    body = FUNDED_ZERO + award("100.00", fund="zer0")
    assert codes(tmp_path, body) == [("FL102", line_of(body, '"Subvention"'))]


def test_payments_of_an_award_with_a_misspelled_fund_are_not_never_awarded(
        tmp_path: Path) -> None:
    """Its later payment is not "never awarded" (FL302): the one mistake is the award's
    fund, said once; an id never awarded at all still is FL302."""
    body = FUNDED_ZERO + award("100.00", fund="zer0") + pay("50.00")
    assert codes(tmp_path, body) == [("FL102", line_of(body, '"Subvention"'))]
    other = FUNDED_ZERO + award("100.00", fund="zer0") + pay("50.00", grant="G-2")
    assert [code for code, _line in codes(tmp_path, other)] == ["FL102", "FL302"]


def test_a_contributor_is_found_without_its_case_or_accents(tmp_path: Path) -> None:
    from tests.engine.helpers import load_ledger

    body = FUNDED_ZERO.replace('"Donor"', '"Caisse d\'Épargne"')
    books = analyse(load_ledger(tmp_path, body)[0], trace=False)
    for typed in ("Caisse d'Epargne", "caisse d'epargne", "CAISSE D’ÉPARGNE",
                  "Caisse d'Épargne"):
        assert books.find_contributor(typed) == "Caisse d'Épargne", typed
    assert books.find_contributor("Caisse Epargne") is None


def test_a_name_two_contributors_share_but_for_accents_is_not_guessed(tmp_path: Path) -> None:
    from tests.engine.helpers import load_ledger

    body = (FUNDED_ZERO.replace('"Donor"', '"Élan"')
            + FUNDED_ZERO.replace('"Donor"', '"Elan"').replace("2019-02-01", "2019-02-02"))
    books = analyse(load_ledger(tmp_path, body)[0], trace=False)
    assert {"Élan", "Elan"} <= set(books.contributors())
    assert books.find_contributor("elan") is None
    assert books.find_contributor("Elan") == "Elan"
