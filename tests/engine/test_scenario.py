"""A two-year scenario whose every figure was computed by hand (see the comments).

Story: the Métropole endows "dotation" with 1,000,000; Caisse d'Épargne gives 60,000 to
"zero"; Banque des Territoires pledges 90,000 to "zero" and pays it in tranches; grants,
a partial revocation, a loan repaid half and written off for the rest, a draw on the
endowment, earned income split to the cent.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from fundledger.cli import cli
from fundledger.engine import analyse
from tests.engine.helpers import load_ledger, write_ledger

SCENARIO = """
2019-01-01 custom "spending-rule" "dotation" 4 4

2019-03-12 * "Métropole de Lyon" "Dotation initiale"
  fund: "dotation"
  Assets:Endowment:Portfolio  1000000.00 EUR
  Income:Contributions:Public

2019-04-01 * "Caisse d'Épargne" "Contribution zéro déchet"
  fund: "zero"
  Assets:Bank:Main  60000.00 EUR
  Income:Contributions:Partners

2019-05-01 * "Banque des Territoires" "Convention 2019-2021"
  fund: "zero"
  Assets:Receivable:Pledges:Partners  90000.00 EUR
  Income:Contributions:Partners

2019-06-01 * "Banque des Territoires" "Versement 1/3"
  fund: "zero"
  Assets:Bank:Main  30000.00 EUR
  Assets:Receivable:Pledges:Partners

2019-06-30 * "Gestionnaire" "Coupons"
  fund: "dotation"
  Assets:Endowment:Portfolio  25000.00 EUR
  Income:Investment:Coupons

2019-09-01 * "Vrac Solidaire" "Subvention"
  grant: "G-1"
  fund: "zero"
  grantee-kind: "association"
  Expenses:Grants:Themes  50000.00 EUR
  Liabilities:GrantsPayable

2019-09-15 * "Vrac Solidaire" "Versement"
  grant: "G-1"
  Liabilities:GrantsPayable  40000.00 EUR
  Assets:Bank:Main

2019-10-01 * "Envie Rhône" "Subvention"
  grant: "G-2"
  fund: "zero"
  grantee-kind: "company"
  Expenses:Grants:Themes  20000.00 EUR
  Liabilities:GrantsPayable

2020-01-15 custom "fund-transfer" "dotation" "zero" 20000.00 EUR "Tirage 2020"

2020-02-01 * "La Cyclerie" "Prêt d'honneur"
  loan: "P-1"
  fund: "zero"
  term-months: 12
  Assets:Loans:Honour  12000.00 EUR
  Assets:Bank:Main

2020-03-01 * "Vrac Solidaire" "Révocation du solde"
  grant: "G-1"
  fund: "zero"
  Liabilities:GrantsPayable  10000.00 EUR
  Expenses:Grants:Themes

2020-04-01 * "Banque" "Intérêts"
  fund: "zero"
  Assets:Bank:Main  1000.00 EUR
  Income:Investment:Coupons

2020-06-01 * "La Cyclerie" "Remboursement"
  loan: "P-1"
  fund: "zero"
  Assets:Bank:Main  6000.00 EUR
  Assets:Loans:Honour

2020-07-01 * "La Cyclerie" "Passage en perte"
  loan: "P-1"
  fund: "zero"
  Expenses:LoanLosses:Honour  6000.00 EUR
  Assets:Loans:Honour

2020-09-01 * "Banque des Territoires" "Versement 2/3"
  fund: "zero"
  Assets:Bank:Main  30000.00 EUR
  Assets:Receivable:Pledges:Partners

2020-10-01 * "Ronalpia" "Accompagnement"
  fund: "zero"
  Expenses:Programs:Accompaniment  3000.00 EUR
  Assets:Bank:Main
