"""Tests of ``python -m bench run --backend dask`` on a local Dask cluster."""

import json
import socket
import sys
import time

import joblib
import pandas as pd
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from bench import runner, storage
from bench.cli import main
from bench.worker import single_thread_blas

distributed = pytest.importorskip("distributed")

TINY = ["run", "--datasets", "iris,wine", "--optimizers", "sgd,adam",
        "--losses", "cross_entropy", "--lrs", "0.1", "--seeds", "2", "--epochs", "2",
        "--quiet", "--name", "tiny"]
N_CELLS = 2 * 2 * 2


def run_tiny(root, *extra):
    return main(TINY + ["--results-dir", str(root / "results"),
                        "--reports-dir", str(root / "reports"), *extra])


def read_tables(root):
    folder = root / "results" / "tiny"
    return pd.read_parquet(folder / "runs.parquet"), pd.read_parquet(folder / "curves.parquet")


def free_port() -> int:
    """Return a 127.0.0.1 port that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def blas_threads() -> list[int]:
    return [info["num_threads"] for info in threadpool_info()
            if info["user_api"] == "blas"]


def blas_threads_in_worker(raised_limit: int) -> tuple[list[int], list[int]]:
    """Raise the BLAS limit, then return the thread counts before and inside the
    context that ``run_cell`` trains in."""
    threadpool_limits(limits=raised_limit, user_api="blas")
    before = blas_threads()
    with single_thread_blas():
        inside = blas_threads()
    return before, inside


def local_cluster(n_workers: int):
    """Start a Dask cluster of worker processes that listens on 127.0.0.1 only.

    The scheduler's HTTP server (health and metrics routes) starts even without a
    dashboard, on port 8787 unless given another address, so it gets a free port here.
    """
    return distributed.LocalCluster(
        n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})


@pytest.fixture(scope="module")
def cluster():
    with local_cluster(n_workers=2) as local:
        yield local


@pytest.fixture(scope="module")
def sweeps(cluster, tmp_path_factory):
    """Run the tiny sweep on the cluster and in this process with joblib."""
    dask_root, loky_root = tmp_path_factory.mktemp("dask"), tmp_path_factory.mktemp("loky")
    dask_code = run_tiny(dask_root, "--backend", "dask",
                         "--scheduler", cluster.scheduler_address)
    loky_code = run_tiny(loky_root, "--jobs", "1")
    return dask_root, loky_root, dask_code, loky_code


def test_dask_exit_codes(sweeps):
    assert sweeps[2] == 0
    assert sweeps[3] == 0


def test_dask_runs_match_local(sweeps):
    dask_runs, _ = read_tables(sweeps[0])
    loky_runs, _ = read_tables(sweeps[1])
    assert len(dask_runs) == N_CELLS
    timing = list(storage.TIMING_FIELDS["run"])
    pd.testing.assert_frame_equal(dask_runs.drop(columns=timing),
                                  loky_runs.drop(columns=timing))


def test_dask_curves_match_local(sweeps):
    _, dask_curves = read_tables(sweeps[0])
    _, loky_curves = read_tables(sweeps[1])
    pd.testing.assert_frame_equal(dask_curves.drop(columns=["elapsed_seconds"]),
                                  loky_curves.drop(columns=["elapsed_seconds"]))


def test_dask_meta(sweeps, cluster):
    info = json.loads((sweeps[0] / "results" / "tiny" / "meta.json").read_text())
    assert info["backend"] == "dask"
    assert info["scheduler"] == cluster.scheduler_address
    assert info["jobs"] == 2


def test_dask_rerun_resumes(sweeps, cluster, capsys):
    capsys.readouterr()
    assert run_tiny(sweeps[0], "--backend", "dask",
                    "--scheduler", cluster.scheduler_address) == 0
    assert f"{N_CELLS} already stored, 0 to run" in capsys.readouterr().err


def assert_one_line_error(message: str, *named: str) -> None:
    assert "Traceback" not in message
    assert len(message.strip().splitlines()) == 1
    for text in named:
        assert text in message


def test_unreachable_scheduler(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(runner, "CONNECT_TIMEOUT_SECONDS", 1.0)
    address = f"tcp://127.0.0.1:{free_port()}"

    start = time.perf_counter()
    code = run_tiny(tmp_path, "--backend", "dask", "--scheduler", address)
    seconds = time.perf_counter() - start

    assert code == 2
    assert seconds < 10
    message = capsys.readouterr().err.splitlines()[-1]
    assert_one_line_error(message, address, "timed out", "--backend loky")
    assert not (tmp_path / "results" / "tiny" / "meta.json").exists()


def test_scheduler_without_workers(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(runner, "CONNECT_TIMEOUT_SECONDS", 1.0)
    with local_cluster(n_workers=0) as empty:
        code = run_tiny(tmp_path, "--backend", "dask", "--scheduler",
                        empty.scheduler_address)

    assert code == 2
    message = capsys.readouterr().err.splitlines()[-1]
    assert_one_line_error(message, empty.scheduler_address, "no worker", "dask worker")


def test_invalid_scheduler_address(tmp_path, capsys):
    code = run_tiny(tmp_path, "--backend", "dask", "--scheduler", "tcp://127.0.0.1")

    assert code == 2
    message = capsys.readouterr().err.splitlines()[-1]
    assert_one_line_error(message, "'tcp://127.0.0.1'", "tcp://HOST:PORT")


def test_dask_not_installed(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)

    code = run_tiny(tmp_path, "--backend", "dask", "--scheduler", "tcp://127.0.0.1:8786")

    assert code == 2
    message = capsys.readouterr().err.splitlines()[-1]
    assert_one_line_error(message, "pip install 'backprop-bench[dask]'")


@pytest.mark.skipif(joblib.cpu_count() < 2, reason="needs 2 cores to raise the limit")
def test_loky_worker_blas_one_thread():
    results = joblib.Parallel(n_jobs=2)(
        joblib.delayed(blas_threads_in_worker)(2) for _ in range(2))

    for before, inside in results:
        assert max(before) == 2
        assert inside
        assert set(inside) == {1}


def test_dask_worker_blas_one_thread(cluster):
    with distributed.Client(cluster, set_as_default=False) as client:
        futures = [client.submit(blas_threads_in_worker, 2, pure=False)
                   for _ in range(2)]
        results = client.gather(futures)

    for _, inside in results:
        assert inside
        assert set(inside) == {1}


@pytest.mark.skipif(joblib.cpu_count() < 2, reason="needs 2 cores to raise the limit")
def test_overlapping_limits_restore_last():
    first, second = single_thread_blas(), single_thread_blas()
    with threadpool_limits(limits=2, user_api="blas"):
        original = blas_threads()
        first.__enter__()
        second.__enter__()
        first.__exit__(None, None, None)
        while_second_runs = blas_threads()
        second.__exit__(None, None, None)
        after = blas_threads()

    assert max(original) == 2
    assert set(while_second_runs) == {1}
    assert after == original
