"""Property tests with structure-aware strategies: valid documents of each format archlint reads (Kubernetes
manifests, compose, CloudFormation in JSON and YAML, service graphs, Terraform, Pulumi and CDK Python), then mutated
as a careless or hostile author would (wrong types where a mapping is expected, huge numbers, long strings, control
characters, truncation, deleted or doubled lines).

The promise: loading and judging never raises; no rule fails (IN008) on any of it; a valid document is read without
a loader failing on it (no "cannot load this" IN001); and through the CLI, content never makes the exit code 2.
Few examples per test and a fixed seed, so that CI stays fast and deterministic; raise `ARCHLINT_PROPERTY_EXAMPLES`
to search longer."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archlint.engine import analyze
from archlint.engine.config import Config
from archlint.loaders.discover import SourcePath
from archlint.loaders.pipeline import load
from archlint.rules import all_rules
from tests.conftest import run_cli

RULES = all_rules()
EXAMPLES = int(os.environ.get("ARCHLINT_PROPERTY_EXAMPLES", "15"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))

NAMES = st.sampled_from(["web", "api", "db", "cache", "queue", "worker", "a-b", "x"])
IMAGES = st.sampled_from(["postgres:15", "redis:7", "nginx:1.25", "acme/app:1", "bitnami/kafka:3", "rabbitmq:3"])
QUANTITIES = st.sampled_from(["100m", "2", "0.5", "512Mi", "2Gi", "1e3", "-1", "", "1Ki", "3.5T"])
DURATIONS = st.sampled_from(["2s", "500ms", "1m", "0s", "-1s", "forever", "1h30m"])
SMALL = st.integers(-2, 12)
#: What a mutation puts in place of a value: other types, the extremes of numbers and strings, odd characters.
MUTANTS = st.one_of(
    st.sampled_from([None, [], {}, True, 0, -1, 1e308, float("inf"), "", "x" * 5000, "\x00", "\u202e\u0007\x1b[2J",
                     "\ud800", "${x}", "{{ .Values.x }}", "*", "0x1F", "1_000", "2024-02-30", "!!int abc", [None],
                     {"a": {"b": {"c": []}}}, [[[]]], 10**30, -(10**30)]),
    st.text(max_size=12), st.integers(), st.floats(allow_nan=True))


# ---- valid documents, one strategy per format ------------------------------------------------------------

def _labels(name: str) -> dict:
    return {"app": name}


def _container(image: str, env_target: str, resources: dict | None, port: int) -> dict:
    container = {"name": "main", "image": image, "ports": [{"containerPort": port}],
                 "env": [{"name": "UPSTREAM", "value": f"http://{env_target}:8080"},
                         {"name": "DATABASE_URL", "value": f"postgres://{env_target}:5432/app"}]}
    if resources is not None:
        container["resources"] = resources
    return container


RESOURCES = st.one_of(st.none(), st.fixed_dictionaries(
    {}, optional={"requests": st.fixed_dictionaries({}, optional={"cpu": QUANTITIES, "memory": QUANTITIES}),
                  "limits": st.fixed_dictionaries({}, optional={"cpu": QUANTITIES, "memory": QUANTITIES})}))


@st.composite
def kubernetes_objects(draw) -> list:
    name, target = draw(NAMES), draw(NAMES)
    kind = draw(st.sampled_from(["Deployment", "StatefulSet", "DaemonSet", "CronJob"]))
    pod = {"metadata": {"labels": _labels(name)},
           "spec": {"containers": [_container(draw(IMAGES), target, draw(RESOURCES), draw(st.integers(1, 65535)))]}}
    if kind == "CronJob":
        workload = {"apiVersion": "batch/v1", "kind": kind, "metadata": {"name": name},
                    "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": pod}}}}
    else:
        spec = {"selector": {"matchLabels": _labels(name)}, "template": pod}
        if kind != "DaemonSet":
            spec["replicas"] = draw(SMALL)
        if kind == "StatefulSet":
            spec["serviceName"] = name
            spec["volumeClaimTemplates"] = [{"metadata": {"name": "data"}, "spec": {
                "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": draw(QUANTITIES)}}}}]
        workload = {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name, "namespace": "shop"},
                    "spec": spec}
    objects = [workload]
    if draw(st.booleans()):
        service_type = draw(st.sampled_from(["ClusterIP", "LoadBalancer"]))
        target_port = draw(st.one_of(st.integers(1, 9000), NAMES))
        objects.append({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "shop"},
                        "spec": {"selector": _labels(name), "type": service_type,
                                 "ports": [{"port": 8080, "targetPort": target_port}]}})
    if draw(st.booleans()):
        objects.append({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                        "metadata": {"name": name, "namespace": "shop"},
                        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": kind, "name": name},
                                 "minReplicas": draw(SMALL), "maxReplicas": draw(SMALL)}})
    if draw(st.booleans()):
        budget = draw(st.sampled_from(["minAvailable", "maxUnavailable"]))
        objects.append({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                        "metadata": {"name": name, "namespace": "shop"},
                        "spec": {budget: draw(st.one_of(SMALL, st.just("50%"))),
                                 "selector": {"matchLabels": _labels(name)}}})
    if draw(st.booleans()):
        objects.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"{name}-config"},
                        "data": {"UPSTREAM": f"http://{target}:8080", "app.properties": f"db.host={target}\n"}})
    return objects


@st.composite
def compose_files(draw) -> dict:
    services = {}
    names = draw(st.lists(NAMES, min_size=1, max_size=4, unique=True))
    for name in names:
        service = {"image": draw(IMAGES), "depends_on": draw(st.lists(st.sampled_from(names), max_size=2, unique=True)),
                   "environment": {"UPSTREAM": f"http://{draw(NAMES)}:8080"}, "ports": ["8080:80"]}
        if draw(st.booleans()):
            service["deploy"] = {"replicas": draw(SMALL),
                                 "resources": {"limits": {"cpus": "0.5", "memory": draw(QUANTITIES)}}}
        if draw(st.booleans()):
            service["healthcheck"] = {"test": ["CMD", "true"], "interval": draw(DURATIONS)}
        services[name] = service
    return {"services": services, "volumes": {"data": {}}}


def _intrinsic(logical: list[str]):
    refs = st.sampled_from(logical + ["AWS::Region", "Env"])
    return st.one_of(
        refs.map(lambda r: {"Ref": r}), refs.map(lambda r: {"Fn::GetAtt": [r, "Arn"]}),
        refs.map(lambda r: {"Fn::Sub": "${" + r + "}-x"}), st.just({"Fn::Select": [0, {"Fn::GetAZs": ""}]}),
        st.just({"Fn::If": ["IsProd", 3, 1]}), st.just({"Fn::Join": ["", ["a", {"Ref": "Env"}]]}))


@st.composite
def cloudformation_templates(draw) -> dict:
    logical = draw(st.lists(st.sampled_from(["Db", "Fn", "Queue", "Bucket", "Group", "Cache"]), min_size=1,
                            max_size=5, unique=True))
    value = st.one_of(_intrinsic(logical), SMALL, st.booleans())
    properties = {
        "Db": ("AWS::RDS::DBInstance", {"Engine": "postgres", "DBInstanceClass": "db.t3.micro",
                                        "MultiAZ": draw(value), "AllocatedStorage": "20"}),
        "Fn": ("AWS::Serverless::Function", {"Runtime": "python3.11", "Handler": "app.handler",
                                             "Timeout": draw(value), "MemorySize": draw(st.integers(-1, 20000)),
                                             "Events": {"E": {"Type": draw(st.sampled_from(["SQS", "Api", "Schedule"])),
                                                              "Properties": {"Queue": draw(value)}}}}),
        "Queue": ("AWS::SQS::Queue", {"VisibilityTimeout": draw(value), "RedrivePolicy": {
            "deadLetterTargetArn": draw(value), "maxReceiveCount": draw(SMALL)}}),
        "Bucket": ("AWS::S3::Bucket", {"BucketName": draw(value)}),
        "Group": ("AWS::AutoScaling::AutoScalingGroup", {"MinSize": draw(value), "MaxSize": "3",
                                                         "AvailabilityZones": {"Fn::GetAZs": ""}}),
        "Cache": ("AWS::ElastiCache::ReplicationGroup", {"Engine": "redis", "NumCacheClusters": draw(value),
                                                        "AutomaticFailoverEnabled": draw(value)}),
    }
    resources = {name: {"Type": properties[name][0], "Properties": properties[name][1]} for name in logical}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Transform": "AWS::Serverless-2016-10-31",
            "Parameters": {"Env": {"Type": "String", "Default": "prod"}},
            "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}}, "Resources": resources}


@st.composite
def service_graphs(draw) -> dict:
    names = draw(st.lists(NAMES, min_size=1, max_size=5, unique=True))
    components = []
    for name in names:
        zones = draw(st.lists(st.sampled_from(["eu-west-1a", "eu-west-1b", "eu-west-1c"]), max_size=3, unique=True))
        component = {"name": name, "kind": draw(st.sampled_from(["service", "datastore", "cache", "queue", "client"])),
                     "replicas": draw(st.integers(1, 12)),
                     "location": {"provider": "aws", "region": "eu-west-1", "zones": zones},
                     "dependencies": [{"target": draw(st.sampled_from(names)),
                                       "mode": draw(st.sampled_from(["sync", "async"])),
                                       "timeout": draw(st.sampled_from(["2s", "500ms", "1m"])),
                                       "retries": draw(st.integers(0, 5))} for _ in range(draw(st.integers(0, 2)))]}
        if draw(st.booleans()):
            component["slo"] = {"availability": draw(st.floats(90, 99.999)),
                                "latency": draw(st.sampled_from(["300ms", "1s"]))}
        components.append(component)
    return {"apiVersion": "archlint.dev/v1", "kind": "ServiceGraph", "metadata": {"name": "g"},
            "spec": {"components": components}}


HCL_NUMBERS = st.sampled_from(["1", "3", "var.n", "var.n * 2", "var.prod ? 3 : 1", "length(var.zones)",
                               "max(1, var.n)", "tonumber(\"2\")", "local.count", "0", "-1", "count.index"])
HCL_STRINGS = st.sampled_from(['"t3.micro"', '"db.r6g.large"', "var.size", '"${var.name}-db"',
                               'format("%s-%d", "a", 1)', 'lookup(var.sizes, "web", "t3.small")', "upper(var.name)",
                               'element(var.zones, 0)', 'join("-", var.zones)', 'var.prod ? "m5.large" : "t3.micro"'])
HCL_BOOLS = st.sampled_from(["true", "false", "var.prod", "!var.prod", "length(var.zones) > 1", "null"])


@st.composite
def terraform_modules(draw) -> dict[str, str]:
    blocks = ['variable "n" {\n  default = 2\n}', 'variable "prod" {\n  default = true\n}',
              'variable "name" {\n  default = "shop"\n}', 'variable "size" {\n  default = "t3.micro"\n}',
              'variable "zones" {\n  default = ["eu-west-1a", "eu-west-1b"]\n}',
              'variable "sizes" {\n  default = { web = "t3.large" }\n}',
              f"locals {{\n  count = {draw(HCL_NUMBERS)}\n  names = [for z in var.zones : upper(z)]\n}}"]
    for index in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["aws_instance", "aws_db_instance", "aws_autoscaling_group", "aws_sqs_queue",
                                     "aws_elasticache_replication_group"]))
        body = {"aws_instance": f"instance_type = {draw(HCL_STRINGS)}\n  ami = \"ami-1\"",
                "aws_db_instance": f"engine = \"postgres\"\n  instance_class = {draw(HCL_STRINGS)}\n"
                                   f"  multi_az = {draw(HCL_BOOLS)}\n  allocated_storage = {draw(HCL_NUMBERS)}",
                "aws_autoscaling_group": f"min_size = {draw(HCL_NUMBERS)}\n  max_size = {draw(HCL_NUMBERS)}\n"
                                         "  availability_zones = var.zones",
                "aws_sqs_queue": f"visibility_timeout_seconds = {draw(HCL_NUMBERS)}",
                "aws_elasticache_replication_group": f"num_cache_clusters = {draw(HCL_NUMBERS)}\n"
                                                     f"  automatic_failover_enabled = {draw(HCL_BOOLS)}"}[kind]
        meta = draw(st.sampled_from(["", f"count = {draw(HCL_NUMBERS)}\n  ", "for_each = toset(var.zones)\n  "]))
        blocks.append(f'resource "{kind}" "r{index}" {{\n  {meta}{body}\n}}')
    files = {"main.tf": "\n\n".join(blocks) + "\n"}
    if draw(st.booleans()):
        files["main.tf"] += f'\nmodule "db" {{\n  source = "./modules/db"\n  multi_az = {draw(HCL_BOOLS)}\n}}\n'
        files["modules/db/main.tf"] = ('variable "multi_az" {}\n\nresource "aws_db_instance" "this" {\n'
                                       '  engine = "mysql"\n  instance_class = "db.t3.small"\n'
                                       '  multi_az = var.multi_az\n}\n')
    return files


PY_INTS = st.sampled_from(["1", "3", "n", "n * 2", "len(zones)", "int('2')", "max(1, n)", "config.get_int('n') or 2"])
PY_STRS = st.sampled_from(['"t3.micro"', "size", 'f"{name}-db"', '"db." + "t3.micro"', 'sizes["web"]',
                           'sizes.get("api", "t3.small")', '"m5.large" if prod else "t3.micro"'])
PY_BOOLS = st.sampled_from(["True", "False", "prod", "not prod", "len(zones) > 1", "None"])
_PY_PRELUDE = ('n = 2\nprod = True\nname = "shop"\nsize = "t3.micro"\nzones = ["a", "b"]\n'
               'sizes = {"web": "t3.large"}\n')


@st.composite
def python_programs(draw) -> dict[str, str]:
    if draw(st.booleans()):
        lines = ["import pulumi", "import pulumi_aws as aws", "config = pulumi.Config()", _PY_PRELUDE]
        lines.append(f"for i in range({draw(PY_INTS)}):\n"
                     f"    aws.ec2.Instance(f\"web-{{i}}\", instance_type={draw(PY_STRS)}, ami=\"ami-1\")")
        lines.append(f'db = aws.rds.Instance("db", engine="postgres", instance_class={draw(PY_STRS)}, '
                     f"multi_az={draw(PY_BOOLS)}, allocated_storage={draw(PY_INTS)})")
        lines.append(f'aws.sqs.Queue("q", visibility_timeout_seconds={draw(PY_INTS)})')
        return {"Pulumi.yaml": "name: shop\nruntime: python\n", "__main__.py": "\n".join(lines) + "\n"}
    lines = ["from aws_cdk import App, Duration, Stack", "from aws_cdk import aws_ec2 as ec2, aws_rds as rds",
             "from aws_cdk import aws_lambda as lambda_", "", "config = None", _PY_PRELUDE,
             "class Shop(Stack):", "    def __init__(self, scope, id):", "        super().__init__(scope, id)",
             "        vpc = ec2.Vpc(self, \"Vpc\", max_azs=" + draw(PY_INTS) + ")",
             f"        rds.DatabaseInstance(self, \"Db\", vpc=vpc, multi_az={draw(PY_BOOLS)},",
             "            engine=rds.DatabaseInstanceEngine.POSTGRES,",
             "            instance_type=ec2.InstanceType.of(ec2.InstanceClass.BURSTABLE3, ec2.InstanceSize.MICRO))",
             "        lambda_.Function(self, \"Fn\", runtime=lambda_.Runtime.PYTHON_3_11, handler=\"a.h\",",
             f"            code=lambda_.Code.from_asset(\"fn\"), timeout=Duration.seconds({draw(PY_INTS)}))",
             "", "app = App()", "Shop(app, \"Shop\")", "app.synth()"]
    return {"cdk.json": json.dumps({"app": "python3 app.py"}), "app.py": "\n".join(lines) + "\n"}


# ---- mutations -------------------------------------------------------------------------------------------

def _mutate_data(draw, value):
    """The document with a few of its values (any depth) replaced by other types or extreme values."""
    for _ in range(draw(st.integers(0, 3))):
        places = list(_places(value))
        if not places:
            break
        holder, key = draw(st.sampled_from(places))
        holder[key] = draw(MUTANTS)
    return value


def _places(value, depth: int = 0):
    if depth > 12:
        return
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in list(items):
        yield value, key
        yield from _places(item, depth + 1)


_TOKENS = st.sampled_from(["\t", "\x00", ":", "- ", "{", "[", "]", "}", '"', "'", "\n  ", "&a ", "*a", "!!int ",
                           "9" * 5000, "\ufeff", "\r", "${", "%{", "<<EOF", "#", "\\", "é", "\U0001F600", "---\n"])


def _mutate_text(draw, text: str) -> bytes:
    """The text with a few edits: truncated, a token inserted, a line deleted or doubled."""
    for _ in range(draw(st.integers(0, 3))):
        if not text:
            break
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["truncate", "insert", "delete-line", "double-line"]))
        if edit == "truncate":
            text = text[:at]
        elif edit == "insert":
            text = text[:at] + draw(_TOKENS) + text[at:]
        else:
            lines = text.splitlines(keepends=True)
            index = min(at * len(lines) // max(len(text), 1), len(lines) - 1)
            lines[index:index + 1] = [] if edit == "delete-line" else [lines[index]] * 2
            text = "".join(lines)
    return text.encode("utf-8", "surrogatepass")


class _Plain(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def _yaml(documents: list) -> str:
    return yaml.dump_all(documents, Dumper=_Plain, allow_unicode=True, sort_keys=False)


def _json(document) -> str:
    try:
        return json.dumps(document, indent=2, allow_nan=True)
    except ValueError:  # an integer past Python's conversion limit: write it as text would hold it
        return json.dumps(document, indent=2, default=str)


# ---- the property ----------------------------------------------------------------------------------------

def _judge(files: dict[str, bytes], pristine: bool) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, data in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        paths = [SourcePath(root / name, name) for name in sorted(files)]
        findings = analyze(load(paths), Config(), RULES).findings
    failed = [f for f in findings if f.rule == "IN008"]
    assert not failed, failed
    if pristine:
        crashed = [f for f in findings if f.rule == "IN001" and f.message.startswith("cannot load this")]
        assert not crashed, crashed


def _case(draw, documents: list, name: str, as_json: bool = False) -> None:
    mutated = draw(st.booleans())
    if mutated:
        documents = [_mutate_data(draw, d) for d in documents]
    text = _json(documents[0]) if as_json else _yaml(documents)
    data = _mutate_text(draw, text) if mutated else text.encode()
    _judge({name: data, "other.yaml": _yaml([{"apiVersion": "v1", "kind": "Namespace",
                                               "metadata": {"name": "shop"}}]).encode()}, pristine=not mutated)


@SETTINGS
@given(st.data())
def test_kubernetes_manifests(data):
    _case(data.draw, data.draw(kubernetes_objects()), "deploy/app.yaml")


@SETTINGS
@given(st.data())
def test_compose_files(data):
    _case(data.draw, [data.draw(compose_files())], "docker-compose.yaml")


@SETTINGS
@given(st.data(), st.booleans())
def test_cloudformation_templates(data, as_json):
    _case(data.draw, [data.draw(cloudformation_templates())], "template.json" if as_json else "template.yaml",
          as_json)


@SETTINGS
@given(st.data())
def test_service_graphs(data):
    _case(data.draw, [data.draw(service_graphs())], "architecture.yaml")


def _source_case(draw, files: dict[str, str]) -> None:
    mutated = draw(st.booleans())
    _judge({name: _mutate_text(draw, text) if mutated else text.encode() for name, text in files.items()},
           pristine=not mutated)


@SETTINGS
@given(st.data())
def test_terraform_modules(data):
    _source_case(data.draw, data.draw(terraform_modules()))


@SETTINGS
@given(st.data())
def test_pulumi_and_cdk_programs(data):
    _source_case(data.draw, data.draw(python_programs()))


@settings(max_examples=max(EXAMPLES // 3, 3), deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.data())
def test_the_cli_never_exits_2_for_content(data):
    draw = data.draw
    files = {"deploy/app.yaml": _mutate_text(draw, _yaml(draw(kubernetes_objects()))),
             "docker-compose.yaml": _mutate_text(draw, _yaml([draw(compose_files())])),
             "template.json": _mutate_text(draw, _json(draw(cloudformation_templates()))),
             "architecture.yaml": _mutate_text(draw, _yaml([draw(service_graphs())]))}
    files.update({name: _mutate_text(draw, text) for name, text in draw(terraform_modules()).items()})
    with tempfile.TemporaryDirectory() as directory:
        for name, content in files.items():
            (Path(directory) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(directory) / name).write_bytes(content)
        done = run_cli("check", ".", "--format", "json", "--no-cache", cwd=Path(directory))
    assert done.returncode in (0, 1), done.stderr.decode(errors="replace")[-2000:]
    assert b"Traceback" not in done.stderr and json.loads(done.stdout)["findings"] is not None


_POLICIES = sorted(p for p in (Path(__file__).resolve().parents[2] / "policies").rglob("*.yaml")
                   if "examples" not in p.parts)


@SETTINGS
@given(st.data())
def test_built_in_policies_mutated_are_a_policy_error_or_run_cleanly(data):
    from archlint.rules.policy.load import PolicyError, load_file
    from tests.policy.test_properties import _demo

    source = data.draw(st.sampled_from(_POLICIES))
    document = _mutate_data(data.draw, yaml.safe_load(source.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "p.yaml"
        path.write_bytes(_mutate_text(data.draw, _yaml([document])))
        try:
            rules = load_file(path, "p.yaml")
        except PolicyError as error:
            assert error.errors and all(e.startswith("p.yaml") for e in error.errors), error.errors
            return
    for rule in rules:
        list(rule.check(_demo(), {}))
