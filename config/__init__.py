"""Settings, and the one place that builds the engine, the calendar and the clock from them."""
