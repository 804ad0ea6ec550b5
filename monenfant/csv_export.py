"""CSV downloads of the back office, in the shape French spreadsheets open as they are."""

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """`;` separated (the comma is the French decimal mark), UTF-8 with a BOM so that Excel reads accents."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return response
