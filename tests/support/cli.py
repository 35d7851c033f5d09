"""The `chidao` command in tests: the installed script (a real process) or the Typer app
in-process, and what a refusal looks like."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typer.testing import CliRunner

if TYPE_CHECKING:
    from tests.smtp_server import SmtpServer

CHIDAO = str(Path(sys.executable).parent / "chidao")  # the script the venv installed


def chidao(*args: str, **env: str) -> Any:
    """`chidao ARGS` in-process (CliRunner); never a traceback on the output."""
    from chidao.cli.main import app  # (only the tests that run the command load it)

    env = {"CHIDAO_DEBUG": "", **env}
    done = CliRunner().invoke(app, list(args), env=env)
    assert "Traceback" not in done.output
    return done


def refused(done: Any, *needles: str) -> str:
    """Exit code 2 and every needle in one `Error …` line."""
    assert done.exit_code == 2, (done.exit_code, done.output, done.exception)
    line = next(line for line in done.output.splitlines() if line.startswith("Error "))
    for needle in needles:
        assert needle in line, line
    return line


def chidao_env(db_url: str, smtp: SmtpServer, **extra: str) -> dict[str, str]:
    """The environment of a `chidao` process on `db_url` sending to `smtp` (no Prefect API)."""
    env = {**os.environ, "CHIDAO_DATABASE_URL": db_url, "CHIDAO_SMTP_HOST": "127.0.0.1",
           "CHIDAO_SMTP_PORT": str(smtp.port), "CHIDAO_SMTP_CONCURRENCY": "2", **extra}
    env.pop("PREFECT_API_URL", None)
    return env
