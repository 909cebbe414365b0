"""Admin of the tracking app."""
