"""Models of the mandates app: 三定 regulations and their city template, charters, party organisations."""
from mandates.models.charters import Charter
from mandates.models.common import VersionStatus
from mandates.models.party import PartyEvent, PartyEventKind, PartyKind, PartyOrganisation
from mandates.models.regulations import Mandate, MandateTemplate

__all__ = [
    "Charter", "Mandate", "MandateTemplate", "PartyEvent", "PartyEventKind", "PartyKind", "PartyOrganisation",
    "VersionStatus",
]
