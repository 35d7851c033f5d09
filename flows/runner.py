"""Run a flow as a tracked Prefect run when a Prefect server is configured, else in-process.

One-shot commands and the embedded scheduler must not wait ~8 s for an ephemeral Prefect
server: without PREFECT_API_URL the flow's function runs directly (same code, no tracking).
"""

from __future__ import annotations

import os
from typing import Any


def run_flow(flow: Any, **parameters: Any) -> Any:
    if os.environ.get("PREFECT_API_URL"):
        return flow(**parameters)
    return flow.fn(**parameters)
