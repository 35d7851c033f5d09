"""One settings class, read from the environment (prefix CHIDAO_) and an optional .env file."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHIDAO_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///chidao.db"
    timezone: str = "Asia/Ho_Chi_Minh"
    due_soon_working_days: int = 3
    school_year_end_month: int = 5
    school_year_end_day: int = 31


def get_settings() -> Settings:
    return Settings()
