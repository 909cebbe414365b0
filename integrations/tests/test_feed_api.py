"""The change feed over the API: a stable cursor, any page size reads the same events, scoped like the rest."""
import datetime

import pytest

from accounts.roles import Role
from institutions.models import Institution
from outbox.models import ChangeEvent
from outbox.selectors import feed_head
from outbox.services import changes_sequence
from quotas import services

DAY = datetime.date(2024, 1, 1)
URL = "/api/v1/changes/"


@pytest.fixture
def busy(ledger):
    """The ledger, then ten moves to and fro between the archive and the library and one in 依兰县."""
    county_account = services.account_for_institution(institution=ledger["county_school"],
                                                      quota_type=ledger["quota_type"])
    county_pool = services.account_for_region(region=ledger["yilan"], quota_type=ledger["quota_type"])
    services.quota_grant(target=county_pool, amount=5, document=ledger["document"], effective_date=DAY,
                         by=ledger["clerk"])
    services.quota_allocate(source=county_pool, target=county_account, amount=2, document=ledger["document"],
                            effective_date=DAY, by=ledger["clerk"])
    for n in range(10):
        source, target = ("archive_account", "library_account") if n % 2 == 0 else ("library_account",
                                                                                      "archive_account")
        services.quota_transfer(source=ledger[source], target=ledger[target], amount=1 + n % 3,
                                document=ledger["document"], effective_date=DAY, by=ledger["clerk"])
    changes_sequence()
    return ledger


def read_all(client, size, **params):
    seen, after = [], 0
    for _ in range(200):
        answer = client.get(URL, {"after": after, "page_size": size, **params})
        assert answer.status_code == 200, answer.content
        seen += answer.json()["results"]
        if answer.json()["next"] is None:
            assert answer.json()["cursor"] == answer.json()["head"]
            return seen
        after = answer.json()["cursor"]
    raise AssertionError("the feed did not end")


def test_pages_of_1_7_and_100_read_the_same_events(busy, api_client, as_role):
    as_role(Role.FINANCE_SYSTEM)
    pages = {size: [event["id"] for event in read_all(api_client, size)] for size in (1, 7, 100)}
    assert pages[1] == pages[7] == pages[100]
    assert pages[1] == list(ChangeEvent.objects.order_by("position").values_list("id", flat=True))
    assert len(pages[1]) == feed_head()


def test_reading_again_from_a_cursor_gives_the_same_events_and_then_the_new_ones(busy, api_client, as_role,
                                                                                make_document):
    as_role(Role.FINANCE_SYSTEM)
    first = api_client.get(URL, {"after": 3, "page_size": 5}).json()
    early = DAY - datetime.timedelta(days=300)
    services.quota_transfer(source=busy["archive_account"], target=busy["library_account"], amount=1,
                            document=make_document(date_issued=early, date_effective=early), effective_date=early,
                            by=busy["clerk"])  # back-dated
    changes_sequence()
    again = api_client.get(URL, {"after": 3, "page_size": 5}).json()
    assert again["results"] == first["results"]
    tail = read_all(api_client, 100)[-2:]
    assert [event["data"]["effective_date"] for event in tail] == [early.isoformat()] * 2  # after every earlier event


def test_an_event_carries_its_unit_and_the_figures_after(busy, api_client, as_role):
    as_role(Role.FINANCE_SYSTEM)
    last = read_all(api_client, 100)[-1]
    unit = Institution.objects.get(pk=last["institution"]["id"])
    assert last["kind"] == "transfer.posted" and last["data"]["quota_type"] == busy["quota_type"].code
    side = "source" if last["data"]["source"]["institution"] == unit.pk else "target"
    assert last["data"][side]["balance"] == unit.quota_accounts.get().balance  # the last move: its after is now


def test_a_district_office_reads_its_own_region_only(busy, api_client, as_role):
    as_role(Role.DISTRICT_OFFICE, region=busy["yilan"])
    events = read_all(api_client, 3)
    assert events and {event["region"]["code"] for event in events} == {busy["yilan"].code}


def test_filters_by_kind_and_unit(busy, api_client, as_role):
    as_role(Role.AUDITOR)
    library = busy["library"].pk
    events = read_all(api_client, 4, institution=library, kind="transfer.posted")
    assert events and {event["institution"]["id"] for event in events} == {library}
    assert len(events) == ChangeEvent.objects.filter(institution_id=library).count()


@pytest.mark.parametrize("params", [{"after": -1}, {"after": "x"}, {"page_size": 0}, {"page_size": 5000},
                                    {"kind": "nonsense"}, {"institution": "0"}])
def test_bad_parameters_are_400_with_the_field(busy, api_client, as_role, params):
    as_role(Role.FINANCE_SYSTEM)
    answer = api_client.get(URL, params)
    assert answer.status_code == 400
    assert set(answer.json()["errors"]) == set(params)


def test_anonymous_is_refused(busy, api_client):
    assert api_client.get(URL).status_code in (401, 403)


def test_a_fixed_number_of_queries_whatever_the_page(busy, api_client, as_role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    as_role(Role.FINANCE_SYSTEM)
    api_client.get(URL)  # the first request of a client reads its roles once
    counts = []
    for size in (2, 20):
        with CaptureQueriesContext(connection) as queries:
            assert len(api_client.get(URL, {"page_size": size}).json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
