"""The allocation tests' fixtures: the ledger's (a city with districts, documents, funded accounts, a setting)."""
from quotas.tests.conftest import *  # noqa: F403
