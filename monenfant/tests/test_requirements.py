"""requirements.txt holds what production runs, requirements-dev.txt the tests and tools; both are compiled
by pip-tools from their .in files (`make requirements`), every package pinned with its hashes, and
installed with --require-hashes (README, "Dependencies")."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPILED = {"requirements.txt": "requirements.in", "requirements-dev.txt": "requirements-dev.in"}
# Tests and tools: never in production's file (their own dependencies neither).
DEV_ONLY = {"pytest", "pytest-django", "pytest-xdist", "pytest-playwright", "playwright", "time-machine",
            "factory-boy", "faker", "ruff", "radon", "mando", "execnet", "iniconfig", "pluggy",
            "data-inclusion-schema", "openapi-spec-validator", "openapi-schema-validator", "jsonschema"}
# What the code outside the tests must not import: requirements.txt does not install it.
DEV_IMPORTS = {"pytest", "pytest_django", "xdist", "playwright", "time_machine", "factory", "faker", "ruff",
               "radon", "data_inclusion", "openapi_spec_validator", "openapi_schema_validator", "jsonschema"}
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[^\s;\\]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def logical_lines(path: Path):
    """The lines pip reads: continuations joined, comments and blank lines left out."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if line:
            yield line


def compiled(name: str) -> dict[str, str]:
    """name -> version of a compiled file; fails on any line that is not a pin with its hashes."""
    pins = {}
    for line in logical_lines(ROOT / name):
        match = PIN.match(line)
        assert match, f"{name}: not a pinned requirement: {line[:80]}"
        hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})\b", line)
        rest = re.sub(r"--hash=sha256:[0-9a-f]{64}", "", line[match.end():]).strip()
        assert hashes, f"{name}: {match['name']} has no hash"
        assert not rest, f"{name}: {match['name']} carries more than its hashes: {rest}"
        assert normalise(match["name"]) not in pins, f"{name}: {match['name']} twice"
        pins[normalise(match["name"])] = match["version"]
    return pins


def direct(name: str) -> dict[str, str]:
    """name -> version of the requirements an .in file names (its -c line aside)."""
    pins = {}
    for line in logical_lines(ROOT / name):
        if line.startswith("-c "):
            continue
        match = PIN.match(line)
        assert match and match.end() == len(line), f"{name}: pin every direct dependency with ==: {line}"
        pins[normalise(match["name"])] = match["version"]
    return pins


def via_in_file(name: str, in_file: str) -> set[str]:
    """The packages pip-compile wrote as required by the .in file itself ("# via -r requirements.in")."""
    found, current = set(), None
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = normalise(match["name"])
        elif current and re.match(rf"^\s+#\s+(via\s+)?-r {re.escape(in_file)}$", line):
            found.add(current)
    return found


@pytest.mark.parametrize("name", sorted(COMPILED))
def test_every_package_is_pinned_with_its_hashes_and_no_index_is_named(name):
    assert compiled(name)
    text = (ROOT / name).read_text(encoding="utf-8")
    # The machine's mirror compiled them: it is no part of the file (pip reads its own configuration).
    assert not re.search(r"--(extra-)?index-url|--find-links|--trusted-host|file://|/opt/", text)


def test_production_installs_no_test_or_tool_package():
    production = compiled("requirements.txt")
    assert sorted(set(production) & DEV_ONLY) == []
    assert sorted(set(production) & set(direct("requirements-dev.in"))) == []


def test_the_dev_file_keeps_production_versions_and_repeats_only_what_it_shares():
    production, dev = compiled("requirements.txt"), compiled("requirements-dev.txt")
    assert {name: (production[name], dev[name]) for name in set(production) & set(dev)
            if production[name] != dev[name]} == {}
    assert (ROOT / "requirements-dev.in").read_text(encoding="utf-8").count("-c requirements.txt") == 1


@pytest.mark.parametrize("name", sorted(COMPILED))
def test_the_in_file_and_its_compiled_file_agree(name):
    """A pin changed or a package added or removed in the .in without `make requirements` fails here."""
    in_file = COMPILED[name]
    wanted, pins = direct(in_file), compiled(name)
    assert {package: (version, pins.get(package)) for package, version in wanted.items()
            if pins.get(package) != version} == {}
    assert via_in_file(name, in_file) == set(wanted)


def test_psycopg_comes_with_its_binary():
    production = compiled("requirements.txt")
    assert production["psycopg-binary"] == production["psycopg"]


def test_the_code_outside_the_tests_imports_no_test_package():
    offending = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "node_modules", "staticfiles", "var"} or "tests" in parts or path.name == "conftest.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            if found := {n.split(".")[0] for n in names} & DEV_IMPORTS:
                offending[str(path.relative_to(ROOT))] = sorted(found)
    assert offending == {}


def test_the_makefile_installs_both_files_with_their_hashes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --require-hashes -r requirements.txt\n" in makefile
    assert "--require-hashes -r requirements.txt -r requirements-dev.txt" in makefile
    assert re.search(r"^\$\(VENV\)/\.installed-dev: .*requirements\.txt requirements-dev\.txt$", makefile, re.MULTILINE)
