"""The read side: what pages, the API, the CLI and exports show. It never writes."""
