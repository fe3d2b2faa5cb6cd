"""Write the bad-ledger corpus (run once; the files are committed, review them there).

Each file states what fundledger must answer in its first comment lines:
``; expect-exit: N`` and ``; expect: REGEX`` (searched in ``check``'s stdout for exit 1,
in the one stderr line for exit 2).  Bodies follow SPEC 3; each file holds one fault.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent / "ledgers"

HEAD = """\
option "operating_currency" "EUR"
plugin "fundledger.plugins.funds"

2019-01-01 open Assets:Bank:Main EUR
2019-01-01 open Assets:Loans:Honour EUR
2019-01-01 open Liabilities:GrantsPayable EUR
2019-01-01 open Income:Contributions:Partners EUR
2019-01-01 open Expenses:Grants:Themes EUR
2019-01-01 open Expenses:Admin:Management EUR
2019-01-01 custom "fund" "general" "unrestricted" "Fonds libres"
2019-01-01 custom "fund" "dotation" "endowment" "Dotation"
2019-01-01 custom "indicator" "jobs" "Emplois créés" "emplois"

2019-02-01 * "Métropole" "Don"
  fund: "general"
  Assets:Bank:Main  1000.00 EUR
  Income:Contributions:Partners
"""

GRANT = """
2019-03-01 * "Asso" "Subvention"
  grant: "G-1"
  fund: "general"
  grantee-kind: "association"
  Expenses:Grants:Themes  100.00 EUR
  Liabilities:GrantsPayable
