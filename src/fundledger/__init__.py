"""fundledger: fund accounting for endowment-backed social-innovation funds on Beancount v3."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fundledger")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
