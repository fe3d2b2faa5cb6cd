"""Every rule of SPEC 4: a ledger that breaks it, and the boundary case that does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.helpers import codes, fund_line, normalise

FUNDED_ZERO = fund_line("1000.00", "zero")


def only(found: list[tuple[str, int]]) -> list[str]:
    return [code for code, _line in found]


def line_of(body: str, needle: str) -> int:
    """1-based line of ``needle`` in the dedented body (as ``codes`` counts)."""
    for number, text in enumerate(normalise(body).splitlines(), start=1):
        if needle in text:
            return number
    raise AssertionError(needle)


def test_clean_ledger_has_no_error(tmp_path: Path) -> None:
    assert codes(tmp_path, FUNDED_ZERO) == []


# FL101 -----------------------------------------------------------------------------------

def test_fl101_posting_without_fund(tmp_path: Path) -> None:
    body = """
    2019-02-01 * "Donor" "Contribution"
      Assets:Bank:Main  100.00 EUR
      Income:Contributions:Partners
    """
    assert codes(tmp_path, body) == [("FL101", line_of(body, "Donor"))]


def test_fl101_fund_on_posting_suffices(tmp_path: Path) -> None:
    body = """
    2019-02-01 * "Donor" "Contribution"
      Assets:Bank:Main  100.00 EUR
      Income:Contributions:Partners  -100.00 EUR
        fund: "zero"
    """
    assert codes(tmp_path, body) == []


# FL102 -----------------------------------------------------------------------------------

def test_fl102_undeclared_fund(tmp_path: Path) -> None:
    assert only(codes(tmp_path, fund_line("100.00", "nowhere"))) == ["FL102"]


def test_fl102_fund_used_before_its_declaration(tmp_path: Path) -> None:
    body = fund_line("100.00", "late", date="2019-02-01") + """
    2019-03-01 custom "fund" "late" "restricted" "Declared late"
    """ + fund_line("100.00", "late", date="2019-03-01")
    assert only(codes(tmp_path, body)) == ["FL102"]


def test_fl102_fund_declared_twice(tmp_path: Path) -> None:
    body = """
    2019-03-01 custom "fund" "zero" "restricted" "Again"
    """
    assert codes(tmp_path, body) == [("FL102", line_of(body, "Again"))]


# FL103 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("directive", [
    '2019-03-01 custom "fund" "x" "speculative" "Unknown kind"',
    '2019-03-01 custom "fund" "x" "restricted"',
    '2019-03-01 custom "fund" "x" "restricted" 12',
    '2019-03-01 custom "fund-transfer" "general" "zero" 10.00',
    '2019-03-01 custom "fund-transfer" "general" 10.00 EUR',
    '2019-03-01 custom "spending-rule" "dotation" "4" 12',
    '2019-03-01 custom "spending-rule" "dotation" 4 2.5',
    '2019-03-01 custom "indicator" "jobs" "Jobs"',
    '2019-03-01 custom "impact" "G-1" "jobs" "three"',
])
def test_fl103_malformed_directive(tmp_path: Path, directive: str) -> None:
    assert codes(tmp_path, directive + "\n") == [("FL103", 1)]


def test_fl103_well_formed_directives(tmp_path: Path) -> None:
    body = FUNDED_ZERO + """
    2019-03-01 custom "indicator" "jobs" "Jobs created" "jobs"
    2019-03-01 custom "impact" "G-1" "jobs" 3
    2019-03-01 custom "spending-rule" "dotation" 4 12
    2019-03-01 custom "fund-transfer" "zero" "food" 10.00 EUR
    2019-03-02 custom "fund-transfer" "zero" "food" 10.00 EUR "Board decision"
    """
    assert codes(tmp_path, body) == []


# FL104 -----------------------------------------------------------------------------------

def test_fl104_grant_posting_without_grant_id(tmp_path: Path) -> None:
    body = FUNDED_ZERO + """
    2019-03-01 * "Vrac" "Award without id"
      fund: "zero"
      Expenses:Grants:Themes  100.00 EUR
      Liabilities:GrantsPayable
    """
    assert codes(tmp_path, body) == [("FL104", line_of(body, "Award without id"))]


def test_fl104_loan_posting_without_loan_id(tmp_path: Path) -> None:
    body = FUNDED_ZERO + """
    2019-03-01 * "Borrower" "Loan without id"
      fund: "zero"
      Assets:Loans:Honour  100.00 EUR
      Assets:Bank:Main
    """
    assert only(codes(tmp_path, body)) == ["FL104"]


# FL201 -----------------------------------------------------------------------------------

def award(amount: str, grant: str = "G-1", fund: str = "zero", date: str = "2019-03-01") -> str:
    return f"""
{date} * "Vrac Solidaire" "Subvention"
  grant: "{grant}"
  fund: "{fund}"
  grantee-kind: "association"
  Expenses:Grants:Themes  {amount} EUR
  Liabilities:GrantsPayable
