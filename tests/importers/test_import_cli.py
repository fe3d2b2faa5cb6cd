"""`fundledger import`: refusals, idempotence, overlaps, account finding, figures."""

from __future__ import annotations

import datetime
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data

from fundledger.engine import analyse
from fundledger.ledger import load

from .conftest import CONFIG, DATA, SAMPLES, run

MALFORMED = DATA / "malformed"
SAMPLE_FILES = sorted(SAMPLES.iterdir())

# file -> what the one line on stderr must say after "fundledger: FILE"
REFUSALS = {
    "camt-truncated.xml": r":32: malformed XML: Premature end of data in tag TxDtls line 28$",
    "camt-bad-amount.xml": r": element Stmt\[1\]/Ntry\[3\]/Amt: bad amount '12,00'$",
    "camt-totals.xml": r": element Stmt\[1\]/Bal\[3\]: movements do not add up",
    "camt-no-date.xml": r": element Stmt\[1\]/Ntry\[3\]: entry without a booking date",
    "camt-entity-bomb.xml": r": element DOCTYPE: refused: a statement has no DTD",
    "camt-external-entity.xml": r": element DOCTYPE: refused: a statement has no DTD",
    "camt052-unknown.xml": r":1: unknown statement format",
    "unknown.pdf": r":1: unknown statement format",
    "empty.xml": r": empty file \(0 bytes\)$",
    "cfonb-bad-sign.txt": r":6: bad amount '0000000012500X': sign character 'X'$",
    "cfonb-truncated.txt": r":14: truncated: no new balance \(07\)",
    "cfonb-bad-record.txt": r":9: unknown record type '09'$",
    "csv-bad-amount.csv": r":3: bad amount 'douze' in column 'Débit'$",
    "csv-bad-date.csv": r":3: bad date '2026-13-45'",
    "ofx-truncated.ofx": r": element STMTTRN: invalid OFX",
    "camt-no-balance.xml": r": element Stmt\[1\]: no balance \(Bal\)",
    "camt-repeated-ref.xml": r": element Stmt\[1\]/Ntry\[4\]: repeats the bank reference "
                             r"'BT-0311-03' of Stmt\[1\]/Ntry\[3\]$",
    "camt-usd-line.xml": r": element Stmt\[1\]/Ntry\[3\]: amount in USD on a EUR account",
    "ofx-repeated-fitid.ofx": r": element STMTRS\[1\]/STMTTRN\[2\]: FITID 'CE2610190000031' "
                              r"repeats STMTRS\[1\]/STMTTRN\[1\]$",
    "ofx-huge-amount.ofx": r": element STMTRS\[1\]/STMTTRN\[1\]: amount .* out of range$",
    "ofx-bad-amount.ofx": r": element STMTTRN/TRNAMT: invalid OFX: not a number$",
    "ofx-bad-header.ofx": r":3: malformed OFX header$",
    "csv-repeated-row.csv": r":6: balance 94416.97 does not follow",
    "csv-comma.csv": r":6: 8 fields where the header has 6",
    "csv-huge-amount.csv": r":9: bad amount '99999999999999999999999,00'",
}


def entries_of(path: Path) -> list[data.Directive]:
    loaded = load(path)
    assert not loaded.errors, loaded.errors
    return loaded.entries


def bank_refs(path: Path) -> list[str]:
    return sorted(str(e.meta["bank-ref"]) for e in load(path).entries
                  if isinstance(e, data.Transaction) and "bank-ref" in e.meta)


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_bad_input_exits_2_with_one_line_and_ledger_untouched(ledger: Path, name: str) -> None:
    before = ledger.read_bytes()
    statement = MALFORMED / name
    good = SAMPLES / "caisse-epargne-2026-10-01.camt053.xml"
    result = run("import", good, statement, "--ledger", ledger, "--apply",
                 "--account", "Assets:Bank:CaisseEpargne", "--config", CONFIG)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"fundledger: {statement}")
    assert re.search(REFUSALS[name], lines[0][len(f"fundledger: {statement}"):]), lines[0]
    assert "Traceback" not in result.stderr
    assert ledger.read_bytes() == before  # the good file before it was not appended either


