from quotas.tests.conftest import city_regions, document, ledger, make_document  # noqa: F401 -- fixtures
