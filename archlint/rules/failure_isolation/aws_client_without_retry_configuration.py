"""Application code makes an AWS client without a retry configuration.

What it flags: in the Python code of a component's source directory, `boto3.client(...)`, `boto3.resource(...)`,
a boto3 session's `client`/`resource` or a botocore session's `create_client` without `config=`, or whose
`botocore.config.Config` (written in the call, or a name bound once to one) sets no `retries`. A configuration
archlint cannot follow (a parameter, `base.merge(other)`) is not flagged. The `AWS_RETRY_MODE` and
`AWS_MAX_ATTEMPTS` environment variables and the AWS config file are not visible in the code: a client relying on
them is flagged, and a suppression with that reason is the answer.
Why it matters: without a configuration botocore uses its legacy retry mode: five attempts with exponential
backoff, but only on a short list of errors and with no retry quota, so during an AWS service event every client
keeps retrying at full strength and adds to the throttling it is waiting out; the behaviour also changes with the
environment the code happens to run in.
How to fix: state the policy where the client is made: `boto3.client("s3", config=Config(retries={"mode":
"standard", "max_attempts": 3}))` (standard mode retries more transient errors and stops when its retry quota is
spent; `adaptive` also rate-limits the client), and reuse one client per service.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import Span
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI032", name="aws-client-without-retry-configuration",
    title="AWS client without a retry configuration in application code",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.INFO)


def check(model, options):
    for component in model.components():
        for client in component.attrs.get("code_aws_clients_without_retries", ()):
            made = f"{client['call']}({client['service']!r})" if client.get("service") else client["call"]
            yield finding(META, component, f"{made} {client['detail']} in {component.name}'s code: botocore's "
                          "legacy retries apply unless the environment says otherwise",
                          "Pass config=Config(retries={'mode': 'standard', 'max_attempts': 3}).",
                          span=Span(client["file"], client["line"]), key=client["key"])
