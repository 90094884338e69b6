"""Status of a finished cell, as written in the ``status`` column."""

from backprop_core.training import STATUS_DIVERGED, STATUS_OK, STATUS_TIMEOUT

OK = STATUS_OK
DIVERGED = STATUS_DIVERGED
TIMEOUT = STATUS_TIMEOUT
ERROR = "error"

ALL = (OK, DIVERGED, TIMEOUT, ERROR)
