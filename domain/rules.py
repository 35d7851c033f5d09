"""The deployment's rules that change an answer (not how it is computed): one value, built from
the settings by the runtime (chidao.config.runtime) and handed to the use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True)
class Rules:
    # (month, day) the school year ends (kết thúc năm học): `due: end_of_school_year`.
    school_year_end: tuple[int, int]
    # A run is "sắp đến hạn" within this many working days of its deadline.
    due_soon_working_days: int
    # Mail leaves on working days between these local times; reminders fire at send_from.
    send_from: time
    send_until: time
