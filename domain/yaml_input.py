"""YAML that a person or a program hands in, read at a bounded price: the size is checked
before parsing, aliases (`*name`, the "billion laughs" expansion) are refused, nesting is
capped, and a value the constructor cannot build (a 5,000-digit integer, a date in year 0)
becomes an InvalidInput naming the line instead of a traceback."""

from __future__ import annotations

from typing import Any

import yaml

from .errors import InvalidInput

MAX_DEPTH = 40  # a directive file nests about 6 deep; a units tree ~10


class BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and documents nested deeper than MAX_DEPTH."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, f"YAML aliases (*{event.anchor}) are not accepted: write the"
                " value out", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def check_size(text: str | bytes, max_bytes: int, field: str) -> None:
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > max_bytes:
        raise InvalidInput(field, f"too large ({size:,} bytes; at most {max_bytes:,})")


def compose_bounded(text: str, field: str, max_bytes: int) -> yaml.Node | None:
    """The node tree of `text` (one document), or InvalidInput for what is refused."""
    check_size(text, max_bytes, field)
    loader = BoundedLoader(text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _invalid(field, exc) from None
    finally:
        loader.dispose()


def construct_plain(node: yaml.Node, field: str) -> Any:
    """Plain data (dicts, lists, scalars) from a node composed by compose_bounded."""
    constructor = yaml.constructor.SafeConstructor()
    try:
        return constructor.construct_document(node)
    except yaml.YAMLError as exc:
        raise _invalid(field, exc) from None
    except (ValueError, OverflowError) as exc:  # int() past 4,300 digits, date(0, 1, 1)
        raise InvalidInput(field, f"value not accepted: {exc}",
                           line=node.start_mark.line + 1) from None


def load_bounded(text: str, field: str, max_bytes: int) -> Any:
    """safe_load with the price caps above."""
    node = compose_bounded(text, field, max_bytes)
    return None if node is None else construct_plain(node, field)


def _invalid(field: str, exc: yaml.YAMLError) -> InvalidInput:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return InvalidInput(field, f"not valid YAML: {problem}",
                        line=mark.line + 1 if mark is not None else None)


DIRECTIVE_MAX_BYTES = 1024 * 1024  # the largest real directive file is ~20 KB
UNITS_FILE_MAX_BYTES = 5 * 1024 * 1024  # a national tree of ~50,000 units is ~4 MB
VALUES_FILE_MAX_BYTES = 1024 * 1024
