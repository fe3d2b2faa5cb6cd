#!/usr/bin/env python3
"""Benchmark: parse and de-duplicate a 50,000-entry camt.053 (SPEC 8: >= 20,000 entries/s).

Generates a deterministic statement in a temporary folder (every fifth entry a batch of two
transactions, parties under ``Pty``, a mix of ``Dt`` and ``DtTm``), builds the entries a
ledger would already hold for the first half of it, then times, three times, what
``fundledger import`` does per file: parse, categorise with the Lyon rules, and mark
duplicates against the ledger.  Prints the median rate in CPU time (what the code costs,
whatever else the shared machine is running) and in wall time.  Not a test: run it by hand.

    .venv/bin/python bench/bench_import.py [--entries 50000]
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from fundledger.importers import CamtImporter, load_rules
from fundledger.importers.base import LedgerFacts
from fundledger.importers.dedup import DUPLICATE

ROOT = Path(__file__).resolve().parents[1]
IBAN = "FR7613825002000800123456737"
TARGET = 20_000


def write_statement(path: Path, count: int) -> None:
    """A camt.053.001.08 statement of ``count`` booked entries, streamed to disk."""
    rng = random.Random(4)
    day = datetime.date(2026, 1, 1)
    balance = Decimal("1000000.00")
    opening = balance
    chunks = []
    for n in range(count):
        if n % 200 == 199:
            day += datetime.timedelta(days=1)
        cents = rng.randint(100, 2_000_000)
        amount = Decimal(cents).scaleb(-2)
        credit = rng.random() < 0.4
        balance += amount if credit else -amount
        booked = (f"<Dt>{day}</Dt>" if n % 3 else f"<DtTm>{day}T10:{n % 60:02d}:00+01:00</DtTm>")
        role = "Dbtr" if credit else "Cdtr"
        if n % 5 == 4:
            first = Decimal(cents // 3).scaleb(-2)
            parts = [(first, f"Grant G-2026-{n % 900:03d} part 1"),
                     (amount - first, f"Grant G-2026-{n % 900:03d} part 2")]
            details = "".join(
                f"<TxDtls><Refs><EndToEndId>E2E-{n}-{i}</EndToEndId></Refs>"
                f'<Amt Ccy="EUR">{part}</Amt><RltdPties><{role}><Pty><Nm>Partie {n % 977}'
                f"</Nm></Pty></{role}></RltdPties><RmtInf><Ustrd>{text}</Ustrd></RmtInf>"
                "</TxDtls>" for i, (part, text) in enumerate(parts, 1))
        else:
            details = (f"<TxDtls><Refs><EndToEndId>E2E-{n}</EndToEndId></Refs><RltdPties>"
                       f"<{role}><Pty><Nm>Partie {n % 977}</Nm></Pty></{role}></RltdPties>"
                       f"<RmtInf><Ustrd>Facture {n} COMMISSION {n % 13}</Ustrd></RmtInf>"
                       "</TxDtls>")
        chunks.append(
            f'<Ntry><NtryRef>{n}</NtryRef><Amt Ccy="EUR">{amount}</Amt>'
            f"<CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
            f"<BookgDt>{booked}</BookgDt><ValDt><Dt>{day}</Dt></ValDt>"
            f"<AcctSvcrRef>BENCH{n:08d}</AcctSvcrRef><NtryDtls>{details}</NtryDtls></Ntry>\n")
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-12-31T00:00:00</CreDtTm></GrpHdr><Stmt>"
        f"<Id>BENCH</Id><Acct><Id><IBAN>{IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f'<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{opening}</Amt>'
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-01</Dt></Dt></Bal>"
        f'<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{abs(balance)}'
        f"</Amt><CdtDbtInd>{'CRDT' if balance >= 0 else 'DBIT'}</CdtDbtInd>"
        f"<Dt><Dt>{day}</Dt></Dt></Bal>\n")
    path.write_text(head + "".join(chunks) + "</Stmt></BkToCstmrStmt></Document>\n",
                    encoding="utf-8")


def ledger_entries() -> list[data.Directive]:
    """The ``open`` directive that tells the importer which account has the IBAN."""
    meta = data.new_metadata("<bench>", 0, {"iban": IBAN})
    return [data.Open(meta, datetime.date(2025, 1, 1), "Assets:Bank:CaisseEpargne",
                      ["EUR"], None)]


def one_run(statement: Path, existing: list[data.Directive]) -> dict[str, float | int]:
    """One import of the statement: wall and CPU time of each stage."""
    importer = CamtImporter(load_rules(ROOT / "importers" / "rules.toml"))
    clock = {"wall": time.perf_counter(), "cpu": time.process_time()}
    statements = importer.statements(str(statement))
    parsed = time.process_time()
    entries = importer.extract(str(statement), existing)
    built = time.process_time()
    importer.deduplicate(entries, existing)
    done = time.process_time()
    return {"wall": time.perf_counter() - clock["wall"], "cpu": done - clock["cpu"],
            "parse": parsed - clock["cpu"], "build": built - parsed, "dedup": done - built,
            "entries": len(entries), "lines": sum(len(s.lines) for s in statements),
            "duplicates": sum(1 for e in entries if e.meta.get(DUPLICATE))}


REIMPORT_TARGET = 1.5


def reimport(entries: int, ledger_size: str, repeat: int) -> int:
    """Time a re-import that finds nothing new against a bare load (see the docstring)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import generate  # noqa: PLC0415  (bench/ is a folder of scripts)
    from beancount.parser import printer
    from run import BARE_LOAD, FUNDLEDGER, measure  # noqa: PLC0415

    total = generate.parse_size(ledger_size)
    if entries >= total:
        raise SystemExit("--entries must be fewer than the ledger's transactions")
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        generate.write(total - entries, directory)
        statement = directory / "bench.camt053.xml"
        write_statement(statement, entries)
        opened = ('\n2025-01-01 open Assets:Bank:Bench EUR\n  iban: "' + IBAN + '"\n'
                  "2025-01-01 open Assets:Suspense\n")
        importer = CamtImporter(accounts={IBAN: "Assets:Bank:Bench"})
        imported = [e for e in importer.extract(str(statement), [])
                    if not isinstance(e, data.Open)]
        text = opened + "\n" + "\n".join(printer.format_entry(e) for e in imported)
        for name in ("fund.beancount", "bare.beancount"):
            with (directory / name).open("a", encoding="utf-8") as handle:
                handle.write(text)
        fund, bare = directory / "fund.beancount", directory / "bare.beancount"
        txns = sum(1 for e in imported if isinstance(e, data.Transaction))
        ours, base = [], []
        for _ in range(repeat):
            run = measure([FUNDLEDGER, "import", str(statement), "--ledger", str(fund)],
                          cache=False, directory=directory)
            if run.status != 0 or "0 new entries" not in run.stderr:
                print(f"re-import failed (exit {run.status}): {run.stderr.strip()[-300:]}")
                return 2
            ours.append(run)
            base.append(measure([sys.executable, "-c", BARE_LOAD, str(bare)], cache=False,
                                directory=directory))
    mine = statistics.median(r.seconds for r in ours)
    bare_s = statistics.median(r.seconds for r in base)
    ratio = mine / bare_s
    cpu = statistics.median(r.cpu for r in ours) / statistics.median(r.cpu for r in base)
    verdict = "OK" if ratio <= REIMPORT_TARGET else "ABOVE TARGET"
    print(f"re-import of a {entries}-entry camt.053 ({txns} transactions) already in a "
          f"{total}-transaction ledger, nothing new: ours {mine:.2f} s, bare load "
          f"{bare_s:.2f} s, ratio {ratio:.2f}x (CPU {cpu:.2f}x; target <= "
          f"{REIMPORT_TARGET}) {verdict}")
    return 0 if ratio <= REIMPORT_TARGET else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--reimport", action="store_true",
                        help="time a re-import into a ledger that already holds it")
    parser.add_argument("--ledger-size", default="100k",
                        help="transactions in the ledger, the statement's included")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.reimport:
        return reimport(args.entries, args.ledger_size, args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        statement = Path(folder) / "bench.camt053.xml"
        write_statement(statement, args.entries)
        size = statement.stat().st_size / 1e6
        # The ledger already holds the first half of the statement (an overlapping import).
        known = CamtImporter().extract(str(statement), ledger_entries())
        half = [e for e in known if isinstance(e, data.Transaction)][: len(known) // 2]
        existing = ledger_entries() + half
        LedgerFacts(existing)  # warm imports
        runs = [one_run(statement, existing) for _ in range(3)]
    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    first = runs[0]
    print(f"camt.053: {args.entries} entries ({size:.1f} MB) -> {first['lines']} bank lines, "
          f"{first['entries']} directives, {first['duplicates']} already in the ledger")
    print(f"CPU per stage (median): parse {median('parse'):.2f} s, categorise and build "
          f"{median('build'):.2f} s, de-duplicate {median('dedup'):.2f} s")
    for label, key in (("CPU time", "cpu"), ("wall time", "wall")):
        rate = args.entries / median(key)
        verdict = "OK" if rate >= TARGET else "BELOW TARGET"
        print(f"{label}: median {median(key):.2f} s of 3 = {rate:,.0f} entries/s "
              f"(target >= {TARGET:,}) {verdict}")
    return 0 if args.entries / median("cpu") >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
