"""Property: any real edit inside a closed period breaks its digest, naming the month;
edits after the period, and cosmetic ones (files, layout, comments, order), keep it."""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundledger.engine.closing import closing_of
from fundledger.ledger import load

END = datetime.date(2019, 12, 31)
HEADER = """\
option "operating_currency" "EUR"
plugin "fundledger.plugins.funds"
include "a.beancount"
include "b.beancount"

2019-01-01 open Assets:Bank:Main EUR
2019-01-01 open Assets:Bank:Other EUR
2019-01-01 open Income:Contributions:Partners EUR
2019-01-01 open Income:Contributions:Public EUR
2019-01-01 custom "fund" "general" "unrestricted" "Fonds libres"
"""


@dataclass(frozen=True)
class Txn:
    date: datetime.date
    payee: str
    narration: str
    cents: int
    bank: str
    income: str
    tags: tuple[str, ...]
    links: tuple[str, ...]
    ref: str
    file: str
    #: Metadata of the bank posting (``piece:``), none when empty.
    piece: str = ""


def _render_one(txn: Txn, loose: bool) -> str:
    tags = "".join(f" #{t}" for t in txn.tags) + "".join(f" ^{link}" for link in txn.links)
    amount = f"{txn.cents // 100}.{txn.cents % 100:02d} EUR"
    meta = ['  fund: "general"', f'  ref: "{txn.ref}"']
    piece = f'\n    piece: "{txn.piece}"' if txn.piece else ""
    if loose:  # another layout: spacing, comments, blank lines, metadata order
        return (f'; entered by the treasurer\n{txn.date}  *  "{txn.payee}"   '
                f'"{txn.narration}"{tags}\n' + "\n".join(reversed(meta)) + "\n"
                f"  {txn.bank}            {amount}   ; bank{piece}\n  {txn.income}\n\n")
    return (f'{txn.date} * "{txn.payee}" "{txn.narration}"{tags}\n' + "\n".join(meta) + "\n"
            f"  {txn.bank}  {amount}{piece}\n  {txn.income}\n")


def write(folder: Path, txns: list[Txn], close: str = "", loose: bool = False,
          reverse: bool = False) -> Path:
    for name in ("a", "b"):
        chosen = [t for t in txns if t.file == name]
        if reverse:
            chosen.reverse()
        (folder / f"{name}.beancount").write_text(
            "\n".join(_render_one(t, loose) for t in chosen), encoding="utf-8")
    main = folder / "main.beancount"
    main.write_text(HEADER + close, encoding="utf-8")
    return main


WORDS = st.text("abcdefghijklmnopqrstuvwxyzéà ", min_size=1, max_size=12).map(str.strip).filter(
    bool)
NAMES = st.text("abcdefghij", min_size=1, max_size=6)


def days(start: datetime.date, end: datetime.date) -> st.SearchStrategy[datetime.date]:
    return st.dates(min_value=start, max_value=end)


INSIDE = days(datetime.date(2019, 1, 2), END)
OUTSIDE = days(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))

txn = st.builds(
    Txn, date=st.one_of(INSIDE, OUTSIDE), payee=WORDS, narration=WORDS,
    cents=st.integers(1, 10**8), bank=st.sampled_from(["Assets:Bank:Main", "Assets:Bank:Other"]),
    income=st.sampled_from(["Income:Contributions:Partners", "Income:Contributions:Public"]),
    tags=st.lists(NAMES, max_size=2, unique=True).map(tuple),
    links=st.lists(NAMES, max_size=1).map(tuple), ref=NAMES, file=st.sampled_from("ab"),
    piece=st.one_of(st.just(""), NAMES))

FIELDS = ("amount", "account", "date", "payee", "narration", "tag", "link", "meta",
          "posting-meta")
COSMETIC = ("move", "layout", "order")


def edit(data: st.DataObject, old: Txn, what: str) -> Txn:
    """``old`` with one field really changed (dates stay on their side of the end)."""
    if what == "amount":
        return replace(old, cents=data.draw(st.integers(1, 10**8).filter(lambda c: c != old.cents)))
    if what == "account":
        other = "Assets:Bank:Other" if old.bank == "Assets:Bank:Main" else "Assets:Bank:Main"
        return replace(old, bank=other)
    if what == "date":
        side = INSIDE if old.date <= END else OUTSIDE
        return replace(old, date=data.draw(side.filter(lambda d: d != old.date)))
    if what == "payee":
        return replace(old, payee=data.draw(WORDS.filter(lambda w: w != old.payee)))
    if what == "narration":
        return replace(old, narration=data.draw(WORDS.filter(lambda w: w != old.narration)))
    if what == "tag":
        return replace(old, tags=(*old.tags, "added-tag"))
    if what == "link":
        return replace(old, links=(*old.links, "added-link"))
    if what == "posting-meta":
        return replace(old, piece=old.piece + "p")
    return replace(old, ref=old.ref + "x")


def errors_of(main: Path) -> list[str]:
    return [str(e.message) for e in load(main).errors]


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(txn, min_size=1, max_size=8), st.data())
def test_edits_inside_break_the_digest_and_others_keep_it(txns: list[Txn],
                                                         data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        main = write(folder, txns)
        digest = closing_of(load(main).analysis(trace=False)).digest(END)
        close = "\n" + digest.directive(datetime.date(2021, 3, 20), "Comptes 2019")
        write(folder, txns, close)
        assert errors_of(main) == []

        what = data.draw(st.sampled_from(FIELDS + COSMETIC))
        if what in COSMETIC:
            if what == "move":
                index = data.draw(st.integers(0, len(txns) - 1))
                moved = replace(txns[index], file="b" if txns[index].file == "a" else "a")
                write(folder, [*txns[:index], moved, *txns[index + 1:]], close)
            else:
                write(folder, txns, close, loose=what == "layout", reverse=what == "order")
            assert errors_of(main) == [], what
            return
        index = data.draw(st.integers(0, len(txns) - 1))
        old = txns[index]
        new = edit(data, old, what)
        write(folder, [*txns[:index], new, *txns[index + 1:]], close)
        found = errors_of(main)
        if old.date > END:
            assert found == [], what
            return
        month = min(old.date, new.date).strftime("%Y-%m")
        assert len(found) == 1 and found[0].startswith("FL701 "), (what, found)
        assert f"{month} differs first" in found[0], (what, found)
