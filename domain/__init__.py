"""Pure domain: tables and logic. No engine, no clock, no network: functions take `now`."""
