"""Every answer of the read API on the demo city matches the OpenAPI schema it publishes.

The fuzzer (scripts/fuzz_api.sh) checks the same with random requests, so a mismatch that only some rows of the demo
show (a unit registered without a credit code, say) is found only when a random page happens to hold such a row. Here
every list is read in its largest page (the change feed to its end) and the first row of each is read on its own,
as a city clerk and as the finance system, and each answer is validated by schemathesis against the schema.

Run from ``test_loaded_city.py``, which holds the loaded city (see ``test_demo_standards.py`` for why).
"""
import json

import requests
import schemathesis
from django.contrib.auth.models import Group
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from schemathesis.core.transport import Response

from accounts.roles import Role
from accounts.tokens import issue_token

__test__ = False  # collected through test_loaded_city.py
__all__ = ["test_api_schema_every_read_on_the_demo_city_matches_the_published_schema"]

PAGE_SIZE = 500  # core.api.pagination's largest page
FEED_PAGE_SIZE = 1000  # the change feed's


def _schema():
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    return document, schemathesis.openapi.from_dict(document)


def _validated(operation, answer):
    """Validate a Django test answer with schemathesis; return its JSON (or None when it has none)."""
    response = Response(
        status_code=answer.status_code,
        headers={name: [value] for name, value in answer.headers.items()},
        content=answer.content,
        request=requests.Request("GET", "http://testserver/").prepare(),
        elapsed=0.0,
        verify=True,
    )
    operation.validate_response(response)
    return answer.json() if answer.headers.get("Content-Type", "").startswith("application/json") else None


def _reader(django_user_model, role):
    user = django_user_model.objects.create_user(username=f"schema-{role}", password="pw-12345")
    user.groups.add(Group.objects.get(name=role))
    _token, key, _revoked = issue_token(user, client="schema")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _get(client, operation, path, query):
    return _validated(operation, client.get(path, query))


def test_api_schema_every_read_on_the_demo_city_matches_the_published_schema(db, django_user_model):
    document, schema = _schema()
    lists = [path for path, item in document["paths"].items() if "get" in item and "{" not in path]
    details = {path for path, item in document["paths"].items() if "get" in item and path.endswith("/{id}/")}
    read = 0
    for role in (Role.CITY_OFFICE, Role.FINANCE_SYSTEM):
        client = _reader(django_user_model, role)
        for path in lists:
            operation = schema[path]["GET"]
            names = {parameter["name"] for parameter in document["paths"][path]["get"].get("parameters", ())}
            if path == "/api/v1/changes/":
                body, after = None, 0
                while body is None or body["results"]:
                    body = _get(client, operation, path, {"after": after, "page_size": FEED_PAGE_SIZE})
                    if body is None or "results" not in body:
                        break  # refused to this role: the refusal itself was validated
                    after = body["cursor"]
                    read += 1
                continue
            body = _get(client, operation, path, {"page_size": PAGE_SIZE} if "page_size" in names else {})
            read += 1
            rows = body.get("results") if isinstance(body, dict) else body
            detail = path + "{id}/"
            if detail in details and isinstance(rows, list) and rows and "id" in rows[0]:
                _get(client, schema[detail]["GET"], f"{path}{rows[0]['id']}/", {})
                read += 1
    assert read > 2 * len(lists)  # every list was read by both roles, and details besides
