"""Templates, context builders, the outbox and the mailer."""
