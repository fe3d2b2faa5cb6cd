"""The contributor statement as the review read it (issue 22)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from fundledger.cli import cli


def test_the_trace_and_the_statement_accept_the_name_without_accent(ledger_path: Path) -> None:
    runner = CliRunner()
    traced = runner.invoke(cli, ["trace", str(ledger_path), "--contributor", "Caisse d'Epargne"])
    assert traced.exit_code == 0, traced.stderr
    statement = runner.invoke(cli, ["report", "contributor", str(ledger_path),
                                    "--contributor", "caisse d'epargne", "--lang", "en"])
    assert statement.exit_code == 0, statement.stderr
    assert "Caisse d&#39;Épargne" in statement.stdout


import datetime  # noqa: E402
from decimal import Decimal  # noqa: E402

import pytest  # noqa: E402

from fundledger import i18n  # noqa: E402
from fundledger.engine import analyse  # noqa: E402
from fundledger.reports import contributor  # noqa: E402
from tests.reports.conftest import LEDGER, plain  # noqa: E402

D = Decimal


@pytest.mark.parametrize("value, unit, lang, one, expected", [
    (D(1), "emplois", "fr", None, "1 emploi"),
    (D(0), "emplois", "fr", None, "0 emploi"),  # French counts 0 as one
    (D(3), "emplois", "fr", None, "3 emplois"),
    (D(1), "tonnes de déchets", "fr", None, "1 tonne de déchets"),
    (D(1), "m²", "fr", None, "1 m²"),
    (D(1), "jobs", "en", None, "1 job"),
    (D(0), "jobs", "en", None, "0 jobs"),
    (D(1), "posti", "it", None, "1"),  # no rule for Italian: the unit is left out
    (D(1), "posti", "it", "posto", "1 posto"),  # unless the indicator says it (unit-one:)
    (D(2), "posti", "it", "posto", "2 posti"),
])
def test_a_unit_agrees_with_its_number(value, unit, lang, one, expected) -> None:
    assert i18n.format_quantity(value, unit, lang, one) == expected


def test_the_statement_says_1_emploi(tmp_path) -> None:
    path = tmp_path / "main.beancount"
    path.write_text(LEDGER + '\n2025-10-01 custom "impact" "G-2025-001" "jobs" 1\n',
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", "contributor", str(path), "--contributor",
                                      "Caisse d'Épargne", "--lang", "fr"])
    text = plain(result.stdout)
    assert '<span class="quantity">1 emploi</span>' in text and "1 emplois" not in text
    assert '<span class="quantity">3 emplois</span>' in text


def test_a_loan_share_is_of_what_the_loan_still_has_out(loaded) -> None:
    """P-2024-001: 24,000 lent, 8,000 repaid; Banca Etica's money is the 16,000 still out:
    100 % of what is outstanding (it was shown as 66.7 %, of the amount lent)."""
    built = contributor.build(analyse(loaded.entries), "Banca Etica")
    loan = next(r for r in built["loans"] if r["id"] == "P-2024-001")
    assert (loan["amount"], loan["total"], loan["share"]) == (D("16000.00"), D("16000.00"), 1)
    assert loan["date"] == datetime.date(2024, 10, 1)


@pytest.mark.parametrize("lang, header, note", [
    ("fr", "Votre part de l'encours", "non au montant prêté"),
    ("it", "Vostra quota del capitale in essere", "non all'importo prestato"),
    ("en", "Your share of what is still lent", "not against the amount lent"),
])
def test_the_statement_says_what_a_share_is_of(ledger_path, lang, header, note) -> None:
    import html

    result = CliRunner().invoke(cli, ["report", "contributor", str(ledger_path),
                                      "--contributor", "Banca Etica", "--lang", lang])
    text = html.unescape(result.stdout)
    assert header in text and note in text


def test_award_dates_and_the_view_by_year(loaded, ledger_path) -> None:
    built = contributor.build(analyse(loaded.entries), "Caisse d'Épargne")
    dates = {r["id"]: r["date"] for r in built["grants"]}
    assert dates["G-2025-003"] == datetime.date(2025, 7, 20)
    assert [(y["year"], y["grants"], y["loans"], y["grants_count"], y["loans_count"])
            for y in built["years"]] == [(2024, D("30000.00"), 0, 1, 0),
                                          (2025, D("33000.00"), D("5000.00"), 3, 1)]
    result = CliRunner().invoke(cli, ["report", "contributor", str(ledger_path),
                                      "--contributor", "Caisse d'Épargne", "--lang", "fr"])
    text = plain(result.stdout)
    assert "Par année d'attribution" in text.replace("&#39;", "'")
    assert "20 juil. 2025" in text and "3 projets" in text and "1 projet<" in text
