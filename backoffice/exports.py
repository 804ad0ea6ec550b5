"""CSV files for the back office's tables, as a French spreadsheet opens them: `;`, UTF-8 with a BOM."""

import csv
import datetime
import decimal
from collections.abc import Iterable

from django.http import HttpResponse

# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(…) typed in a name).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")  # a French spreadsheet reads "12,5" as a number
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | decimal.Decimal):
        return str(value)  # a number, negative ones included, stays a number
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(output, headers: list[str], rows: Iterable[Iterable]) -> None:
    """Into any text file (a response, a file opened with newline="")."""
    output.write("\ufeff")  # the BOM: without it Excel reads UTF-8 as Latin-1
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_cell(v) for v in row])


def csv_response(filename: str, headers: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_csv(response, headers, rows)
    return response
