"""The statement for one contributor (SPEC 6.3): where its money went.

Every amount comes from the engine's contributor tracing (``books.trace``), so the
statement and ``fundledger trace`` agree to the cent.  The statement is sent outside the
foundation: a withheld grantee (``private: TRUE`` or ``grantee-kind: "person"``) appears
as "private beneficiary", with neither name nor narration.

The contributor's language is, in order: ``language:`` metadata on a
``custom "contributor" NAME`` entry (or that entry's second value), ``language:`` on its
first contribution transaction, else the ledger's default.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from beancount.core import data

from fundledger import csvout, i18n
from fundledger.engine import ZERO, Books
from fundledger.engine.accounts import Classifier, Kind, Roots
from fundledger.reports.base import Ledger, ReportError, render_html

PARTS = ("given", "pledged", "earned", "used", "unspent")


def language_of(entries: list[data.Directive], name: str,
                roots: Roots | None = None) -> str | None:
    """The contributor's own language, if the ledger records one it can use."""
    classify = Classifier(roots)
    found: str | None = None
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == "contributor":
            values = [v.value for v in entry.values]
            if values and values[0] == name:
                lang = entry.meta.get("language") or (values[1] if len(values) > 1 else None)
                if lang in i18n.LOCALES:
                    return str(lang)
        elif found is None and isinstance(entry, data.Transaction):
            found = _contribution_language(entry, name, classify)
    return found or None


def _contribution_language(txn: data.Transaction, name: str,
                           classify: Classifier) -> str | None:
    for posting in txn.postings:
        if classify(posting.account) != Kind.CONTRIBUTION:
            continue
        meta = posting.meta or {}
        who = meta.get("contributor") or txn.meta.get("contributor") or txn.payee or txn.narration
        if who == name:
            lang = meta.get("language") or txn.meta.get("language")
            return str(lang) if lang in i18n.LOCALES else ""
    return None


def _impacts(books: Books, ident: str) -> list[dict[str, Any]]:
    rows = []
    for item in books.impacts_of(ident):
        indicator = books.indicators.get(item.indicator)
        rows.append({"indicator": indicator.label if indicator else item.indicator,
                     "unit": indicator.unit if indicator else "",
                     "unit_one": indicator.unit_one if indicator else None,
                     "value": item.value})
    return rows


def _grant_row(books: Books, share: Any) -> dict[str, Any]:
    grant = books.grants.get(share.id)
    withheld = grant is None or grant.is_withheld
    net = grant.net if grant else ZERO
    return {"id": share.id, "fund": share.fund, "amount": share.amount,
            "private": withheld, "name": None if withheld else grant.grantee,
            "narration": None if withheld else grant.narration,
            "date": grant.awarded_on if grant else None,
            "total": net, "share": share.amount / net if net else None,
            "impacts": _impacts(books, share.id)}


def _loan_row(books: Books, share: Any) -> dict[str, Any]:
    loan = books.loans.get(share.id)
    withheld = loan is None or loan.is_withheld
    # The contributor's part of a loan is its money still out in it: repaid principal has
    # gone back to the lots that lent it.  So the share is of what the loan still has out
    # (outstanding principal, and what was written off), not of the amount lent.
    out = loan.outstanding + loan.written_off if loan else ZERO
    return {"id": share.id, "fund": share.fund, "amount": share.amount,
            "private": withheld, "name": None if withheld else loan.borrower,
            "narration": None if withheld else loan.narration,
            "date": loan.disbursed_on if loan else None,
            "lent": loan.lent if loan else ZERO,
            "total": out, "share": share.amount / out if out else None,
            "impacts": _impacts(books, share.id)}


