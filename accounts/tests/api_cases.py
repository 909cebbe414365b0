"""Shared tests of a region-scoped REST resource (list, retrieve, create, update; no delete).

A test module subclasses ``ScopedResourceTests`` and declares what differs between resources::

    class TestInstitutions(ScopedResourceTests):
        url = "/api/v1/institutions/"
        model = Institution
        writer_roles = (Role.CITY_OFFICE, Role.DISTRICT_OFFICE)
        update_payload = {"name": "新名称"}
        list_queries = 5

        @pytest.fixture
        def make_row(self):
            return lambda region: InstitutionFactory(region=region)

        @pytest.fixture
        def create_payload(self, our_region):
            return {"name": "某中心", "region": our_region.pk}

The class then runs, as real tests: the list and the detail seen by a district office (its own region only,
another region's row answers 404), create and update by every writer role, 403 for every other role with
nothing written, DELETE refused (405), anonymous requests refused (401), and a list costing ``list_queries``
queries whether it holds one row or five.
"""
from __future__ import annotations

from typing import ClassVar

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from institutions.tests.factories import CityFactory, DistrictFactory


def snapshot(row: Model) -> dict:
    """Every stored column of ``row``, read again from the database."""
    row.refresh_from_db()
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}


def assert_error_shape(response) -> None:
    """A refusal carries the API's one error shape, ``{"message": ..., "errors": {...}}``."""
    body = response.json()
    assert set(body) == {"message", "code", "errors", "codes"}, body
    assert body["message"] and isinstance(body["errors"], dict), body


