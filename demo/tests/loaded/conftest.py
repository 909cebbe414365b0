"""The whole demo city, loaded once for the tests of this package and rolled back after them.

Loading it takes half a minute on SQLite; each test here reads it (or loads it again, which must change nothing)
inside its own savepoint, so the tests stay independent while the city is built once. Tests that need an empty
database (loading part of the city) live one level up.
"""
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package", autouse=True)
def demo_city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", verbosity=0, stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
