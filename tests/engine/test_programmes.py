"""The programme rules FL601-FL607: a ledger per case, at the boundary and one cent or one
hour past it; the interest subsidy's computation; the pipeline's stages and amounts."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from fundledger.engine import analyse
from fundledger.engine.programmes import programmes_of, subsidy_amount
from tests.engine.helpers import codes, fund_line, load_ledger, normalise

FUNDS = fund_line("500000.00", "zero") + fund_line("500000.00", "food", date="2019-02-02")

PROGRAMME = """
2019-02-10 custom "programme" "ism-2019" "InnoSocialMetro — bando 2019"
  max-share: 50
  min-eligible: 20000.00
  max-eligible: 100000.00
  min-accompaniment: 8
  committee: TRUE
  advance-share: 50
  de-minimis: 300000.00
"""


def application(ident: str = "ISM-1", cost: str = "25593.00", beneficiary_id: str = "IT1",
                programme: str = "ism-2019", date: str = "2019-03-01",
                name: str = "Borgo Antico Ospitalità srl") -> str:
    return f"""
{date} custom "application" "{ident}" "{programme}" "{name}"
  beneficiary-id: "{beneficiary_id}"
  eligible-cost: {cost}
"""


def hours(count: str, ident: str = "ISM-1", date: str = "2019-03-10") -> str:
    return f'{date} custom "accompaniment" "{ident}" {count} "Studio Aurora Consulenze srl"\n'


def decision(amount: str | None, ident: str = "ISM-1", date: str = "2019-04-01",
             outcome: str = "approved") -> str:
    money = f" {amount} EUR" if amount is not None else ""
    return f'{date} custom "decision" "{ident}" "{outcome}"{money} "Verbale n. 1/2019"\n'


def award(amount: str, ident: str = "ISM-1", date: str = "2019-04-15", fund: str = "zero",
          extra: str = "", account: str = "Expenses:Grants:Themes") -> str:
    return f"""
{date} * "Borgo Antico Ospitalità srl" "Contributo"
  grant: "{ident}"
  fund: "{fund}"
  grantee-kind: "company"{extra}
  {account}  {amount} EUR
  Liabilities:GrantsPayable
"""


def pay(amount: str, ident: str = "ISM-1", date: str = "2019-05-02") -> str:
    return f"""
{date} * "Borgo Antico Ospitalità srl" "Anticipo"
  grant: "{ident}"
  Liabilities:GrantsPayable  {amount} EUR
  Assets:Bank:Main
