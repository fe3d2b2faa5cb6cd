"""Property: on arbitrary books (errors included), every year's fonds dédiés table adds up
to the funds' balances, the balance sheet balances, own funds move only as the income
statement and the transfers say, and the FEC balances and validates."""

from __future__ import annotations

from decimal import Decimal

from beancount import loader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundledger.engine import analyse
from fundledger.engine.yearend import dedicated_rows, figures_at_year_end
from fundledger.reports import annual, fec
from tests.engine.helpers import HEADER
from tests.reports.test_fec import validate

FUNDS = ["general", "zero", "food", "dotation"]
rows = st.lists(st.tuples(
    st.sampled_from(["Income:Contributions:Partners", "Income:Contributions:Public",
                     "Income:Investment:Coupons", "Expenses:Grants:Themes",
                     "Expenses:Programs:Accompaniment", "Expenses:LoanLosses:Honour",
                     "Assets:Loans:Honour", "Assets:Receivable:Pledges:Partners",
                     "Liabilities:GrantsPayable", "Expenses:Admin:Management", "transfer"]),
    st.sampled_from(FUNDS + ["undeclared", None]),
    st.sampled_from(["G-1", "G-2", "P-1", None]),
    st.integers(min_value=-5_000_00, max_value=10_000_00),
    st.sampled_from([None, "public", "person", "company"]),
    st.integers(min_value=0, max_value=3 * 12 - 1),  # the month, over three years
), max_size=30)


def ledger(drawn) -> str:
    text = [HEADER, '2019-01-01 custom "fundledger-option" "public-generosity" "TRUE"\n']
    for number, (account, fund, ident, amount, kind, month) in enumerate(
            sorted(drawn, key=lambda r: r[5])):
        day = f"{2019 + month // 12}-{month % 12 + 1:02d}-{1 + number % 28:02d}"
        if account == "transfer":
            target = FUNDS[number % len(FUNDS)]
            source = fund if fund in FUNDS and fund != target else "general"
            text.append(f'{day} custom "fund-transfer" "{source}" "{target}" '
                        f'{abs(amount) / 100 + 1:.2f} EUR\n')
            continue
        meta = f'  fund: "{fund}"\n' if fund else ""
        if ident:
            meta += f'  {"grant" if ident.startswith("G") else "loan"}: "{ident}"\n'
        if kind:
            meta += f'  contributor-kind: "{kind}"\n'
        text.append(f'{day} * "X" "Y"\n{meta}'
                    f"  {account} {Decimal(amount) / 100:.2f} EUR\n  Assets:Bank:Main\n")
    return "\n".join(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_year_end_adds_up_on_arbitrary_books(drawn) -> None:
    entries, errors, options = loader.load_string(ledger(drawn))
    assert not [e for e in errors if not str(e.message).startswith("FL")], errors
    books = analyse(entries, options=options, trace=False)
    for year in (2019, 2020, 2021):
        end = figures_at_year_end(books, year)
        for row in dedicated_rows(books, year):
            assert row.opening + row.reports - row.utilisations + row.transfers == row.closing
            assert row.closing == end[row.fund].balance
        built = annual.build(entries, options, books, year)
        checks = built.statements.checks
        assert checks["assets"] == checks["liabilities"]
        assert checks["assets_previous"] == checks["liabilities_previous"]
        validate(fec.to_text(fec.build(built.general, books)), year)
