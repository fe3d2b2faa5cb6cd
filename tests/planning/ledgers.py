"""Hand-computed ledgers for budgets and forecasts (figures worked out in the comments)."""

from __future__ import annotations

#: Budget against actual in 2026: revocations, refunds, subtrees, loans and transfers.
BUDGET = """
2025-01-10 * "Caisse d'Epargne" "Don"
  fund: "zero"
  Assets:Bank:Main  100000.00 EUR
  Income:Contributions:Partners
2025-01-10 * "Métropole" "Don"
  fund: "general"
  Assets:Bank:Main  50000.00 EUR
  Income:Contributions:Public
2025-12-20 * "Asso A" "Subvention 2025 (not in 2026)"
  grant: "G-1"
  fund: "zero"
  Expenses:Grants:Themes  9999.99 EUR
  Liabilities:GrantsPayable
2026-01-01 custom "budget" "zero" 2026 60000.00 EUR
2026-01-01 custom "budget" "general" 2026 20000.00 EUR
2026-01-01 custom "budget" "general" 2026 5000.00 EUR "Expenses:Admin"
2026-02-01 * "Asso B" "Subvention"
  grant: "G-2"
  fund: "zero"
  Expenses:Grants:Themes  30000.00 EUR
  Liabilities:GrantsPayable
2026-03-01 * "Asso C" "Subvention"
  grant: "G-3"
  fund: "zero"
  Expenses:Grants:Themes  12000.00 EUR
  Liabilities:GrantsPayable
2026-03-15 * "Ronalpia" "Accompagnement"
  fund: "zero"
  Expenses:Programs:Accompaniment  2500.50 EUR
  Assets:Bank:Main
2026-04-01 * "Asso C" "Révocation partielle"
  grant: "G-3"
  fund: "zero"
  Liabilities:GrantsPayable  2000.00 EUR
  Expenses:Grants:Themes
2026-04-15 * "Coop" "Prêt d'honneur"
  loan: "P-1"
  fund: "zero"
  term-months: 12
  Assets:Loans:Honour  10000.00 EUR
  Assets:Bank:Main
2026-05-01 * "Asso B" "Versement"
  grant: "G-2"
  Liabilities:GrantsPayable  30000.00 EUR
  Assets:Bank:Main
2026-05-15 custom "fund-transfer" "zero" "food" 1000.00 EUR "Not spending"
2026-06-01 * "Asso B" "Remboursement"
  grant: "G-2"
  fund: "zero"
  Assets:Bank:Main  1500.00 EUR
  Expenses:Grants:Themes
2026-06-01 custom "budget" "zero" 2026 65000.00 EUR
2026-06-30 * "Cabinet" "Gestion"
  fund: "general"
  Expenses:Admin:Management  5000.01 EUR
  Assets:Bank:Main
2026-07-01 * "Ronalpia" "Accompagnement"
  fund: "general"
  Expenses:Programs:Accompaniment  1234.56 EUR
  Assets:Bank:Main
2026-08-01 * "Coop" "Perte sur prêt"
  loan: "P-1"
  fund: "zero"
  Expenses:LoanLosses:Honour  400.00 EUR
  Assets:Loans:Honour
2027-01-05 * "Asso D" "Subvention 2027 (not in 2026)"
  grant: "G-4"
  fund: "zero"
  Expenses:Grants:Themes  7000.00 EUR
  Liabilities:GrantsPayable
"""

#: A forecast from 2026-05-15 over four quarters: pledges due, a loan's instalments,
#: expected income met in part, planned payments (one late), an end date, an unscheduled
#: grant, a past year's budget that lapses, and a fund (general) below zero.
FORECAST = """
2026-01-01 custom "budget" "zero" 2026 30000.00 EUR
2026-01-01 custom "budget" "zero" 2027 15000.00 EUR
2026-01-01 custom "budget" "food" 2025 5000.00 EUR
2026-01-01 custom "budget" "food" 2026 10000.00 EUR
2026-01-01 custom "budget" "general" 2026 100.00 EUR
2026-01-01 custom "expected-income" "zero" 2026-10-15 10000.00 EUR "Fondation Macif"
2026-01-01 custom "expected-income" "general" 2027-01-20 4000.00 EUR
2026-01-05 * "Métropole" "Don"
  fund: "zero"
  Assets:Bank:Main  50000.00 EUR
  Income:Contributions:Public
2026-01-05 * "Grap" "Don"
  fund: "food"
  Assets:Bank:Main  20000.00 EUR
  Income:Contributions:Partners
2026-01-10 * "Caisse d'Épargne" "Promesse"
  fund: "zero"
  due: 2026-09-15
  Assets:Receivable:Pledges:Partners  12000.00 EUR
  Income:Contributions:Partners
2026-01-11 * "Caisse d'Épargne" "Promesse (beyond the horizon)"
  fund: "zero"
  due: 2027-06-30
  Assets:Receivable:Pledges:Partners  3000.00 EUR
  Income:Contributions:Partners
2026-01-12 * "Banque des Territoires" "Promesse (overdue)"
  fund: "food"
  due: 2026-04-30
  Assets:Receivable:Pledges:Partners  4000.00 EUR
  Income:Contributions:Partners
2026-01-13 * "Grap" "Promesse (undated)"
  fund: "food"
  Assets:Receivable:Pledges:Partners  1000.00 EUR
  Income:Contributions:Partners
2026-02-01 custom "expected-income" "food" 2026-04-15 2500.00 EUR "Grap"
2026-02-01 * "Caisse d'Épargne" "Versement"
  fund: "zero"
  Assets:Bank:Main  5000.00 EUR
  Assets:Receivable:Pledges:Partners
2026-02-01 * "Coop Lyon" "Prêt"
  loan: "P-1"
  fund: "zero"
  term-months: 12
  grace-months: 2
  Assets:Loans:Honour  12000.00 EUR
  Assets:Bank:Main
2026-02-15 * "Vrac" "Subvention"
  grant: "G-1"
  fund: "zero"
  end: 2026-12-15
  Expenses:Grants:Themes  20000.00 EUR
  Liabilities:GrantsPayable
2026-03-01 custom "planned-payment" "G-1" 2026-03-31 8000.00 EUR
2026-03-01 custom "planned-payment" "G-1" 2026-08-31 8000.00 EUR
2026-03-01 * "Banque" "Intérêts"
  fund: "general"
  Assets:Bank:Main  50.00 EUR
  Income:Investment:Coupons
2026-03-05 * "Epicerie" "Subvention (unscheduled)"
  grant: "G-2"
  fund: "food"
  Expenses:Grants:Themes  6000.00 EUR
  Liabilities:GrantsPayable
2026-03-06 * "Jardin" "Subvention"
  grant: "G-3"
  fund: "food"
  Expenses:Grants:Themes  3000.00 EUR
  Liabilities:GrantsPayable
2026-03-06 custom "planned-payment" "G-3" 2026-04-30 3000.00 EUR
2026-03-31 * "Vrac" "Versement 1"
  grant: "G-1"
  Liabilities:GrantsPayable  8000.00 EUR
  Assets:Bank:Main
2026-04-20 * "Grap" "Don"
  fund: "food"
  Assets:Bank:Main  1000.00 EUR
  Income:Contributions:Partners
2026-05-01 * "Coop Lyon" "Échéance"
  loan: "P-1"
  fund: "zero"
  Assets:Bank:Main  1200.00 EUR
  Assets:Loans:Honour
"""
