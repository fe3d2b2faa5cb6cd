"""`consolidate`: prefixed funds, eliminations of fees and entity transfers, FL801, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HOST = """\
option "title" "Fondation hôte"
plugin "fundledger.plugins.funds"
2025-01-01 custom "fundledger-option" "entity" "ful"
2025-01-01 open Assets:Bank:Main EUR
2025-01-01 open Income:HostFees EUR
2025-01-01 open Income:Contributions:Gifts EUR
2025-01-01 open Expenses:Grants:Sheltered EUR
2025-01-01 custom "fund" "general" "unrestricted" "Fonds libres"
{sheltered}
2025-02-01 * "Donor" "Gift"
  fund: "general"
  Assets:Bank:Main   1000.00 EUR
  Income:Contributions:Gifts
"""

FOUNDATION = """\
option "title" "{title}"
plugin "fundledger.plugins.funds"
2025-01-01 open Assets:Bank:Main EUR
2025-01-01 open Income:Contributions:Gifts EUR
2025-01-01 open Income:Contributions:Host EUR
2025-01-01 open Income:Investment:Coupons EUR
2025-01-01 open Expenses:Admin:HostFee EUR
2025-01-01 custom "fund" "general" "unrestricted" "Fonds libres"
2025-01-01 custom "fund" "zero" "restricted" "Zéro déchet"
2025-03-01 * "Mécène SA" "Mécénat"
  fund: "zero"
  Assets:Bank:Main   {gift} EUR
  Income:Contributions:Gifts
2025-04-01 * "Banque" "Coupon"
  fund: "general"
  Assets:Bank:Main   {income} EUR
  Income:Investment:Coupons
2025-12-30 * "Fondation hôte" "Frais de gestion 2025"
  fund: "general"
  Expenses:Admin:HostFee   {fee} EUR
    host-fee: TRUE
  Assets:Bank:Main
2026-01-05 * "Jeanne Martin" "Don"
  fund: "general"
  Assets:Bank:Main   50.00 EUR
  Income:Contributions:Gifts
"""


def fundledger(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fundledger.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=180)


def make_group(tmp_path: Path, fees: dict[str, str], host_body: str = "",
               rate: str = "2.5", extra: dict[str, str] | None = None) -> Path:
    """A host sheltering one foundation per ``fees`` key (gift 10 000, income 2 000: the
    2.5 % fee is 300.00), each booking the fee given."""
    lines = []
    for name, fee in fees.items():
        folder = tmp_path / name
        folder.mkdir()
        body = FOUNDATION.format(title=f"Fondation {name}", gift="10000.00",
                                 income="2000.00", fee=fee)
        (folder / "main.beancount").write_text(body + (extra or {}).get(name, ""),
                                               encoding="utf-8")
        lines.append(f'2025-01-01 custom "sheltered" "{name}" "{name}/main.beancount" '
                     f'"Fondation {name}"\n2025-01-01 custom "host-fee" "{name}" {rate}')
    host = tmp_path / "host.beancount"
    host.write_text(HOST.format(sheltered="\n".join(lines)) + host_body, encoding="utf-8")
    return host


HOST_FEES = """
2025-12-30 * "Fondation a" "Frais de gestion 2025"
  fund: "general"
  host-fee: "a"
  Assets:Bank:Main   300.00 EUR
  Income:HostFees
2025-12-30 * "Fondation b" "Frais de gestion 2025"
  fund: "general"
  host-fee: "b"
  Assets:Bank:Main   300.00 EUR
  Income:HostFees
"""


def test_prefixed_funds_and_totals_without_fees(tmp_path: Path) -> None:
    host = make_group(tmp_path, {"a": "300.00", "b": "300.00"}, HOST_FEES)
    result = fundledger("consolidate", host, "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert [e["entity"] for e in out["entities"]] == ["ful", "a", "b"]
    funds = {f["fund"]: f for e in out["entities"] for f in e["funds"]}
    assert set(funds) == {"ful/general", "a/general", "a/zero", "b/general", "b/zero"}
    assert funds["ful/general"]["received"] == "1600.00"
    assert funds["a/general"]["spent"] == "300.00"
    assert funds["a/general"]["received"] == "2050.00"
    total = {row["kind"]: row for row in out["totals"]}["total"]
    # Outside money only: 1000 + 2 × (10000 + 2000 + 50); the fees cancel out.
    assert total["received"] == "25100.00"
    assert total["spent"] == "0.00"
    assert total["balance"] == "25100.00"
    fees = [e for e in out["eliminations"] if e["what"] == "host-fee"]
    assert len(fees) == 4
    assert {(e["entity"], e["counterpart"], e["received"], e["spent"]) for e in fees} == {
        ("ful", "a", "-300.00", "0.00"), ("ful", "b", "-300.00", "0.00"),
        ("a", "ful", "0.00", "-300.00"), ("b", "ful", "0.00", "-300.00")}
    assert out["errors"] == []


def test_entity_transfer_eliminated_both_sides_and_out_of_the_fee_base(tmp_path: Path) -> None:
    given = """
2025-06-01 * "Fondation hôte" "Subvention de l'hôte"
  fund: "general"
  entity-transfer: "ful"
  Assets:Bank:Main   500.00 EUR
  Income:Contributions:Host
"""
    host_side = HOST_FEES.split('2025-12-30 * "Fondation b"')[0] + """
2025-06-01 * "Fondation a" "Subvention à la fondation abritée"
  fund: "general"
  entity-transfer: "a"
  grant: "H-1"
  Expenses:Grants:Sheltered   500.00 EUR
  Assets:Bank:Main
