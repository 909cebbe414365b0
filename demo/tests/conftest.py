"""The demo tests' fixtures: the positions fixtures and the workflow's."""
from positions.tests.conftest import *  # noqa: F403
from workflow.tests.helpers import case, decision, library, staffed, talent_pool  # noqa: F401
