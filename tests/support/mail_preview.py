"""The mail preview page's scene: the web fixtures' two provinces, Cà Mau's units given
mailboxes, an admin in each Sở (quantri.so at SGDDT-AG, quantri.camau at SGDDT-CM)."""

from __future__ import annotations

from typing import Any

from chidao.db.database import transaction
from chidao.files.unit_files import parse_unit_yaml
from chidao.services.accounts import add_user
from chidao.services.units_import import import_units
from tests.support.cascade import at
from tests.web_fixtures import PASSWORD

T = "2026-03-20T07:35"  # a Friday morning: new tasks, reminders and urgings due
CA_MAU_MAIL = """
- {code: SGDDT-CM, name: Sở Giáo dục và Đào tạo tỉnh Cà Mau, kind: department, parent: BGDDT,
   symbol: SGDĐT, emails: [vanthu.sgddt@camau.gov.vn]}
- {code: UBND-TANTHANH, name: Ủy ban nhân dân phường Tân Thành, kind: people_committee,
   parent: SGDDT-CM, symbol: UBND, emails: [ubnd.tanthanh@camau.gov.vn]}
"""
ADMINS = {"quantri.so": "SGDDT-AG", "quantri.camau": "SGDDT-CM"}


def with_admins(web: Any, engine: Any) -> dict[str, Any]:
    """The admins, each signed in (a TestClient per username)."""
    with transaction(engine) as session:
        import_units(session, parse_unit_yaml(CA_MAU_MAIL), now=at("2026-02-01T08:00"))
        for username, unit in ADMINS.items():
            add_user(session, username=username, full_name=username, unit_code=unit,
                     role="admin", password=PASSWORD, now=at("2026-03-01T08:00"))
    return {name: web.client(name) for name in ADMINS}
