"""Organisation tree checks name the line that is wrong."""

import pytest

from chidao.domain.errors import InvalidInput
from chidao.domain.unit_tree import UnitRow, compute_paths, validate_rows


def row(line: int, code: str, parent: str | None, kind: str = "school") -> UnitRow:
    return UnitRow(line=line, code=code, name=f"Đơn vị {code}", kind=kind, parent=parent)


def test_a_valid_tree_passes():
    validate_rows([row(1, "S", None, "department"), row(2, "X", "S"), row(3, "T", "X", "team")], {})


@pytest.mark.parametrize(("rows", "existing", "line", "field"), [
    ([row(1, "S", None), row(2, "S", None)], {}, 2, "code"),
    ([row(1, "S", None), row(2, "X", "NOPE")], {}, 2, "parent"),
    ([row(1, "A", "B"), row(2, "B", "A")], {}, 1, "parent"),
    ([row(4, "A", "A")], {}, 4, "parent"),
    ([row(3, "OLD", "NEW"), row(5, "NEW", "OLD2")], {"OLD": None, "OLD2": "OLD"}, 3, "parent"),
    ([row(1, "S", None, "galaxy")], {}, 1, "kind"),
])
def test_bad_rows_are_rejected_with_their_line(rows, existing, line, field):
    with pytest.raises(InvalidInput) as exc:
        validate_rows(rows, existing)
    assert (exc.value.line, exc.value.field) == (line, field)


def test_a_parent_already_in_the_database_is_known():
    validate_rows([row(7, "X", "SGDDT-AG")], {"SGDDT-AG": None})


def test_paths_and_depths():
    assert compute_paths({1: None, 2: 1, 3: 2, 4: 1}) == {
        1: ("/1/", 0), 2: ("/1/2/", 1), 3: ("/1/2/3/", 2), 4: ("/1/4/", 1)}
