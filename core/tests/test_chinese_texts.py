"""What the admin and the pages show is the reader's words, not stored codes: request histories by state labels,
stress-test variants by indicator and method names, history changes by choice labels, return plans as tables."""

from simple_history.models import ModelChange

from allocation.texts import stress_variant_label
from allocation.zero_based import INDICATOR_LABELS, METHOD_LABELS
from core.history import EMPTY, ReadableRecordContextHelper
from demo.tests.test_demo_ascii import english_words
from institutions.choices import InstitutionStatus
from institutions.models import Institution
from quotas.admin import _field_label
from reforms.admin import StaffPlacementInline
from reforms.models import StaffPlacement
from workflow.admin import TurnoverLoanAdmin
from workflow.models import TurnoverLoan
from workflow.models.requests import RequestAction, RequestEvent, RequestState


def test_a_request_event_reads_by_its_action_and_state_labels():
    event = RequestEvent(action=RequestAction.SUBMIT, from_state=RequestState.DRAFT, to_state=RequestState.SUBMITTED)
    created = RequestEvent(action=RequestAction.CREATE, to_state=RequestState.DRAFT)

    text = str(event)
    assert str(RequestState.DRAFT.label) in text and str(RequestState.SUBMITTED.label) in text
    assert "draft" not in text and "submitted" not in text
    assert str(created).endswith(f"— → {RequestState.DRAFT.label}")


def test_a_stress_variant_reads_by_its_indicator_or_method():
    moved, method = stress_variant_label("area+5"), stress_variant_label("method=dhondt")

    assert INDICATOR_LABELS["area"] in moved and "+5" in moved and "area" not in moved
    assert METHOD_LABELS["dhondt"] in method and "dhondt" not in method
    assert stress_variant_label("base") != "base"
    assert stress_variant_label("fiscal_revenue-2.5").startswith(INDICATOR_LABELS["fiscal_revenue"])
    assert stress_variant_label("unknown") == "unknown"


def test_a_history_change_shows_labels_yes_no_and_a_dash_for_empty():
    helper = ReadableRecordContextHelper(Institution, None)

    def shown(field, value):
        return helper.prepare_delta_change_value(ModelChange(field, value, value), value)

    assert shown("status", InstitutionStatus.ACTIVE) == InstitutionStatus.ACTIVE.label
    assert shown("ended_on", None) == shown("short_name", "") == EMPTY
    assert shown("name", "哈尔滨市第一医院") == "哈尔滨市第一医院"


def test_a_loan_s_return_plan_is_a_table_of_dates_and_leavers():
    loan = TurnoverLoan(return_plan=[{"date": "2026-03-28", "count": 1}, {"date": "2027-01-22", "count": 2}])
    table = TurnoverLoanAdmin.return_plan_table(None, loan)

    assert table.count("<tr>") == 3 and "<td>2027-01-22</td><td>2</td>" in table
    assert "{" not in table
    assert TurnoverLoanAdmin.return_plan_table(None, TurnoverLoan(return_plan=[])) == "—"


def test_a_placement_s_band_shows_its_label():
    assert StaffPlacementInline.band_label(None, StaffPlacement(band="junior")) != "junior"
    assert StaffPlacementInline.band_label(None, StaffPlacement(band="")) == "—"


def test_a_ledger_error_names_its_field_as_the_reader_knows_it():
    assert _field_label("reverses") == "冲销对象"
    assert _field_label("no_such_field") == "no_such_field"


def test_the_page_check_sees_only_the_visible_english_words():
    html = ('<html><head><title>编制台账</title><style>body { color: red }</style></head><body>'
            '<a href="/admin/quotas/" title="Ledger">台账</a><script>var hidden = "English";</script>'
            '<p>统一社会信用代码 12230100MB1234567X，文号 哈编〔2021〕12号，导出 xlsx 或 PDF，用户 daoli。</p>'
            '<p>模板占位符 {unit}，网址 https://example.org/a，路径 docs/domain.md。</p>'
            '<p>状态：draft → submitted；Changes</p></body></html>')

    assert english_words(html, {"daoli"}) == {"draft", "submitted", "Changes"}
