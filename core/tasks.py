"""Infrastructure tasks."""
from celery import shared_task


@shared_task(name="core.echo")
def echo(value: str) -> dict:
    """Return what it was given and the worker's host: proves a round trip through the broker."""
    import socket

    return {"echo": value, "worker": socket.gethostname()}
