import sys

try:
    from bench.cli import EXIT_INTERRUPTED, INTERRUPTED_MESSAGE, main
except KeyboardInterrupt:  # Ctrl-C while the command line is still importing
    print("interrupted before the command started; nothing was run", file=sys.stderr)
    sys.exit(130)

try:
    sys.exit(main())
except KeyboardInterrupt:
    print(INTERRUPTED_MESSAGE, file=sys.stderr)
    sys.exit(EXIT_INTERRUPTED)
