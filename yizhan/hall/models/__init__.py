from yizhan.hall.models.appointments import Appointment, AppointmentState, Slot
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
from yizhan.hall.models.complaints import Complaint, ComplaintChannel, ComplaintState, Finding
from yizhan.hall.models.consultations import Consultation, ConsultationState, Referral
from yizhan.hall.models.notices import Notice, NoticeItem, NoticeState
from yizhan.hall.models.ratings import (
    BAD_SCORES,
    Rating,
    RatingSource,
    Rectification,
    RectificationState,
    Resolution,
    Score,
)
from yizhan.hall.models.refusals import Refusal, RefusalKind, RefusalState
from yizhan.hall.models.staff import Commitment, StaffProfile

__all__ = [
    "OPEN_STATES", "ApplicantKind", "Case", "CaseMaterial", "CaseSequence", "CaseState", "Channel", "Outcome",
    "Material", "MaterialForm", "MaterialRequirement", "Matter", "MatterKind", "Complaint", "Finding",
    "Consultation", "ConsultationState", "Referral", "Notice", "NoticeItem", "NoticeState", "Refusal",
    "RefusalKind", "RefusalState", "Appointment", "AppointmentState", "Slot", "ComplaintChannel", "ComplaintState",
    "BAD_SCORES", "Rating", "RatingSource", "Rectification", "RectificationState", "Resolution", "Score",
    "Commitment", "StaffProfile",
]
