"""The ``fundledger`` command line (the commands are in :mod:`fundledger.cli.group`).

The console entry point first asks the answers cache (:func:`fundledger.answers.replay`)
whether this very command line was answered on books that have not changed since: then
it prints that answer without importing click, Beancount or the engine.
"""

from __future__ import annotations

import sys

from fundledger import answers


def main() -> None:
    """Console entry point: a kept answer, else the click group."""
    answer = answers.replay(sys.argv[1:])
    if answer is not None:
        answer.give()
    from fundledger import collector

    collector.one_shot_process()  # before the imports: see there
    from fundledger.cli.group import run

    run()


def __getattr__(name: str) -> object:
    """``from fundledger.cli import cli`` (the click group) imports click only then."""
    if name in {"cli", "COMMANDS", "LazyGroup"}:
        from fundledger.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
