"""chidao: directives cascaded down the chain of units as tracked runs, reports added back up.

The repository root is the `chidao` package: each top folder is one of its rooms (chidao.domain,
chidao.flows, ...), and the rooms import one another relatively (`from ..domain import ...`).
"Where things live" in README.md draws the rooms in layer order.
"""
