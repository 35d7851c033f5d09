"""The `chidao` command line (typer + rich)."""
