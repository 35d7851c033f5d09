"""Prefect flows and scheduling only: thin wrappers that run the use cases as tracked runs."""