"""


def pay(amount: str, grant: str = "G-1", date: str = "2019-03-20") -> str:
    return f"""
{date} * "Vrac Solidaire" "Versement"
  grant: "{grant}"
  Liabilities:GrantsPayable  {amount} EUR
  Assets:Bank:Main
"""


def test_fl201_spending_to_exactly_zero_passes(tmp_path: Path) -> None:
    assert codes(tmp_path, FUNDED_ZERO + award("1000.00")) == []


def test_fl201_one_cent_more_fails_once(tmp_path: Path) -> None:
    body = FUNDED_ZERO + award("1000.01") + award("50.00", grant="G-2", date="2019-03-02")
    assert codes(tmp_path, body) == [("FL201", line_of(body, "2019-03-01 *"))]


def test_fl201_again_after_recovery(tmp_path: Path) -> None:
    body = (FUNDED_ZERO + award("1000.01") + fund_line("10.00", "zero", date="2019-03-05")
            + award("20.00", grant="G-2", date="2019-03-06"))
    assert only(codes(tmp_path, body)) == ["FL201", "FL201"]


def test_fl201_loan_and_transfer_count(tmp_path: Path) -> None:
    body = FUNDED_ZERO + """
    2019-03-01 * "Borrower" "Prêt d'honneur"
      loan: "P-1"
      fund: "zero"
      term-months: 12
      Assets:Loans:Honour  600.00 EUR
      Assets:Bank:Main
    2019-03-02 custom "fund-transfer" "zero" "food" 400.01 EUR
    """
    assert codes(tmp_path, body) == [("FL201", line_of(body, "fund-transfer"))]


def test_fl201_pledge_is_not_available_until_paid(tmp_path: Path) -> None:
    body = """
    2019-02-01 * "Caisse d'Épargne" "Promesse de don"
      fund: "zero"
      Assets:Receivable:Pledges:Partners  500.00 EUR
      Income:Contributions:Partners
    """ + award("100.00")
    assert only(codes(tmp_path, body)) == ["FL201"]
    paid = body.replace(award("100.00"), "") + """
    2019-02-15 * "Caisse d'Épargne" "Versement de la promesse"
      fund: "zero"
      Assets:Bank:Main  100.00 EUR
      Assets:Receivable:Pledges:Partners
    """ + award("100.00")
    assert codes(tmp_path, paid) == []


# FL202 -----------------------------------------------------------------------------------

ENDOWED = fund_line("1000000.00", "dotation", payee="Métropole de Lyon") + """
2019-06-30 * "Banque" "Coupons"
  fund: "dotation"
  Assets:Endowment:Portfolio  30000.00 EUR
  Income:Investment:Coupons
