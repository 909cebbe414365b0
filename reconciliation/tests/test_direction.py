"""The quota-use direction (reconciliation.direction) and its sentence, without the database."""
import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from reconciliation import direction as d
from reconciliation.texts import direction_sentence, figures_sentence
from workflow.quota_position import QuotaPosition


def unit(approved, staff, posts=(2, 7, 1), by_category=(2, 6, 1), *, borrowed=0, reserved_by_category=None):
    """A quota position of ``approved`` own quotas (plus ``borrowed``) and ``staff`` in quota."""
    return QuotaPosition(
        institution_id=1, held=approved + borrowed, borrowed=borrowed, staff_total=staff,
        posts=None if posts is None else dict(zip(("management", "professional", "worker"), posts, strict=True)),
        staff=None if by_category is None else dict(zip(("management", "professional", "worker"), by_category,
                                                        strict=True)),
        reserved_by_category={"management": 0, "professional": 0, "worker": 0, **(reserved_by_category or {})},
    )


def test_vacancies_go_to_professional_then_management_then_worker_posts():
    result = d.decide(unit(12, 5, posts=(3, 7, 2), by_category=(1, 3, 1)))

    assert result.code == d.ALLOCATE
    assert (result.vacant, result.over_quota) == (7, 0)
    assert result.allocation == (("professional", 4), ("management", 2), ("worker", 1))
    assert result.unmatched == 0


def test_vacancies_beyond_the_posts_lacking_staff_are_held_back():
    result = d.decide(unit(15, 9, posts=(2, 7, 1), by_category=(2, 6, 1)))

    assert result.allocation == (("professional", 1),)
    assert result.unmatched == 5
    with translation.override("en"):
        assert direction_sentence(result, approved=15, staff_total=9) == (
            "Vacant quotas (6) go to posts lacking staff: 1 professional-technical; 5 held back, as no other post "
            "lacks staff, until the position plan is revised."
        )


def test_quotas_reserved_by_issued_notices_are_not_directed_again():
    # 12 approved, 5 staff, 4 reserved by a notice for worker-skill posts not yet taken up: 3 vacant, to professional
    # posts first.
    result = d.decide(unit(12, 5, posts=(3, 7, 2), by_category=(1, 3, 1), reserved_by_category={"worker": 4}))

    assert (result.vacant, result.reserved) == (3, 4)
    assert result.allocation == (("professional", 3),)
    with translation.override("en"):
        assert direction_sentence(result, approved=12, staff_total=5) == (
            "Vacant quotas (3) go to posts lacking staff: 3 professional-technical; 4 more quotas (4 for worker-skill "
            "posts) are reserved by quota-use notices not yet taken up."
        )
    fully = d.decide(unit(9, 5, reserved_by_category={"professional": 4}))
    assert (fully.code, fully.vacant) == (d.ONE_FOR_ONE, 0)


def test_a_post_promised_by_an_open_notice_is_not_directed_again():
    # Worked by hand (the school of the issue): 147 approved, 140 staff; professional posts 121 with 115 staff, one
    # professional post held by an open notice; management posts 20 with 18 staff, worker 6 with 7. Usable
    # vacancy 147 − 140 − 1 = 6; professional posts open 121 − 115 − 1 = 5; so 5 professional + 1 management.
    result = d.decide(unit(147, 140, posts=(20, 121, 6), by_category=(18, 115, 7),
                           reserved_by_category={"professional": 1}))

    assert result.vacant == 6
    assert result.allocation == (("professional", 5), ("management", 1))
    with translation.override("en"):
        assert direction_sentence(result, approved=147, staff_total=140) == (
            "Vacant quotas (6) go to posts lacking staff: 5 professional-technical, 1 management; staff in "
            "worker-skill posts exceed those posts by 1, so no appointments to them until back within posts; 1 more "
            "quotas (1 for professional-technical posts) are reserved by quota-use notices not yet taken up."
        )
    with translation.override("zh-hans"):
        assert "另有 1 名编制（专业技术岗位1名）" in direction_sentence(result, approved=147, staff_total=140)


def test_borrowed_quotas_count_as_held_and_are_named():
    # 31 own + 2 borrowed, 30 staff: 3 usable, and the sentence says 2 of the quotas held are the pool's.
    result = d.decide(unit(31, 30, posts=(2, 28, 1), by_category=(2, 27, 1), borrowed=2))

    assert (result.vacant, result.borrowed, result.allocation) == (3, 2, (("professional", 1),))
    with translation.override("en"):
        assert direction_sentence(result, approved=31, staff_total=30).endswith(
            "the quotas held include 2 borrowed from the turnover pool, which return to it as their holders leave "
            "(人走编收).")


