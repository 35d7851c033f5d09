"""The read-side rule: whose figures and texts a reader may see on a directive's cascade.

A reader sees its own unit and everything below it; the issuer of a directive and the units
above the issuer see that directive's whole cascade. Both cases are one subtree, so the rule
answers with the unit at the top of what the reader may see (pure: paths in, path out)."""

from __future__ import annotations


def in_subtree(path: str, of_path: str) -> bool:
    """Is the unit at `path` the unit at `of_path` or below it?"""
    return path.startswith(of_path)


def visible_top(reader_path: str, issuer_path: str) -> str:
    """The path of the subtree whose figures the reader at `reader_path` may see on a
    directive issued at `issuer_path`: the issuer's when the reader is the issuer or above it,
    otherwise the reader's own."""
    return issuer_path if in_subtree(issuer_path, reader_path) else reader_path


def may_see_figures(reader_path: str, issuer_path: str, unit_path: str) -> bool:
    """May the reader see this unit's figures on the directive's cascade?"""
    return in_subtree(unit_path, visible_top(reader_path, issuer_path))