"""


def path(amount: str = "12796.50", hours_: str = "8", approved: str = "12796.50") -> str:
    """The whole path of one application, clean at every boundary."""
    return (FUNDS + PROGRAMME + application() + hours(hours_) + decision(approved)
            + award(amount))


def found(tmp_path: Path, body: str) -> list[str]:
    return [code for code, _line in codes(tmp_path, body)]


def line_of(body: str, needle: str) -> int:
    for number, text in enumerate(normalise(body).splitlines(), start=1):
        if needle in text:
            return number
    raise AssertionError(needle)


def test_the_whole_path_is_clean(tmp_path: Path) -> None:
    assert codes(tmp_path, path() + pay("6398.25") + '2019-09-01 custom "report-approved" '
                 '"ISM-1" "SAL 1"\n' + pay("6398.25", date="2019-09-02")) == []


# FL601 -------------------------------------------------------------------------------------

def test_fl601_award_without_decision(tmp_path: Path) -> None:
    body = FUNDS + PROGRAMME + application() + hours("8") + award("12796.50")
    assert codes(tmp_path, body) == [("FL601", line_of(body, "2019-04-15 *"))]


def test_fl601_decision_the_same_day_counts_even_later_in_the_file(tmp_path: Path) -> None:
    body = (FUNDS + PROGRAMME + application() + hours("8") + award("12796.50")
            + decision("12796.50", date="2019-04-15"))
    assert codes(tmp_path, body) == []


def test_fl601_decision_the_day_after_is_too_late(tmp_path: Path) -> None:
    body = (FUNDS + PROGRAMME + application() + hours("8") + award("12796.50")
            + decision("12796.50", date="2019-04-16"))
    assert found(tmp_path, body) == ["FL601"]


def test_fl601_a_later_rejection_replaces_the_approval(tmp_path: Path) -> None:
    body = (FUNDS + PROGRAMME + application() + hours("8") + decision("12796.50")
            + decision(None, date="2019-04-10", outcome="rejected") + award("12796.50"))
    assert found(tmp_path, body) == ["FL601"]


def test_fl601_takes_precedence_over_fl604(tmp_path: Path) -> None:
    body = (FUNDS + PROGRAMME + application() + hours("8")
            + decision("100.00", outcome="rejected") + award("12796.50"))
    assert found(tmp_path, body) == ["FL601"]


def test_fl601_not_without_committee(tmp_path: Path) -> None:
    body = (FUNDS + PROGRAMME.replace("committee: TRUE", "committee: FALSE") + application()
            + hours("8") + award("12796.50"))
    assert codes(tmp_path, body) == []


# FL602 -------------------------------------------------------------------------------------

def test_fl602_at_the_minimum_passes(tmp_path: Path) -> None:
    body = (FUNDS + PROGRAMME + application() + hours("6") + hours("2", date="2019-04-15")
            + decision("12796.50") + award("12796.50"))
    assert codes(tmp_path, body) == []


def test_fl602_one_hour_short(tmp_path: Path) -> None:
    body = path(hours_="7")
    assert codes(tmp_path, body) == [("FL602", line_of(body, "2019-04-15 *"))]


def test_fl602_hours_after_the_award_do_not_count(tmp_path: Path) -> None:
    body = path(hours_="7") + hours("1", date="2019-04-16")
    assert found(tmp_path, body) == ["FL602"]


# FL603 -------------------------------------------------------------------------------------

def test_fl603_grant_at_max_share_passes(tmp_path: Path) -> None:
    assert codes(tmp_path, path("12796.50")) == []


def test_fl603_grant_one_cent_above_max_share(tmp_path: Path) -> None:
    body = path("12796.51", approved="12796.51")
    assert codes(tmp_path, body) == [("FL603", line_of(body, "2019-04-15 *"))]


def test_fl603_second_award_takes_it_above(tmp_path: Path) -> None:
    body = path("12000.00") + award("796.51", date="2019-04-16")
    assert found(tmp_path, body) == ["FL603", "FL604"]


@pytest.mark.parametrize(("cost", "expected"), [
    ("20000.00", []), ("19999.99", ["FL603"]), ("100000.00", []), ("100000.01", ["FL603"]),
])
def test_fl603_eligible_cost_bounds(tmp_path: Path, cost: str, expected: list[str]) -> None:
    body = FUNDS + PROGRAMME + application(cost=cost)
    assert found(tmp_path, body) == expected


SUBSIDY = """
  bank-loan: 100000.00
  subsidised-points: 2.5
  term-months: 60"""


def test_subsidy_amount_is_the_schedule_summed_then_rounded() -> None:
    # 100,000 over 60 months at 2.5 points: 100000 * 2.5 / 1200 * 61 / 2 = 6354.1666...
    assert subsidy_amount(Decimal("100000.00"), Decimal("2.5"), 60) == Decimal("6354.17")
    # A sum whose monthly interests would each round differently: 1000 over 7 months at 1.
    exact = sum(Fraction(1000) * (7 - k + 1) / 7 / 1200 for k in range(1, 8))
    assert exact == Fraction(10, 3)
    assert subsidy_amount(Decimal("1000"), Decimal("1"), 7) == Decimal("3.33")
    # Exactly half a cent rounds up: 0.005 = 30 * 1 / 1200 * 2 / 2... with 1 month.
    assert subsidy_amount(Decimal("0.60"), Decimal("10"), 1) == Decimal("0.01")


def test_fl603_interest_subsidy_equal_to_its_computation(tmp_path: Path) -> None:
    body = (FUNDS + PROGRAMME + application() + hours("8") + decision("6354.17")
            + award("6354.17", extra=SUBSIDY))
    assert codes(tmp_path, body) == []


def test_fl603_interest_subsidy_one_cent_off(tmp_path: Path) -> None:
    body = (FUNDS + PROGRAMME + application() + hours("8") + decision("6354.18")
            + award("6354.18", extra=SUBSIDY))
    assert found(tmp_path, body) == ["FL603"]


def test_fl603_max_share_ignores_interest_subsidies(tmp_path: Path) -> None:
    body = (FUNDS + PROGRAMME + application() + hours("8") + decision("19150.67")
            + award("12796.50") + award("6354.17", date="2019-04-16", extra=SUBSIDY))
    assert codes(tmp_path, body) == []


def test_fl105_interest_subsidy_with_a_bad_term(tmp_path: Path) -> None:
    body = (FUNDS + PROGRAMME + application() + hours("8") + decision("6354.17")
            + award("6354.17", extra=SUBSIDY.replace("60", '"sixty"')))
    assert found(tmp_path, body) == ["FL105"]


# FL604 -------------------------------------------------------------------------------------

def test_fl604_awards_at_the_approved_amount_pass(tmp_path: Path) -> None:
    assert codes(tmp_path, path("10000.00", approved="10000.00")) == []


def test_fl604_one_cent_above_the_approved_amount(tmp_path: Path) -> None:
    body = path("10000.01", approved="10000.00")
    assert codes(tmp_path, body) == [("FL604", line_of(body, "2019-04-15 *"))]


def test_fl604_a_loan_counts_with_the_grant(tmp_path: Path) -> None:
    body = path("10000.00", approved="12000.00") + """
    2019-04-20 * "Borgo Antico Ospitalità srl" "Finanziamento"
      loan: "ISM-1"
      fund: "zero"
      term-months: 24
      Assets:Loans:Honour  2000.01 EUR
      Assets:Bank:Main
    """
    assert found(tmp_path, body) == ["FL604"]


# FL605 -------------------------------------------------------------------------------------

def test_fl605_advance_at_its_share_passes(tmp_path: Path) -> None:
    assert codes(tmp_path, path("10000.00", approved="10000.00") + pay("5000.00")) == []


def test_fl605_one_cent_beyond_the_advance(tmp_path: Path) -> None:
    body = path("10000.00", approved="10000.00") + pay("5000.00") + pay("0.01", date="2019-06-03")
    assert codes(tmp_path, body) == [("FL605", line_of(body, "2019-06-03"))]


def test_fl605_report_approved_the_same_day_allows_the_balance(tmp_path: Path) -> None:
    body = (path("10000.00", approved="10000.00") + pay("10000.00")
            + '2019-05-02 custom "report-approved" "ISM-1" "SAL 1"\n')
    assert codes(tmp_path, body) == []


def test_fl605_report_after_the_payment_is_too_late(tmp_path: Path) -> None:
    body = (path("10000.00", approved="10000.00") + pay("10000.00")
            + '2019-05-03 custom "report-approved" "ISM-1" "SAL 1"\n')
    assert found(tmp_path, body) == ["FL605"]


# FL606 -------------------------------------------------------------------------------------

def aid(ident: str, amount: str, year: int, beneficiary_id: str = "IT1",
        programme: str = "ism-2019") -> str:
    return (application(ident, cost="150000.00", beneficiary_id=beneficiary_id,
                        programme=programme, date=f"{year}-03-01")
            + hours("8", ident, date=f"{year}-03-10")
            + decision(amount, ident, date=f"{year}-04-01")
            + award(amount, ident, date=f"{year}-04-15"))


WIDE = PROGRAMME.replace("max-eligible: 100000.00", "max-eligible: 200000.00").replace(
    "max-share: 50", "max-share: 100")


def test_fl606_de_minimis_at_the_cap_passes(tmp_path: Path) -> None:
    body = (FUNDS + WIDE + aid("A-1", "100000.00", 2019) + aid("A-2", "100000.00", 2020)
            + aid("A-3", "100000.00", 2021))
    assert codes(tmp_path, body) == []


def test_fl606_one_cent_above_the_cap(tmp_path: Path) -> None:
    body = (FUNDS + WIDE + aid("A-1", "100000.00", 2019) + aid("A-2", "100000.00", 2020)
            + aid("A-3", "100000.01", 2021))
    assert codes(tmp_path, body) == [("FL606", line_of(body, "2021-04-15 *"))]


def test_fl606_window_is_the_year_and_the_two_before(tmp_path: Path) -> None:
    body = (FUNDS + WIDE + aid("A-1", "100000.00", 2019) + aid("A-2", "100000.00", 2020)
            + aid("A-3", "100000.00", 2021) + aid("A-4", "100000.00", 2022))
    assert codes(tmp_path, body) == []


def test_fl606_across_programmes_by_beneficiary_id(tmp_path: Path) -> None:
    other = WIDE.replace("ism-2019", "ism-2020").replace("2019-02-10", "2019-02-11")
    body = (FUNDS + WIDE + other + aid("A-1", "100000.00", 2019)
            + aid("A-2", "100000.00", 2020, programme="ism-2020")
            + aid("A-3", "100000.01", 2021) + aid("B-1", "100000.00", 2021, beneficiary_id="IT2"))
    assert found(tmp_path, body) == ["FL606"]


def test_fl606_net_of_revocations(tmp_path: Path) -> None:
    revoke = """
    2020-06-01 * "Borgo Antico Ospitalità srl" "Revoca"
      grant: "A-2"
      fund: "zero"
      Expenses:Grants:Themes  -0.01 EUR
      Liabilities:GrantsPayable
    """
    body = (FUNDS + WIDE + aid("A-1", "100000.00", 2019) + aid("A-2", "100000.00", 2020)
            + revoke + aid("A-3", "100000.01", 2021))
    assert codes(tmp_path, body) == []


# FL607 -------------------------------------------------------------------------------------

def test_fl607_application_to_an_unknown_programme_takes_precedence(tmp_path: Path) -> None:
    body = (FUNDS + PROGRAMME + application(programme="ism-2099") + hours("2")
            + award("99999.00"))
    assert codes(tmp_path, body) == [("FL607", line_of(body, "custom \"application\""))]


@pytest.mark.parametrize("directive", [
    '2019-03-10 custom "accompaniment" "ISM-9" 8 "Studio"',
    '2019-03-10 custom "decision" "ISM-9" "approved" 10.00 EUR',
    '2019-03-10 custom "report-approved" "ISM-9" "SAL 1"',
])
def test_fl607_directive_naming_an_unknown_application(tmp_path: Path, directive: str) -> None:
    body = FUNDS + PROGRAMME + application() + directive + "\n"
    assert codes(tmp_path, body) == [("FL607", line_of(body, directive[:30]))]


def test_fl607_application_declared_twice(tmp_path: Path) -> None:
    body = FUNDS + PROGRAMME + application() + application(date="2019-03-02")
    assert codes(tmp_path, body) == [("FL607", line_of(body, "2019-03-02 custom"))]


@pytest.mark.parametrize("directive", [
    '2019-03-10 custom "decision" "ISM-1" "approved"',
    '2019-03-10 custom "decision" "ISM-1" "maybe" 10.00 EUR',
    '2019-03-10 custom "accompaniment" "ISM-1" "eight"',
    '2019-03-10 custom "accompaniment" "ISM-1" 0',
    '2019-03-10 custom "programme" "p" "P"\n  committee: "yes"',
    '2019-03-10 custom "programme" "p" "P"\n  max-share: "50"',
    '2019-03-10 custom "application" "X" "ism-2019" "Name"',
])
def test_fl103_malformed_programme_directive(tmp_path: Path, directive: str) -> None:
    body = FUNDS + PROGRAMME + application() + directive + "\n"
    assert found(tmp_path, body) == ["FL103"]


# The pipeline --------------------------------------------------------------------------------

def test_pipeline_stages_and_amounts(tmp_path: Path) -> None:
    body = (FUNDS + PROGRAMME
            + application("A-applied") + application("A-accompanied") + hours("3", "A-accompanied")
            + application("A-rejected") + hours("9", "A-rejected")
            + decision(None, "A-rejected", outcome="rejected")
            + application("A-approved") + hours("8", "A-approved")
            + decision("100.00", "A-approved")
            + path().replace(FUNDS + PROGRAMME, "") + pay("6398.25")
            + application("A-revoked") + hours("8", "A-revoked") + decision("100.00", "A-revoked")
            + award("100.00", "A-revoked") + pay("40.00", "A-revoked") + """
    2019-07-01 * "Borgo Antico Ospitalità srl" "Revoca con recupero dell'anticipo"
      grant: "A-revoked"
      fund: "zero"
      Expenses:Grants:Themes  -100.00 EUR
      Liabilities:GrantsPayable  60.00 EUR
      Assets:Receivable:Clawbacks  40.00 EUR
    """)
    entries, errors, options = load_ledger(tmp_path, body)
    assert errors == []
    books = analyse(entries, options=options, trace=False)
    rows = {row.application: row for row in programmes_of(books).pipeline()}
    assert {k: r.stage for k, r in rows.items()} == {
        "A-applied": "applied", "A-accompanied": "accompanied", "A-rejected": "rejected",
        "A-approved": "approved", "ISM-1": "awarded", "A-revoked": "revoked"}
    one = rows["ISM-1"]
    assert (one.hours, one.approved, one.awarded, one.paid, one.revoked) == (
        Decimal(8), Decimal("12796.50"), Decimal("12796.50"), Decimal("6398.25"), 0)
    assert one.days_to_award == 45
    assert rows["A-revoked"].revoked == Decimal("100.00")
    assert rows["A-revoked"].paid == Decimal("40.00")
    early = analyse(entries, at=programmes_of(books).applications["ISM-1"].applied_on,
                    options=options, trace=False)
    assert [r.stage for r in programmes_of(early).pipeline()] == ["applied"] * 6
