from yizhan.hall.models.cases import (
    OPEN_STATES,
    ApplicantKind,
    Case,
    CaseMaterial,
    CaseSequence,
    CaseState,
    Channel,
    Outcome,
)
from yizhan.hall.models.catalog import Material, MaterialForm, MaterialRequirement, Matter, MatterKind
from yizhan.hall.models.complaints import Complaint, Finding
from yizhan.hall.models.consultations import Consultation, ConsultationState, Referral
from yizhan.hall.models.notices import Notice, NoticeItem, NoticeState
from yizhan.hall.models.queue import CURRENT_STATES, QueueGroup, Ticket, TicketState
from yizhan.hall.models.refusals import Refusal, RefusalKind, RefusalState

__all__ = [
    "OPEN_STATES", "ApplicantKind", "Case", "CaseMaterial", "CaseSequence", "CaseState", "Channel", "Outcome",
    "Material", "MaterialForm", "MaterialRequirement", "Matter", "MatterKind", "Complaint", "Finding",
    "Consultation", "ConsultationState", "Referral", "Notice", "NoticeItem", "NoticeState", "Refusal",
    "RefusalKind", "RefusalState", "CURRENT_STATES", "QueueGroup", "Ticket", "TicketState",
]