def test_missing_statement_and_unreadable_ledger_exit_2(ledger: Path, tmp_path: Path) -> None:
    result = run("import", tmp_path / "nope.xml", "--ledger", ledger)
    assert result.exit_code == 2 and "nope.xml: no such file" in result.stderr
    broken = tmp_path / "broken.beancount"
    broken.write_text('2026-01-01 open Assets:Bank EUR\n2026-01-02 * "x\n')
    result = run("import", SAMPLE_FILES[0], "--ledger", broken)
    assert result.exit_code == 2 and str(broken) in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_dry_run_prints_entries_and_writes_nothing(ledger: Path) -> None:
    before = ledger.read_bytes()
    result = run("import", SAMPLES / "caisse-epargne-2026-10-01.camt053.xml",
                 "--ledger", ledger, "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    assert ledger.read_bytes() == before
    assert 'bank-ref: "CE261002000017"' in result.stdout
    # The closing balance, the day after the last movement (before the bank's closing day)
    assert "2026-10-14 balance Assets:Bank:CaisseEpargne   " in result.stdout
    # 7 transactions (a batch of two split), the opening and closing balances (dated from
    # the movements) and the suspense account.
    assert "10 new entries, 0 already in" in result.stderr
    assert len(re.findall(r"^20\d\d-", result.stdout, re.MULTILINE)) == 10
    # the suspense account is opened when the books begin
    assert "2019-01-01 open Assets:Suspense" in result.stdout


def test_apply_all_samples_gives_a_clean_ledger_then_adds_nothing(ledger: Path) -> None:
    result = run("import", *SAMPLE_FILES, "--ledger", ledger, "--apply", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    once = ledger.read_bytes()
    entries = entries_of(ledger)  # every balance assertion holds, no fund rule broken
    balances = {(e.date.isoformat(), e.account): e.amount.number
                for e in entries if isinstance(e, data.Balance)}
    # The bank's closing figures less the movements of the last day (see docs/importers.md)
    assert balances[("2026-10-31", "Assets:Bank:CaisseEpargne")] == Decimal("337313.00")
    assert balances[("2026-10-30", "Assets:Bank:BanqueDesTerritoires")] == Decimal("93810.91")
    books = analyse(entries, trace=False)
    assert books.grants["G-2026-009"].paid == Decimal("55650.00")
    assert books.grants["G-2026-005"].refunded == Decimal("400.00")
    assert books.loans["P-2021-002"].repaid == Decimal("1041.67")
    assert books.figures["general"].balance == Decimal("50000.00") + Decimal("1850.00") - (
        Decimal("38.40") + Decimal("25.00") + Decimal("4.50") + Decimal("5500.00")
        + Decimal("3.90"))
    suspense = [e for e in entries if isinstance(e, data.Transaction)
                and e.postings[-1].account == "Assets:Suspense"]
    assert [(e.flag, e.postings[0].units.number) for e in suspense] == [
        ("!", Decimal("1200.00")), ("!", Decimal("-2400.00"))]

    again = run("import", *SAMPLE_FILES, "--ledger", ledger, "--apply", "--config", CONFIG)
    assert again.exit_code == 0
    assert "0 new entries appended" in again.stderr
    assert ledger.read_bytes() == once
    dry = run("import", *SAMPLE_FILES, "--ledger", ledger, "--config", CONFIG)
    assert dry.stdout == "" and "0 new entries" in dry.stderr


def test_overlapping_statements_add_only_what_is_new(ledger: Path, tmp_path: Path) -> None:
    """A second camt.053 repeating three entries of the first, plus one new entry."""
    first = SAMPLES / "caisse-epargne-2026-10-01.camt053.xml"
    text = first.read_text(encoding="utf-8")
    start = text.index("<Ntry>", text.index("CE261005000021") - 400)
    end = text.index("</Stmt>")
    entries = text[start:end].replace("<Sts>PDNG</Sts>", "<Sts>BOOK</Sts>")
    head = text[:text.index("<Bal>")]
    closing = ('<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">353313.00'
               "</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-10-16</Dt></Dt></Bal>")
    overlap = head + closing + entries + "</Stmt></BkToCstmrStmt></Document>\n"
    second = tmp_path / "overlap.xml"
    second.write_text(overlap, encoding="utf-8")
    assert run("import", first, "--ledger", ledger, "--apply", "--config", CONFIG).exit_code == 0
    refs = bank_refs(ledger)
    result = run("import", second, "--ledger", ledger, "--apply", "--config", CONFIG)
    assert result.exit_code == 0, result.stderr
    assert "2 new entries appended" in result.stderr  # the new line, its closing balance
    new = [e for e in load(ledger).entries if isinstance(e, data.Transaction)
           and e.date == datetime.date(2026, 10, 16)]
    assert [e.postings[0].units.number for e in new] == [Decimal("-500.00")]
    assert bank_refs(ledger) == sorted([*refs, "7"])  # NtryRef, for want of AcctSvcrRef


def test_lines_without_reference_dedup_on_date_amount_account(ledger: Path) -> None:
    csv = DATA / "francais-montant.csv"
    args = ("import", csv, "--ledger", ledger, "--account", "Assets:Bank:CaisseEpargne",
            "--config", CONFIG)
    assert run(*args, "--apply").exit_code == 0
    once = ledger.read_bytes()
    assert run(*args, "--apply").exit_code == 0
    assert ledger.read_bytes() == once
    lines = [e for e in load(ledger).entries if isinstance(e, data.Transaction)
             and e.narration == "VIR HELLOASSO DONS"]
    assert len(lines) == 2  # two identical lines of one statement are two movements


def test_cfonb_fixture_figures_to_the_cent(ledger: Path) -> None:
    fixture = DATA / "cfonb-pennylane-example.txt"
    result = run("import", fixture, "--ledger", ledger, "--apply")
    assert result.exit_code == 0, result.stderr
    entries = entries_of(ledger)  # the statement's balance assertions hold
    balances = sorted((e.date.isoformat(), e.account, e.amount.number) for e in entries
                      if isinstance(e, data.Balance) and "Exemple" in e.account)
    assert balances == [
        ("2019-05-16", "Assets:Bank:Exemple1", Decimal("-198.30")),
        ("2019-05-16", "Assets:Bank:Exemple2", Decimal("-253.31")),
        ("2019-05-17", "Assets:Bank:Exemple2", Decimal("-261.21")),
    ]
    moves = sorted(p.units.number for e in entries if isinstance(e, data.Transaction)
                   for p in e.postings if p.account == "Assets:Bank:Exemple1"
                   and e.date.isoformat() >= "2019-05-15" and e.postings[0] is p)
    assert moves == [Decimal("-32.21"), Decimal("-10.70"), Decimal("-7.90")]


def test_account_from_iban_override_and_refusal(ledger: Path, tmp_path: Path) -> None:
    csv = DATA / "italiano.csv"
    result = run("import", csv, "--ledger", ledger)
    assert result.exit_code == 2
    assert result.stderr == (f"fundledger: {csv}:1: the statement names no account (no IBAN "
                             "nor account number): pass --account ACCOUNT\n")
    result = run("import", csv, "--ledger", ledger, "--account", "Assets:Bank:CaisseEpargne")
    assert result.exit_code == 0
    assert re.search(r"Assets:Bank:CaisseEpargne +2500.50 EUR", result.stdout)
    result = run("import", csv, "--ledger", ledger, "--account", "not an account")
    assert result.exit_code == 2 and "not a Beancount account name" in result.stderr
    other = tmp_path / "other-bank.xml"
    sample = (SAMPLES / "caisse-epargne-2026-10-01.camt053.xml").read_text(encoding="utf-8")
    other.write_text(sample.replace("FR7613825002000800123456737", "DE89370400440532013000"),
                     encoding="utf-8")
    result = run("import", other, "--ledger", ledger)
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"fundledger: {other}: element Stmt[1]: no ledger account "
                                     "for DE89370400440532013000: add iban: or account-number: "
                                     "to its open directive, or pass --account")


def test_config_is_found_beside_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "importers").mkdir()
    (repo / "importers" / "config.py").write_text(
        "from fundledger.importers import CfonbImporter, Rules, Rule\n"
        "import re\n"
        "CONFIG = [CfonbImporter(Rules((Rule(text=re.compile('COMMISSION'), "
        "account='Expenses:Admin:FraisBancaires', fund='general'),)))]\n")
    books = repo / "ledger"
    books.mkdir()
    shutil.copy(DATA / "lyon-mini.beancount", books / "main.beancount")
    result = run("import", DATA / "cfonb-pennylane-example.txt",
                 "--ledger", books / "main.beancount")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("Expenses:Admin:FraisBancaires") == 2
    result = run("import", SAMPLES / "caisse-epargne-2026-10-16.ofx",
                 "--ledger", books / "main.beancount")
    assert result.exit_code == 2 and "unknown statement format" in result.stderr


