"""The Backstage loader: entity refs, kinds from types, APIs as calls, dependsOn and dependencyOf, merging."""

from __future__ import annotations

import pytest

from archlint.loaders.backstage import parse_ref
from archlint.model import EdgeKind, NodeKind
from archlint.model.build import LINK_KEY

CATALOG = """\
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata:
  name: commerce
spec:
  owner: group:commerce-leads
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: checkout
  description: Everything between the basket and the receipt
spec:
  owner: team-payments
  domain: commerce
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: storefront
  annotations:
    backstage.io/kubernetes-id: storefront-web
  tags: [react]
spec:
  type: website
  lifecycle: production
  owner: group:web-team
  system: checkout
  consumesApis:
    - cart-api
    - api:payments/payments-events
  dependsOn:
    - component:ui-kit
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart
spec:
  type: service
  lifecycle: production
  owner: team-cart
  system: checkout
  providesApis: [cart-api]
  dependsOn:
    - resource:cart-db
    - Component:payments/Ledger
    - session-cache
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger
  namespace: payments
spec:
  type: service
  lifecycle: experimental
  owner: user:default/alice
  providesApis:
    - payments-events
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ui-kit
spec:
  type: library
  lifecycle: production
  owner: web-team
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: cart-api
spec:
  type: openapi
  lifecycle: production
  owner: team-cart
  definition: |
    openapi: 3.0.0
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: payments-events
  namespace: payments
spec:
  type: asyncapi
  lifecycle: production
  owner: team-payments
  definition: "asyncapi: 2.6.0"
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: cart-db
spec:
  type: database
  owner: team-cart
  system: checkout
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: session-cache
spec:
  type: cache
  owner: team-cart
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: audit-bucket
  namespace: payments
spec:
  type: s3-bucket
  owner: team-payments
  dependencyOf:
    - component:ledger
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: vault
spec:
  type: secrets-manager
  owner: platform
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: web-team
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: alice
spec:
  memberOf: [team-payments]
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: more
spec:
  targets: [./teams/*.yaml]
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: new-service
spec:
  owner: platform
  type: service
  steps: []
"""


def line(needle: str, after: str = "") -> int:
    """1-based line of the first line containing `needle` after the first line containing `after`."""
    lines = CATALOG.splitlines()
    start = next(i for i, content in enumerate(lines) if after in content)
    return next(i for i, content in enumerate(lines[start:], start + 1) if needle in content)


@pytest.fixture
def catalog(load_yaml):
    return load_yaml({"catalog-info.yaml": CATALOG})


@pytest.mark.parametrize(("ref", "default_kind", "expected"), [
    ("component:default/cart", None, ("component", "default", "cart")),
    ("Component:Payments/Ledger", None, ("component", "payments", "ledger")),
    ("cart-api", "api", ("api", "shop", "cart-api")),
    ("payments/ledger", "component", ("component", "payments", "ledger")),
    ("session-cache", None, (None, "shop", "session-cache")),  # dependsOn has no default kind
    ("ns/odd:name", None, (None, "ns", "odd:name")),  # a `/` before the `:`: the rest is the name
    ("kind:ns/odd:name", None, ("kind", "ns", "odd:name")),
    ({"kind": "Resource", "name": "cart-db"}, None, ("resource", "shop", "cart-db")),
    (":cart", None, None), ("ns/", None, None), ("", None, None), (None, "group", None), (42, None, None),
])
def test_entity_refs_are_parsed_as_backstage_parses_them(ref, default_kind, expected):
    assert parse_ref(ref, default_kind, "shop") == expected


def test_components_and_resources_are_nodes_other_kinds_are_not(catalog):
    model = catalog.model
    assert {c.id: c.kind for c in model.components()} == {
        "backstage:default/component/storefront": NodeKind.SERVICE,
        "backstage:default/component/cart": NodeKind.SERVICE,
        "backstage:payments/component/ledger": NodeKind.SERVICE,
        "backstage:default/resource/cart-db": NodeKind.DATASTORE,
        "backstage:default/resource/session-cache": NodeKind.CACHE,
        "backstage:payments/resource/audit-bucket": NodeKind.DATASTORE,
        "backstage:default/resource/vault": NodeKind.EXTERNAL,  # a type archlint has no kind for
    }
    assert catalog.stats["documents.backstage"] == 16 and "documents.kubernetes" not in catalog.stats
    assert not catalog.findings


