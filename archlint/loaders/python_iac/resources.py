"""Turns the resource constructor calls of Pulumi and CDK programs into CloudResources, in Terraform's vocabulary."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import libcst as cst

from archlint.loaders.cloud import UNKNOWN, CloudResource
from archlint.loaders.python_iac import cdk, pulumi
from archlint.loaders.python_iac.construct import Call, OpenProps, Translate
from archlint.loaders.python_iac.evaluate import Program
from archlint.loaders.python_iac.scan import Site, SourceModule
from archlint.model import Span

FAMILIES = (pulumi, cdk)


@dataclass
class _Found:
    site: Site
    source: str
    qualname: str
    translate: Translate
    name: str
    address: str


def resources(modules: list[SourceModule]) -> tuple[list[CloudResource], dict[str, tuple[tuple[int, int], ...]]]:
    """Every resource the modules declare, with its attributes, count and references; and per file, the
    (first line, last line) of each resource call."""
    program = Program(modules, {k: v for f in FAMILIES for k, v in f.CALLS.items()},
                      {k: v for f in FAMILIES for k, v in f.ENUMS.items()})
    sites = [site for module in modules for site in module.sites]
    found: list[_Found] = []
    rest = []
    for site in sites:
        qualname = program.qualname(site.call.func, site.scope)
        family = next(((f, t) for f in FAMILIES if qualname and (t := f.lookup(qualname))), None)
        if family is None:
            rest.append(site)
            continue
        module, translate = family
        name = _name(program, site, 0 if module is pulumi else 1, "resource_name" if module is pulumi else "id")
        if module is pulumi:
            address = f"{pulumi.token(qualname)}::{name}"
        else:
            address = f"{site.cls}/{name}" if site.cls else name
        found.append(_Found(site, module.SOURCE, qualname, translate, name, address))
        program.resources[id(site.call)] = address
    related: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for site in rest:
        if isinstance(site.call.func, cst.Attribute):
            _method(program, site, found, related)
    out: list[CloudResource] = []
    blocks: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for item in found:
        out.extend(_resources(program, item, related))
        module = item.site.scope.module
        blocks[module.name].append((item.site.line, module.end_line(item.site.call)))
    return out, {name: tuple(sorted(ranges)) for name, ranges in blocks.items()}


def _name(program: Program, site: Site, position: int, keyword: str) -> str:
    args = site.call.args
    node = next((a.value for a in args if a.keyword is not None and a.keyword.value == keyword), None)
    positional = [a.value for a in args if a.keyword is None and not a.star]
    if node is None and len(positional) > position:
        node = positional[position]
    text = program.template(node, site.scope) if node is not None else None
    return text if text is not None else f"line{site.line}"


def _method(program: Program, site: Site, found: list[_Found], related: dict) -> None:
    """A method of a resource: one that adds a resource (`cluster.add_nodegroup_capacity`), or a relation between
    resources: `table.grant_read(fn)` (fn uses table), `fn.add_environment("DB", db.endpoint)` (fn uses db)."""
    owner = program.resource_of(site.call.func.value, site.scope)
    if owner is None:
        return
    method = site.call.func.attr.value
    owner_item = next((f for f in found if f.address == owner), None)
    translate = cdk.METHODS.get((owner_item.qualname, method)) if owner_item is not None else None
    if translate is not None:
        name = _name(program, site, 0, "id")
        address = f"{owner}/{name}"
        found.append(_Found(site, owner_item.source, method, translate, name, address))
        program.resources[id(site.call)] = address
        related[address].append((owner, site.line))
        return
    mentioned = [r for a in site.call.args for r in program.references(a.value, site.scope) if r[0] != owner]
    if method.startswith("grant") or (method.startswith("allow") and "from" in method):
        for address, _line in mentioned:
            related[address].append((owner, site.line))
    else:
        related[owner].extend((address, site.line) for address, _ in mentioned)


def _evaluate(program: Program, site: Site) -> Call:
    args, values, lines, spread_open = [], {}, {}, False
    for index, arg in enumerate(site.call.args):
        if arg.star == "**":
            spread = program.value(arg.value, site.scope)
            if isinstance(spread, dict):
                values.update(spread)
                lines.update({key: site.scope.module.line(arg) for key in spread})
            else:
                spread_open = True
        elif arg.star == "*":
            args.append(UNKNOWN)
        elif arg.keyword is None:
            args.append(program.value(arg.value, site.scope))
            _lines(arg.value, f"#{index}", site, lines)
        else:
            key = arg.keyword.value
            values[key] = program.value(arg.value, site.scope)
            lines[key] = site.scope.module.line(arg)
            _lines(arg.value, key, site, lines)
    return Call(program.qualname(site.call.func, site.scope) or "", args, values, lines, site.line, spread_open)


def _lines(node: cst.BaseExpression, prefix: str, site: Site, lines: dict[str, int]) -> None:
    """The line of each nested argument (`settings.availability_type`); a list's blocks share their prefix."""
    if isinstance(node, cst.Call):
        for arg in node.args:
            if arg.keyword is not None:
                path = f"{prefix}.{arg.keyword.value}"
                lines.setdefault(path, site.scope.module.line(arg))
                _lines(arg.value, path, site, lines)
    elif isinstance(node, cst.Dict):
        for element in node.elements:
            if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                key = element.key.evaluated_value
                if isinstance(key, str):
                    path = f"{prefix}.{key}"
                    lines.setdefault(path, site.scope.module.line(element))
                    _lines(element.value, path, site, lines)
    elif isinstance(node, (cst.List, cst.Tuple)):
        for element in node.elements:
            _lines(element.value, prefix, site, lines)


def _resources(program: Program, item: _Found, related: dict) -> list[CloudResource]:
    site = item.site
    file = site.scope.module.name
    call = _evaluate(program, site)
    loops = program.count(site)
    references = [ref for arg in site.call.args for ref in program.references(arg.value, site.scope)
                  if ref[0] != item.address]
    references += related.get(item.address, [])
    made = []
    for out in item.translate(call):
        address = f"{item.address}/{out.suffix}" if out.suffix else item.address
        resource = CloudResource(
            out.type, f"{item.name}/{out.suffix}" if out.suffix else item.name, address, item.source,
            Span(file, call.lines.get(out.at, site.line) if out.at else site.line),
            props=OpenProps(out.props) if call.open and not out.suffix else out.props,
            prop_spans={path: Span(file, line) for path, line in out.lines.items()},
            count=_times(loops, out.count), tags=_tags(out.props),
            region=out.props["region"] if isinstance(out.props.get("region"), str) else None)
        if out.suffix:
            resource.references = [(item.address, resource.span)] if out.refers_to_main else []
        else:
            resource.references = [(target, Span(file, line)) for target, line in references]
        made.append(resource)
    return made


def _times(loops: Any, count: Any) -> Any:
    """The loops' count times the construct's own (Aurora instances), UNKNOWN when either is not a number."""
    if count is not None and count is not UNKNOWN and (not isinstance(count, int) or isinstance(count, bool)):
        count = UNKNOWN
    if loops is None or count is None:
        return count if loops is None else loops
    if UNKNOWN in (loops, count) or not isinstance(count, int) or not isinstance(loops, int):
        return UNKNOWN
    return loops * count


def _tags(props: dict) -> dict[str, str]:
    tags = props.get("tags", props.get("labels"))
    return {k: v for k, v in tags.items() if isinstance(v, str)} if isinstance(tags, dict) else {}
