"""Terraform modules (one directory each) and their instances: variables bound, locals and outputs evaluated lazily."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archlint.loaders import budget
from archlint.loaders.cloud import UNKNOWN
from archlint.loaders.terraform.evaluate import Binding, Evaluator, Targets
from archlint.loaders.terraform.origins import hop, where
from archlint.loaders.terraform.resolve import Context
from archlint.loaders.terraform.syntax import Block, HclFile, attribute_name, attribute_value, items, line, text
from archlint.model import Span

#: Arguments of a `module` block that are not the child's variables.
MODULE_META = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})
_NOTHING: tuple[Any, Targets] = (UNKNOWN, ())
#: An instance's memo: not worked out yet, or being worked out (a reference back to it is a cycle).
_ABSENT, _PENDING = object(), object()


@dataclass(frozen=True, slots=True)
class Input:
    """A variable's value as given: the attribute (a module call's argument, a tfvars line), the instance it is
    evaluated in (None: the module itself, for tfvars), its file, the call's `each`, and what the place is."""

    owner: "Instance | None"
    node: Any
    file: str
    binding: Binding | None = None
    #: The call whose argument it is (for the note of its place in a chain, made only when asked for).
    call: str = ""


class Arguments:
    """A module call's arguments as the inputs of one of its instances: the Input of a variable is made when it is
    first asked for (a call's arguments share their caller, file and `each`)."""

    __slots__ = ("owner", "block", "binding", "call")

    def __init__(self, owner: "Instance", block: Block, binding: Binding | None, call: str) -> None:
        self.owner, self.block, self.binding, self.call = owner, block, binding, call

    def get(self, name: str) -> Input | None:
        node = self.block.args.get(name)
        if node is None or name in MODULE_META:
            return None
        return Input(self.owner, node, self.block.file, self.binding, self.call)


@dataclass
class Module:
    """What one directory declares, and the variable files that set its root variables (lowest precedence first)."""

    directory: str
    #: The directory on disk (None for standard input): local sources are resolved from here.
    disk: str | None = None
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, tuple[Any, str]] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    resources: dict[str, Block] = field(default_factory=dict)
    calls: dict[str, Block] = field(default_factory=dict)
    providers: list[Block] = field(default_factory=list)
    tfvars: list[HclFile] = field(default_factory=list)
    files: list[HclFile] = field(default_factory=list)

    def add(self, parsed: HclFile) -> None:
        self.files.append(parsed)
        for block in parsed.blocks:
            labels = block.labels
            if block.kind == "resource" and len(labels) == 2:
                self.resources.setdefault(f"{labels[0]}.{labels[1]}", block)
            elif block.kind == "variable" and labels:
                self.variables.setdefault(labels[0], block)
            elif block.kind == "locals":
                for node in items(block.body):
                    if node.type == "attribute":
                        self.locals.setdefault(attribute_name(node), (node, block.file))
            elif block.kind == "output" and labels:
                self.outputs.setdefault(labels[0], block)
            elif block.kind == "module" and labels:
                self.calls.setdefault(labels[0], block)
            elif block.kind == "provider" and labels:
                self.providers.append(block)


def arguments(block: Block) -> dict[str, Any]:
    """The attributes of a block's body by name."""
    return block.args


@dataclass(frozen=True, slots=True)
class Provider:
    """What archlint takes from a provider configuration: its region and the tags it adds to every resource."""

    region: str | None = None
    default_tags: tuple[tuple[str, Any], ...] = ()


