"""Bad command-line input: one line naming the value, exit code 2, results untouched."""

import os
import stat

import pytest

from bench.cli import main

BAD_INPUTS = [
    (["--datasets", "digitz"], "'digitz'", "digits"),
    (["--optimizers", "adamm"], "'adamm'", "adam"),
    (["--losses", "hinge"], "'hinge'", "cross_entropy"),
    (["--lrs", "0.1,-1"], "-1", "positive"),
    (["--lrs", "0.1,abc"], "'abc'", "positive"),
    (["--lrs", "0.1,,0.2"], "empty item", "--lrs"),
    (["--seeds", "0"], "--seeds", "at least 1"),
    (["--epochs", "-3"], "--epochs", "at least 1"),
    (["--batch-size", "0"], "--batch-size", "at least 1"),
    (["--jobs", "0"], "--jobs", "-1"),
    (["--seeds", "two"], "--seeds", "invalid int"),
    (["--name", "../escape"], "--name", "letters"),
    (["--datasets", "diabetes", "--losses", "cross_entropy"], "'diabetes'", "mse"),
]


def exit_code(argv):
    """Return the exit code of the command line, whether returned or raised by argparse."""
    try:
        return main(argv)
    except SystemExit as stop:
        return stop.code


@pytest.mark.parametrize(("flags", "named", "hint"), BAD_INPUTS)
def test_bad_flag_rejected(flags, named, hint, tmp_path, capsys):
    code = exit_code(["run", "--results-dir", str(tmp_path), "--reports-dir",
                      str(tmp_path), "--quiet", *flags])
    message = capsys.readouterr().err
    assert code == 2
    assert named in message
    assert hint in message
    assert "Traceback" not in message
    assert len(message.strip().splitlines()) == 1


def test_bad_flag_keeps_results(tmp_path):
    stored = tmp_path / "default" / "runs.parquet"
    stored.parent.mkdir()
    stored.write_bytes(b"earlier results")

    code = exit_code(["run", "--results-dir", str(tmp_path), "--datasets", "nope"])

    assert code == 2
    assert stored.read_bytes() == b"earlier results"


TINY_RUN = ["run", "--datasets", "iris", "--optimizers", "sgd", "--losses",
            "cross_entropy", "--lrs", "0.1", "--seeds", "1", "--epochs", "1", "--quiet"]


def test_results_dir_is_file(tmp_path, capsys):
    blocker = tmp_path / "results"
    blocker.write_text("not a folder")

    code = exit_code([*TINY_RUN, "--results-dir", str(blocker), "--reports-dir",
                      str(tmp_path / "reports")])

    message = capsys.readouterr().err
    assert code == 2
    assert "--results-dir" in message
    assert "Traceback" not in message
    assert blocker.read_text() == "not a folder"


def test_reports_dir_checked_first(tmp_path, capsys):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "default").write_text("not a folder")

    code = exit_code([*TINY_RUN, "--results-dir", str(tmp_path / "results"),
                      "--reports-dir", str(tmp_path / "reports")])

    message = capsys.readouterr().err
    assert code == 2
    assert "'" + str(tmp_path / "reports" / "default") + "'" in message
    assert not list((tmp_path / "results").glob("default/cells/*.json"))


def test_stored_files_follow_umask(tmp_path):
    old_mask = os.umask(0o022)
    try:
        code = exit_code([*TINY_RUN, "--results-dir", str(tmp_path), "--reports-dir",
                          str(tmp_path / "reports")])
    finally:
        os.umask(old_mask)

    stored = [*tmp_path.glob("default/cells/*.json"), tmp_path / "default" / "runs.parquet"]
    assert code == 0
    assert {stat.S_IMODE(path.stat().st_mode) for path in stored} == {0o644}


def test_jobs_capped_at_cells(tmp_path, capsys):
    code = exit_code([*TINY_RUN, "--jobs", "1000", "--results-dir", str(tmp_path),
                      "--reports-dir", str(tmp_path / "reports")])

    assert code == 0
    assert "1 to run on 1 worker\n" in capsys.readouterr().err


def test_merge_source_without_readable_cells(tmp_path, capsys):
    for name in ("good", "junk"):
        (tmp_path / name / "cells").mkdir(parents=True)
    (tmp_path / "junk" / "cells" / "0123456789abcdef.json").write_text("{broken")
    assert exit_code([*TINY_RUN, "--name", "good", "--results-dir", str(tmp_path),
                      "--reports-dir", str(tmp_path / "reports")]) == 0
    capsys.readouterr()

    code = exit_code(["merge", "good", "junk", "--name", "both", "--results-dir",
                      str(tmp_path), "--reports-dir", str(tmp_path / "reports")])

    assert code == 2
    assert "'junk'" in capsys.readouterr().err
    assert not (tmp_path / "both").exists()
