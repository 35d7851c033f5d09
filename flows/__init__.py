"""Entry-point services and Prefect flows: load rows, ask the domain, write in one transaction."""
