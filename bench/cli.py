"""Command line: ``python -m bench run``, ``merge`` and ``list``."""

import argparse
import logging
import sys

from bench.errors import UsageError

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
INTERRUPTED_MESSAGE = ("interrupted: cells that finished are stored; run the same command "
                       "again to resume")


class ArgumentParser(argparse.ArgumentParser):
    """Argument parser that reports a bad flag in one line and exits with code 2."""

    def error(self, message: str) -> None:
        self.exit(EXIT_USAGE, f"error: {message} (see `python -m bench {self._command()}"
                              " --help`)\n")

    def _command(self) -> str:
        return self.prog.split()[-1] if " " in self.prog else ""


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(prog="python -m bench",
                            description="Benchmark optimizers on a NumPy MLP engine.")
    commands = parser.add_subparsers(dest="command", required=True,
                                     parser_class=ArgumentParser)

    run = commands.add_parser("run", help="run a sweep and write its tables and report")
    run.add_argument("sweep", nargs="?", help="sweep file (TOML); flags override it")
    axes = run.add_argument_group("sweep axes (comma-separated lists)")
    axes.add_argument("--datasets", help="dataset names, or csv:PATH")
    axes.add_argument("--optimizers", help="optimizer names")
    axes.add_argument("--losses", help="loss names")
    axes.add_argument("--lrs", help="learning rates, or 'default' for each optimizer's "
                                    "own; replaces every optimizer's grid")
    axes.add_argument("--seeds", type=int, help="number of seeds per setting (default 3)")
    axes.add_argument("--epochs", type=int, help="epochs per run (default 30)")
    axes.add_argument("--batch-size", help="mini-batch sizes (default 32)")
    axes.add_argument("--dtypes", help="float32 and/or float64 (default float64)")
    axes.add_argument("--schedules", help="learning-rate schedule names (default "
                                          "constant)")
    axes.add_argument("--weight-decays", help="weight decay values (default: each "
                                              "optimizer's own)")
    settings = run.add_argument_group("run settings")
    settings.add_argument("--name", help="sweep name: results/NAME and reports/NAME "
                                         "(default 'default')")
    settings.add_argument("--jobs", type=int, help="parallel workers; -1 uses every core "
                                                   "(default)")
    settings.add_argument("--cell-timeout", type=float,
                          help="seconds after which a cell stops with status timeout")
    settings.add_argument("--backend", help="loky (local processes, default) or dask")
    settings.add_argument("--scheduler", help="Dask scheduler address, tcp://HOST:PORT")
    settings.add_argument("--results-dir", default="results",
                          help="folder for result tables (default results)")
    settings.add_argument("--reports-dir", default="reports",
                          help="folder for reports (default reports)")
    settings.add_argument("--force", action="store_true",
                          help="rerun cells that are already stored")
    settings.add_argument("--quiet", action="store_true", help="hide the progress bar")

    commands.add_parser("list", help="list datasets, optimizers and losses")
    _add_merge_parser(commands)
    return parser


def _add_merge_parser(commands) -> None:
    merge = commands.add_parser("merge", help="join sweeps run on several machines into "
                                              "one sweep, by cell key")
    merge.add_argument("sources", nargs="+", metavar="SWEEP",
                       help="names of two or more stored sweeps (folders under "
                            "--results-dir)")
    merge.add_argument("--name", required=True,
                       help="name of the merged sweep: results/NAME and reports/NAME")
    merge.add_argument("--results-dir", default="results",
                       help="folder that contains the sweeps' results (default "
                            "results)")
    merge.add_argument("--reports-dir", default="reports",
                       help="folder for reports (default reports)")


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    from bench import commands  # imported late so that --help stays fast

    try:
        if args.command == "run":
            return commands.run(args)
        if args.command == "merge":
            return commands.merge(args)
        return commands.list_choices()
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"error: {_describe_os_error(exc)}; check that the results and reports "
              "folders (--results-dir, --reports-dir) are writable folders",
              file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(INTERRUPTED_MESSAGE, file=sys.stderr)
        return EXIT_INTERRUPTED


def _describe_os_error(exc: OSError) -> str:
    path = exc.filename if exc.filename is not None else ""
    return f"cannot write {path!r}: {exc.strerror or exc}" if path else str(exc)
