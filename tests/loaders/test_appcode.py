"""Application code in the components' source directories: which files are read, and the facts they give."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from archlint.engine import analyze
from archlint.engine.config import Config
from archlint.loaders.discover import discover
from archlint.loaders import safe_read
from archlint.loaders.pipeline import load
from archlint.rules import all_rules
from tests.conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "appcode"
CALLS, LOOPS, AWS = "code_calls_without_timeout", "code_retry_loops_without_backoff", "code_aws_clients_without_retries"


def _facts(component, fact):
    return [(f["file"], f["line"], f["call"], f["detail"]) for f in component.attrs.get(fact, ())]


def test_the_profile_service_gets_the_facts_of_its_code():
    profile = load(discover([FIXTURE], FIXTURE)).model.component("profile")
    clients, retry, storage = (f"services/profile/app/{n}.py" for n in ("clients", "retry", "storage"))
    assert profile.attrs["code_files"] == 5  # app/*.py; tests/fakes.py is test code
    assert _facts(profile, CALLS) == [
        (clients, 16, "requests.Session.get", "without a timeout"),  # self.session = http.Session()
        (clients, 35, "httpx.AsyncClient.put", "with timeout=None"),  # the client's 5 s default is overridden
        (clients, 39, "requests.get", "without a timeout"),  # from requests import get
    ]  # httpx.get (5 s default) and calls that pass a timeout are not facts
    assert _facts(profile, LOOPS) == [(retry, 11, "call", "a constant time.sleep(0.5) between attempts")]
    assert _facts(profile, AWS) == [(storage, 8, "boto3.resource", "without config=")]  # STANDARD sets retries
    assert profile.attrs[AWS][0]["service"] == "dynamodb"


def test_a_compose_build_context_and_a_kubernetes_annotation_are_source_directories():
    model = load(discover([FIXTURE], FIXTURE)).model
    notifier, worker = model.component("compose:./notifier"), model.component("accounts/worker")
    assert notifier.attrs["source_dir"] == "services/notifier" and worker.attrs["source_dir"] == "services/worker"
    assert _facts(notifier, CALLS) == [  # ClientSession() alone keeps aiohttp's 5-minute default: not a fact
        ("services/notifier/notifier.py", 14, "aiohttp.ClientTimeout", "without total or sock_read")]
    worker_py = "services/worker/worker.py"
    assert _facts(worker, CALLS) == [(worker_py, 8, "urllib3.PoolManager", "without a timeout")]
    assert _facts(worker, LOOPS) == [(worker_py, 13, "http.request", "a constant time.sleep(2) between attempts")]
    assert _facts(worker, AWS) == [(worker_py, 9, "boto3.Session.client", "without config=")]
    assert "code_files" not in model.component("compose:./mailhog").attrs  # an image, no build context


def test_the_rules_report_each_place_on_its_component():
    loaded = load(discover([FIXTURE], FIXTURE))
    found = sorted((f.rule, f.file, f.line, f.node) for f in analyze(loaded, Config(), all_rules()).findings
                   if f.rule in ("FI030", "FI031", "FI032"))
    assert found == [
        ("FI030", "services/notifier/notifier.py", 14, "compose:./notifier"),
        ("FI030", "services/profile/app/clients.py", 16, "profile"),
        ("FI030", "services/profile/app/clients.py", 35, "profile"),
        ("FI030", "services/profile/app/clients.py", 39, "profile"),
        ("FI030", "services/worker/worker.py", 8, "accounts/worker"),
        ("FI031", "services/profile/app/retry.py", 11, "profile"),
        ("FI031", "services/worker/worker.py", 13, "accounts/worker"),
        ("FI032", "services/profile/app/storage.py", 8, "profile"),
        ("FI032", "services/worker/worker.py", 9, "accounts/worker"),
    ]


def test_only_python_files_inside_source_directories_are_opened_each_once(monkeypatch):
    opened = []
    original = safe_read.read  # every file of the scan is read through it
    monkeypatch.setattr(safe_read, "read", lambda path, name: opened.append(Path(path)) or original(path, name))
    result = load(discover([FIXTURE], FIXTURE))
    names = sorted(p.relative_to(FIXTURE).as_posix() for p in opened if p.suffix == ".py")
    assert names == ["services/notifier/notifier.py", *(f"services/profile/app/{n}.py" for n in (
        "__init__", "clients", "main", "retry", "storage")), "services/worker/worker.py"]
    assert len(opened) == len(set(opened))  # scripts/backfill.py and tests/fakes.py never opened
    assert result.stats["appcode.files"] == 7 and result.stats["skipped.appcode-tests"] == 1


def test_a_file_both_a_cdk_program_and_service_code_is_read_once(tmp_path, monkeypatch):
    _write(tmp_path, {
        "cdk.json": '{"app": "python3 app.py"}',
        "app.py": "import aws_cdk as cdk\napp = cdk.App()\n",
        "graph.yaml": _GRAPH.format(source="handlers"),
        "handlers/orders.py": "import requests\n\ndef handler(event, context):\n    requests.get('http://orders')\n",
    })
    opened = []
    original = safe_read.read
    monkeypatch.setattr(safe_read, "read", lambda path, name: opened.append(Path(path).name) or original(path, name))
    result = load(discover([tmp_path], tmp_path))
    assert opened.count("orders.py") == 1
    assert _facts(result.model.component("svc"), CALLS) == [
        ("handlers/orders.py", 4, "requests.get", "without a timeout")]


def test_libcst_is_not_imported_when_no_component_names_a_source_directory(tmp_path):
    _write(tmp_path, {"graph.yaml": _GRAPH.replace("      source: {source}\n", ""),
                      "svc/app.py": "import requests\nrequests.get('http://x')\n"})
    script = ("import sys; from pathlib import Path; from archlint.loaders.discover import discover; "
              "from archlint.loaders.pipeline import load; root = Path(sys.argv[1]); r = load(discover([root], root)); "
              "print(len(r.model), 'libcst' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                          cwd=REPO, env={"PYTHONPATH": str(REPO)}, timeout=60)
    assert done.stdout.split() == ["1", "False"], done.stderr


def test_test_code_is_not_read(load_yaml):
    call = "import requests\nrequests.get('http://x')\n"
    result = load_yaml({"graph.yaml": _GRAPH.format(source="svc"), "svc/app.py": call, "svc/tests/helpers.py": call,
                        "svc/test_app.py": call, "svc/app_test.py": call, "svc/conftest.py": call})
    assert [f[0] for f in _facts(result.model.component("svc"), CALLS)] == ["svc/app.py"]
    assert result.stats["skipped.appcode-tests"] == 4


def test_a_file_belongs_to_the_deepest_source_directory(load_yaml):
    graph = _GRAPH.format(source=".") + "    - name: billing\n      source: billing\n"
    call = "import requests\nrequests.get('http://x')\n"
    model = load_yaml({"graph.yaml": graph, "main.py": call, "billing/api.py": call}).model
    assert [f[0] for f in _facts(model.component("svc"), CALLS)] == ["main.py"]
    assert [f[0] for f in _facts(model.component("billing"), CALLS)] == ["billing/api.py"]


def test_keys_survive_moved_lines_and_number_repeated_calls(tmp_path):
    code = "import requests\n\ndef sync():\n    requests.get('http://a')\n    requests.get('http://b')\n"
    _write(tmp_path, {"graph.yaml": _GRAPH.format(source="svc"), "svc/app.py": code})
    before = load(discover([tmp_path], tmp_path)).model.component("svc").attrs[CALLS]
    (tmp_path / "svc" / "app.py").write_text('"""Sync."""\n\n' + code)
    after = load(discover([tmp_path], tmp_path)).model.component("svc").attrs[CALLS]
    assert [f["key"] for f in before] == [f["key"] for f in after] == [
        "svc/app.py:sync:requests.get", "svc/app.py:sync:requests.get#2"]
    assert [f["line"] for f in before] == [4, 5] and [f["line"] for f in after] == [6, 7]


def test_a_file_libcst_cannot_parse_is_counted_not_reported(load_yaml):
    result = load_yaml({"graph.yaml": _GRAPH.format(source="svc"), "svc/broken.py": "import requests\ndef broken(:\n",
                        "svc/app.py": "import requests\nrequests.get('http://x')\n"})
    assert result.stats["skipped.appcode-unparsable"] == 1 and result.findings == []
    assert result.model.component("svc").attrs["code_files"] == 1


def test_compose_build_strings_and_urls(load_yaml):
    model = load_yaml({"deploy/compose.yaml": """\
        services:
          api: {build: ../api}
          remote: {build: "https://github.com/example/remote.git#main"}
          templated: {build: {context: "${SRC}/jobs"}}
        """}).model
    assert model.component("compose:deploy/api").attrs["source_dir"] == "api"
    assert all("source_dir" not in model.component(f"compose:deploy/{n}").attrs for n in ("remote", "templated"))


def test_suppression_comments_work_in_python_files(load_yaml):
    loaded = load_yaml({"graph.yaml": _GRAPH.format(source="svc"), "svc/app.py": """\
        import boto3, requests

        # archlint: ignore FI030 -- bounded by the kubelet's probe timeout
        requests.get("http://localhost/healthz")
        s3 = boto3.client("s3")  # archlint: ignore FI032 -- AWS_RETRY_MODE=standard is set in the Deployment
        requests.get("http://billing/plans")
        """})
    analysis = analyze(loaded, Config(), all_rules())
    assert [(f.rule, f.line) for f in analysis.findings if f.rule.startswith(("FI03", "IN00"))] == [("FI030", 6)]
    assert sorted((f.rule, f.line) for f in analysis.suppressed) == [("FI030", 4), ("FI032", 5)]


_GRAPH = """\
apiVersion: archlint.dev/v1
kind: ServiceGraph
spec:
  components:
    - name: svc
      source: {source}
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))

