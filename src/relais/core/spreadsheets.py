"""Safe spreadsheet and CSV output: no cell is ever read as a formula."""

import csv
import io

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """Prefix a quote to text a spreadsheet would run as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(header: list[str], rows) -> StreamingHttpResponse:
    """Stream a CSV (UTF-8 with BOM so Excel reads Arabic) row by row; name it
    and audit it with relais.core.downloads.offer."""

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"
        writer.writerow([neutralise(c) for c in header])
        for row in rows:
            writer.writerow([neutralise(c) for c in row])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    return StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
