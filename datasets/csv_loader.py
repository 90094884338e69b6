"""User datasets from a comma-separated file with a header row.

Every column except the target is a feature and must hold finite numbers. The task
is inferred from the target column unless the caller sets it: non-numeric labels,
or integer values with at most MAX_INTEGER_CLASSES distinct values, mean
classification, and anything else means regression. Blank lines are skipped.
Rows are reported to the user as "data row N", counting from 1 after the header,
together with the line of the file.
"""

import csv
import math
from pathlib import Path

import numpy as np

from .base import CLASSIFICATION, REGRESSION, TASKS, DatasetError, RawData

# An integer target with more distinct values than this is read as regression.
MAX_INTEGER_CLASSES = 20


class _Table:
    """Header, text rows and the file line on which each data row ends."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.header = header
        self.rows: list[list[str]] = []
        self.line_numbers: list[int] = []

    def locate(self, row_index: int) -> str:
        """Describe a 0-based data row index as the user sees it in the file."""
        return f"data row {row_index + 1} (line {self.line_numbers[row_index]})"

    def column(self, name: str) -> list[str]:
        index = self.header.index(name)
        return [row[index].strip() for row in self.rows]


def load_csv(path_text: str, target: str | None, task: str | None) -> RawData:
    """Read a CSV file into features X (n_rows, n_columns - 1) and the target column.

    Raises DatasetError for a missing file, an empty file, a target that is missing
    or not a column, a task not in TASKS, and missing or non-numeric values. The
    message names the column and the data row.
    """
    if task is not None and task not in TASKS:
        choices = ", ".join(TASKS)
        raise DatasetError(f"task must be one of {choices} or None, got {task!r}")
    table = _read_table(_resolve_path(path_text))
    _check_target(table, target)
    features = [name for name in table.header if name != target]
    if not features:
        raise DatasetError(
            f"CSV file {table.path} has no feature columns besides target {target!r}; "
            "add at least one numeric feature column"
        )
    X = np.column_stack([_parse_feature(table, name) for name in features])
    y, inferred_task = _parse_target(table, target, task)
    return RawData(X, y, inferred_task)


def _resolve_path(path_text: str) -> Path:
    if not path_text:
        raise DatasetError("csv: needs a file path after the colon, e.g. csv:data.csv")
    path = Path(path_text).expanduser()
    if not path.is_file():
        raise DatasetError(
            f"CSV file not found: {str(path)!r} (resolved to {str(path.resolve())!r}); "
            "check the path after 'csv:'"
        )
    return path


def _read_table(path: Path) -> _Table:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            table = _read_header(path, reader)
            for row in reader:
                if not row:
                    continue
                if len(row) != len(table.header):
                    raise DatasetError(
                        f"CSV file {path} has {len(row)} fields at data row "
                        f"{len(table.rows) + 1} (line {reader.line_num}) but "
                        f"{len(table.header)} columns in the header; fix that row"
                    )
                table.rows.append(row)
                table.line_numbers.append(reader.line_num)
    except UnicodeDecodeError as error:
        raise DatasetError(f"CSV file {path} is not UTF-8 text: {error}") from error
    except csv.Error as error:
        raise DatasetError(f"CSV file {path} is malformed: {error}") from error
    if not table.rows:
        raise DatasetError(
            f"CSV file {path} has a header but no data rows; add data rows below it"
        )
    return table


def _read_header(path: Path, reader) -> _Table:
    header = next((row for row in reader if row), None)
    if header is None:
        raise DatasetError(
            f"CSV file {path} is empty; it needs a header row and data rows"
        )
    header = [name.strip() for name in header]
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise DatasetError(
            f"CSV file {path} has duplicate column names {duplicates}; rename them"
        )
    return _Table(path, header)


def _check_target(table: _Table, target: str | None) -> None:
    columns = ", ".join(repr(name) for name in table.header)
    if target is None:
        raise DatasetError(
            f"target is missing for CSV file {table.path}; pass target=COLUMN with "
            f"one of the columns: {columns}"
        )
    if target not in table.header:
        raise DatasetError(
            f"target {target!r} is not a column of CSV file {table.path}; "
            f"columns: {columns}"
        )


def _parse_feature(table: _Table, name: str) -> np.ndarray:
    """Convert a feature column to float64, naming the first bad row on failure."""
    texts = table.column(name)
    values = _to_float_or_none(texts)
    if values is not None and np.all(np.isfinite(values)):
        return values
    index = next(i for i, text in enumerate(texts) if not _is_finite_number(text))
    where = f"feature column {name!r} of CSV file {table.path}"
    if _is_missing(texts[index]):
        raise _missing_value_error(table, where, index)
    raise DatasetError(
        f"{where} has the value {texts[index]!r} at {table.locate(index)}; "
        "feature columns must hold finite numbers, so fix the value, encode "
        "the column as numbers or drop it"
    )


def _parse_target(
    table: _Table, target: str, task: str | None
) -> tuple[np.ndarray, str]:
    """Return the target values and the task, inferred when task is None.

    Classification labels are float64 numbers when every value is numeric, else the
    original strings. Regression targets are float64.
    """
    texts = table.column(target)
    where = f"target column {target!r} of CSV file {table.path}"
    missing = next((i for i, text in enumerate(texts) if _is_missing(text)), None)
    if missing is not None:
        raise _missing_value_error(table, where, missing)
    values = _to_float_or_none(texts)
    if values is None:
        if task == REGRESSION:
            index = next(i for i, text in enumerate(texts) if not _is_number(text))
            raise DatasetError(
                f"{where} has the non-numeric value {texts[index]!r} at "
                f"{table.locate(index)}, so task='regression' is impossible; fix "
                "the value or use task='classification'"
            )
        return np.asarray(texts), CLASSIFICATION
    if not np.all(np.isfinite(values)):
        index = int(np.argmin(np.isfinite(values)))
        raise DatasetError(
            f"{where} has the infinite value {texts[index]!r} at "
            f"{table.locate(index)}; fix the value or drop that row"
        )
    if task is None:
        task = _infer_numeric_task(values)
    return values, task


def _missing_value_error(table: _Table, where: str, index: int) -> DatasetError:
    return DatasetError(
        f"{where} has a missing value at {table.locate(index)}; fill it in or drop "
        "that row"
    )


def _to_float_or_none(texts: list[str]) -> np.ndarray | None:
    try:
        return np.asarray(texts, dtype=np.float64)
    except ValueError:
        return None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _is_finite_number(text: str) -> bool:
    return _is_number(text) and math.isfinite(float(text))


def _is_missing(text: str) -> bool:
    """Return whether a value is empty or NaN, which is how most tools write a gap."""
    return text == "" or (_is_number(text) and math.isnan(float(text)))


def _infer_numeric_task(values: np.ndarray) -> str:
    is_integer = bool(np.all(values == np.round(values)))
    if is_integer and len(np.unique(values)) <= MAX_INTEGER_CLASSES:
        return CLASSIFICATION
    return REGRESSION
