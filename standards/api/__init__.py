"""The standards' read-only API (mounted under /api/v1/): institution caps, the findings, service figures."""
