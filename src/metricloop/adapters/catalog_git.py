"""The git commit a catalog directory is checked out at, if it is in a git work tree (a changelog names it).

Reads `git rev-parse HEAD` with a short time limit; no git, no repository or any failure is simply None: the
commit is a nicety on a changelog entry, never a reason for a catalog load to fail.
"""
from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)
TIMEOUT_S = 2.0


def git_commit(path: str | Path) -> str | None:
    """HEAD's full commit hash for the repository holding `path`, or None (not a checkout, no git, an error)."""
    git = shutil.which("git")
    folder = Path(path)
    if git is None or not folder.is_dir():
        return None
    try:
        done = subprocess.run([git, "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True,
                              timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError):
        log.debug("git rev-parse failed in %s", folder, exc_info=True)
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and len(commit) >= 40 else None
