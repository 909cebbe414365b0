"""Default position rule sets from docs/domain.md, "Positions", with their sources; editable afterwards in the admin."""
from decimal import Decimal

from django.db import migrations

SOURCE_COMMON = (
    "国人部发〔2006〕70号《事业单位岗位设置管理试行办法》；国人部发〔2006〕87号《〈事业单位岗位设置管理试行办法〉实施意见》"
    "（岗位总量、结构比例和最高等级控制；专业技术岗位为主体的单位专技岗位不低于70%，管理岗位为主体的单位管理岗位超过50%，"
    "工勤技能岗位为主体的单位工勤岗位超过50%）：http://fsou.com/html/text/chl/804/80417_1.html ；"
    "岗位管理研究（孙彦玲）：https://fx361.cc/page/2018/1214/16628376.shtml"
)
SOURCE_RATIOS = (
    "高级、中级、初级岗位结构比例全国总体控制目标1:3:6；地方比例（地市2:4:4，县1:3:6或0.5:3:6.5，乡镇0.5:3:6.5）；"
    "一省规定县级单位一般不设专业技术三级岗位，乡镇单位（教育、卫生、农业除外）不设专业技术七级岗位："
    "http://182.61.201.157/p/2775347554 ；https://00.wendadaohang.com/zd/DjBeBT000IneI0ejDrI.html ；"
    "https://m.wenkunet.com/p-3371663.html"
)
TOLERANCE_NOTE = "比例容差0.02（两个百分点）为本平台的可配置默认值，并非文件规定。"

# name, level, ratio (senior, intermediate, junior), highest professional level allowed (None: no limit), note
RULE_SETS = [
    ("全国岗位结构比例控制目标", "national", ("1", "3", "6"), None, ""),
    ("地市级事业单位岗位设置规则", "city", ("2", "4", "4"), 2,
     "专业技术一级岗位为国家专设的特级岗位，地市单位一般不设（通用做法，可按省规定调整）。"),
    ("县（区）级事业单位岗位设置规则", "county", ("1", "3", "6"), 4,
     "县（区）级单位一般不设专业技术三级及以上岗位。另有地方采用0.5:3:6.5，可在此修改。"),
    ("乡镇事业单位岗位设置规则", "township", ("0.5", "3", "6.5"), 8,
     "乡镇单位（教育、卫生、农业除外）一般不设专业技术七级及以上岗位：故本规则为提示，不具约束力。"),
]


def create_rule_sets(apps, schema_editor):
    rule_set_model = apps.get_model("positions", "PositionRuleSet")
    rule_model = apps.get_model("positions", "PositionRule")
    for name, level, ratio, top_level, note in RULE_SETS:
        rule_set = rule_set_model.objects.create(
            name=name, level=level, source=f"{SOURCE_COMMON}\n{SOURCE_RATIOS}",
            ratio_senior=Decimal(ratio[0]), ratio_intermediate=Decimal(ratio[1]), ratio_junior=Decimal(ratio[2]),
            ratio_tolerance=Decimal("0.02"), is_default=True, note=f"{note}{TOLERANCE_NOTE}",
        )
        rules = [
            # Position total ≤ approved quotas (岗位总量 ≈ 核定编制数): binding.
            ("total_within_quota", "", Decimal("1.00"), True, "岗位总量不得超过核定编制"),
            ("professional_share_min", "professional_service", Decimal("0.70"), False,
             "专业技术岗位为主体的单位：专技岗位不低于岗位总量的70%"),
            ("management_share_min", "administrative", Decimal("0.50"), False,
             "管理岗位为主体的单位：管理岗位超过岗位总量的50%"),
            ("worker_share_min", "support", Decimal("0.50"), False,
             "工勤技能岗位为主体的单位：工勤岗位超过岗位总量的50%"),
            ("senior_ratio", "", None, False, "高级岗位占专技岗位比例不超过本规则集比例加容差"),
            ("intermediate_ratio", "", None, False, "中级岗位占专技岗位比例不超过本规则集比例加容差"),
            # Leadership posts come from the unit's 领导职数; exceeding them (超职数) is prohibited.
            ("leadership_within_posts", "", Decimal("1.00"), True, "领导岗位不得超过领导职数（超职数禁止）"),
        ]
        if top_level is not None:
            rules.append(("top_grade", "", Decimal(top_level), False, f"专业技术岗位最高设到{top_level}级"))
        rule_model.objects.bulk_create(
            rule_model(rule_set=rule_set, code=code, applies_to=applies_to, threshold=threshold,
                       is_binding=is_binding, note=rule_note)
            for code, applies_to, threshold, is_binding, rule_note in rules
        )


def remove_rule_sets(apps, schema_editor):
    rule_set_model = apps.get_model("positions", "PositionRuleSet")
    rule_set_model.objects.filter(name__in=[row[0] for row in RULE_SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("positions", "0001_initial")]

    operations = [migrations.RunPython(create_rule_sets, remove_rule_sets)]
