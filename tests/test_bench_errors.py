"""Bad command-line input: one line naming the value, exit code 2, results untouched."""

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
