"""An SMTP server that accepts and discards mail, optionally taking `delay` seconds per message
(to stand for a remote relay's latency). Usage: python bench/smtp_sink.py PORT [DELAY_MS]"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, delay: float) -> None:
        self.delay = delay

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"


def main() -> None:
    port, delay_ms = int(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    controller = Controller(Sink(delay_ms / 1000), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