class Instance:
    """One instance of a module: the root, or a `module` call with its arguments bound as variables."""

    __slots__ = ("module", "prefix", "inputs", "chain", "multiplier", "context", "path", "root", "calls", "_memo",
                 "_children", "providers")

    def __init__(self, module: Module, prefix: str, inputs: dict[str, Input] | Arguments,
                 inherited: dict[str, Provider], chain: tuple[str, ...], multiplier: Any,
                 context: Context, path: tuple[str, ...] = (), root: Module | None = None,
                 calls: tuple[Span, ...] = ()) -> None:
        self.module = module
        self.prefix = prefix
        self.inputs = inputs
        self.chain = chain
        #: How many times the module is instantiated (`count`/`for_each` on the calls above it): 1, int or UNKNOWN.
        self.multiplier = multiplier
        self.context = context
        #: The names of the calls from the root module down to this instance (modules.json's `Key`, split).
        self.path = path
        #: The root module, where `terraform init` runs.
        self.root = root or module
        #: The `module` blocks that made this instance, nearest first (a resource's span goes through them).
        self.calls = calls
        #: What the instance's variables, locals, outputs and origins are, once worked out (_PENDING meanwhile).
        self._memo: dict[tuple[Any, ...], Any] = {}
        self._children: dict[str, list[Instance]] = {}
        self.providers = dict(inherited) if module.providers else inherited  # a call's instances share it
        for block in module.providers:
            alias = self.evaluate(arguments(block).get("alias"), block.file)[0]
            key = f"{block.labels[0]}.{alias}" if isinstance(alias, str) else block.labels[0]
            self.providers[key] = self._provider(block)

    @property
    def label(self) -> str:
        """The instance's module address (`module.db`, `module.app["web"]`), "" for the root."""
        return self.prefix[:-1]

    def note(self, what: str) -> str:
        return f"{self.label}: {what}" if self.label else what

    # ---- the Environment the evaluator asks ------------------------------------------------------------------

    def variable(self, name: str) -> tuple[Any, Targets]:
        if name not in self.module.variables:
            return _NOTHING
        return self._cached(("var", name), lambda: self._variable(name))

    def _variable(self, name: str) -> tuple[Any, Targets]:
        given = self.inputs.get(name)
        if given is not None:
            return (given.owner or self).evaluate(given.node, given.file, given.binding)
        block = self.module.variables[name]
        return self.evaluate(arguments(block).get("default"), block.file)

    def local(self, name: str) -> tuple[Any, Targets]:
        if name not in self.module.locals:
            return _NOTHING
        node, file = self.module.locals[name]
        return self._cached(("local", name), lambda: self.evaluate(node, file))

    def module_output(self, call: str, name: str) -> tuple[Any, Targets]:
        child = self.child(call)
        return child.output(name) if child is not None else _NOTHING

    def resource(self, kind: str, name: str) -> str | None:
        key = f"{kind}.{name}"
        return self.prefix + key if key in self.module.resources else None

    # ---- where values are written (origins) ----------------------------------------------------------------------

    def variable_origin(self, name: str, path: tuple[Any, ...]) -> Span | None:
        block = self.module.variables.get(name)
        if block is None:
            return None

        def compute() -> Span | None:
            given = self.inputs.get(name)
            if given is not None:
                origin = where(Evaluator(given.owner or self, given.file, given.binding), attribute_value(given.node),
                               path)
                if given.owner is None:  # a tfvars line: the origin itself
                    return origin
                note = given.owner.note(f'module "{given.call}" argument {name}')
                return hop(origin, Span(given.file, line(given.node), note=note))
            default = arguments(block).get("default")
            if default is None:
                return None
            return where(Evaluator(self, block.file), attribute_value(default), path)

        return self._cached(("var-origin", name, path), compute)

    def local_origin(self, name: str, path: tuple[Any, ...]) -> Span | None:
        if name not in self.module.locals:
            return None
        node, file = self.module.locals[name]
        return self._cached(("local-origin", name, path), lambda: hop(
            where(Evaluator(self, file), attribute_value(node), path),
            Span(file, line(node), note=self.note(f"local.{name}"))))

    def output_origin(self, call: str, name: str, path: tuple[Any, ...]) -> Span | None:
        child = self.child(call)
        block = child.module.outputs.get(name) if child is not None else None
        value = arguments(block).get("value") if block is not None else None
        if value is None:
            return None
        return self._cached(("output-origin", call, name, path), lambda: hop(
            where(Evaluator(child, block.file), attribute_value(value), path),
            Span(block.file, line(value), note=child.note(f'output "{name}"'))))

    # ---- the rest ----------------------------------------------------------------------------------------------

    def output(self, name: str) -> tuple[Any, Targets]:
        block = self.module.outputs.get(name)
        if block is None:
            return _NOTHING
        return self._cached(("output", name), lambda: self.evaluate(arguments(block).get("value"), block.file))

    def evaluate(self, attribute: Any, file: str, binding: Binding | None = None) -> tuple[Any, Targets]:
        """An attribute's value and the resources it refers to; (UNKNOWN, ()) for an absent one. None when it is
        given as `null`."""
        if attribute is None:
            return _NOTHING
        evaluator = Evaluator(self, file, binding)
        value = evaluator.attribute(attribute)
        refs = evaluator.refs
        return value, (tuple(dict.fromkeys(target for target, _ in refs)) if refs else ())

    def reached(self) -> set[str]:
        """The directories of this instance and of every module instance expanded below it so far."""
        found = {self.module.directory}
        for children in self._children.values():
            for child in children:
                found |= child.reached()
        return found

    def provider(self, key: str) -> Provider:
        return self.providers.get(key) or Provider()

    def child(self, call: str) -> Instance | None:
        """The instance of a module call made once (no `for_each` over a known collection), else None."""
        found = self.children(call)
        return found[0] if len(found) == 1 and not found[0].prefix.endswith("].") else None

    def children(self, call: str) -> list[Instance]:
        """The instances of a module call: one, or one per key of a `for_each` over a known map or set; none when
        its module cannot be read (the context says why, once)."""
        if call in self._children:
            return self._children[call]
        self._children[call] = []
        block = self.module.calls.get(call)
        if block is None:
            return []
        module = self.context.resolve(self, call, block)
        if module is None:
            return []
        self.context.stats["terraform.modules"] += 1
        args = arguments(block)
        inherited = {k: v for k, v in self.providers.items() if "." not in k}
        mapping = attribute_value(args["providers"]) if "providers" in args else None
        for element in _object_elements(mapping):
            key, value = (text(element.child_by_field_name(f)).strip().strip('"') for f in ("key", "val"))
            inherited[key] = self.provider(value)
        expanded = list(instances(self, args, block.file))
        try:
            budget.current().instance(len(expanded))
        except budget.OverBudget as error:  # 19 directories each calling the next one twice are 262,144 instances
            budget.current().exceeded(error, block.file, block.line,
                                      f"module.{call} and the calls after it are not expanded")
            return []
        made = []
        for suffix, binding, times in expanded:
            multiplier = UNKNOWN if UNKNOWN in (times, self.multiplier) else self.multiplier * times
            prefix = f"{self.prefix}module.{call}{suffix}."
            where_called = Span(block.file, block.line, note=self.note(f'module "{call}"'))
            made.append(Instance(module, prefix, Arguments(self, block, binding, call), inherited, (*self.chain, module.directory), multiplier,
                                 self.context, (*self.path, call), self.root, (where_called, *self.calls)))
        self._children[call] = made
        return made

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        memo = self._memo
        found = memo.get(key, _ABSENT)
        if found is _PENDING:  # a cycle (local.a = local.b, local.b = local.a): Terraform rejects it
            return None if key[0].endswith("-origin") else _NOTHING
        if found is not _ABSENT:
            return found
        memo[key] = _PENDING
        try:
            found = memo[key] = compute()
        finally:
            if memo.get(key) is _PENDING:  # compute raised: nothing is known of it
                del memo[key]
        return found

    def _provider(self, block: Block) -> Provider:
        args = arguments(block)
        region = self.evaluate(args.get("region") or args.get("location"), block.file)[0]
        if not isinstance(region, str):
            zone = self.evaluate(args.get("zone"), block.file)[0]
            region = zone.rsplit("-", 1)[0] if isinstance(zone, str) and zone.count("-") >= 2 else None
        tags: tuple[tuple[str, Any], ...] = ()
        for node in items(block.body):
            if node.type == "block" and text(node.children[0]) == "default_tags":
                nested = {attribute_name(n): n for n in items(_body(node)) if n.type == "attribute"}
                value = self.evaluate(nested.get("tags"), block.file)[0]
                tags = tuple(value.items()) if isinstance(value, dict) else ()
        return Provider(region, tags)


