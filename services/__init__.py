"""Use cases: each loads rows, asks the domain, and writes in the caller's one transaction."""
