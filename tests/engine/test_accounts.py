"""Account kinds follow the ledger's root names; errors carry their code as data."""

from __future__ import annotations

from beancount import loader

from fundledger.engine import Classifier, Kind, Roots, analyse, code_of

FRENCH_ROOTS = """
option "operating_currency" "EUR"
option "name_assets" "Actif"
option "name_liabilities" "Passif"
option "name_equity" "Capitaux"
option "name_income" "Produits"
option "name_expenses" "Charges"
2024-01-01 open Actif:Bank:Courant
2024-01-01 open Produits:Contributions:Partenaires
2024-01-01 open Charges:Grants:Theme
2024-01-01 open Charges:Admin:Frais
2024-01-01 open Passif:GrantsPayable
2024-01-01 custom "fund" "theme" "restricted" "Un thème"

2024-02-01 * "Partenaire" "Contribution"
  fund: "theme"
  Actif:Bank:Courant                 1000.00 EUR
  Produits:Contributions:Partenaires

2024-03-01 * "Association" "Subvention"
  fund: "theme"
  grant: "G-1"
  Charges:Grants:Theme               1500.00 EUR
  Passif:GrantsPayable

2024-03-02 * "Fournisseur" "Frais sans fonds"
  Charges:Admin:Frais                  10.00 EUR
  Actif:Bank:Courant
"""


def test_classifier_follows_the_roots() -> None:
    roots = Roots.of({"name_income": "Produits", "name_expenses": "Charges"})
    classify = Classifier(roots)
    assert classify("Produits:Contributions:X") is Kind.CONTRIBUTION
    assert classify("Produits:LoanInterest") is Kind.INTEREST
    assert classify("Charges:Grants:Y") is Kind.GRANT_EXPENSE
    assert classify("Charges:Admin") is Kind.EXPENSE
    assert classify("Income:Contributions:X") is Kind.OTHER  # not a root of this ledger
    assert classify("Assets:Loans:Z") is Kind.LOAN
    assert classify("Assets:LoansOther") is Kind.OTHER
    assert Classifier()("Liabilities:GrantsPayable:2024") is Kind.PAYABLE


def test_rules_apply_under_renamed_roots() -> None:
    entries, errors, options = loader.load_string(FRENCH_ROOTS)
    assert not errors
    books = analyse(entries, options=options, trace=False)
    figures = books.figures["theme"]
    assert (figures.received, figures.spent, figures.available) == (1000, 1500, -500)
    assert sorted(code_of(e) for e in books.errors) == ["FL101", "FL201"]
    # Without the ledger's options, nothing under its roots is seen as fund money.
    assert analyse(entries, trace=False).figures["theme"].received == 0
