"""Database plumbing: engine factory, transactions, bulk writes, lookups, migrations."""
