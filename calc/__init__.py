"""Tax-year limits and the 401(k) contribution calculators, on exact money."""
