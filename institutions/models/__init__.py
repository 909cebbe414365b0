"""The registry: regions, institutions, internal divisions, plaques, approval documents."""
from institutions.models.documents import ApprovalDocument
from institutions.models.institutions import Institution, InternalDivision, Plaque
from institutions.models.lineage import InstitutionEvent, LifeEventKind
from institutions.models.regions import Region

__all__ = [
    "ApprovalDocument", "Institution", "InstitutionEvent", "InternalDivision", "LifeEventKind", "Plaque", "Region",
]