def test_component_facts(catalog):
    storefront = catalog.model.component("backstage:default/component/storefront")
    assert (storefront.name, storefront.source) == ("storefront", "backstage")
    assert storefront.span.line == line("apiVersion", "  domain: commerce")
    assert storefront.user_facing is True and storefront.owner == "web-team"
    assert storefront.attrs["system"] == "checkout" and storefront.attrs["domain"] == "commerce"
    assert storefront.attrs["lifecycle"] == "production" and storefront.attrs["owner_ref"] == "group:default/web-team"
    assert storefront.annotations[LINK_KEY] == "storefront-web"
    assert storefront.attrs["libraries"] == ["ui-kit"]  # a library runs inside its dependents: no node
    assert storefront.at("owner").line == line("owner: group:web-team")
    ledger = catalog.model.component("backstage:payments/component/ledger")
    assert ledger.owner == "user:alice" and ledger.attrs["entity_ref"] == "component:payments/ledger"
    assert catalog.model.component("backstage:default/resource/cart-db").attrs["kind_declared"] is True
    assert "kind_declared" not in storefront.attrs  # `website` is a guess another format may correct


def test_consumed_apis_are_calls_to_their_providers_with_the_mode_of_the_api_type(catalog):
    model = catalog.model
    calls = {d.target: d for d in model.outgoing("backstage:default/component/storefront", [EdgeKind.CALLS])}
    cart = calls["backstage:default/component/cart"]
    assert (cart.mode, cart.origin, cart.evidence) == ("sync", "declared", "consumesApis api:cart-api, provided by cart")
    assert cart.span.line == line("consumesApis:")
    events = calls["backstage:payments/component/ledger"]  # the provider's namespace defaults to its own
    assert (events.mode, events.evidence) == ("async", "consumesApis api:payments/payments-events, provided by ledger")


def test_depends_on_refs_in_every_form_and_dependency_of_reversed(catalog):
    model = catalog.model
    deps = {d.target: d for d in model.outgoing("backstage:default/component/cart", [EdgeKind.DEPENDS_ON])}
    assert set(deps) == {"backstage:default/resource/cart-db", "backstage:payments/component/ledger",
                         "backstage:default/resource/session-cache"}  # bare name resolved among Components, Resources
    assert deps["backstage:payments/component/ledger"].evidence == "dependsOn component:payments/ledger"
    assert {d.mode for d in deps.values()} == {None}
    assert deps["backstage:default/resource/cart-db"].span.line == line("dependsOn:", "name: cart")
    [reverse] = model.outgoing("backstage:payments/component/ledger", [EdgeKind.DEPENDS_ON])
    assert reverse.target == "backstage:payments/resource/audit-bucket"
    assert reverse.evidence == "dependencyOf component:payments/ledger" and reverse.span.line == line("dependencyOf:")


def test_kubernetes_id_annotation_merges_with_the_workload(load_yaml):
    deployment = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: storefront-web, namespace: shop}
spec:
  replicas: 2
  template: {spec: {containers: [{name: web, image: ghcr.io/acme/storefront:3}]}}
"""
    model = load_yaml({"catalog-info.yaml": CATALOG, "k8s/web.yaml": deployment}).model
    web = model.component("shop/storefront-web")
    assert "backstage:default/component/storefront" not in model
    assert (web.owner, web.attrs["system"], web.user_facing, web.replicas) == ("web-team", "checkout", True, 2)
    assert {d.target for d in model.outgoing("shop/storefront-web", [EdgeKind.CALLS])} == {
        "backstage:default/component/cart", "backstage:payments/component/ledger"}


def test_a_dependency_outside_the_catalog_links_by_name_to_another_format(load_yaml):
    catalog = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: search}
spec: {type: service, owner: team-search, dependsOn: ["resource:search-index", "system:elsewhere"]}
"""
    statefulset = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: search-index}
spec: {template: {spec: {containers: [{name: es, image: elasticsearch:8.14.0}]}}}
"""
    model = load_yaml({"catalog-info.yaml": catalog, "k8s/es.yaml": statefulset}).model
    [dep] = model.outgoing("backstage:default/component/search")
    assert (dep.target, dep.kind) == ("default/search-index", EdgeKind.DEPENDS_ON)
    missing = load_yaml({"catalog-info.yaml": catalog.replace("search-index", "search-idx")})
    assert [(f.rule, f.line) for f in missing.findings] == [("IN002", 4)]


def test_other_documents_are_not_taken(load_yaml):
    result = load_yaml({"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: backstage}\n",
                        "b.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Environment\nmetadata: {name: dev}\n"})
    assert result.stats["documents.kubernetes"] == 1 and result.stats["documents.backstage"] == 1
    assert len(result.model) == 0
