"""One settings class, read from the environment (prefix CHIDAO_) and an optional .env file.
Calendar maths and display are Vietnam's (chidao.domain.calendar.LOCAL_TZ): no time-zone setting."""

from __future__ import annotations

import calendar
import secrets
import socket
from datetime import time
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from ..domain.rules import Rules
from ..domain.yaml_input import (
    DIRECTIVE_MAX_BYTES,
    UNITS_FILE_MAX_BYTES,
    VALUES_FILE_MAX_BYTES,
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHIDAO_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///chidao.db"
    # Web requests holding a database connection at once (= the pool, = the server's threads);
    # a request waits at most db_wait_seconds for one, then gets "Hệ thống đang bận" (503).
    db_pool_size: int = Field(16, ge=1, le=200)
    db_wait_seconds: float = Field(10.0, gt=0, le=120)
    due_soon_working_days: int = Field(3, ge=0)
    # The day the school year ends (kết thúc năm học, 31/05 in the Ministry's khung kế hoạch
    # thời gian năm học): `due: end_of_school_year`. Not the year-end summary report (báo cáo
    # tổng kết năm học), which is `preset: edu_year_end`, due at the Ministry on 30/06.
    school_year_end_month: int = Field(5, ge=1, le=12)
    school_year_end_day: int = Field(31, ge=1, le=31)

    # Mail goes out on working days between these local times; reminders fire at send_from.
    send_from: time = time(7, 30)
    send_until: time = time(17, 30)
    # Without smtp_host, mail stays in the outbox (`chidao outbox`).
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_tls: bool = False
    smtp_starttls: bool = False
    smtp_timeout: float = 30.0
    smtp_concurrency: int = Field(4, ge=1)
    mail_from: str = "chidao <no-reply@chidao.local>"
    # Where people open the dashboard: every email links to its tasks under this address.
    public_url: str = "http://127.0.0.1:8000"
    mail_domain: str = "chidao.local"
    deliver_batch: int = 1000
    claim_lease_seconds: int = 300

    attachments_dir: str = "attachments"
    attachment_max_bytes: int = 10 * 1024 * 1024  # per file
    attachment_max_files: int = 10  # per submission
    attachment_types: list[str] = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "jpg",
                                   "jpeg", "png"]

    # Price caps on what users hand in, checked before parsing (and before any lock).
    directive_max_bytes: int = Field(DIRECTIVE_MAX_BYTES, ge=1024)  # a directive's YAML (web, CLI)
    units_file_max_bytes: int = Field(UNITS_FILE_MAX_BYTES, ge=1024)  # `chidao units import`
    values_file_max_bytes: int = Field(VALUES_FILE_MAX_BYTES, ge=1024)  # `chidao submit --values`
    document_max_unpacked_bytes: int = Field(50 * 1024 * 1024, ge=1024)  # `chidao import` .docx

    # Signs the session cookie; set CHIDAO_SECRET_KEY in production (a random one otherwise,
    # which logs everyone out at each restart).
    secret_key: str = secrets.token_urlsafe(32)
    # Wrong passwords from one address (any user names) within 15 minutes before it must wait;
    # one (user, address) pair waits 2, 4, 8 … s (at most 15 min) after its 5th failure.
    login_failures_per_address: int = Field(50, ge=1)
    # Sessions end after this long unused, and this long after login, whatever happens.
    session_idle_hours: float = Field(8, gt=0)
    session_absolute_days: float = Field(7, gt=0)
    # The Secure cookie flag: unset = on unless `chidao serve` listens on a loopback address.
    cookie_secure: bool | None = None
    # Addresses of reverse proxies whose X-Forwarded-For is believed ("*" = any); empty: none.
    trusted_proxies: str = ""

    # A deployment's own day-off decisions (the form of calendar_data/official_days.yaml), over
    # the shipped ones; the scheduler reads it again every calendar_check_minutes when it changes.
    calendar_file: Path | None = None
    calendar_check_minutes: int = Field(1, ge=1)

    sweep_every_minutes: int = Field(5, ge=1)
    deliver_every_minutes: int = Field(2, ge=1)
    worker_name: str = socket.gethostname()

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            make_url(value)
        except ArgumentError:
            raise ValueError(f"'{value}' is not a database URL such as sqlite:///chidao.db or"
                             " postgresql+psycopg://user@host/db") from None
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        """An absolute http(s) address, kept without its trailing slash."""
        parsed = urlsplit(value.strip())
        if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.query \
                or parsed.fragment:
            raise ValueError(f"'{value}' is not the dashboard's address, such as"
                             " https://chidao.angiang.edu.vn")
        return value.strip().rstrip("/")

    @model_validator(mode="after")
    def _school_year_end_exists(self) -> Self:
        month, day = self.school_year_end_month, self.school_year_end_day
        last = calendar.monthrange(2001, month)[1]  # a common year: 29/02 is not every year's
        if day > last:
            raise ValueError(
                f"school_year_end_day: {day:02d}/{month:02d} does not exist (month {month},"
                f" CHIDAO_SCHOOL_YEAR_END_MONTH, has {last} days)")
        return self


    def rules(self) -> Rules:
        return Rules(school_year_end=(self.school_year_end_month, self.school_year_end_day),
                     due_soon_working_days=self.due_soon_working_days,
                     send_from=self.send_from, send_until=self.send_until)


def get_settings() -> Settings:
    return Settings()


def settings_problem(exc: ValidationError) -> str:
    """`CHIDAO_VARIABLE: problem` for each bad setting (the variable a user sets, not the
    field's name in the code)."""
    lines = []
    for error in exc.errors():
        message = str(error["msg"]).removeprefix("Value error, ")
        field = ".".join(str(part) for part in error["loc"])
        if not field and ": " in message:
            field, message = message.split(": ", 1)
        lines.append(f"CHIDAO_{field.upper()}: {message}")
    return "; ".join(lines)
