"""Reading and checking the environment variables the settings depend on."""
import sys
from urllib.parse import urlsplit

DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}
BROKER_SCHEMES = {"redis", "rediss", "amqp", "amqps", "pyamqp"}


def fail(variable: str, reason: str) -> None:
    """Stop start-up with one line naming the variable (no traceback for a configuration slip)."""
    sys.stderr.write(f"configuration error: {variable}: {reason}\n")
    raise SystemExit(2)


def check_url(variable: str, value: str, schemes: set[str], *, needs_host: bool) -> str:
    """Return ``value`` if it is a URL of one of ``schemes``; otherwise stop start-up."""
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError on a port that is not a number
    except ValueError as exc:
        fail(variable, f"not a valid URL ({exc})")
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        fail(variable, f"scheme {scheme or '(none)'!r} is not one of {', '.join(sorted(schemes))}")
    if needs_host and scheme != "sqlite" and not parts.hostname:
        fail(variable, "the URL names no host")
    del port
    return value
