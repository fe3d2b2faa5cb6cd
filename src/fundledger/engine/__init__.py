"""The fund engine: pure computations from loaded Beancount entries (no I/O)."""

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
    Impact,
    Indicator,
    Loan,
    Share,
    SpendingRule,
    Trace,
    Transfer,
    Untraceable,
    round_to_cent,
)

__all__ = [
    "CODES", "Classifier", "Kind", "Move", "Roots", "RuleFamily", "code_of", "fund_error",
    "CENT", "SUSPENSE", "ZERO", "Books", "Event", "Fund", "FundError", "FundFigures", "Grant",
    "Impact", "Indicator", "Loan", "Share", "SpendingRule", "Trace", "Transfer", "Untraceable",
    "analyse", "quarter_end", "round_to_cent",
]