"""


def test_fl202_expense_on_endowment(tmp_path: Path) -> None:
    body = ENDOWED + """
    2019-07-01 * "Cabinet" "Frais"
      fund: "dotation"
      Expenses:Admin:Management  10.00 EUR
      Assets:Bank:Main
    """
    assert only(codes(tmp_path, body)) == ["FL202"]


def test_fl202_transfer_down_to_corpus_passes(tmp_path: Path) -> None:
    body = ENDOWED + '2019-07-01 custom "fund-transfer" "dotation" "zero" 30000.00 EUR\n'
    assert codes(tmp_path, body) == []


def test_fl202_transfer_below_corpus_fails(tmp_path: Path) -> None:
    body = ENDOWED + '2019-07-01 custom "fund-transfer" "dotation" "zero" 30000.01 EUR\n'
    assert only(codes(tmp_path, body)) == ["FL202"]


def test_fl202_consumable_endowment_may_spend(tmp_path: Path) -> None:
    header = (Path(__file__).parent / "helpers.py").read_text()  # noqa: F841 (doc only)
    body = """
    2019-01-02 custom "fund" "consumable" "endowment" "Fonds consomptible"
      consumable: TRUE
    """ + fund_line("100.00", "consumable") + award("100.00", fund="consumable")
    assert codes(tmp_path, body) == []


# FL203 -----------------------------------------------------------------------------------

RULED = ENDOWED.replace("30000.00", "200000.00") + """
2019-01-01 custom "spending-rule" "dotation" 4 4
"""


def test_fl203_young_fund_limited_by_balance_before_transfer(tmp_path: Path) -> None:
    # Declared 2019-01-01, no quarter end before 2019: 4% of 1,200,000 = 48,000 in 2019.
    ok = RULED + '2019-07-01 custom "fund-transfer" "dotation" "zero" 48000.00 EUR\n'
    assert codes(tmp_path, ok) == []
    ko = ok + '2019-08-01 custom "fund-transfer" "dotation" "zero" 0.01 EUR\n'
    assert codes(tmp_path, ko) == [("FL203", line_of(ko, "2019-08-01"))]


def test_fl203_average_of_quarter_ends(tmp_path: Path) -> None:
    # Quarter ends of 2019: Q1 1,000,000; Q2..Q4 1,200,000 → average 1,150,000; 4% = 46,000.
    body = RULED + '2020-02-01 custom "fund-transfer" "dotation" "zero" 46000.00 EUR\n'
    assert codes(tmp_path, body) == []
    over = RULED + '2020-02-01 custom "fund-transfer" "dotation" "zero" 46000.01 EUR\n'
    assert only(codes(tmp_path, over)) == ["FL203"]


def test_fl203_counts_from_declaration_quarter_with_zero_quarters(tmp_path: Path) -> None:
    # Fund declared 2019-05-10, money only on 2019-11-02: quarter ends Q2 0, Q3 0, Q4 100,000
    # → average 33,333.33…; 30% → 9,999.99… unrounded: 9,999.99 passes, 10,000.00 fails.
    body = """
    2019-05-10 custom "fund" "legs" "endowment" "Legs"
      consumable: TRUE
    2019-05-10 custom "spending-rule" "legs" 30 8
    """ + fund_line("100000.00", "legs", date="2019-11-02")
    ok = body + '2020-03-01 custom "fund-transfer" "legs" "zero" 9999.99 EUR\n'
    assert codes(tmp_path, ok) == []
    ko = body + '2020-03-01 custom "fund-transfer" "legs" "zero" 10000.00 EUR\n'
    assert only(codes(tmp_path, ko)) == ["FL203"]


def test_fl203_transfers_before_rule_are_free(tmp_path: Path) -> None:
    body = ENDOWED.replace("30000.00", "200000.00") + """
    2019-07-01 custom "fund-transfer" "dotation" "zero" 100000.00 EUR
    2019-08-01 custom "spending-rule" "dotation" 4 4
    2019-09-01 custom "fund-transfer" "dotation" "zero" 44000.00 EUR
    """
    # After the first transfer the balance is 1,100,000: 4% is 44,000.
    assert codes(tmp_path, body) == []


# FL301 / FL302 ---------------------------------------------------------------------------

def test_fl301_paying_exactly_the_award_passes(tmp_path: Path) -> None:
    body = FUNDED_ZERO + award("600.00") + pay("400.00") + pay("200.00", date="2019-04-01")
    assert codes(tmp_path, body) == []


def test_fl301_paying_beyond_award_fails_once(tmp_path: Path) -> None:
    body = (FUNDED_ZERO + award("600.00") + pay("400.00") + pay("200.01", date="2019-04-01")
            + pay("10.00", date="2019-05-01"))
    assert codes(tmp_path, body) == [("FL301", line_of(body, "2019-04-01"))]


def test_fl301_revocation_beyond_unpaid_fails(tmp_path: Path) -> None:
    body = FUNDED_ZERO + award("600.00") + pay("400.00") + """
    2019-06-01 * "Vrac Solidaire" "Révocation du solde"
      grant: "G-1"
      fund: "zero"
      Liabilities:GrantsPayable  250.00 EUR
      Expenses:Grants:Themes
    """
    assert only(codes(tmp_path, body)) == ["FL301"]


def test_fl302_payment_of_unknown_grant_takes_precedence(tmp_path: Path) -> None:
    body = FUNDED_ZERO + pay("100.00", grant="G-404")
    assert codes(tmp_path, body) == [("FL302", line_of(body, "Versement"))]


def test_fl302_refund_of_unknown_grant(tmp_path: Path) -> None:
    body = FUNDED_ZERO + """
    2019-06-01 * "Vrac Solidaire" "Remboursement"
      grant: "G-404"
      fund: "zero"
      Assets:Bank:Main  100.00 EUR
      Expenses:Grants:Themes
    """
    assert only(codes(tmp_path, body)) == ["FL302"]


# FL303 -----------------------------------------------------------------------------------

def test_fl303_grant_across_funds(tmp_path: Path) -> None:
    body = FUNDED_ZERO + fund_line("1000.00", "food") + award("100.00") + """
    2019-06-01 * "Vrac Solidaire" "Révocation"
      grant: "G-1"
      fund: "food"
      Liabilities:GrantsPayable  100.00 EUR
      Expenses:Grants:Themes
    """
    assert only(codes(tmp_path, body)) == ["FL303"]


def test_fl303_same_fund_passes(tmp_path: Path) -> None:
    body = FUNDED_ZERO + award("100.00") + """
    2019-06-01 * "Vrac Solidaire" "Révocation"
      grant: "G-1"
      fund: "zero"
      Liabilities:GrantsPayable  100.00 EUR
      Expenses:Grants:Themes
    """
    assert codes(tmp_path, body) == []


# FL401 / FL402 ---------------------------------------------------------------------------

LOAN = FUNDED_ZERO + """
2019-03-01 * "La Cyclerie" "Prêt d'honneur"
  loan: "P-1"
  fund: "zero"
  term-months: 12
  Assets:Loans:Honour  600.00 EUR
  Assets:Bank:Main