@pytest.mark.parametrize("content, message", [
    ("CONFIG = 3\n", "defines no CONFIG list"),
    ("import nothing_here\n", "config.py:1: ModuleNotFoundError"),
    ("from fundledger.importers import load_rules\nR = load_rules('{rules}')\n",
     "rules.toml: rule 1: text: bad pattern"),
])
def test_bad_configuration_exits_2(ledger: Path, tmp_path: Path, content: str,
                                   message: str) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\ntext = "("\naccount = "Expenses:X"\n')
    config = tmp_path / "config.py"
    config.write_text(content.format(rules=rules))
    result = run("import", SAMPLE_FILES[0], "--ledger", ledger, "--config", config)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_failed_write_leaves_the_ledger_as_it_was(ledger: Path, monkeypatch) -> None:
    from fundledger import files

    def full_disk(path, content, **options):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "atomic_write", full_disk)  # under files.append_to_ledger
    before = ledger.read_bytes()
    result = run("import", SAMPLE_FILES[0], "--ledger", ledger, "--apply", "--config", CONFIG)
    assert result.exit_code == 2
    assert result.stderr == f"fundledger: {ledger}: cannot write: No space left on device\n"
    assert ledger.read_bytes() == before


def test_output_file_named_by_the_configuration(ledger: Path, tmp_path: Path) -> None:
    """OUTPUT receives the entries, and counts for de-duplication before it is included."""
    config = tmp_path / "config.py"
    config.write_text(CONFIG.read_text(encoding="utf-8").replace(
        "OUTPUT = None", 'OUTPUT = "imports.beancount"').replace(
        'HERE = Path(__file__).resolve().parent', f'HERE = Path({str(CONFIG.parent)!r})'),
        encoding="utf-8")
    before = ledger.read_bytes()
    args = ("import", SAMPLES / "caisse-epargne-2026-10-16.ofx", "--ledger", ledger,
            "--apply", "--config", config)
    assert run(*args).exit_code == 0
    output = ledger.with_name("imports.beancount")
    assert ledger.read_bytes() == before
    written = output.read_bytes()
    assert written.count(b"bank-ref:") == 4
    again = run(*args)
    assert again.exit_code == 0 and "0 new entries appended" in again.stderr
    assert output.read_bytes() == written


