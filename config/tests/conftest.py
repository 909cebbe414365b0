"""Site-wide tests: fixtures of the ledger for the probes of bad input."""
from quotas.tests.conftest import *  # noqa: F403
