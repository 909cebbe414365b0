"""The change log: events written with the change, with the figures after it, placed in the feed once committed."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from outbox.models import ChangeEvent, ChangeKind, ChangeSequence
from outbox.selectors import changes_after, feed_head
from outbox.services import Change, changes_record, changes_sequence
from quotas import services
from quotas.services import Move

DAY = datetime.date(2024, 1, 1)


def transfer_events(transfer_id):
    return list(ChangeEvent.objects.filter(data__transfer=transfer_id).order_by("id"))


def test_a_move_between_two_units_is_an_event_for_each_with_its_balance_after(ledger):
    # Worked by hand: the archive holds 40, the library 10; 5 move from the archive to the library.
    transfer = services.quota_transfer(source=ledger["archive_account"], target=ledger["library_account"], amount=5,
                                       document=ledger["document"], effective_date=DAY, by=ledger["clerk"])
    archive, library = transfer_events(transfer.pk)
    assert (archive.kind, archive.institution, archive.region) == (
        ChangeKind.TRANSFER_POSTED, ledger["archive"], ledger["daoli"])
    assert archive.data["source"]["balance"] == 35 and archive.data["target"]["balance"] == 15
    assert library.institution == ledger["library"] and library.data == archive.data
    assert archive.data["amount"] == 5 and archive.data["document"] == ledger["document"].number
    assert archive.position is None  # placed in the feed only by the sequencer


def test_a_batch_gives_each_move_its_own_balances_after(ledger):
    # 5 then 3 from the archive (40) to the library (10): after the first 35 / 15, after the second 32 / 18.
    first, second = services.quota_moves(moves=[
        Move("transfer", ledger["archive_account"], ledger["library_account"], 5),
        Move("transfer", ledger["archive_account"], ledger["library_account"], 3)],
        document=ledger["document"], effective_date=DAY, by=ledger["clerk"])
    assert [(e.data["source"]["balance"], e.data["target"]["balance"]) for e in transfer_events(first.pk)] == [
        (35, 15)] * 2
    assert [(e.data["source"]["balance"], e.data["target"]["balance"]) for e in transfer_events(second.pk)] == [
        (32, 18)] * 2
    assert list(ChangeEvent.objects.order_by("id").values_list("data__transfer", flat=True))[-4:] == [
        first.pk, first.pk, second.pk, second.pk]


def test_a_move_of_a_pool_is_one_event_of_its_region(ledger):
    transfer = services.quota_grant(target=ledger["pool"], amount=7, document=ledger["document"],
                                    effective_date=DAY, by=ledger["clerk"])
    (event,) = transfer_events(transfer.pk)
    assert (event.institution, event.region) == (None, ledger["daoli"])
    assert event.data["target"]["balance"] == 100 - 40 - 10 + 7


def test_a_reversal_is_its_own_kind(ledger):
    transfer = services.quota_transfer(source=ledger["archive_account"], target=ledger["library_account"], amount=5,
                                       document=ledger["document"], effective_date=DAY, by=ledger["clerk"])
    reversal = services.quota_transfer_reverse(transfer=transfer, document=ledger["document"], effective_date=DAY,
                                               by=ledger["clerk"])
    events = transfer_events(reversal.pk)
    assert {event.kind for event in events} == {ChangeKind.TRANSFER_REVERSED}
    assert events[0].data["reverses"] == transfer.pk and events[0].data["target"]["balance"] == 40


def test_a_refused_move_records_nothing(ledger):
    before = ChangeEvent.objects.count()
    with pytest.raises(ValidationError):
        services.quota_transfer(source=ledger["library_account"], target=ledger["archive_account"], amount=11,
                                document=ledger["document"], effective_date=DAY, by=ledger["clerk"])
    assert ChangeEvent.objects.count() == before


def test_positions_follow_the_sequencing_without_gaps_and_never_change(ledger):
    changes_sequence()
    placed = list(ChangeEvent.objects.order_by("position").values_list("id", "position"))
    assert [position for _id, position in placed] == list(range(1, len(placed) + 1))
    assert [event_id for event_id, _position in placed] == sorted(event_id for event_id, _position in placed)
    assert feed_head() == len(placed) == ChangeSequence.objects.get().last_position
    changes_record([Change(ChangeKind.UNIT_CHANGED, ledger["archive"].pk, ledger["daoli"].pk, {"name": "x"})])
    assert changes_sequence() == 1 and changes_sequence() == 0
    assert list(ChangeEvent.objects.filter(position__lte=len(placed)).order_by("position").values_list(
        "id", "position")) == placed


def test_a_back_dated_transfer_comes_after_every_earlier_event(ledger):
    changes_sequence()
    head = feed_head()
    late = services.quota_transfer(source=ledger["archive_account"], target=ledger["library_account"], amount=1,
                                   document=ledger["document"], effective_date=DAY, by=ledger["clerk"])
    changes_sequence()
    after = list(changes_after(head))
    assert [event.data["transfer"] for event in after] == [late.pk, late.pk]
    assert min(event.position for event in after) > head


def test_an_event_rolls_back_with_its_change(ledger):
    before = ChangeEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.quota_transfer(source=ledger["archive_account"], target=ledger["library_account"], amount=1,
                                document=ledger["document"], effective_date=DAY, by=ledger["clerk"])
        raise RuntimeError("the caller fails after the posting")
    assert ChangeEvent.objects.count() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_event_committed_late_is_placed_after_those_placed_before_it(ledger):
    """Two connections: an event written first but committed last is not skipped; it takes the next position."""
    import threading

    from django.db import connection

    written, release = threading.Event(), threading.Event()

    def slow_writer():
        with transaction.atomic():
            changes_record([Change(ChangeKind.UNIT_CHANGED, ledger["archive"].pk, ledger["daoli"].pk, {"n": 1})])
            written.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    written.wait(10)
    changes_record([Change(ChangeKind.UNIT_CHANGED, ledger["library"].pk, ledger["daoli"].pk, {"n": 2})])
    changes_sequence()
    head = feed_head()
    assert ChangeEvent.objects.filter(data__n=2).get().position == head
    release.set()
    thread.join()
    changes_sequence()
    slow = ChangeEvent.objects.get(data__n=1)
    assert slow.id < ChangeEvent.objects.get(data__n=2).id and slow.position == head + 1
