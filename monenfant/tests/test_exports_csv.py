"""CSV cells a spreadsheet would run as formulas are neutralised, in every export (issue 15)."""

import csv
import decimal
import io
from pathlib import Path

from backoffice.exports import csv_response

ROOT = Path(__file__).resolve().parents[2]


def cells(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_a_cell_that_would_be_a_formula_is_written_as_text():
    typed = ['=HYPERLINK("http://evil.example","x")', "+33 6 12", "-1+1", "@SUM(A1)", "\tx", "\rx", "Anne", "a=b"]
    [row] = cells(csv_response("x.csv", ["h"] * len(typed), [typed]))[1:]
    assert row == ["'" + t for t in typed[:6]] + ["Anne", "a=b"]


def test_numbers_stay_numbers_negative_ones_included():
    [row] = cells(csv_response("x.csv", ["a", "b", "c"], [[-12, decimal.Decimal("-3.5"), 12.5]]))[1:]
    assert row == ["-12", "-3.5", "12,5"]


def test_every_csv_of_the_site_goes_through_the_one_helper():
    apps = ["monenfant", "backoffice", "notifications", "structures", "habilitations", "linf", "demandes", "simulateur", "guide"]
    found = [str(path.relative_to(ROOT)) for app in apps for path in (ROOT / app).rglob("*.py")
             if "tests" not in path.parts and "csv.writer" in path.read_text(encoding="utf-8")]
    # The others are no spreadsheet export: the addresses sent to the BAN's geocoder (structures.collecte), and
    # the open data file, read by programs: its values stay as they are ("+33…" is a telephone number).
    assert sorted(found) == ["backoffice/exports.py", "structures/collecte/geocodage.py", "structures/donnees_ouvertes.py"]
