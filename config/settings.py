"""One settings class, read from the environment (prefix CHIDAO_) and an optional .env file."""

from __future__ import annotations

import secrets
import socket
from datetime import time

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHIDAO_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///chidao.db"
    timezone: str = "Asia/Ho_Chi_Minh"
    due_soon_working_days: int = 3
    school_year_end_month: int = 5
    school_year_end_day: int = 31

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
    smtp_concurrency: int = 4
    mail_from: str = "chidao <no-reply@chidao.local>"
    mail_domain: str = "chidao.local"
    deliver_batch: int = 1000
    claim_lease_seconds: int = 300

    attachments_dir: str = "attachments"
    attachment_max_bytes: int = 10 * 1024 * 1024
    attachment_types: list[str] = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "jpg",
                                   "jpeg", "png"]

    # Signs the session cookie; set CHIDAO_SECRET_KEY in production (a random one otherwise,
    # which logs everyone out at each restart).
    secret_key: str = secrets.token_urlsafe(32)
    login_attempts_per_15_minutes: int = 10

    sweep_every_minutes: int = 5
    deliver_every_minutes: int = 2
    worker_name: str = socket.gethostname()


def get_settings() -> Settings:
    return Settings()
