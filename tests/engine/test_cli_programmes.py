"""`fundledger pipeline` and `propose` as a user runs them: shapes, figures, exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

from tests.engine.helpers import write_ledger
from tests.engine.test_cli_core import fundledger
from tests.engine.test_programmes import (
    FUNDS,
    PROGRAMME,
    application,
    award,
    decision,
    hours,
    pay,
)

BOOKS = (FUNDS + PROGRAMME + application() + hours("8") + decision("12796.50")
         + award("12796.50") + pay("6398.25")
         + application("ISM-2", name="Dolce Lavoro snc", cost="40000.00") + hours("7.5", "ISM-2"))


def test_pipeline_json_shape_and_figures(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, BOOKS)
    result = fundledger("pipeline", ledger, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"application": "ISM-1", "programme": "ism-2019",
         "beneficiary": "Borgo Antico Ospitalità srl", "stage": "awarded", "hours": 8,
         "eligible_cost": "25593.00", "approved": "12796.50", "awarded": "12796.50",
         "paid": "6398.25", "revoked": "0.00"},
        {"application": "ISM-2", "programme": "ism-2019", "beneficiary": "Dolce Lavoro snc",
         "stage": "accompanied", "hours": 7.5, "eligible_cost": "40000.00",
         "approved": "0.00", "awarded": "0.00", "paid": "0.00", "revoked": "0.00"}]


def test_pipeline_at_a_date_csv_and_unknown_programme(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, BOOKS)
    result = fundledger("pipeline", ledger, "--format", "csv", "--at", "2019-04-01",
                        "--programme", "ism-2019")
    assert result.returncode == 0
    assert result.stdout.splitlines()[1].startswith("ISM-1,ism-2019,Borgo Antico Ospitalità "
                                                    "srl,approved,8,25593.00,12796.50,0.00")
    wrong = fundledger("pipeline", ledger, "--programme", "nope")
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert wrong.stderr.count("\n") == 1 and '"nope"' in wrong.stderr


def test_propose_clean_proposal_changes_nothing(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, BOOKS)
    text = ledger.read_text(encoding="utf-8")
    proposal = tmp_path / "proposal.beancount"
    proposal.write_text(decision("15000.00", "ISM-2", date="2019-06-01")
                        + hours("0.5", "ISM-2", date="2019-06-01")
                        + award("15000.00", "ISM-2", date="2019-06-05", fund="food")
                        + '2019-06-05 custom "fund-transfer" "zero" "food" 1000.00 EUR\n',
                        encoding="utf-8")
    result = fundledger("propose", ledger, proposal)
    assert result.returncode == 0, result.stdout
    assert "no breach: the books would stay within every rule" in result.stdout
    food = next(line.split() for line in result.stdout.splitlines() if line.startswith("food"))
    assert food == ["food", "500000.00", "486000.00", "-14000.00"]
    assert ledger.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.beancount", "proposal.beancount"]


def test_propose_lists_each_proposals_breaches(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, BOOKS)
    proposal = tmp_path / "proposal.beancount"
    proposal.write_text(decision("15000.00", "ISM-2", date="2019-06-01")
                        + award("20000.01", "ISM-2", date="2019-06-05", fund="food"),
                        encoding="utf-8")
    result = fundledger("propose", ledger, proposal)
    assert result.returncode == 1
    out = result.stdout
    assert out.count("✗ FL") == 3  # hours short, above 50 %, above the decision
    for code in ("FL602", "FL603", "FL604"):
        assert f"✗ {code} " in out
    assert "3 breach(es)" in out


def test_propose_unreadable_proposal_exits_2(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, BOOKS)
    proposal = tmp_path / "proposal.beancount"
    proposal.write_text("2019-06-01 * \"x\" \"y\"\n  Assets:Bank:Main 10.00 EUR\n"
                        "  Expenses:Admin:Management 5.00 EUR\n", encoding="utf-8")
    result = fundledger("propose", ledger, proposal)
    assert result.returncode == 2 and result.stdout == ""
    assert "does not balance" in result.stderr and str(proposal) in result.stderr


def test_pipeline_csv_defuses_formulas(tmp_path: Path) -> None:
    books = FUNDS + PROGRAMME + application(name="=HYPERLINK(1)")
    ledger = write_ledger(tmp_path, books)
    result = fundledger("pipeline", ledger, "--format", "csv")
    assert result.returncode == 0
    assert result.stdout.splitlines()[1] == (
        "ISM-1,ism-2019,'=HYPERLINK(1),applied,0,25593.00,0.00,0.00,0.00,0.00")


def test_propose_names_an_account_the_books_never_opened(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, BOOKS)
    proposal = tmp_path / "proposal.beancount"
    proposal.write_text(decision("15000.00", "ISM-2", date="2019-06-01")
                        + hours("0.5", "ISM-2", date="2019-06-01")
                        + award("15000.00", "ISM-2", date="2019-06-05", fund="food",
                                account="Expenses:Grants:Nowhere"), encoding="utf-8")
    result = fundledger("propose", ledger, proposal)
    assert result.returncode == 1
    assert "✗ account Expenses:Grants:Nowhere is not open in" in result.stdout
