"""The rule families that ride the engine's pass, in the order they run.

Each is a :class:`~fundledger.engine.family.RuleFamily`; add a new one here.
"""

from __future__ import annotations

from fundledger.engine.budget import Planning
from fundledger.engine.closing import ClosedPeriods
from fundledger.engine.family import RuleFamily
from fundledger.engine.programmes import Programmes
from fundledger.engine.receipts import Receipts
from fundledger.engine.sheltered import Sheltering

FAMILIES: tuple[type[RuleFamily], ...] = (ClosedPeriods, Programmes, Planning, Sheltering,
                                          Receipts)
