"""Who does an action: the unit it is done for, the person, and, when a delegate acts, the
person whose rights they hold. Built by chidao.services.acting from a signed-in user (web,
API) or for the command line; passed to the use cases, which record it."""

from __future__ import annotations

from dataclasses import dataclass

from .accounts import Role
from .permissions import OPERATOR


@dataclass(frozen=True)
class Actor:
    unit_code: str
    person: str = ""  # full name of who acted; "" = chidao itself
    on_behalf_of: str = ""  # full name of the delegator, when a delegate acted
    title: str = ""  # "KT." / "Q." when a delegate acted
    role: Role = OPERATOR  # the rights acted with (the delegator's, for a delegate)
    user_id: int | None = None  # None: the command line or chidao itself

    @property
    def behalf(self) -> str:
        """What the records' on_behalf_of column holds: "KT. Trần Thị A" ("" = for oneself)."""
        return f"{self.title} {self.on_behalf_of}".strip() if self.on_behalf_of else ""

    @property
    def signed(self) -> str:
        """The person as a record shows them: "Lê Văn B (KT. Trần Thị A)"."""
        return f"{self.person} ({self.behalf})" if self.behalf else self.person


def command_line(unit_code: str, person: str = "") -> Actor:
    """The operator at the command line, acting for `unit_code` (person as given, if any)."""
    return Actor(unit_code=unit_code, person=person or "dòng lệnh (quản trị)")
