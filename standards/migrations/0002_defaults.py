"""The standards' default tables (docs/domain.md, "One standard for all"), and the caps the regions carried."""
import datetime
from decimal import Decimal

from django.db import migrations

# (low, high, most divisions, least and most quotas per division)
DIVISION_BANDS = [(0, 15, 1, 8, None), (16, 30, 3, 8, 15), (31, 50, 5, 8, 20), (51, 100, 8, 8, 25),
                  (101, 200, 12, 8, 30), (201, 400, 16, 8, 40), (401, None, 20, 8, None)]
# (applies to, low, high, least posts, most posts)
LEADERSHIP_BANDS = [
    ("unit", 0, 10, 1, 2), ("unit", 11, 50, 2, 3), ("unit", 51, 100, 3, 4), ("unit", 101, 200, 4, 5),
    ("unit", 201, 400, 5, 6), ("unit", 401, 600, 6, 7), ("unit", 601, None, 7, 8),
    ("division", 0, 5, 1, 2), ("division", 6, 10, 2, 3), ("division", 11, None, 3, 4),
]
SPS = "students_per_staff"
SPU = "staff_per_unit"
# name, sector, in force from, source, lines (figure, level, low, high, basis, rate, rate high, per, min, min below)
RULE_SETS = [
    ("中小学教职工编制标准（2001）", "school", datetime.date(2001, 10, 11),
     "国办发〔2001〕74号：城市、县镇、农村分设师生比（县镇标准用于县）", [
         ("students_senior", "city", 12.5), ("students_senior", "district", 12.5), ("students_senior", "county", 13),
         ("students_junior", "city", 13.5), ("students_junior", "district", 13.5), ("students_junior", "county", 16),
         ("students_primary", "city", 19), ("students_primary", "district", 19), ("students_primary", "county", 21),
     ]),
    ("城乡统一中小学教职工编制标准（2014）", "school", datetime.date(2014, 11, 13),
     "中央编办发〔2014〕72号：县镇、农村统一到城市标准", [
         ("students_senior", "", 12.5), ("students_junior", "", 13.5), ("students_primary", "", 19),
     ]),
]
HOSPITAL = ("综合医院编制原则（1978）", "hospital", datetime.date(1978, 12, 1),
            "卫生部《综合医院组织编制原则（试行草案）》（1978）：床位与人员之比按床位规模分档",
            [(0, 300, "1.3", "1.4"), (301, 500, "1.4", "1.5"), (501, None, "1.6", "1.7")])
DISEASE_CONTROL = ("疾病预防控制中心编制标准（2017）", "disease_control", datetime.date(2017, 1, 1),
                   "河北省疾病预防控制中心机构编制标准（2017）：区、县按常住人口每万人 1.75 名，"
                   "常住人口不足 15 万的县不少于 20 名；市级中心按全市常住人口每万人 0.3 名")


def forwards(apps, schema_editor):
    DivisionBand = apps.get_model("standards", "DivisionBand")
    LeadershipBand = apps.get_model("standards", "LeadershipBand")
    IndustryRuleSet = apps.get_model("standards", "IndustryRuleSet")
    IndustryRule = apps.get_model("standards", "IndustryRule")
    InstitutionCap = apps.get_model("standards", "InstitutionCap")
    Region = apps.get_model("institutions", "Region")
    for low, high, most, least_each, most_each in DIVISION_BANDS:
        DivisionBand.objects.create(low=low, high=high, max_divisions=most, min_per_division=least_each,
                                    max_per_division=most_each)
    for applies_to, low, high, posts_low, posts_high in LEADERSHIP_BANDS:
        LeadershipBand.objects.create(applies_to=applies_to, low=low, high=high, posts_low=posts_low,
                                      posts_high=posts_high)
    for name, sector, valid_from, source, lines in RULE_SETS:
        rule_set = IndustryRuleSet.objects.create(name=name, sector=sector, valid_from=valid_from, source=source)
        for figure, level, rate in lines:
            IndustryRule.objects.create(rule_set=rule_set, figure=figure, level=level, basis=SPS,
                                        rate_low=Decimal(str(rate)))
    name, sector, valid_from, source, bands = HOSPITAL
    rule_set = IndustryRuleSet.objects.create(name=name, sector=sector, valid_from=valid_from, source=source)
    for low, high, rate_low, rate_high in bands:
        IndustryRule.objects.create(rule_set=rule_set, figure="beds", low=low, high=high, basis=SPU,
                                    rate_low=Decimal(rate_low), rate_high=Decimal(rate_high))
    name, sector, valid_from, source = DISEASE_CONTROL
    rule_set = IndustryRuleSet.objects.create(name=name, sector=sector, valid_from=valid_from, source=source)
    # The city level's own centre 0.3 per 10,000 of the city; a district's or county's 1.75 of its own residents.
    IndustryRule.objects.create(rule_set=rule_set, figure="residents", level="city", basis=SPU,
                                rate_low=Decimal("0.3"), per=10000)
    IndustryRule.objects.create(rule_set=rule_set, figure="residents", level="district", basis=SPU,
                                rate_low=Decimal("1.75"), per=10000)
    IndustryRule.objects.create(rule_set=rule_set, figure="residents", level="county", basis=SPU,
                                rate_low=Decimal("1.75"), per=10000, minimum=20, minimum_below=150000)
    for region in Region.objects.exclude(institution_cap=None):
        InstitutionCap.objects.create(region=region, method="fixed", cap=region.institution_cap)


def backwards(apps, schema_editor):
    Region = apps.get_model("institutions", "Region")
    for cap in apps.get_model("standards", "InstitutionCap").objects.filter(method="fixed"):
        Region.objects.filter(pk=cap.region_id).update(institution_cap=cap.cap)


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
