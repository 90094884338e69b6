"""Merge of sweeps run on several machines into one sweep, joined by cell key.

Each source sweep's cell files are copied into the target sweep's ``cells`` folder,
so the target resumes like any sweep run in one place. When two sweeps stored the same
cell key, one record is kept:

- records equal apart from their timing fields (``train_seconds``, and
  ``elapsed_seconds`` in the curves) are duplicates, and the first one is kept;
- otherwise the record with the better status is kept, in the order ok, diverged,
  timeout, error, and a warning is logged. On equal status the first one is kept.

"First" means a cell already stored in the target, then the sources in the order
given.
"""

import dataclasses
import json
import logging
from pathlib import Path

from bench import checks, status, storage
from bench.errors import UsageError

logger = logging.getLogger(__name__)

STATUS_ORDER = (status.OK, status.DIVERGED, status.TIMEOUT, status.ERROR)
MAX_LOGGED_CONFLICTS = 20


@dataclasses.dataclass(frozen=True)
class Conflict:
    """Two different records of one cell key, and the sweep whose record was kept."""

    key: str
    kept_from: str
    kept_status: str
    dropped_from: str
    dropped_status: str


@dataclasses.dataclass
class MergeResult:
    """Cells read per source sweep, duplicate keys and conflicts of a merge."""

    cells_read: dict[str, int]
    duplicates: int = 0
    conflicts: list[Conflict] = dataclasses.field(default_factory=list)


def check_merge(results_dir: Path, sources: list[str], target: str) -> None:
    """Raise UsageError unless ``sources`` can be merged into ``target``.

    Every name must be a valid sweep name, the sources must be two or more distinct
    sweeps with stored cells, and the target must not be one of them.
    """
    checks.check_sweep_name("--name", target)
    for name in sources:
        checks.check_sweep_name("merge source", name)
    if len(sources) < 2:
        raise UsageError(f"merge needs at least two source sweeps, got {sources!r}; "
                         "give them as `python -m bench merge A B --name C`")
    repeated = sorted({name for name in sources if sources.count(name) > 1})
    if repeated:
        raise UsageError(f"merge source {repeated[0]!r} is given more than once; give "
                         "each sweep once")
    if target in sources:
        raise UsageError(f"--name {target!r} is also a merge source; choose a new name "
                         "for the merged sweep")
    for name in sources:
        folder = results_dir / name / storage.CELLS_FOLDER
        if not storage.finished_keys(results_dir / name):
            raise UsageError(f"merge source {name!r} not found: {folder} has no readable "
                             "stored cells; check the name and --results-dir")


def merge_sweeps(results_dir: Path, sources: list[str], target: str) -> MergeResult:
    """Copy the cells of ``sources`` into ``target`` under ``results_dir``.

    Call ``check_merge`` first. Each chosen record is written atomically, and a cell
    already stored in ``target`` is rewritten only when a source record replaces it.
    """
    target_dir = results_dir / target
    existing = read_records(target_dir)
    chosen = {key: (target, record) for key, record in existing.items()}
    result = MergeResult(cells_read={})

    for name in sources:
        records = read_records(results_dir / name)
        result.cells_read[name] = len(records)
        for key, record in records.items():
            if key not in chosen:
                chosen[key] = (name, record)
                continue
            chosen[key] = _resolve(key, chosen[key], (name, record), result)

    for key, (name, record) in chosen.items():
        if name != target:
            storage.write_cell(target_dir, record)
    _log_conflicts(result.conflicts)
    return result


def read_records(sweep_dir: Path) -> dict[str, dict]:
    """Return every readable cell record stored in ``sweep_dir``, by cell key.

    A file that is not valid JSON, or not the record of the key in its name, is
    skipped with a warning.
    """
    records = {}
    for path in sorted((sweep_dir / storage.CELLS_FOLDER).glob("*.json")):
        try:
            record = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            logger.warning("skipped unreadable cell file %s: %s", path, exc)
            continue
        if not _is_record(record) or record["run"]["cell_key"] != path.stem:
            logger.warning("skipped cell file %s: it is not the cell record of key %s",
                           path, path.stem)
            continue
        records[record["run"]["cell_key"]] = record
    return records


def _is_record(record) -> bool:
    return (isinstance(record, dict) and isinstance(record.get("run"), dict)
            and isinstance(record.get("curves"), dict)
            and "cell_key" in record["run"] and "status" in record["run"])


def same_result(first: dict, second: dict) -> bool:
    """Return whether two records of one cell are equal apart from timing fields."""
    return _without_timing(first) == _without_timing(second)


def _without_timing(record: dict) -> str:
    stripped = {}
    for part, fields in storage.TIMING_FIELDS.items():
        stripped[part] = {name: value for name, value in record[part].items()
                          if name not in fields}
    # JSON text, so that NaN in error rows compares equal to NaN.
    return json.dumps(stripped, sort_keys=True)


def _resolve(key: str, current: tuple[str, dict], candidate: tuple[str, dict],
             result: MergeResult) -> tuple[str, dict]:
    """Return the one of two ``(sweep name, record)`` pairs of ``key`` to keep."""
    if same_result(current[1], candidate[1]):
        result.duplicates += 1
        return current
    kept, dropped = current, candidate
    if _status_rank(candidate[1]) < _status_rank(current[1]):
        kept, dropped = candidate, current
    result.conflicts.append(Conflict(key, kept[0], kept[1]["run"]["status"],
                                     dropped[0], dropped[1]["run"]["status"]))
    return kept


def _status_rank(record: dict) -> int:
    name = record["run"]["status"]
    return STATUS_ORDER.index(name) if name in STATUS_ORDER else len(STATUS_ORDER)


def _log_conflicts(conflicts: list[Conflict]) -> None:
    for conflict in conflicts[:MAX_LOGGED_CONFLICTS]:
        logger.warning("cell %s differs between sweeps: kept %s (status %s), dropped "
                       "%s (status %s)", conflict.key, conflict.kept_from,
                       conflict.kept_status, conflict.dropped_from,
                       conflict.dropped_status)
    if len(conflicts) > MAX_LOGGED_CONFLICTS:
        logger.warning("%d more cells differ between sweeps; each kept the record with "
                       "the better status", len(conflicts) - MAX_LOGGED_CONFLICTS)


def merged_meta(results_dir: Path, sources: list[str]) -> dict:
    """Return the ``merged_from`` list and summed timing of the source sweeps.

    ``wall_seconds`` and ``jobs`` are sums over the sources whose ``meta.json``
    has them. A source interrupted before the end of its run has no ``meta.json``,
    and its entry's ``meta`` is None.
    """
    merged_from = []
    for name in sources:
        path = results_dir / name / "meta.json"
        try:
            source_meta = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            logger.warning("merge source %s has no readable meta.json: %s", name, exc)
            source_meta = None
        merged_from.append({"name": name, "meta": source_meta})
    metas = [entry["meta"] for entry in merged_from if entry["meta"] is not None]
    return {"merged_from": merged_from,
            "wall_seconds": sum(float(m.get("wall_seconds") or 0.0) for m in metas),
            "jobs": sum(int(m.get("jobs") or 0) for m in metas)}