def by_year(grants: list[dict[str, Any]], loans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contributor's grants and loans by the year they were awarded or disbursed."""
    years: dict[int, dict[str, Any]] = {}
    for kind, rows in (("grants", grants), ("loans", loans)):
        for row in rows:
            if row["date"] is None:
                continue
            year = years.setdefault(row["date"].year, {
                "year": row["date"].year, "grants": ZERO, "loans": ZERO,
                "grants_count": 0, "loans_count": 0})
            year[kind] += row["amount"]
            year[f"{kind}_count"] += 1
    return [dict(y, total=y["grants"] + y["loans"]) for _k, y in sorted(years.items())]


def build(books: Books, contributor: str) -> dict[str, Any]:
    """Everything the statement shows, as plain data (amounts are the engine's, from the
    command's one traced pass).  A withheld grant or loan (``private`` row) is shown with
    neither its id, nor its grantee, nor its narration."""
    name = books.find_contributor(contributor)
    if name is None:
        known = ", ".join(books.contributors()) or "none"
        raise ReportError(f'unknown contributor "{contributor}" (known: {known})')
    trace = books.trace(name)
    by_fund: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(PARTS, ZERO))
    for part in PARTS:
        for share in getattr(trace, part):
            by_fund[share.fund][part] += share.amount
    order = {fund: i for i, fund in enumerate(books.funds)}
    funds = [{"fund": fund, "label": books.funds[fund].label if fund in books.funds else fund,
              **values} for fund, values in sorted(by_fund.items(),
                                                   key=lambda kv: order.get(kv[0], 1 << 30))]
    grants = [_grant_row(books, s) for s in trace.used if s.kind == "grant"]
    loans = [_loan_row(books, s) for s in trace.used if s.kind == "loan"]
    costs: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for share in trace.used:
        if share.kind == "expense":
            costs[(share.fund, share.id)] += share.amount
    return {
        "name": name,
        "as_at": books.last_date,
        "books": books,
        "trace": trace,
        "totals": {part: trace.total(part) for part in PARTS},
        "funds": funds,
        "grants": grants,
        "loans": loans,
        "years": by_year(grants, loans),
        "costs": [{"fund": f, "account": a, "amount": v} for (f, a), v in costs.items()],
        "fund_labels": {n: fund.label for n, fund in books.funds.items()},
    }


def to_csv(built: dict[str, Any], lang: str = "en") -> str:
    """One row per share: part, fund, kind, id, public name, amount (plain decimal)."""
    books = built["books"]
    withheld = {g.id for g in books.grants.values() if g.is_withheld}
    withheld |= {loan.id for loan in books.loans.values() if loan.is_withheld}
    public = {row["id"]: row["name"] for row in built["grants"] + built["loans"]
              if not row["private"]}
    private = i18n.t("private_beneficiary", lang)
    rows = []
    trace = built["trace"]
    for part in ("given", "earned", "used", "unspent", "pledged"):
        for share in getattr(trace, part):
            kind, ident = getattr(share, "kind", ""), getattr(share, "id", "")
            hidden = kind in ("grant", "loan") and (ident in withheld or ident not in public)
            rows.append([built["name"], part, share.fund, kind, "" if hidden else ident,
                         private if hidden else public.get(ident, ""), f"{share.amount:.2f}"])
    return csvout.to_text(["contributor", "part", "fund", "kind", "id", "name", "amount"], rows)


def chart(built: dict[str, Any], lang: str) -> Any:
    """One bar: the contributor's money split into grants, loans, costs, unspent, pledged."""
    from fundledger import charts

    parts = {
        i18n.t("contributor.grants", lang): sum((r["amount"] for r in built["grants"]), ZERO),
        i18n.t("contributor.loans", lang): sum((r["amount"] for r in built["loans"]), ZERO),
        i18n.t("contributor.costs", lang): sum((r["amount"] for r in built["costs"]), ZERO),
        i18n.t("contributor.unspent", lang): built["totals"]["unspent"],
        i18n.t("contributor.pledged", lang): built["totals"]["pledged"],
    }
    if not any(value > 0 for value in parts.values()):
        return None
    return charts.fund_composition([""], {k: [v] for k, v in parts.items()}, lang, legend_rows=2,
                                   title=i18n.t("chart.contributor", lang))


def render(built: dict[str, Any], ledger: Ledger, lang: str) -> str:
    context = {k: v for k, v in built.items() if k not in ("books",)}
    return render_html("contributor.html.j2", lang, ledger, chart=chart(built, lang), **context)
