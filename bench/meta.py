"""``meta.json``: where, when and with what a sweep ran."""

import datetime
import importlib.metadata
import platform
import subprocess
import sys
from pathlib import Path

from threadpoolctl import threadpool_info

PACKAGES = ("numpy", "pandas", "pyarrow", "scikit-learn", "joblib", "threadpoolctl",
            "matplotlib", "mnist1d")


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def git_commit(folder: Path) -> str | None:
    """Return the commit checked out in ``folder``, or None outside a git checkout."""
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, check=True,
                                capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip()


def environment() -> dict:
    """Return versions, BLAS libraries and the machine's processor."""
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    blas = [{key: info.get(key) for key in ("internal_api", "version", "num_threads",
                                            "architecture")}
            for info in threadpool_info() if info.get("user_api") == "blas"]
    return {"python": sys.version.split()[0], "packages": versions, "blas": blas,
            "platform": platform.platform(), "processor": _processor_name()}


def _processor_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()