"""


def repay(amount: str, date: str, loan: str = "P-1") -> str:
    return f"""
{date} * "La Cyclerie" "Remboursement"
  loan: "{loan}"
  fund: "zero"
  Assets:Bank:Main  {amount} EUR
  Assets:Loans:Honour
"""


def test_fl401_repaying_exactly_passes(tmp_path: Path) -> None:
    body = LOAN + repay("300.00", "2019-06-01") + """
    2019-09-01 * "La Cyclerie" "Passage en perte"
      loan: "P-1"
      fund: "zero"
      Expenses:LoanLosses:Honour  300.00 EUR
      Assets:Loans:Honour
    """
    assert codes(tmp_path, body) == []


def test_fl401_repaying_beyond_principal_fails_once(tmp_path: Path) -> None:
    body = LOAN + repay("600.01", "2019-06-01") + repay("1.00", "2019-07-01")
    assert codes(tmp_path, body) == [("FL401", line_of(body, "2019-06-01"))]


def test_fl402_repayment_of_unknown_loan(tmp_path: Path) -> None:
    body = LOAN + repay("10.00", "2019-06-01", loan="P-404")
    assert only(codes(tmp_path, body)) == ["FL402"]


# FL501 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("directive", [
    '2019-03-01 custom "fund-transfer" "zero" "nowhere" 10.00 EUR',
    '2019-03-01 custom "fund-transfer" "nowhere" "zero" 10.00 EUR',
    '2019-03-01 custom "fund-transfer" "zero" "food" 0.00 EUR',
    '2019-03-01 custom "fund-transfer" "zero" "food" -5.00 EUR',
    '2019-03-01 custom "spending-rule" "nowhere" 4 12',
])
def test_fl501_bad_transfer_or_rule(tmp_path: Path, directive: str) -> None:
    assert codes(tmp_path, FUNDED_ZERO + directive + "\n") == [
        ("FL501", line_of(FUNDED_ZERO + directive, directive[:40]))]


def test_fl501_transfer_to_fund_declared_later(tmp_path: Path) -> None:
    body = FUNDED_ZERO + """
    2019-03-01 custom "fund-transfer" "zero" "late" 10.00 EUR
    2019-04-01 custom "fund" "late" "restricted" "Late"
    """
    assert only(codes(tmp_path, body)) == ["FL501"]


def test_error_messages_name_what_is_concerned(tmp_path: Path) -> None:
    from tests.engine.helpers import load_ledger

    body = FUNDED_ZERO + award("1000.01") + pay("100.00", grant="G-404")
    _entries, errors, _options = load_ledger(tmp_path, body)
    messages = [e.message for e in errors]
    assert any(m.startswith("FL201") and '"zero"' in m for m in messages)
    assert any(m.startswith("FL302") and '"G-404"' in m for m in messages)
    assert all(e.source["filename"].endswith("main.beancount") for e in errors)


# FL105 (fundledger's own: spec metadata with a wrong value) -------------------------------

FOREIGN = """
2019-01-01 open Assets:Bank:Dollars
2019-01-01 open Income:Contributions:Foreign
"""


def test_fl105_amount_not_in_eur(tmp_path: Path) -> None:
    body = FUNDED_ZERO + FOREIGN + """
    2019-03-01 * "US donor" "Gift"
      fund: "zero"
      Assets:Bank:Dollars  100.00 USD
      Income:Contributions:Foreign
    """
    assert only(codes(tmp_path, body)) == ["FL105"]


def test_fl105_foreign_amount_with_a_price_counts_in_eur(tmp_path: Path) -> None:
    body = FUNDED_ZERO + FOREIGN + """
    2019-03-01 * "US donor" "Gift"
      fund: "zero"
      Assets:Bank:Main  90.00 EUR
      Income:Contributions:Foreign  -100.00 USD @ 0.90 EUR
    """ + award("1090.00")
    assert codes(tmp_path, body) == []


def test_fl105_unknown_grantee_kind_and_loan_terms(tmp_path: Path) -> None:
    body = FUNDED_ZERO + award("10.00").replace('"association"', '"persona"') + """
    2019-03-05 * "La Cyclerie" "Prêt"
      loan: "P-1"
      fund: "zero"
      term-months: "douze"
      Assets:Loans:Honour  10.00 EUR
      Assets:Bank:Main
    """
    assert only(codes(tmp_path, body)) == ["FL105", "FL105"]


def test_transfer_in_another_currency_is_malformed(tmp_path: Path) -> None:
    body = FUNDED_ZERO + '2019-03-01 custom "fund-transfer" "zero" "food" 10.00 USD\n'
    assert only(codes(tmp_path, body)) == ["FL103"]