def release_with(holder: object, roots: list[Instance]) -> None:
    """Once `holder` is gone, unlink the instances from `roots` down: a caller and the instances of its calls refer
    to each other (its arguments, their outputs), a cycle only the collector's rare full pass would free, long after
    the model whose deferred spans needed them. `holder` is what every such span keeps: the run's budget, held by
    each evaluator made while loading."""
    weakref.finalize(holder, _unlink, roots).atexit = False  # at exit, nothing needs freeing


def _unlink(roots: list[Instance]) -> None:
    pending = list(roots)
    while pending:
        instance = pending.pop()
        for children in instance._children.values():
            pending.extend(children)
        instance._children, instance._memo, instance.inputs = {}, {}, {}


def instances(instance: Instance, args: dict[str, Any], file: str,
              sets: bool = True) -> list[tuple[str, Binding | None, Any]]:
    """The instances a `count` or `for_each` makes, as (address suffix, binding, how many): `["key"]` with `each`
    bound for each key of a known for_each (of a set's elements too when `sets`; else a set is one entry
    standing for its size); one with `count.index` bound for `count = 1`; otherwise one entry standing for
    `count` instances (an int, or UNKNOWN) with nothing bound."""
    if "for_each" in args:
        node = args["for_each"]
        collection = instance.evaluate(node, file)[0]
        if isinstance(collection, list) and not sets:
            return [("", None, len(collection))]
        if isinstance(collection, list) and all(isinstance(v, str) for v in collection):
            collection = {v: v for v in collection}  # a set of strings: each.key and each.value are the element
        if not isinstance(collection, dict):
            return [("", None, UNKNOWN)]
        made = []
        for key in sorted(collection):
            made.append((f'["{key}"]', each_binding(instance, node, file, key, collection[key]), 1))
        return made
    count = instance_count(instance, args, file)
    if count == 1:
        place = Span(file, line(args["count"]))
        return [("", Binding({"count": {"index": 0}}, {"count": lambda path: place}), 1)]
    return [("", None, 1 if count is None else count)]


