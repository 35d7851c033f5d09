"""The notification pipeline from a due ladder stage to SMTP: sweep, outbox, deliver."""
