"""A test that writes a date by hand runs on a clock set by hand.

A date typed in a test ("2027-02-01", `date(2025, 3, 1)`, "1 février 2027") is true today and false
some day later once the code compares it with today. So, in a test module that holds such a
literal, every read of today's date (`timezone.localdate()`) during a test must happen under
time-machine; the root conftest fails the test otherwise and says where the code asked for today.
"""

import ast
import datetime
import functools
import os
import re
import traceback
import zoneinfo
from pathlib import Path

import time_machine

MOIS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
DATE_TEXT = re.compile(rf"\b\d{{4}}-(?:0[1-9]|1[0-2])(?:-\d{{2}})?\b|\b\d{{1,2}}(?:er)? (?:{MOIS}) \d{{4}}\b")
DATE_CALLS = {"date", "datetime", "D"}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def dates_written_by_hand(source: str) -> list[str]:
    """The date literals of a module's code (docstrings and comments aside), as written."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            year = node.args[0]
            if name in DATE_CALLS and isinstance(year, ast.Constant) and type(year.value) is int and 1900 <= year.value <= 2200:
                found.append(ast.get_source_segment(source, node))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found += [m.group(0) for m in DATE_TEXT.finditer(node.value)]
    return found


@functools.cache
def module_writes_dates(path: str) -> bool:
    return bool(dates_written_by_hand(Path(path).read_text(encoding="utf-8")))


class ClockWatch:
    """Records where today's date is read while a watched test runs on the real clock."""

    def __init__(self):
        self.active = False
        self.reads: list[str] = []

    def wrap(self, localdate):
        def watched_localdate(value=None, timezone=None):
            if value is None and self.active and not time_machine.escape_hatch.is_travelling():
                caller = traceback.extract_stack(limit=2)[0]
                self.reads.append(f"{caller.filename}:{caller.lineno} ({caller.name})")
            return localdate(value, timezone)

        return watched_localdate


# The day the hand-written dates of the suite were written for: a module that writes dates travels
# there (`pytest.mark.time_machine(JOUR_DES_TESTS)`, the clock then runs on), and keeps its meaning
# whatever the real date.
JOUR_DES_TESTS = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))


def real_clock_environ() -> dict[str, str]:
    """The environment for a server a test starts itself (a browser, Redis): its clock stays real when the
    tests run shifted with libfaketime (TEST_FAKETIME), under which neither Chromium nor Redis run."""
    return {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}
