"""Choices of the registry (lowercase English values, translated labels)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    CITY = "city", _("City level")
    MAIN_URBAN = "main_urban", _("Main-urban district")
    OUTER_SUBURBAN = "outer_suburban", _("Outer-suburban district")
    INTEGRATED = "integrated", _("Government-zone-integrated district")
    COUNTY = "county", _("County or county-level city")


DISTRICT_KINDS = (RegionKind.MAIN_URBAN, RegionKind.OUTER_SUBURBAN, RegionKind.INTEGRATED)


class InstitutionKind(models.TextChoices):
    AGENCY = "agency", _("Administrative agency")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")


class Category(models.TextChoices):
    PUBLIC_WELFARE_1 = "public_welfare_1", _("Public welfare class 1")
    PUBLIC_WELFARE_2 = "public_welfare_2", _("Public welfare class 2")
    COMMERCIAL = "commercial", _("Commercial")
    ADMINISTRATIVE = "administrative", _("Carries administrative functions")
    UNCLASSIFIED = "unclassified", _("Unclassified")


class FundingForm(models.TextChoices):
    FULL = "full", _("Full appropriation")
    PARTIAL = "partial", _("Partial appropriation")
    SELF_FUNDED = "self_funded", _("Self-funded")


class Rank(models.TextChoices):
    DEPARTMENT_FULL = "department_full", _("Department level, full")
    DEPARTMENT_DEPUTY = "department_deputy", _("Department level, deputy")
    DIVISION_FULL = "division_full", _("Division level, full")
    DIVISION_DEPUTY = "division_deputy", _("Division level, deputy")
    SECTION_FULL = "section_full", _("Section level, full")
    SECTION_DEPUTY = "section_deputy", _("Section level, deputy")
    UNIT_FULL = "unit_full", _("Unit level, full")
    UNIT_DEPUTY = "unit_deputy", _("Unit level, deputy")
    UNRANKED = "unranked", _("Unranked")


class ReservedClass(models.TextChoices):
    """Classes whose quotas are fixed first in zero-based allocation."""

    PUBLIC_HOSPITAL = "public_hospital", _("Public hospital")
    TOWNSHIP = "township", _("Township institution")
    SCHOOL = "school", _("School")
    DISEASE_CONTROL = "disease_control", _("Disease control")
    BASIC_PUBLIC_SERVICE = "basic_public_service", _("Other basic public service")
    LAW_ENFORCEMENT = "law_enforcement", _("Comprehensive law enforcement")
    NONE = "none", _("None")


class MustExistReason(models.TextChoices):
    BY_LAW = "by_law", _("Set up by law")
    HIGHER_AUTHORITY = "higher_authority", _("Required by a higher authority")
    BASIC_PUBLIC_SERVICE = "basic_public_service", _("Needed for basic public services")
    NONE = "none", _("None")


class InstitutionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged")
    ABOLISHED = "abolished", _("Abolished")
    DEVOLVED = "devolved", _("Devolved")
    MARKETISED = "marketised", _("Marketised")


class LegalPersonState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    UNREGISTERED = "unregistered", _("Not yet registered")
    DEREGISTERED = "deregistered", _("Deregistered")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class DocumentKind(models.TextChoices):
    REPLY = "reply", _("Reply (批复)")
    NOTICE = "notice", _("Notice (通知)")
    LETTER = "letter", _("Letter (函)")
