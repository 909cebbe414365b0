"""Models of the powers app."""
