#!/usr/bin/env bash
# The main job on a foundation's books (by default the Lyon demo): check them, print the
# funds, the budget and the forecast, build the reports and the public site into out/,
# then open Fava read-only with the fundledger pages.  FUNDLEDGER_DEMO_NO_SERVE=1 stops
# before Fava (used by the tests).
set -euo pipefail
cd "$(dirname "$0")"

fundledger=${FUNDLEDGER:-.venv/bin/fundledger}
ledger=${1:-ledger/lyon/main.beancount}
out=${OUT:-out}
quarter=${QUARTER:-2026-Q3}
year=${YEAR:-2025}
contributor=${CONTRIBUTOR:-"Caisse d'Épargne"}

mkdir -p "$out"
"$fundledger" check "$ledger"
"$fundledger" funds "$ledger"
"$fundledger" budget "$ledger" --year "${BUDGET_YEAR:-2026}"
"$fundledger" forecast "$ledger" --from "${FORECAST_FROM:-2026-09-30}"
"$fundledger" report quarterly "$ledger" --quarter "$quarter" -o "$out/board-$quarter.html"
"$fundledger" report quarterly "$ledger" --quarter "$quarter" -o "$out/board-$quarter.pdf"
"$fundledger" report dedicated-funds "$ledger" --year "$year" -o "$out/dedicated-funds-$year.pdf"
"$fundledger" report dedicated-funds "$ledger" --year "$year" -o "$out/dedicated-funds-$year.csv"
"$fundledger" report annual "$ledger" --year "$year" -o "$out/annual-accounts-$year.pdf"
"$fundledger" report annual "$ledger" --year "$year" -o "$out/annual-accounts-$year.csv"
"$fundledger" export fec "$ledger" --year "$year" -o "$out"
"$fundledger" report contributor "$ledger" --contributor "$contributor" -o "$out/contributor.pdf"
"$fundledger" publish "$ledger" -o "$out/site"
# Sheltered foundations: the host's consolidated books (the Lyon foundation and two
# fictional ones), then the year's tax receipts of the Lyon gifts, issued by the host on a
# copy of the books in $out/books: a receipt is recorded in the books it is issued from,
# and the committed demo books stay as they are.
"$fundledger" consolidate ledger/host/main.beancount
"$fundledger" report annual ledger/host/main.beancount --year "$year" \
  -o "$out/host-annual-accounts-$year.pdf"
"$fundledger" publish ledger/host/main.beancount -o "$out/host-site"
rm -rf "$out/books" "$out/receipts"
mkdir -p "$out/books"
cp -R ledger/host ledger/lyon "$out/books/"
find "$out/books" -name '.*' -type f -delete
"$fundledger" receipts "$out/books/lyon/main.beancount" --year "$year" -o "$out/receipts" \
  --issuer "$out/books/host/main.beancount"
echo "Reports, receipts and public sites written to $out/ (open $out/site/index.html;" \
  "the host's, with its consolidated accounts: $out/host-site/consolidated.html)."

if [ -z "${FUNDLEDGER_DEMO_NO_SERVE:-}" ]; then
  echo "Starting Fava, read-only, on http://127.0.0.1:5000 (Ctrl-C to stop)."
  exec "$fundledger" serve "$ledger" --read-only
fi