"""
    host = make_group(tmp_path, {"a": "300.00"}, host_side, extra={"a": given})
    result = fundledger("consolidate", host, "--format", "json")
    assert result.returncode == 0, result.stderr + result.stdout
    out = json.loads(result.stdout)
    total = {row["kind"]: row for row in out["totals"]}["total"]
    assert total["received"] == "13050.00"  # 1000 + 10000 + 2000 + 50
    assert total["spent"] == "0.00"
    transfers = {(e["entity"], e["received"], e["spent"])
                 for e in out["eliminations"] if e["what"] == "entity-transfer"}
    assert transfers == {("ful", "0.00", "-500.00"), ("a", "-500.00", "0.00")}


@pytest.mark.parametrize(("fee", "breach"), [("300.00", False), ("300.01", False),
                                             ("299.99", False), ("300.02", True),
                                             ("299.98", True), ("0.00", True)])
def test_fl801_at_the_cent(tmp_path: Path, fee: str, breach: bool) -> None:
    host = make_group(tmp_path, {"a": fee})
    result = fundledger("consolidate", host)
    lines = [line for line in result.stderr.splitlines() if "FL801" in line]
    assert result.returncode == (1 if breach else 0), result.stderr
    if breach:
        main = tmp_path / "a" / "main.beancount"
        fee_line = main.read_text().splitlines().index(
            '2025-12-30 * "Fondation hôte" "Frais de gestion 2025"') + 1
        where = f"{main}:{fee_line}:" if fee != "0.00" else f"{tmp_path / 'host.beancount'}:"
        assert len(lines) == 1 and lines[0].startswith(where), lines
        assert f'host fee of "a" for 2025: {fee} EUR booked' in lines[0]
        assert "300.00 EUR (on 12000.00 EUR" in lines[0]
    else:
        assert lines == []


def test_year_not_over_is_not_checked(tmp_path: Path) -> None:
    host = make_group(tmp_path, {"a": "1.00"})
    assert fundledger("consolidate", host, "--at", "2025-12-30").returncode == 0
    result = fundledger("consolidate", host, "--at", "2025-12-31")
    assert result.returncode == 1 and "FL801" in result.stderr


def test_errors_of_each_entity_listed_with_file_and_line(tmp_path: Path) -> None:
    broken = ('2025-07-01 * "X" "Sans fonds"\n  Assets:Bank:Main 1.00 EUR\n'
              "  Income:Contributions:Gifts\n")
    host = make_group(tmp_path, {"a": "300.00", "b": "300.00"}, HOST_FEES,
                      extra={"b": broken})
    result = fundledger("consolidate", host, "--format", "csv")
    assert result.returncode == 1
    main = tmp_path / "b" / "main.beancount"
    line = main.read_text().splitlines().index('2025-07-01 * "X" "Sans fonds"') + 1
    assert f"{main}:{line}: FL101 " in result.stderr
    assert "section,entity,fund,kind,received" in result.stdout.splitlines()[0]
    assert any(r.startswith("total,,,total,25100.00") for r in result.stdout.splitlines())


def test_unreadable_foundation_is_one_line_exit_2(tmp_path: Path) -> None:
    host = make_group(tmp_path, {"a": "300.00", "b": "300.00"}, HOST_FEES)
    (tmp_path / "b" / "main.beancount").unlink()
    result = fundledger("consolidate", host)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert f"{host}:" in result.stderr and "no such ledger file" in result.stderr


def test_malformed_directives_are_fl103(tmp_path: Path) -> None:
    host = make_group(tmp_path, {"a": "300.00"},
                      '\n2025-01-02 custom "host-fee" "nobody" 2.5\n'
                      '2025-01-02 custom "sheltered" "x" 3\n')
    result = fundledger("check", host)
    assert result.returncode == 1
    assert result.stdout.count(": FL103 malformed") == 2
    assert 'foundation "nobody" is not declared "sheltered"' in result.stdout


def test_at_leaves_out_later_fees_and_figures(tmp_path: Path) -> None:
    host = make_group(tmp_path, {"a": "300.00", "b": "300.00"}, HOST_FEES)
    result = fundledger("consolidate", host, "--at", "2025-06-30", "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["at"] == "2025-06-30"
    assert out["eliminations"] == []
    total = {row["kind"]: row for row in out["totals"]}["total"]
    assert total["received"] == "25000.00"  # 1000 + 2 × (10000 + 2000), nothing after June


@pytest.mark.parametrize(("posting", "value", "error"), [
    ("income", "TRUE", True), ("income", '"a"', False), ("income", "FALSE", True),
    ("admin", "TRUE", False), ("admin", '"a"', True), ("admin", "2.5", True)])
def test_host_fee_marker_with_another_value_or_place_is_fl105(
        tmp_path: Path, posting: str, value: str, error: bool) -> None:
    """host-fee: TRUE on an Expenses:Admin posting (the fee paid), a foundation's name on
    income (the fee received); anything else is FL105."""
    admin = f"\n    host-fee: {value}" if posting == "admin" else ""
    income = f"\n    host-fee: {value}" if posting == "income" else ""
    body = FOUNDATION.format(title="F", gift="10.00", income="0.00", fee="0.00").replace(
        "    host-fee: TRUE\n", "") + f"""
2025-12-31 * "Banque" "Frais"
  fund: "general"
  Expenses:Admin:HostFee   1.00 EUR{admin}
  Assets:Bank:Main
2025-12-31 * "Mécène" "Don"
  fund: "general"
  Assets:Bank:Main   5.00 EUR
  Income:Contributions:Gifts{income}
"""
    ledger = tmp_path / "f.beancount"
    ledger.write_text(body, encoding="utf-8")
    result = fundledger("check", ledger)
    assert (": FL105 host-fee:" in result.stdout) is error, result.stdout
