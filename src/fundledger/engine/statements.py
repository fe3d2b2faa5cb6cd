"""The annual accounts in the layout of ANC regulation 2018-06: balance sheet, income
statement, changes in own funds, and, for a foundation that calls on public generosity,
the CROD and the CER.

Every line is a sum of chart numbers (see :mod:`fundledger.engine.chart`) from the
general ledger (:mod:`fundledger.engine.accounting`), except the fund side of the balance
sheet and the fonds dédiés lines of the income statement, which come from the funds
(:mod:`fundledger.engine.yearend`).  The two meet: the income statement's result, the
year's contributions to the corpus and the transfers into dedicated funds explain, to the
cent, how the own funds moved between the two balance sheets (:attr:`Statements.own_funds`).
The reports only lay these lines out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fundledger.engine.accounting import UNALLOCATED, Year, dedicated_movements
from fundledger.engine.chart import BY_ORIGIN, DESTINATIONS, ORIGINS
from fundledger.engine.model import ZERO, round_to_cent
from fundledger.engine.yearend import contributions_by_origin, dedicated_rows, fund_origin


@dataclass
class Row:
    """A line of a statement.  ``style``: heading (no amounts), line, subtotal, total."""

    key: str
    current: Decimal | None = None
    previous: Decimal | None = None
    style: str = "line"
    #: The chart numbers the line adds up (shown beside it).
    numbers: str = ""
    #: CROD only: of which public generosity (this year, the year before).
    generosity: Decimal | None = None
    generosity_previous: Decimal | None = None


@dataclass
class Statements:
    year: int
    assets: list[Row]
    liabilities: list[Row]
    income: list[Row]
    own_funds: list[Row]
    crod: list[Row] = field(default_factory=list)
    cer: list[Row] = field(default_factory=list)
    #: Figures the tests and the report's checks read directly.
    checks: dict[str, Decimal] = field(default_factory=dict)


# -- balance sheet ------------------------------------------------------------------------

def _assets_line(number: str) -> str:
    if number.startswith("274"):
        return "loans"
    if number[:2] in ("26", "27"):
        return "financial_assets"
    if number[:1] == "2":
        return "fixed_assets"
    if number.startswith(("4687", "441")):
        return "pledges"
    if number[:2] == "50":
        return "securities"
    if number[:1] == "5":
        return "cash"
    return "receivables"


def _liabilities_line(number: str) -> str:
    if number.startswith("4686"):
        return "grants_payable"
    if number[:1] == "1":
        return "carried"
    return "other_debts"


def _balance_sheet(year: Year, balances: dict[int, dict[str, Decimal]],
                   results: dict[int, Decimal]) -> tuple[list[Row], list[Row]]:
    chart = year.chart
    y, p = year.year, year.year - 1
    active: dict[str, dict[int, Decimal]] = defaultdict(lambda: {y: ZERO, p: ZERO})
    passive: dict[str, dict[int, Decimal]] = defaultdict(lambda: {y: ZERO, p: ZERO})
    for when, accounts in balances.items():
        for account, amount in accounts.items():
            number = chart.account_number(account)
            cls = number[:1]
            # Class 2, 3 and 5 are assets (an overdrawn bank shows as negative cash);
            # class 4 (third parties) sits where its balance puts it; class 1 is a
            # liability (an equity account of the ledger: report à nouveau).
            if cls in ("2", "3", "5") or (cls == "4" and amount > 0):
                active[_assets_line(number)][when] += amount
            else:
                passive[_liabilities_line(number)][when] -= amount
    fund_rows: dict[str, dict[int, Decimal]] = {}
    for when in (y, p):
        side = year.funds[when]
        corpus = side.corpus
        unallocated = year.unallocated(when)
        reserves = side.free - corpus - results[when]
        fund_rows.setdefault("corpus", {})[when] = corpus
        fund_rows.setdefault("reserves", {})[when] = reserves
        fund_rows.setdefault("unallocated", {})[when] = unallocated
        fund_rows.setdefault("result", {})[when] = results[when]
        for origin in ORIGINS:
            fund_rows.setdefault(f"dedicated_{origin}", {})[when] = side.dedicated[origin]

    def rows(keys: list[tuple[str, str]], source: dict[str, dict[int, Decimal]],
             always: tuple[str, ...] = ()) -> list[Row]:
        found = []
        for key, numbers in keys:
            values = source.get(key, {y: ZERO, p: ZERO})
            if key in always or values[y] or values[p]:
                found.append(Row(f"bs.{key}", values[y], values[p], numbers=numbers))
        return found

    def subtotal(key: str, lines: list[Row], style: str = "subtotal") -> Row:
        return Row(key, sum((r.current for r in lines), ZERO),
                   sum((r.previous for r in lines), ZERO), style=style)

    fixed = rows([("fixed_assets", "20-23"), ("financial_assets", "26, 27"),
                  ("loans", "274")], active)
    current = rows([("pledges", "4687"), ("receivables", "4, 47"), ("securities", "50"),
                    ("cash", "51, 53")], active, always=("cash",))
    assets = [Row("bs.fixed", style="heading"), *fixed, subtotal("bs.fixed_total", fixed),
              Row("bs.current", style="heading"), *current,
              subtotal("bs.current_total", current)]
    assets.append(subtotal("bs.assets_total", fixed + current, "total"))

    own = rows([("corpus", "102"), ("reserves", "106"), ("carried", "11"),
                ("unallocated", UNALLOCATED), ("result", "12")],
               {**fund_rows, **{k: v for k, v in passive.items() if k == "carried"}},
               always=("corpus", "reserves", "result"))
    dedicated = rows([(f"dedicated_{o}", BY_ORIGIN[o][1]) for o in ORIGINS], fund_rows)
    debts = rows([("grants_payable", "4686"), ("other_debts", "40, 46, 47")], passive,
                 always=("grants_payable",))
    liabilities = [Row("bs.own_funds", style="heading"), *own,
                   subtotal("bs.own_funds_total", own),
                   Row("bs.dedicated", style="heading"), *dedicated,
                   subtotal("bs.dedicated_total", dedicated),
                   Row("bs.debts", style="heading"), *debts, subtotal("bs.debts_total", debts)]
    liabilities.append(subtotal("bs.liabilities_total", own + dedicated + debts, "total"))
    return assets, liabilities


# -- income statement ---------------------------------------------------------------------

#: Income statement lines: key, chart numbers shown, which numbers they take.
_INCOME = [
    ("sales", "70", lambda n: n[:2] in ("70", "71", "72", "73")),
    ("subsidies", "74", lambda n: n[:2] == "74"),
    ("founders", "753", lambda n: n[:3] == "753"),
    ("generosity", "754", lambda n: n[:3] == "754"),
    ("contributions", "755", lambda n: n[:3] == "755"),
    ("dues", "756", lambda n: n[:3] == "756"),
    ("other_income", "75", lambda n: n[:2] == "75"),
    ("reversals", "78", lambda n: n[:2] in ("78", "79") and n[:3] != "789"),
]
_CHARGES = [
    ("purchases", "60-62", lambda n: n[:2] in ("60", "61", "62")),
    ("taxes", "63", lambda n: n[:2] == "63"),
    ("staff", "64", lambda n: n[:2] == "64"),
    ("grants", "657", lambda n: n[:3] == "657"),
    ("other_charges", "65", lambda n: n[:2] == "65"),
    ("depreciation", "68", lambda n: n[:2] == "68" and n[:3] != "689"),
]
_FINANCIAL = [("financial_income", "76", lambda n: n[:2] == "76")]
_FINANCIAL_CHARGES = [("financial_charges", "66", lambda n: n[:2] == "66")]
_EXCEPTIONAL = [("exceptional_income", "77", lambda n: n[:2] == "77")]
_EXCEPTIONAL_CHARGES = [("exceptional_charges", "67", lambda n: n[:2] == "67")]
_TAX = [("income_tax", "69", lambda n: n[:2] == "69")]

Rule = tuple[str, str, Callable[[str], bool]]


def _take(flows: dict[str, Decimal], rules: list[Rule], sign: int,
          taken: set[str]) -> dict[str, Decimal]:
    """Sum the flows of the first rule each number matches (``sign`` -1 for income)."""
    out = {key: ZERO for key, _numbers, _test in rules}
    for number, amount in flows.items():
        if number in taken:
            continue
        for key, _numbers, test in rules:
            if test(number):
                out[key] += sign * amount
                taken.add(number)
                break
    return out


def _income_statement(year: Year) -> tuple[list[Row], dict[int, Decimal]]:
    y, p = year.year, year.year - 1
    parts: dict[int, dict[str, Decimal]] = {}
    for when in (y, p):
        flows = year.flows[when]
        taken: set[str] = set()
        values: dict[str, Decimal] = {}
        for rules, sign in ((_INCOME, -1), (_CHARGES, 1), (_FINANCIAL, -1),
                            (_FINANCIAL_CHARGES, 1), (_EXCEPTIONAL, -1),
                            (_EXCEPTIONAL_CHARGES, 1), (_TAX, 1)):
            values.update(_take(flows, rules, sign, taken))
        # What the chart puts nowhere above: class 7 as other income, 6 as other charges.
        for number, amount in flows.items():
            if number not in taken:
                key = "other_income" if number[:1] == "7" else "other_charges"
                values[key] += -amount if key == "other_income" else amount
        moves = dedicated_movements(year.dedicated[when])
        values["utilisations"] = sum((moves[o][1] for o in ORIGINS), ZERO)
        values["reports"] = sum((moves[o][0] for o in ORIGINS), ZERO)
        parts[when] = values

    def line(key: str, numbers: str) -> Row:
        return Row(f"is.{key}", parts[y][key], parts[p][key], numbers=numbers)

    def present(items: list[Row], always: tuple[str, ...] = ()) -> list[Row]:
        return [r for r in items if r.current or r.previous or r.key in always]

    def total(key: str, rows: list[Row], style: str = "subtotal") -> Row:
        return Row(key, sum((r.current for r in rows), ZERO),
                   sum((r.previous for r in rows), ZERO), style=style)

    def difference(key: str, plus: Row, minus: Row, style: str = "subtotal") -> Row:
        return Row(key, plus.current - minus.current, plus.previous - minus.previous,
                   style=style)

    op_income = present([line(k, n) for k, n, _t in _INCOME]
                        + [line("utilisations", "789")], ("utilisations",))
    op_charges = present([line(k, n) for k, n, _t in _CHARGES]
                         + [line("reports", "689")], ("reports",))
    fin_income = present([line(k, n) for k, n, _t in _FINANCIAL], ("financial_income",))
    fin_charges = present([line(k, n) for k, n, _t in _FINANCIAL_CHARGES])
    exc_income = present([line(k, n) for k, n, _t in _EXCEPTIONAL])
    exc_charges = present([line(k, n) for k, n, _t in _EXCEPTIONAL_CHARGES])
    tax = present([line(k, n) for k, n, _t in _TAX])
    t_op_in, t_op_ch = (total("is.operating_income_total", op_income),
                        total("is.operating_charges_total", op_charges))
    t_fin_in, t_fin_ch = (total("is.financial_income_total", fin_income),
                          total("is.financial_charges_total", fin_charges))
    t_exc_in, t_exc_ch = (total("is.exceptional_income_total", exc_income),
                          total("is.exceptional_charges_total", exc_charges))
    all_income = total("is.income_total", op_income + fin_income + exc_income, "total")
    all_charges = total("is.charges_total", op_charges + fin_charges + exc_charges + tax,
                        "total")
    result = difference("is.result", all_income, all_charges, "total")
    rows = [Row("is.operating_income", style="heading"), *op_income, t_op_in,
            Row("is.operating_charges", style="heading"), *op_charges, t_op_ch,
            difference("is.operating_result", t_op_in, t_op_ch),
            Row("is.financial", style="heading"), *fin_income, *fin_charges,
            difference("is.financial_result", t_fin_in, t_fin_ch)]
    if exc_income or exc_charges:
        rows += [Row("is.exceptional", style="heading"), *exc_income, *exc_charges,
                 difference("is.exceptional_result", t_exc_in, t_exc_ch)]
    rows += tax
    rows += [all_income, all_charges, result]
    return rows, {y: result.current, p: result.previous}


def _own_funds(year: Year, results: dict[int, Decimal]) -> list[Row]:
    """How the own funds (corpus, reserves, result) moved over the year."""
    y, p = year.year, year.year - 1
    opening = year.funds[p].free + year.unallocated(p)
    closing = year.funds[y].free + year.unallocated(y)
    rows = [Row("of.opening", opening, style="subtotal"),
            Row("of.corpus_contributions", year.corpus_contributions.get(y, ZERO)),
            Row("of.result", results[y]),
            Row("of.transfers", -year.transfers_to_dedicated[y])]
    explained = opening + sum((r.current for r in rows[1:]), ZERO)
    other = closing - explained
    if other:
        rows.append(Row("of.unallocated", other))
    rows.append(Row("of.closing", closing, style="total"))
    return rows


# -- public generosity: CROD and CER --------------------------------------------------------

def generosity_share(books: Any, fund: str, year: int) -> Decimal:
    """The part of a fund's spending that public generosity pays for: all of it for a
    fund listed under générosité du public, else the share of generosity in the fund's
    contributions so far."""
    kind = books.funds[fund].kind
    if kind == "restricted" and fund_origin(books, fund, year) == "generosite":
        return Decimal(1)
    totals = contributions_by_origin(books, fund, year)
    whole = sum(totals.values(), ZERO)
    return totals["generosite"] / whole if whole > 0 else ZERO


def _resource_of(number: str) -> str | None:
    """The CROD's origin line of an income number (None for a charge or class 1)."""
    if number[:1] != "7" or number[:3] == "789":
        return None
    if number[:3] == "754":
        return "generosity"
    if number[:3] == "755":
        return "contributions"
    if number[:2] == "74":
        return "public"
    return "other"


