"""Use cases: each loads rows, asks the domain, and writes in the caller's one transaction."""

from .rollup_upkeep import register as _keep_rollups

_keep_rollups()
