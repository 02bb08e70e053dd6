"""Where SQL is run: one chokepoint, central quoting, the analytic schema."""
