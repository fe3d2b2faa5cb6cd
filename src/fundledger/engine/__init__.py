"""The fund engine: pure computations from loaded Beancount entries (no I/O)."""

# First: decides which tracer the engine imports (never a stale compiled build).
from fundledger.engine import build  # noqa: F401  isort: skip
from fundledger.engine.accounts import Classifier, Kind, Roots
from fundledger.engine.codes import CODES, code_of, fund_error
from fundledger.engine.core import Books, analyse, quarter_end
from fundledger.engine.family import Move, RuleFamily
from fundledger.engine.model import (
    CENT,
    SUSPENSE,
    ZERO,
    Event,
    Fund,
    FundError,
    FundFigures,
    Grant,
    Holdings,
    Impact,
    Indicator,
    Loan,
    Share,
    SpendingHeadroom,
    SpendingRule,
    Trace,
    Transfer,
    Untraceable,
    round_to_cent,
)

__all__ = [
    "CODES", "Classifier", "Kind", "Move", "Roots", "RuleFamily", "code_of", "fund_error",
    "CENT", "SUSPENSE", "ZERO", "Books", "Event", "Fund", "FundError", "FundFigures", "Grant",
    "Holdings", "Impact", "Indicator", "Loan", "Share", "SpendingHeadroom", "SpendingRule",
    "Trace", "Transfer", "Untraceable",
    "analyse", "quarter_end", "round_to_cent",
]
