"""A reclamation preview over more units than the page reads while it waits: queued for a worker, read chunk by
chunk with its progress recorded, shown on its own page (progress, then units and totals and the decision), seen by
its requester only, and read within the requester's regions.

Worked by hand: 道里区图书馆 (10 approved, 7 staff, a notice for 2: 1 to reclaim) and 道里区档案馆 (12 approved, 8
staff: 4 to reclaim) give 22 own quotas, 15 staff, 2 reserved and 5 to reclaim.
"""
import pytest

from accounts.roles import Role
from institutions.tests.factories import InstitutionFactory
from quotas.models import QuotaTransfer
from workflow import reclamation
from workflow.models import ReclamationPreview
from workflow.tests.helpers import balance
from workflow.tests.test_reclamation import issue_notice, reclaim_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(library, staffed, daoli, clerk, decision, settings):
    settings.RECLAMATION_SYNC_UNITS = 1  # two units are "many"
    issue_notice(library, clerk, decision, 2)
    archive = staffed(InstitutionFactory(region=daoli, name="道里区档案馆"), 12, management=3,
                      professional=(0, 1, 2, 2))
    return library, archive


def start(client, django_capture_on_commit_callbacks, **filters):
    """Queue a preview from the page; the worker's start is captured, not run."""
    with django_capture_on_commit_callbacks() as started:
        response = client.post("/positions/reclamation/previews/", filters)
    assert len(started) == 1
    return response, ReclamationPreview.objects.latest("pk")


def test_many_units_are_read_by_a_worker_with_their_progress_shown(client, clerk, units, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    library, archive = units
    client.force_login(clerk)
    page = client.get("/positions/reclamation/")
    assert page.context["background"] and page.context["units"] == 2 and "lines" not in page.context

    response, preview = start(client, django_capture_on_commit_callbacks)
    assert response["Location"] == f"/positions/reclamation/previews/{preview.pk}/"
    waiting = client.get(f"/positions/reclamation/previews/{preview.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in waiting and 'data-state="queued"' in waiting

    seen = []  # the progress recorded as each chunk of one unit is read
    read = reclamation.vacancy_reclaim_preview

    def spy(**kwargs):
        stored = ReclamationPreview.objects.get(pk=preview.pk)
        seen.append((stored.state, stored.units_done, stored.units_total))
        return read(**kwargs)

    monkeypatch.setattr(reclamation, "PREVIEW_CHUNK", 1)
    monkeypatch.setattr(reclamation, "vacancy_reclaim_preview", spy)
    assert reclamation.reclamation_preview_run(preview.pk) == "done"  # what the worker does

    assert seen == [("running", 0, 2), ("running", 1, 2)]
    done = client.get(f"/positions/reclamation/previews/{preview.pk}/")
    assert done.context["totals"] == {"approved": 22, "borrowed": 0, "staff": 15, "reserved": 2, "reclaimable": 5}
    assert {line.institution_id: line.reclaimable for line in done.context["lines"]} == {library.pk: 1, archive.pk: 4}
    html = done.content.decode()
    assert "hx-trigger" not in html and 'id="reclamation-decision"' in html
    assert reclamation.reclamation_preview_run(preview.pk) == "done"  # a second run leaves it alone

    decided = client.post("/positions/reclamation/", {"document": reclaim_document().pk,
                                                      "effective_date": "2026-03-10"})
    assert decided.status_code == 302
    assert (balance(library), balance(archive)) == (9, 8)


def test_a_preview_is_its_requester_s_and_reads_within_their_regions(client, make_user, units, nangang,
                                                                     django_capture_on_commit_callbacks):
    other_district = make_user(Role.DISTRICT_OFFICE, region=nangang)
    client.force_login(make_user(Role.CITY_OFFICE))
    _response, preview = start(client, django_capture_on_commit_callbacks)

    client.force_login(other_district)
    assert client.get(f"/positions/reclamation/previews/{preview.pk}/").status_code == 404
    assert client.get(f"/positions/reclamation/previews/{preview.pk}/progress/").status_code == 404
    _response, own = start(client, django_capture_on_commit_callbacks)
    reclamation.reclamation_preview_run(own.pk)
    page = client.get(f"/positions/reclamation/previews/{own.pk}/")
    assert page.context["units"] == 0 and 'id="reclamation-decision"' not in page.content.decode()


def test_a_failed_preview_says_so_and_changes_nothing(client, clerk, units, monkeypatch,
                                                      django_capture_on_commit_callbacks):
    client.force_login(clerk)
    _response, preview = start(client, django_capture_on_commit_callbacks)
    transfers = QuotaTransfer.objects.count()

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(reclamation, "vacancy_reclaim_preview", broken)
    assert reclamation.reclamation_preview_run(preview.pk) == "failed"

    page = client.get(f"/positions/reclamation/previews/{preview.pk}/")
    assert page.status_code == 200 and 'data-state="failed"' in page.content.decode()
    assert ReclamationPreview.objects.get(pk=preview.pk).lines == []
    assert QuotaTransfer.objects.count() == transfers


def test_a_bad_filter_queues_nothing(client, clerk, units):
    client.force_login(clerk)

    response = client.post("/positions/reclamation/previews/", {"region": "999999", "quota_type": "x"})

    assert response.status_code == 302 and not ReclamationPreview.objects.exists()


def test_a_refused_decision_over_many_units_shows_its_errors_and_posts_nothing(client, clerk, units):
    library, archive = units
    client.force_login(clerk)

    refused = client.post("/positions/reclamation/", {"document": reclaim_document().pk,
                                                      "effective_date": "2026-03-01"})  # before its document

    assert refused.status_code == 200 and refused.context["background"]
    assert refused.context["apply_form"].errors
    assert 'id="reclamation-decision"' in refused.content.decode()  # the form, with its errors, is on the page
    assert (balance(library), balance(archive)) == (10, 12)
