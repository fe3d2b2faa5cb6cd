"""``python -m fundledger.cli``: the same as the ``fundledger`` console script."""

from fundledger.cli import main

main()
