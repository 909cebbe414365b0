"""The examples of docs/finance-integration.md, run on the demo city they were written against.

Run from ``test_loaded_city.py``, which holds the loaded city (see ``test_demo_standards.py`` for why).
"""
from pathlib import Path

from django.test import Client

from accounts.roles import Role
from accounts.tokens import issue_token
from integrations.tests.docs_curl import Runner

__test__ = False  # collected through test_loaded_city.py
__all__ = ["test_finance_docs_every_example_answers_as_the_document_says"]

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "finance-integration.md"


def test_finance_docs_every_example_answers_as_the_document_says(db, django_user_model):
    from django.contrib.auth.models import Group

    client_user = django_user_model.objects.create_user(username="docs-finance", password="pw-12345")
    client_user.groups.add(Group.objects.get(name=Role.FINANCE_SYSTEM))
    _token, key, _revoked = issue_token(client_user, client="docs")
    answers = Runner(Client(), {"TOKEN": key, "BASE": "http://testserver"}).run_document(DOCUMENT)
    assert len(answers) >= 10
    for answer in answers:
        if answer.expect_refusal:
            assert answer.status == 400 and answer.body["code"], (answer.source, answer.status, answer.body)
        else:
            assert 200 <= answer.status < 300, (answer.source, answer.status, answer.body)
    feed = next(answer for answer in answers if "/api/v1/changes/" in answer.source)
    assert feed.body["results"] and feed.body["cursor"] == feed.body["results"][-1]["position"]
