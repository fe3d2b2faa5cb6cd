"""Small ledgers for engine and plugin tests: a standard header plus the test's own entries."""

from __future__ import annotations

from pathlib import Path

from beancount import loader

HEADER = """\
option "operating_currency" "EUR"
plugin "fundledger.plugins.funds"

2019-01-01 open Assets:Bank:Main EUR
2019-01-01 open Assets:Endowment:Portfolio EUR
2019-01-01 open Assets:Loans:Honour EUR
2019-01-01 open Assets:Receivable:Pledges:Partners EUR
2019-01-01 open Assets:Receivable:Clawbacks EUR
2019-01-01 open Liabilities:GrantsPayable EUR
2019-01-01 open Income:Contributions:Public EUR
2019-01-01 open Income:Contributions:Partners EUR
2019-01-01 open Income:Investment:Coupons EUR
2019-01-01 open Income:LoanInterest:Honour EUR
2019-01-01 open Expenses:Grants:Themes EUR
2019-01-01 open Expenses:Programs:Accompaniment EUR
2019-01-01 open Expenses:Admin:Management EUR
2019-01-01 open Expenses:LoanLosses:Honour EUR

2019-01-01 custom "fund" "dotation" "endowment" "Dotation"
  consumable: FALSE
2019-01-01 custom "fund" "general" "unrestricted" "Fonds libres"
2019-01-01 custom "fund" "zero" "restricted" "Zéro déchet"
2019-01-01 custom "fund" "food" "restricted" "Circuits courts"
"""

HEADER_LINES = HEADER.count("\n")


def normalise(body: str) -> str:
    """Undo the indentation of blocks written inside test functions.

    Tests glue together blocks indented differently; each line loses the indentation of
    the directive line it belongs to, so postings keep their own two spaces.
    """
    lines, base = [], 0
    for line in body.splitlines():
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if stripped[:1].isdigit():
            base = indent
        lines.append(line[min(base, indent):] if stripped else "")
    return "\n".join(lines) + "\n"


def write_ledger(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "main.beancount"
    path.write_text(header + "\n" + normalise(body), encoding="utf-8")
    return path


def load_ledger(tmp_path: Path, body: str, header: str = HEADER):
    path = write_ledger(tmp_path, body, header)
    return loader.load_file(str(path))


def codes(tmp_path: Path, body: str, header: str = HEADER) -> list[tuple[str, int]]:
    """(code, line in the test body, 1-based) of every error the load reports."""
    _entries, errors, _options = load_ledger(tmp_path, body, header)
    offset = HEADER_LINES + 1
    return [(str(e.message).split(" ", 1)[0], e.source["lineno"] - offset) for e in errors]


def fund_line(amount: str, fund: str, payee: str = "Donor", date: str = "2019-02-01") -> str:
    return f"""
{date} * "{payee}" "Contribution"
  fund: "{fund}"
  Assets:Bank:Main  {amount} EUR
  Income:Contributions:Partners
"""