def test_vacancies_with_every_post_filled_wait_for_a_revised_plan():
    result = d.decide(unit(12, 10, posts=(2, 7, 1), by_category=(2, 7, 1)))

    assert (result.code, result.unmatched) == (d.HOLD_NO_POST, 2)


def test_over_quota_freezes_whatever_the_posts():
    result = d.decide(unit(8, 9, posts=(2, 7, 1), by_category=(1, 6, 2)))

    assert result.code == d.FROZEN
    assert (result.vacant, result.over_quota, result.allocation) == (0, 1, ())
    assert result.over_position == (("worker", 1),)


def test_exactly_at_quota_is_one_for_one():
    assert d.decide(unit(9, 9)).code == d.ONE_FOR_ONE


def test_nothing_to_direct_without_quotas_or_staff():
    result = d.decide(unit(0, 0, posts=None, by_category=None))

    assert result.code == d.NO_QUOTA
    with translation.override("en"):
        assert direction_sentence(result, approved=0, staff_total=0) == (
            "The unit holds no approved quotas and no staff in quota; no position plan has been filed; no staff "
            "count by category has been reported (the registry's staff figure is used)."
        )


def test_missing_plan_or_staff_count_holds_the_vacancies():
    assert d.decide(unit(10, 8, posts=None)).code == d.HOLD_NO_PLAN
    assert d.decide(unit(10, 8, by_category=None)).code == d.HOLD_NO_STAFF_COUNT
    assert d.decide(unit(10, 8, posts=None)).notes == ()


def test_stale_plans_are_named():
    result = d.decide(unit(10, 10), stale_age=True, stale_total=True)

    assert result.notes == (d.NOTE_STALE_AGE, d.NOTE_STALE_TOTAL)
    with translation.override("en"):
        text = direction_sentence(result, approved=10, staff_total=10, plan_total=9, plan_date="2020-01-01",
                                  stale_months=36)
    assert text == (
        "Exactly at quota (10 approved, 10 staff in quota): each leaver may be replaced one for one (出一进一); the "
        "position plan of Jan. 1, 2020 is more than 36 months old and should be revised; the position total (9) "
        "differs from the approved quotas (10) and the plan should be revised."
    )


def test_the_sentence_of_frozen_figures_is_rebuilt_in_the_readers_language():
    result = d.decide(unit(12, 5, posts=(3, 7, 2), by_category=(1, 3, 1)))
    figures = {
        "approved": 12, "staff_total": 5, "vacant": result.vacant, "over_quota": result.over_quota,
        "posts": {"total": 12}, "plan_effective_date": "2025-01-01", "stale_months": 36,
        "direction": {"code": result.code, "allocation": [list(pair) for pair in result.allocation],
                      "unmatched": result.unmatched, "over_position": [], "notes": []},
    }

    with translation.override("en"):
        english = figures_sentence(figures)
    with translation.override("zh-hans"):
        chinese = figures_sentence(figures)

    assert english == (
        "Vacant quotas (7) go to posts lacking staff: 4 professional-technical, 2 management, 1 worker-skill."
    )
    assert "7" in chinese  # Chinese once the catalogue has the msgid


counts = st.integers(0, 40)


@given(approved=counts, posts=st.tuples(counts, counts, counts), staff=st.tuples(counts, counts, counts),
       reserved=st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 5)))
def test_allocation_never_exceeds_the_vacancies_nor_the_open_posts(approved, posts, staff, reserved):
    by_category = dict(zip(("management", "professional", "worker"), reserved, strict=True))
    figures = unit(approved, sum(staff), posts=posts, by_category=staff, reserved_by_category=by_category)

    result = d.decide(figures)

    assert result.vacant == max(approved - sum(staff) - sum(reserved), 0)
    assert result.over_quota == max(sum(staff) - approved, 0)
    assert result.allocated + result.unmatched == (result.vacant if result.code in (d.ALLOCATE, d.HOLD_NO_POST)
                                                   else result.unmatched)
    open_posts = figures.open_posts
    for category, count in result.allocation:
        assert 0 < count <= open_posts[category]
    order = [category for category, _count in result.allocation]
    assert order == [c for c in ("professional", "management", "worker") if c in order]
    if result.unmatched and result.code == d.ALLOCATE:
        assert all(open_posts[c] == dict(result.allocation).get(c, 0) for c in open_posts)


@pytest.mark.parametrize("code", d.DIRECTION_CODES)
def test_every_code_has_a_sentence(code):
    result = d.Direction(code=code, vacant=3, over_quota=2, allocation=(("management", 3),))

    with translation.override("en"):
        assert direction_sentence(result, approved=5, staff_total=5).endswith(".")
