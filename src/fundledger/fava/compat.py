"""The few Fava internals the pages use, in one place, each with a test.

Fava's public extension API (``fava.ext.FavaExtensionBase``, ``FavaAPIError``, its
``create_app``) covers the pages; these are not part of it, so they may move in a
Fava release.  ``tests/fava/test_compat.py`` checks each against the pinned Fava
(``fava>=1.30,<1.31``), so an upgrade that breaks one fails there first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app


def entry_hash(entry: Any) -> str:
    """Fava's hash of an entry: its context page is ``#context-<hash>``."""
    from fava.beans.funcs import hash_entry

    return hash_entry(entry)


def incognito() -> bool:
    """Whether Fava runs ``--incognito`` (numbers hidden on every page)."""
    return bool(current_app.config.get("INCOGNITO"))


def read_only() -> bool:
    """Whether Fava runs ``--read-only``: Fava keeps no flag for it, only the request hook
    that refuses every method but GET (``_read_only`` in ``fava.application``)."""
    hooks = current_app.before_request_funcs.get(None, [])
    return any(getattr(hook, "__name__", "") == "_read_only" for hook in hooks)


def hide_numbers(text: str) -> str:
    """``text`` with its digits replaced as Fava's incognito mode shows them."""
    from fava.template_filters import replace_numbers

    return replace_numbers(text)


def forget_budget_errors(ledger: Any, ours: Callable[[Any], bool]) -> None:
    """Drop Fava's errors about the ``custom "budget"`` entries ``ours`` recognises.

    Fava reads every ``budget`` directive as its own (``ACCOUNT INTERVAL AMOUNT``) and
    lists a fund's budget (``FUND YEAR AMOUNT``) as "Invalid interval"; Fava's own budgets
    are left to it, and their errors kept.
    """
    module = getattr(ledger, "budgets", None)
    errors = getattr(module, "errors", None)
    if module is not None and errors:
        module.errors = [e for e in errors if not ours(getattr(e, "entry", None))]