"""

D = Decimal


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory):
    entries, errors, _options = load_ledger(tmp_path_factory.mktemp("s"), SCENARIO)
    assert errors == []
    return analyse(entries, snapshots=[datetime.date(2020, 3, 31)])


def test_fund_figures_at_end(books) -> None:
    dotation = books.figures["dotation"].as_dict()
    assert dotation == {
        "fund": "dotation", "kind": "endowment", "received": D("1025000.00"),
        "spent": D("0"), "transfers_in": D("0"), "transfers_out": D("20000.00"),
        "balance": D("1005000.00"), "loans_outstanding": D("0"),
        "pledges_outstanding": D("0"), "available": D("1005000.00"),
    }
    zero = books.figures["zero"]
    # received 60,000 + 90,000 pledged + 1,000 interest; spent 40,000 (G-1 net) + 20,000
    # (G-2) + 6,000 loss + 3,000 programme; +20,000 drawn from the endowment.
    assert (zero.received, zero.spent, zero.transfers_in) == (
        D("151000.00"), D("69000.00"), D("20000.00"))
    assert zero.balance == D("102000.00")
    assert zero.loans_outstanding == 0
    assert zero.pledges_outstanding == D("30000.00")
    assert zero.available == D("72000.00")


def test_fund_figures_at_a_date(books) -> None:
    zero = books.figures_at(datetime.date(2020, 3, 31))["zero"]
    # 150,000 received; 50,000 + 20,000 − 10,000 spent; 20,000 in; 12,000 lent; 60,000 pledged
    assert zero.balance == D("110000.00")
    assert zero.available == D("38000.00")


def test_quarter_end_balances_and_spending_limit(books) -> None:
    assert books.quarter_balances["dotation"][datetime.date(2019, 3, 31)] == D("1000000.00")
    assert books.quarter_balances["dotation"][datetime.date(2019, 12, 31)] == D("1025000.00")
    # (1,000,000 + 3 × 1,025,000) / 4 × 4%
    assert books.spending_limit("dotation", 2020) == D("40750.00")


def test_grants_and_loans(books) -> None:
    g1, g2 = books.grants["G-1"], books.grants["G-2"]
    assert (g1.awarded, g1.paid, g1.revoked, g1.net, g1.remaining) == (
        D("50000.00"), D("40000.00"), D("10000.00"), D("40000.00"), D("0.00"))
    assert (g2.grantee, g2.grantee_kind, g2.remaining) == ("Envie Rhône", "company", D("20000.00"))
    loan = books.loans["P-1"]
    assert (loan.lent, loan.repaid, loan.written_off, loan.outstanding) == (
        D("12000.00"), D("6000.00"), D("6000.00"), D("0.00"))


def as_json(trace) -> dict:
    return json.loads(json.dumps(trace.as_dict(), default=lambda d: f"{d:.2f}"))


def test_trace_caisse_epargne(books) -> None:
    # FIFO: G-1 takes 50,000 of CE's 60,000; G-2 the other 10,000; the 10,000 revoked comes
    # back to CE's lot, which stays the oldest, so the programme cost takes 3,000 of it.
    # Interest 1,000 split over 38,000 unspent (CE 10,000; BdT 8,000; Métropole 20,000):
    # 263.157…, 210.526…, 526.315… → largest remainders give CE and BdT the two cents.
    assert as_json(books.trace("Caisse d'Épargne")) == {
        "contributor": "Caisse d'Épargne",
        "given": [{"fund": "zero", "amount": "60000.00"}],
        "earned": [{"fund": "zero", "amount": "263.16"}],
        "used": [
            {"fund": "zero", "kind": "grant", "id": "G-1", "amount": "40000.00"},
            {"fund": "zero", "kind": "grant", "id": "G-2", "amount": "10000.00"},
            {"fund": "zero", "kind": "expense", "id": "Expenses:Programs:Accompaniment",
             "amount": "3000.00"},
        ],
        "unspent": [{"fund": "zero", "amount": "7263.16"}],
        "pledged": [],
    }


def test_trace_banque_des_territoires(books) -> None:
    trace = as_json(books.trace("Banque des Territoires"))
    assert trace["given"] == [{"fund": "zero", "amount": "90000.00"}]
    assert trace["earned"] == [{"fund": "zero", "amount": "210.53"}]
    # The loan counts for what is outstanding (0) plus what was written off (6,000).
    assert trace["used"] == [
        {"fund": "zero", "kind": "grant", "id": "G-2", "amount": "10000.00"},
        {"fund": "zero", "kind": "loan", "id": "P-1", "amount": "6000.00"},
    ]
    assert trace["unspent"] == [{"fund": "zero", "amount": "44210.53"}]
    assert trace["pledged"] == [{"fund": "zero", "amount": "30000.00"}]


def test_trace_metropole_follows_the_transfer(books) -> None:
    trace = as_json(books.trace("Métropole de Lyon"))
    assert trace["given"] == [{"fund": "dotation", "amount": "1000000.00"}]
    assert trace["earned"] == [{"fund": "dotation", "amount": "25000.00"},
                               {"fund": "zero", "amount": "526.31"}]
    assert trace["used"] == []
    assert trace["unspent"] == [{"fund": "dotation", "amount": "1005000.00"},
                                {"fund": "zero", "amount": "20526.31"}]


def test_every_contributor_balances(books) -> None:
    for name in books.contributors():
        t = books.trace(name)
        assert t.total("given") + t.total("earned") == (
            t.total("used") + t.total("unspent") + t.total("pledged")), name


# The same through the command line -------------------------------------------------------

@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_ledger(tmp_path_factory.mktemp("cli"), SCENARIO)


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_cli_funds_json(ledger: Path) -> None:
    result = run("funds", ledger, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {row["fund"]: row for row in json.loads(result.output)}
    assert list(rows["zero"]) == ["fund", "kind", "received", "spent", "transfers_in",
                                  "transfers_out", "balance", "loans_outstanding",
                                  "pledges_outstanding", "available"]
    assert rows["zero"]["available"] == "72000.00"
    assert rows["general"]["balance"] == "0.00"


def test_cli_funds_at_date_and_csv(ledger: Path) -> None:
    result = run("funds", ledger, "--at", "2020-03-31", "--format", "csv")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("fund,kind,received,")
    assert ("zero,restricted,150000.00,60000.00,20000.00,0.00,110000.00,12000.00,60000.00,"
            "38000.00") in lines


def test_cli_trace_json_and_table(ledger: Path) -> None:
    result = run("trace", ledger, "--contributor", "Caisse d'Épargne", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["unspent"] == [{"fund": "zero", "amount": "7263.16"}]
    table = run("trace", ledger, "--contributor", "caisse d'épargne")
    assert table.exit_code == 0
    assert "7263.16" in table.output and "G-1" in table.output


def test_cli_trace_unknown_contributor_exits_2(ledger: Path) -> None:
    result = run("trace", ledger, "--contributor", "Nobody")
    assert result.exit_code == 2
    assert 'unknown contributor "Nobody"' in result.output


def test_cli_check_clean(ledger: Path) -> None:
    result = run("check", ledger)
    assert result.exit_code == 0
    assert "no errors" in result.output


def test_grant_and_loan_events(books) -> None:
    """The engine's classification of each movement, which the reports list per quarter."""
    assert [(e.date.isoformat(), e.kind, e.amount) for e in books.grants["G-1"].events] == [
        ("2019-09-01", "award", D("50000.00")),
        ("2019-09-15", "payment", D("40000.00")),
        ("2020-03-01", "revocation", D("10000.00")),
    ]
    assert [(e.kind, e.amount) for e in books.loans["P-1"].events] == [
        ("disbursement", D("12000.00")), ("repayment", D("6000.00")),
        ("write-off", D("6000.00")),
    ]


def test_private_donors_and_withheld_loans(tmp_path: Path) -> None:
    body = """
2019-02-01 * "Anne Martin" "Don anonyme"
  fund: "zero"
  private: TRUE
  Assets:Bank:Main  500.00 EUR
  Income:Contributions:Partners

2019-03-01 * "Jean Dupont" "Prêt d'honneur"
  loan: "P-9"
  fund: "zero"
  grantee-kind: "person"
  term-months: 10
  Assets:Loans:Honour  100.00 EUR
  Assets:Bank:Main
"""
    entries, errors, _options = load_ledger(tmp_path, body)
    assert errors == []
    books = analyse(entries)
    assert books.private_contributors == {"Anne Martin"}
    assert books.loans["P-9"].is_withheld
    assert books.loans["P-9"].borrower_kind == "person"
