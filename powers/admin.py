"""Admin of the powers app."""
