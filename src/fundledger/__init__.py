"""fundledger: fund accounting for endowment-backed social-innovation funds on Beancount."""

#: The package version; it also keys Beancount's load cache (see :mod:`fundledger.ledger`).
__version__ = "0.1.0"
