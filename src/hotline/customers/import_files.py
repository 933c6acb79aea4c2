"""Reading customer files: CSV (UTF-8 or the GBK that Chinese Excel writes) and XLSX."""

import codecs
import csv
import datetime
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from hotline.customers.import_rows import canonical_headers, missing_columns

# Row 1 is the header, so the first customer is on row 2, as Excel numbers it.
FIRST_DATA_ROW = 2


class FileFormatError(ValueError):
    """The file as a whole cannot be read: wrong type, encoding, or missing columns."""


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps phone numbers as numbers: 13812345678.0
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _csv_encoding(path: Path) -> str:
    head = path.read_bytes()[:65536]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            # Incremental, so a character cut by the end of the 64 KiB sample is no error.
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileFormatError(_("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV"))


def _raw_rows(path: Path) -> Iterator[list]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(newline="", encoding=_csv_encoding(path)) as handle:
            yield from csv.reader(handle)
    elif suffix == ".xlsx":
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            for row in workbook.worksheets[0].iter_rows(values_only=True):
                yield list(row)
        finally:
            workbook.close()
    else:
        raise FileFormatError(_("只能导入 .csv 或 .xlsx 文件"))


def read_customer_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column key: text}) for every non-empty row after the header."""
    rows = _raw_rows(path)
    try:
        header = next(rows)
    except StopIteration:
        raise FileFormatError(_("文件是空的")) from None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise FileFormatError(_("文件无法读取：%(error)s") % {"error": error}) from None
    keys = canonical_headers([_cell_text(cell) for cell in header])
    missing = missing_columns(keys)
    if missing:
        raise FileFormatError(_("缺少必填列：%(columns)s") % {"columns": "、".join(missing)})
    for row_number, row in enumerate(rows, start=FIRST_DATA_ROW):
        cells = {key: _cell_text(value) for key, value in zip(keys, row, strict=False) if key}
        if any(cells.values()):
            yield row_number, cells


def count_data_rows(path: Path) -> int:
    """Rows after the header, for a progress bar; cheap next to the import itself."""
    return max(sum(1 for _row in _raw_rows(path)) - 1, 0)