def _public_generosity(year: Year, books: Any) -> tuple[list[Row], list[Row]]:
    """The CROD and the CER (the general ledger must hold every year's flows)."""
    y, p = year.year, year.year - 1
    first_year = min(year.flows, default=y)
    # Charges by destination and year, with the part generosity pays ([total, of which]).
    charges: dict[int, dict[str, list[Decimal]]] = defaultdict(
        lambda: {d: [ZERO, ZERO] for d in DESTINATIONS})
    for when, amounts in year.charges.items():
        for (fund, destination), amount in amounts.items():
            line = charges[when][destination]
            line[0] += amount
            line[1] += amount * generosity_share(books, fund, when)
    resources: dict[int, dict[str, list[Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: [ZERO, ZERO]))
    for when, flows in year.flows.items():
        for number, amount in flows.items():
            key = _resource_of(number)
            if key is not None:
                line = resources[when][key]
                line[0] -= amount
                if key == "generosity":
                    line[1] -= amount

    def dedicated(when: int) -> tuple[list[Decimal], list[Decimal]]:
        reports, used = [ZERO, ZERO], [ZERO, ZERO]
        for row in year.dedicated.get(when) or _rows_of(books, when):
            generosity = row.origin == "generosite"
            reports[0] += row.reports
            used[0] += row.utilisations
            if generosity:
                reports[1] += row.reports
                used[1] += row.utilisations
        return reports, used

    def surplus(when: int) -> Decimal:
        """The year's generosity resources and uses of earlier ones, less what they paid
        for and what was carried to dedicated funds (each to the cent, as shown)."""
        v = {k: g for k, (_total, g) in crod_rows(when).items()}
        return (v["generosity"] + v["utilisations"] - v["mission"] - v["fundraising"]
                - v["operating"] - v["reports"])

    def crod_rows(when: int) -> dict[str, tuple[Decimal, Decimal]]:
        reports, used = dedicated(when)
        r = resources[when]
        out = {
            "generosity": tuple(r["generosity"]),
            "contributions": tuple(r["contributions"]),
            "other": tuple(r["other"]),
            "public": tuple(r["public"]),
            "utilisations": tuple(used),
            "mission": tuple(charges[when]["mission"]),
            "fundraising": tuple(charges[when]["fundraising"]),
            "operating": tuple(charges[when]["operating"]),
            "reports": tuple(reports),
        }
        return {k: (_cent(a), _cent(b)) for k, (a, b) in out.items()}

    now, before = crod_rows(y), crod_rows(p)

    def row(key: str, style: str = "line") -> Row:
        return Row(f"crod.{key}", now[key][0], before[key][0], style,
                   generosity=now[key][1], generosity_previous=before[key][1])

    def add(key: str, rows: list[Row], style: str = "total") -> Row:
        return Row(key, *(sum((getattr(r, a) for r in rows), ZERO)
                          for a in ("current", "previous")), style=style,
                   generosity=sum((r.generosity for r in rows), ZERO),
                   generosity_previous=sum((r.generosity_previous for r in rows), ZERO))

    income = [row("generosity"), row("contributions"), row("other"), row("public"),
              row("utilisations")]
    spending = [row("mission"), row("fundraising"), row("operating"), row("reports")]
    income_total, spending_total = add("crod.income_total", income), add(
        "crod.charges_total", spending)
    result = Row("crod.result", income_total.current - spending_total.current,
                 income_total.previous - spending_total.previous, "total",
                 generosity=income_total.generosity - spending_total.generosity,
                 generosity_previous=(income_total.generosity_previous
                                      - spending_total.generosity_previous))
    crod = [Row("crod.income", style="heading"), *income, income_total,
            Row("crod.charges", style="heading"), *spending, spending_total, result]

    # CER: the generosity column, uses first, then resources, then what is carried.
    def cer_values(when: int) -> dict[str, Decimal]:
        values = crod_rows(when)
        out = {k: values[k][1] for k in values}
        uses = out["mission"] + out["fundraising"] + out["operating"]
        out["uses_total"] = uses
        balance = out["generosity"] + out["utilisations"] - uses - out["reports"]
        out["surplus"] = max(balance, ZERO)
        out["deficit"] = max(-balance, ZERO)
        out["total"] = uses + out["reports"] + out["surplus"]
        out["resources_total"] = out["generosity"]
        out["carried_opening"] = sum((surplus(w) for w in range(first_year, when)), ZERO)
        out["change"] = balance
        out["carried_closing"] = out["carried_opening"] + balance
        return out

    c, b = cer_values(y), cer_values(p)

    def cer_row(key: str, style: str = "line") -> Row:
        return Row(f"cer.{key}", c[key], b[key], style)

    cer = [Row("cer.uses", style="heading"), cer_row("mission"), cer_row("fundraising"),
           cer_row("operating"), cer_row("uses_total", "subtotal"), cer_row("reports"),
           cer_row("surplus"), cer_row("total", "total"),
           Row("cer.resources", style="heading"), cer_row("generosity"),
           cer_row("resources_total", "subtotal"), cer_row("utilisations"),
           cer_row("deficit"), Row("cer.total", c["resources_total"] + c["utilisations"]
                                   + c["deficit"], b["resources_total"] + b["utilisations"]
                                   + b["deficit"], "total"),
           Row("cer.carried", style="heading"), cer_row("carried_opening"),
           cer_row("change"), cer_row("carried_closing", "total")]
    return crod, cer


def _rows_of(books: Any, when: int) -> list[Any]:
    return dedicated_rows(books, when)


def _cent(amount: Decimal) -> Decimal:
    return round_to_cent(amount)


def annual_statements(year: Year, books: Any, public_generosity: bool) -> Statements:
    """The year's statements (and the year before, for comparison).  With
    ``public_generosity`` the general ledger must have been read with ``every_year``."""
    income, results = _income_statement(year)
    balances = {year.year: year.closing, year.year - 1: year.opening}
    assets, liabilities = _balance_sheet(year, balances, results)
    own = _own_funds(year, results)
    statements = Statements(year.year, assets, liabilities, income, own)
    if public_generosity:
        statements.crod, statements.cer = _public_generosity(year, books)
    statements.checks = {
        "assets": assets[-1].current, "liabilities": liabilities[-1].current,
        "assets_previous": assets[-1].previous,
        "liabilities_previous": liabilities[-1].previous,
        "result": results[year.year], "own_funds_unexplained": sum(
            (r.current for r in own if r.key == "of.unallocated"), ZERO),
    }
    return statements