def test_output_file_already_included_is_not_counted_twice(ledger: Path,
                                                          tmp_path: Path) -> None:
    """Two identical unreferenced lines, one already imported into an included file."""
    config = tmp_path / "config.py"
    config.write_text(CONFIG.read_text(encoding="utf-8").replace(
        "OUTPUT = None", 'OUTPUT = "imports.beancount"').replace(
        'HERE = Path(__file__).resolve().parent', f'HERE = Path({str(CONFIG.parent)!r})'),
        encoding="utf-8")
    one = tmp_path / "one.csv"
    one.write_text("Date;Libellé;Montant\n02/11/2026;VIR X;120,00\n", encoding="utf-8")
    two = tmp_path / "two.csv"
    two.write_text("Date;Libellé;Montant\n02/11/2026;VIR X;120,00\n02/11/2026;VIR X;120,00\n",
                   encoding="utf-8")
    with ledger.open("a", encoding="utf-8") as handle:
        handle.write('\ninclude "imports.beancount"\n')
    ledger.with_name("imports.beancount").write_text("", encoding="utf-8")
    common = ("--ledger", ledger, "--apply", "--config", config,
              "--account", "Assets:Bank:CaisseEpargne")
    assert run("import", one, *common).exit_code == 0
    result = run("import", two, *common)
    assert result.exit_code == 0, result.stderr
    assert "1 new entries appended" in result.stderr  # the second identical line is new


def test_an_older_statement_imported_later_keeps_the_ledger_clean(ledger: Path) -> None:
    """The suspense account is opened when the books begin, not at the first line using it."""
    newer = [SAMPLES / "banque-territoires-2026-10-01.cfonb120",
             SAMPLES / "banque-territoires-2026-10-16.csv"]  # suspense used on 10-19
    older = [SAMPLES / "caisse-epargne-2026-10-01.camt053.xml"]  # suspense used on 10-13
    for statements in (newer, older):
        result = run("import", *statements, "--ledger", ledger, "--apply", "--config", CONFIG)
        assert result.exit_code == 0, result.stderr
    entries = entries_of(ledger)  # no "inactive account" error
    opens = [e.date.isoformat() for e in entries
             if isinstance(e, data.Open) and e.account == "Assets:Suspense"]
    assert opens == ["2019-01-01"]


def test_an_edit_saved_meanwhile_is_not_lost(ledger: Path, monkeypatch) -> None:
    """An editor that takes no lock (Fava's) saves between the import's read and write."""
    from fundledger import files
    from fundledger.files import atomic_write

    saved = '\n2026-10-31 note Assets:Bank:CaisseEpargne "saisi dans Fava"\n'

    def editor_saves_first(path, content, **options):
        with open(ledger, "a", encoding="utf-8") as handle:
            handle.write(saved)
        return atomic_write(path, content, **options)

    monkeypatch.setattr(files, "atomic_write", editor_saves_first)
    result = run("import", SAMPLE_FILES[0], "--ledger", ledger, "--apply", "--config", CONFIG)
    assert result.exit_code == 2
    assert result.stderr == (f"fundledger: {ledger}: changed by another program while "
                             "fundledger was writing it; nothing written, run the command "
                             "again\n")
    assert ledger.read_text(encoding="utf-8").endswith(saved)
