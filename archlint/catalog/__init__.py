"""The offline price catalog shared by every part of archlint that talks money; it never calls a pricing API."""

from archlint.catalog.prices import Catalog, Price, catalog

__all__ = ["Catalog", "Price", "catalog"]
