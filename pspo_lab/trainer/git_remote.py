"""The branches of the course's git repository, asked of the repository itself.

``pspo-lab cohort link`` checks that the branch of its link exists before a trainer hands the
link out: nbgitpuller would otherwise fail on every learner's first click.
"""

from __future__ import annotations

import os
import subprocess

#: Seconds to wait for the repository to answer before giving up on the check.
TIMEOUT = 30


def remote_branches(repository: str, timeout: float = TIMEOUT) -> list[str] | None:
    """The branch names of ``repository`` (a URL or path), or ``None`` when it can't be asked.

    Runs ``git ls-remote --heads`` without ever prompting for a password: a repository that
    is unreachable, private, missing, or a machine without git all give ``None``.

    Parameters
    ----------
    repository
        What ``git clone`` accepts: an https or ssh URL, ``file://`` URL or a local path.
    timeout
        Seconds to wait for the answer.

    Returns
    -------
    list of str or None
        The branches, sorted; ``None`` when the repository could not be asked.

    Examples
    --------
    >>> remote_branches("/nonexistent/course.git") is None
    True
    """

    env = os.environ | {"GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true",
                        "GIT_SSH_COMMAND": "ssh -o BatchMode=yes"}
    try:
        done = subprocess.run(["git", "ls-remote", "--heads", "--", repository],
                              capture_output=True, text=True, timeout=timeout, env=env,
                              stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    refs = (line.split("\t", 1)[-1] for line in done.stdout.splitlines() if "\t" in line)
    return sorted(ref.removeprefix("refs/heads/") for ref in refs)