"""

# name -> (exit, regex, body appended to HEAD); exit 1 regexes search check's stdout.
CASES = {
    # every malformed custom directive of SPEC 3 (FL103)
    "fund-missing-label": (1, r':\d+: FL103 malformed "fund" directive: expects 3 values, got 2',
                           '2019-01-05 custom "fund" "zero" "restricted"\n'),
    "fund-too-many-values": (1, r'FL103 malformed "fund" directive: expects 3 values, got 4',
                             '2019-01-05 custom "fund" "zero" "restricted" "Zéro" "extra"\n'),
    "fund-unknown-kind": (1, r'FL103 malformed "fund" directive: unknown fund kind "restreint"',
                          '2019-01-05 custom "fund" "zero" "restreint" "Zéro"\n'),
    "fund-name-is-number": (1, r'FL103 malformed "fund" directive: value 1 must be a string',
                            '2019-01-05 custom "fund" 42 "restricted" "Zéro"\n'),
    "fund-name-is-account": (1, r'FL103 malformed "fund" directive: value 1 must be a string',
                             '2019-01-05 custom "fund" Assets:Bank:Main "restricted" "Zéro"\n'),
    "fund-empty-name": (1, r'FL103 malformed "fund" directive: fund name is empty',
                        '2019-01-05 custom "fund" "" "restricted" "Vide"\n'),
    "fund-consumable-string": (1, r'FL103 .*consumable: must be TRUE or FALSE',
                               '2019-01-05 custom "fund" "legs" "endowment" "Legs"\n'
                               '  consumable: "yes"\n'),
    "fund-declared-twice": (1, r'FL102 .*general',
                            '2019-01-05 custom "fund" "general" "unrestricted" "Encore"\n'),
    "transfer-missing-amount": (1, r'FL103 malformed "fund-transfer" directive: expects 3 to 4',
                                '2019-04-01 custom "fund-transfer" "general" "dotation"\n'),
    "transfer-amount-as-number": (1, r'FL103 malformed "fund-transfer" directive: value 3 must '
                                     r'be an amount',
                                  '2019-04-01 custom "fund-transfer" "general" "dotation" 10.00\n'),
    "transfer-amount-as-string": (1, r'FL103 malformed "fund-transfer" directive: value 3',
                                  '2019-04-01 custom "fund-transfer" "general" "dotation" "10"\n'),
    "transfer-negative": (1, r'FL501 .*general',
                          '2019-04-01 custom "fund-transfer" "general" "dotation" -10.00 EUR\n'),
    "transfer-zero": (1, r'FL501 ',
                      '2019-04-01 custom "fund-transfer" "general" "dotation" 0.00 EUR\n'),
    "transfer-unknown-fund": (1, r'FL501 .*"nulle-part"',
                              '2019-04-01 custom "fund-transfer" "general" "nulle-part" '
                              '10.00 EUR\n'),
    "transfer-to-itself": (1, r'FL501 .*itself',
                           '2019-04-01 custom "fund-transfer" "general" "general" 10.00 EUR\n'),
    "transfer-before-declaration": (1, r'FL501 .*"zero"',
                                    '2019-04-01 custom "fund-transfer" "general" "zero" 10.00 EUR\n'
                                    '2019-05-01 custom "fund" "zero" "restricted" "Zéro"\n'),
    "spending-rule-missing-quarters": (1, r'FL103 malformed "spending-rule" directive: expects 3',
                                       '2019-01-05 custom "spending-rule" "dotation" 20\n'),
    "spending-rule-rate-string": (1, r'FL103 malformed "spending-rule" directive: value 2 must be '
                                     r'a number',
                                  '2019-01-05 custom "spending-rule" "dotation" "20%" 4\n'),
    "spending-rule-rate-over-100": (1, r'FL103 .*rate must be a percentage',
                                    '2019-01-05 custom "spending-rule" "dotation" 120 4\n'),
    "spending-rule-fractional-quarters": (1, r'FL103 .*quarters must be a whole number',
                                          '2019-01-05 custom "spending-rule" "dotation" 20 2.5\n'),
    "spending-rule-zero-quarters": (1, r'FL103 .*quarters must be a whole number',
                                    '2019-01-05 custom "spending-rule" "dotation" 20 0\n'),
    "spending-rule-unknown-fund": (1, r'FL501 .*"fantome"',
                                   '2019-01-05 custom "spending-rule" "fantome" 20 4\n'),
    "indicator-missing-unit": (1, r'FL103 malformed "indicator" directive: expects 3 values',
                               '2019-01-05 custom "indicator" "tonnes" "Tonnes évitées"\n'),
    "impact-value-string": (1, r'FL103 malformed "impact" directive: value 3 must be a number',
                            GRANT + '2019-06-01 custom "impact" "G-1" "jobs" "deux"\n'),
    "impact-missing-value": (1, r'FL103 malformed "impact" directive: expects 3 values',
                             GRANT + '2019-06-01 custom "impact" "G-1" "jobs"\n'),
    # wrong metadata types
    "fund-meta-is-number": (1, r'FL10[12] ',
                            '2019-03-01 * "Boutique" "Frais"\n  fund: 12\n'
                            '  Expenses:Admin:Management  10.00 EUR\n  Assets:Bank:Main\n'),
    "fund-meta-is-bool": (1, r'FL10[12] ',
                          '2019-03-01 * "Boutique" "Frais"\n  fund: TRUE\n'
                          '  Expenses:Admin:Management  10.00 EUR\n  Assets:Bank:Main\n'),
    # spec silent: a number id is read as its text ("2019"), payments with "2019" match it
    "grant-meta-is-number": (0, r'no errors',
                             '2019-03-01 * "Asso" "Subvention"\n  grant: 2019\n  fund: "general"\n'
                             '  Expenses:Grants:Themes  100.00 EUR\n  Liabilities:GrantsPayable\n'),
    "loan-term-months-string": (1, r'FL\d{3} .*(term|P-1)',
                                '2019-03-01 * "Coop" "Prêt"\n  loan: "P-1"\n  fund: "general"\n'
                                '  term-months: "douze"\n'
                                '  Assets:Loans:Honour  100.00 EUR\n  Assets:Bank:Main\n'),
    "grantee-kind-unknown": (1, r'FL\d{3} .*(grantee-kind|G-1)',
                             GRANT.replace('"association"', '"extraterrestre"')),
    "posting-without-fund": (1, r'FL101 ',
                             '2019-03-01 * "Boutique" "Frais"\n'
                             '  Expenses:Admin:Management  10.00 EUR\n  Assets:Bank:Main\n'),
    "grant-posting-without-id": (1, r'FL104 ',
                                 '2019-03-01 * "Asso" "Subvention"\n  fund: "general"\n'
                                 '  Expenses:Grants:Themes  100.00 EUR\n'
                                 '  Liabilities:GrantsPayable\n'),
    # unknown funds, dates out of order
    "unknown-fund": (1, r'FL102 .*"fantome"',
                     '2019-03-01 * "Boutique" "Frais"\n  fund: "fantome"\n'
                     '  Expenses:Admin:Management  10.00 EUR\n  Assets:Bank:Main\n'),
    "fund-used-before-declared": (1, r'FL102 .*"zero"',
                                  '2019-03-01 * "Don" "Don"\n  fund: "zero"\n'
                                  '  Assets:Bank:Main  10.00 EUR\n  Income:Contributions:Partners\n'
                                  '2019-05-01 custom "fund" "zero" "restricted" "Zéro"\n'),
    "payment-before-award": (1, r'FL30[12] .*G-9',
                             '2019-02-10 * "Asso" "Versement"\n  grant: "G-9"\n'
                             '  Liabilities:GrantsPayable  50.00 EUR\n  Assets:Bank:Main\n'
                             '2019-03-01 * "Asso" "Subvention"\n  grant: "G-9"\n  fund: "general"\n'
                             '  Expenses:Grants:Themes  50.00 EUR\n  Liabilities:GrantsPayable\n'),
    "balance-out-of-order": (1, r'Balance failed',
                             '2019-01-15 balance Assets:Bank:Main  1000.00 EUR\n'),
    "posting-before-open": (1, r'inactive|not open|unknown account',
                            '2018-12-01 * "Don" "Trop tôt"\n  fund: "general"\n'
                            '  Assets:Bank:Main  5.00 EUR\n  Income:Contributions:Partners\n'),
    # huge amounts (no overflow, no float rounding, no traceback)
    "huge-spend": (1, r'FL201 .*general',
                   '2019-03-01 * "Boutique" "Frais"\n  fund: "general"\n'
                   '  Expenses:Admin:Management  99999999999999999999999999.99 EUR\n'
                   '  Assets:Bank:Main\n'),
    "huge-transfer": (1, r'FL201 .*general',
                      '2019-04-01 custom "fund-transfer" "general" "dotation" '
                      '123456789012345678901234567890.00 EUR\n'),
    "many-decimals": (1, r'FL201 .*general',
                      '2019-03-01 * "Boutique" "Frais"\n  fund: "general"\n'
                      '  Expenses:Admin:Management  1000.0000000000000000001 EUR\n'
                      '  Assets:Bank:Main\n'),
    # money in another currency than the operating one, with no price: not EUR
    "contribution-in-dollars": (1, r'FL\d{3} .*USD',
                                '2019-01-01 open Assets:Bank:Dollars\n'
                                '2019-01-01 open Income:Contributions:Dollars\n'
                                '2019-03-01 * "US donor" "Gift"\n  fund: "general"\n'
                                '  Assets:Bank:Dollars  500.00 USD\n'
                                '  Income:Contributions:Dollars\n'),
    "transfer-in-dollars": (1, r'FL(103|501) .*USD',
                            '2019-04-01 custom "fund-transfer" "general" "dotation" 10.00 USD\n'),
    # privacy markers that fail closed (FL105): a string for a boolean, a marker on a
    # posting, a kind with another case or in another language, "yes" for TRUE
    "private-string-true": (1, r'FL105 .*private: .TRUE. must be TRUE or FALSE',
                            GRANT.replace('  grantee-kind: "association"\n',
                                          '  grantee-kind: "association"\n  private: "TRUE"\n')),
    "private-on-posting": (1, r'FL105 grant "G-1": private: on the posting',
                           GRANT.replace('  Expenses:Grants:Themes  100.00 EUR\n',
                                         '  Expenses:Grants:Themes  100.00 EUR\n'
                                         '    private: TRUE\n')),
    "grantee-kind-on-posting": (1, r'FL105 grant "G-1": grantee-kind: on the posting',
                                GRANT.replace('  grantee-kind: "association"\n', '').replace(
                                    '  Expenses:Grants:Themes  100.00 EUR\n',
                                    '  Expenses:Grants:Themes  100.00 EUR\n'
                                    '    grantee-kind: "person"\n')),
    "grantee-kind-capitalised": (1, r"FL105 grant \"G-1\": grantee-kind: 'Person'",
                                 GRANT.replace('"association"', '"Person"')),
    "loan-grantee-kind-personne": (1, r"FL105 loan \"P-1\": grantee-kind: 'personne'",
                                   '2019-03-01 * "Jean Dupont" "Prêt d\'honneur"\n'
                                   '  loan: "P-1"\n  fund: "general"\n'
                                   '  grantee-kind: "personne"\n  term-months: 24\n'
                                   '  Assets:Loans:Honour  100.00 EUR\n  Assets:Bank:Main\n'),
    "donor-private-yes": (1, r"FL105 \"Marie Curie\": private: 'yes'",
                          '2019-03-01 * "Marie Curie" "Don"\n  fund: "general"\n'
                          '  private: "yes"\n'
                          '  Assets:Bank:Main  50.00 EUR\n  Income:Contributions:Partners\n'),
    "contributor-kind-unknown": (1, r"FL105 \"Marie Curie\": contributor-kind: 'particulier'",
                                 '2019-03-01 * "Marie Curie" "Don"\n  fund: "general"\n'
                                 '  contributor-kind: "particulier"\n'
                                 '  Assets:Bank:Main  50.00 EUR\n'
                                 '  Income:Contributions:Partners\n'),
    "private-false-is-fine": (0, r'no errors',
                              '2019-03-01 * "Marie Curie" "Don"\n  fund: "general"\n'
                              '  private: FALSE\n  contributor-kind: "person"\n'
                              '  Assets:Bank:Main  50.00 EUR\n  Income:Contributions:Partners\n'),
    # far dates and terms: a result, never a traceback
    "date-9999-12-31": (0, r'no errors',
                        '9999-12-31 * "Boutique" "Frais au bout du calendrier"\n'
                        '  fund: "general"\n'
                        '  Expenses:Admin:Management  10.00 EUR\n  Assets:Bank:Main\n'),
    "loan-term-99999": (0, r'no errors',
                        '2019-03-01 * "Coop" "Prêt très long"\n  loan: "P-1"\n'
                        '  fund: "general"\n  grantee-kind: "company"\n'
                        '  term-months: 99999\n  grace-months: 6\n'
                        '  Assets:Loans:Honour  100.00 EUR\n  Assets:Bank:Main\n'
                        '2019-03-02 * "Coop" "Prêt sans échéance"\n  loan: "P-2"\n'
                        '  fund: "general"\n  grantee-kind: "company"\n'
                        '  term-months: 99999\n  grace-months: 99999\n'
                        '  Assets:Loans:Honour  100.00 EUR\n  Assets:Bank:Main\n'),
    # not a ledger at all, or not readable as one (exit 2, one line naming file and line)
    "bad-date": (2, r'\.beancount:\d+: ', '2019-02-30 * "Jour" "impossible"\n'
                 '  fund: "general"\n  Assets:Bank:Main  1.00 EUR\n'
                 '  Income:Contributions:Partners\n'),
    "unterminated-string": (2, r'\.beancount:\d+: ', '2019-03-01 * "Boutique "Frais\n'),
    "garbage-line": (2, r'\.beancount:\d+: ', 'ceci n\'est pas une écriture\n'),
    "missing-include": (2, r'missing-include\.beancount:\d+: .*nulle-part',
                        'include "nulle-part.beancount"\n'),
}

# raw bytes cases: (exit, regex, bytes)
RAW = {
    "latin1": (2, r'latin1\.beancount:\d+: ',
               HEAD.replace("Métropole", "M\xe9tropole").encode("latin-1")),
    "utf16": (2, r'utf16\.beancount:\d+: ', HEAD.encode("utf-16")),
    "nul-bytes": (2, r'nul-bytes\.beancount:\d+: ', HEAD.encode() + b"\x00\x00\x00garbage\n"),
    "binary": (2, r'binary\.beancount:\d+: ', bytes(range(256)) * 4),
}


# Where ``trace`` answers otherwise than ``check`` and ``funds``: amounts this large are
# beyond exact contributor tracing (int64 cents), which says so in one line (exit 2).
TRACE_EXIT = {"huge-spend": 2, "huge-transfer": 2}

# Known bugs in code owned by others: name -> {test: reason}; the tests mark these
# ``xfail(strict=True)``, so the mark must go when the bug is fixed.
XFAIL = {
}


def header(name: str, exit_status: int, regex: str) -> str:
    marks = "".join(f"; xfail-{test}: {reason}\n"
                    for test, reason in XFAIL.get(name, {}).items())
    trace = (f"; expect-trace-exit: {TRACE_EXIT[name]}\n" if name in TRACE_EXIT else "")
    return f"; expect-exit: {exit_status}\n; expect: {regex}\n{trace}{marks}"


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, (status, regex, body) in CASES.items():
        (HERE / f"{name}.beancount").write_text(header(name, status, regex) + HEAD + "\n" + body,
                                                encoding="utf-8")
    for name, (status, regex, payload) in RAW.items():
        (HERE / f"{name}.beancount").write_bytes(header(name, status, regex).encode() + payload)


if __name__ == "__main__":
    main()
