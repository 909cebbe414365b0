"""The allowed cases of turnover-pool loans (张家界市直 2022, docs/domain.md, "Turnover pool") and the workflow policy's one row with its
defaults; both editable afterwards in the admin."""
from django.db import migrations

# code, name, description. docs/domain.md, "Turnover pool" names four of the six 张家界 cases (temporary workload, structural shortage,
# placement duty, urgent talent); the last two are this platform's reading of "…" and may be edited or switched off.
CASES = [
    ("temporary_workload", "阶段性工作任务繁重", "承担阶段性重大任务，工作量短期内明显增加。"),
    ("structural_shortage", "结构性缺编", "编制总量满编但专业技术等岗位结构性短缺。"),
    ("placement_duty", "政策性安置任务", "承担军转干部、随军家属等政策性安置任务。"),
    ("urgent_talent", "急需紧缺人才引进", "引进急需紧缺专业技术人才或高层次人才。"),
    ("new_function", "新增职能或新设机构", "经批准新增职能或新设机构，编制尚未调整到位（本平台示意，可修改）。"),
    ("committee_approved", "其他经编委批准的情形", "其他经机构编制委员会研究同意的情形（本平台示意，可修改）。"),
]
SOURCE = "依据：张家界市直编制周转池做法（2022），见 docs/domain.md “编制周转池”。"


def seed(apps, schema_editor):
    LoanCase = apps.get_model("positions", "LoanCase")
    WorkflowPolicy = apps.get_model("positions", "WorkflowPolicy")
    for order, (code, name, description) in enumerate(CASES, start=1):
        LoanCase.objects.get_or_create(
            code=code, defaults={"name": name, "description": f"{description}{SOURCE}", "sort_order": order}
        )
    if not WorkflowPolicy.objects.exists():
        WorkflowPolicy.objects.create()


def unseed(apps, schema_editor):
    apps.get_model("positions", "LoanCase").objects.filter(code__in=[code for code, *_rest in CASES]).delete()
    apps.get_model("positions", "WorkflowPolicy").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("positions", "0003_workflow")]

    operations = [migrations.RunPython(seed, unseed)]
