"""Start a command the way a terminal does, whatever started the test run.

A shell started without job control (``pytest ... &`` in a script, ``nohup``) runs its
background commands with Ctrl-C (``SIGINT``) ignored, and every child inherits that: a
``cohort run`` started from such a test would never see the Ctrl-C the test sends. Tests
that press Ctrl-C start their command with :func:`as_in_a_terminal` as ``preexec_fn``.
"""

from __future__ import annotations

import signal


def as_in_a_terminal() -> None:
    """In the child, before ``exec``: Ctrl-C has its default meaning and is not blocked."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
