"""Reads the price file and the usage-assumptions file named in `cost:` of the configuration.

Both are configuration: a file that does not parse or validate is reported with every error (file, line, path)
and stops the run, as a bad `.archlint.yaml` does."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the CLI imports CostFileError on every run: the catalog only when a price file is read
    from archlint.catalog import Price
    from archlint.model.economics import Discount


class CostFileError(Exception):
    """One of the cost files is invalid; `errors` holds `file:line: path: message` lines."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def read_prices(path: Path, name: str) -> tuple[tuple[Price, ...], tuple[Discount, ...]]:
    from archlint.catalog import Price
    from archlint.model.economics import Discount

    data = _validated(path, name, "prices.schema.json")
    rows = tuple(Price(str(r["provider"]), str(r["family"]), str(r["item"]), str(r["unit"]), float(r["usd"]),
                       f"{r['source']} ({name})", "") for r in data.get("rows", ()))
    discounts = tuple(Discount(float(d["percent"]), f"{d['source']}, {name}", d.get("provider"), d.get("family"))
                      for d in data.get("discounts", ()))
    return rows, discounts


def read_usage(path: Path, name: str) -> dict[str, dict[str, Any]]:
    data = _validated(path, name, "usage-assumptions.schema.json")
    return {str(k): dict(v) for k, v in data["resource_usage"].items()}


def _validated(path: Path, name: str, schema_name: str) -> Any:
    from archlint.loaders.yamlsource import ParseError, parse_yaml
    from archlint.validation import validate

    try:
        documents = parse_yaml(path.read_bytes(), name)
    except OSError as error:
        raise CostFileError([f"{name}: cannot read: {error.strerror or error}"]) from None
    except ParseError as error:
        raise CostFileError([f"{name}:{error.line}: {error.message}"]) from None
    data = documents[0].data if documents else None
    if not isinstance(data, dict):
        raise CostFileError([f"{name}:1: expected a mapping ({schema_name})"])
    errors = validate(data, schema_name)
    if errors:
        raise CostFileError([f"{name}:{e.line}: {e.path}: {e.message}" for e in errors])
    return data
