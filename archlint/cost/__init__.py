"""The offline cost estimate: monthly cost per node and per data flow from the catalog, the user's prices and
usage assumptions. Pure: it reads the model and never a file."""

from archlint.cost.estimate import compute, estimate, price_one, priced_catalog, team_of
from archlint.cost.lines import EdgeCost, Estimate, Line, NodeCost

__all__ = ["EdgeCost", "Estimate", "Line", "NodeCost", "compute", "estimate", "price_one", "priced_catalog", "team_of"]