def each_binding(instance: Instance, node: Any, file: str, key: str, value: Any) -> Binding:
    """`each` of one key of a for_each: each.value is written where the collection's element is."""
    expression = attribute_value(node)
    place = Span(file, line(node))

    def origin(path: tuple[Any, ...]) -> Span:
        if path and path[0] == "value":
            return hop(where(Evaluator(instance, file), expression, (key, *path[1:])), place)
        return place

    return Binding({"each": {"key": key, "value": value}}, {"each": origin})


def instance_count(instance: Instance, args: dict[str, Any], file: str) -> Any:
    """The instances `count` or `for_each` make: None when neither is set, an int, or UNKNOWN."""
    if "count" in args:
        value = instance.evaluate(args["count"], file)[0]
        if isinstance(value, bool):
            return UNKNOWN
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        return value if isinstance(value, int) and value >= 0 else UNKNOWN
    if "for_each" in args:
        value = instance.evaluate(args["for_each"], file)[0]
        return len(value) if isinstance(value, (dict, list)) else UNKNOWN
    return None


def _body(node: Any) -> Any:
    return next((c for c in node.children if c.type == "body"), None)


def _object_elements(expression: Any) -> list[Any]:
    """The elements of an expression that is an object literal (`{ aws = aws.west }`), else none."""
    if expression is None or not expression.children or expression.children[0].type != "collection_value":
        return []
    value = expression.children[0].children[0]
    return [c for c in value.children if c.type == "object_elem"] if value.type == "object" else []