class ScopedResourceTests:
    """Tests generated for one region-scoped resource; subclasses declare the attributes and fixtures below."""

    url: ClassVar[str]  # the list URL, e.g. "/api/v1/institutions/"
    model: ClassVar[type[Model]]
    writer_roles: ClassVar[tuple[str, ...]] = (Role.CITY_OFFICE, Role.DISTRICT_OFFICE)
    update_payload: ClassVar[dict]  # a PATCH body that changes a row made by ``make_row``
    list_queries: ClassVar[int]  # queries of a list request by a district office, whatever the number of rows

    # --- what a subclass declares -------------------------------------------------------------------------------

    @pytest.fixture
    def make_row(self):
        """``make_row(region)``: a new row of ``model`` belonging to ``region`` (exactly one row per call)."""
        raise NotImplementedError(f"{type(self).__name__} must define the make_row fixture")

    @pytest.fixture
    def create_payload(self, our_region) -> dict:
        """A valid POST body for a row of ``our_region``."""
        raise NotImplementedError(f"{type(self).__name__} must define the create_payload fixture")

    # --- the setting ---------------------------------------------------------------------------------------------

    @pytest.fixture
    def our_region(self, db):
        """The district office's region."""
        return DistrictFactory(parent=CityFactory())

    @pytest.fixture
    def other_region(self, our_region):
        """A sibling district under the same city, which our district office may not see."""
        return DistrictFactory(parent=our_region.parent)

    @pytest.fixture
    def rows(self, make_row, our_region, other_region):
        """One row of our region and one of the other region."""
        return make_row(our_region), make_row(other_region)

    def pytest_generate_tests(self, metafunc):
        """Run the write tests once per writer role, and the refusals once per role that may not write."""
        if "writer_role" in metafunc.fixturenames:
            metafunc.parametrize("writer_role", self.writer_roles)
        if "refused_role" in metafunc.fixturenames:
            metafunc.parametrize("refused_role", [role for role in Role.values if role not in self.writer_roles])

    def detail_url(self, row: Model) -> str:
        return f"{self.url}{row.pk}/"

    @staticmethod
    def login(as_role, role: str, region):
        """Log the API client in as a new user of ``role`` (a district office is bound to ``region``)."""
        return as_role(role, region=region if role == Role.DISTRICT_OFFICE else None)

    # --- reading -------------------------------------------------------------------------------------------------

    def test_list_shows_a_district_office_its_own_region_only(self, api_client, as_role, rows, our_region):
        mine, theirs = rows
        as_role(Role.CITY_OFFICE)
        citywide = api_client.get(self.url)
        as_role(Role.DISTRICT_OFFICE, region=our_region)
        scoped = api_client.get(self.url)

        assert citywide.status_code == scoped.status_code == 200
        assert sorted(item["id"] for item in citywide.json()["results"]) == sorted([mine.pk, theirs.pk])
        assert [item["id"] for item in scoped.json()["results"]] == [mine.pk]
        assert scoped.json()["count"] == 1

    def test_retrieve_gives_the_row_as_listed(self, api_client, as_role, rows, our_region):
        mine, _theirs = rows
        as_role(Role.DISTRICT_OFFICE, region=our_region)

        listed = api_client.get(self.url).json()["results"]
        detail = api_client.get(self.detail_url(mine))

        assert detail.status_code == 200
        assert detail.json()["id"] == mine.pk
        assert [detail.json()] == listed

    def test_retrieve_of_another_regions_row_answers_404(self, api_client, as_role, rows, our_region):
        _mine, theirs = rows
        as_role(Role.CITY_OFFICE)
        citywide = api_client.get(self.detail_url(theirs))
        as_role(Role.DISTRICT_OFFICE, region=our_region)
        scoped = api_client.get(self.detail_url(theirs))

        assert citywide.status_code == 200
        assert scoped.status_code == 404
        assert_error_shape(scoped)
        assert scoped.json()["errors"] == {}

    def test_list_costs_a_fixed_number_of_queries(self, api_client, as_role, make_row, our_region):
        user = as_role(Role.DISTRICT_OFFICE, region=our_region)
        counts = []
        for added, total in ((1, 1), (4, 5)):
            for _row in range(added):
                make_row(our_region)
            api_client.force_authenticate(type(user).objects.get(pk=user.pk))  # a fresh user: roles not cached
            with CaptureQueriesContext(connection) as queries:
                response = api_client.get(self.url)
            assert response.status_code == 200
            assert len(response.json()["results"]) == total
            counts.append(len(queries))

        sql = "\n".join(query["sql"] for query in queries.captured_queries)
        assert counts == [self.list_queries, self.list_queries], f"queries for 1 and 5 rows: {counts}\n{sql}"

    # --- writing -------------------------------------------------------------------------------------------------

    def test_a_writer_creates_a_row(self, api_client, as_role, create_payload, our_region, writer_role):
        self.login(as_role, writer_role, our_region)
        before = self.model.objects.count()

        response = api_client.post(self.url, create_payload, format="json")

        assert response.status_code == 201, response.json()
        assert self.model.objects.count() == before + 1
        row = self.model.objects.get(pk=response.json()["id"])
        stored = api_client.get(self.detail_url(row)).json()
        assert {key: stored[key] for key in create_payload} == create_payload

    def test_other_roles_may_not_create(self, api_client, as_role, create_payload, our_region, refused_role):
        self.login(as_role, refused_role, our_region)
        before = self.model.objects.count()

        response = api_client.post(self.url, create_payload, format="json")

        assert response.status_code == 403
        assert_error_shape(response)
        assert self.model.objects.count() == before

    def test_a_writer_updates_a_row(self, api_client, as_role, rows, our_region, writer_role):
        mine, _theirs = rows
        self.login(as_role, writer_role, our_region)
        before = api_client.get(self.detail_url(mine)).json()
        assert all(before[key] != value for key, value in self.update_payload.items()), "the payload changes nothing"

        response = api_client.patch(self.detail_url(mine), self.update_payload, format="json")
        stored = api_client.get(self.detail_url(mine)).json()

        assert response.status_code == 200, response.json()
        assert {key: stored[key] for key in self.update_payload} == self.update_payload

    def test_other_roles_may_not_update(self, api_client, as_role, rows, our_region, refused_role):
        mine, _theirs = rows
        before = snapshot(mine)
        self.login(as_role, refused_role, our_region)

        response = api_client.patch(self.detail_url(mine), self.update_payload, format="json")

        assert response.status_code == 403
        assert_error_shape(response)
        assert snapshot(mine) == before

    def test_delete_is_not_offered(self, api_client, as_role, rows, our_region):
        mine, _theirs = rows
        self.login(as_role, self.writer_roles[0], our_region)

        response = api_client.delete(self.detail_url(mine))

        assert response.status_code == 405
        assert_error_shape(response)
        assert self.model.objects.filter(pk=mine.pk).exists()

    def test_anonymous_requests_are_refused(self, api_client, rows, create_payload):
        mine, _theirs = rows
        before = (self.model.objects.count(), snapshot(mine))

        answers = [
            api_client.get(self.url),
            api_client.get(self.detail_url(mine)),
            api_client.post(self.url, create_payload, format="json"),
            api_client.patch(self.detail_url(mine), self.update_payload, format="json"),
        ]

        assert [answer.status_code for answer in answers] == [401] * 4
        assert (self.model.objects.count(), snapshot(mine)) == before
