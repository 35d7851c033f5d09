"""Settings and the database engine factory. Nothing here opens a connection at import."""
