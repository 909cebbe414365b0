"""Long work started from a page: the task goes to a worker when there is a broker; without one (the embedded
default, eager Celery) it runs in a thread of this process, so that the request answers at once and the page can
show the work's progress, as it does with a worker."""
from __future__ import annotations

import threading

from django.conf import settings
from django.db import connections


def start_task(name: str, *args) -> None:
    """Run the Celery task named ``name`` with ``args`` in the background (call it after the commit that wrote what
    the task reads: ``transaction.on_commit``)."""
    from celery import current_app

    task = current_app.tasks[name]  # by name: the caller's domain module does not import its tasks module
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        task.delay(*args)
        return

    def run() -> None:
        try:
            task.apply(args=args)
        finally:
            connections.close_all()  # this thread's connections

    threading.Thread(target=run, name=f"{name}-{'-'.join(map(str, args))}", daemon=True).start()
