"""The virtualenvs peers are benchmarked in: pinned, made once per set of pins, cached under
~/.cache/hotline-bench, so nothing of a peer enters Hotline's own environment."""

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path


class PeerInstallFailed(Exception):
    """A peer's packages could not be installed."""


def cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hotline-bench"


def cached_venv(prefix: str, requirements: Sequence[str]) -> Path:
    """A virtualenv with `requirements`, named `prefix` and a hash of the pins; a marker written
    last tells a finished install from an interrupted one."""
    key = hashlib.sha256("\n".join(requirements).encode()).hexdigest()[:12]
    venv = cache_root() / f"{prefix}-{key}"
    marker = venv / "installed.txt"
    if marker.exists():
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    pip = [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check"]
    done = subprocess.run([*pip, *requirements], capture_output=True, text=True)
    if done.returncode:
        raise PeerInstallFailed(f"installing {prefix} failed:\n{done.stderr[-3000:]}")
    marker.write_text("\n".join(requirements) + "\n")
    return venv
