"""First-inquiry responsibility: referrals are chained in order, the first officer stays responsible
until someone answers."""

import pytest

from tests.factories import at
from yizhan.audit.models import AuditEvent
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.hall.consultations import answer_consultation, open_consultation, refer_consultation
from yizhan.hall.models import Consultation, ConsultationState


def test_referral_chain_keeps_the_first_officer_responsible(hall):
    c = open_consultation(window=hall.w11, question="办理施工许可需要什么材料？", asker_name="李四",
                          asker_phone="13800000000", at=at("2010-03-01 09:00"), actor=hall.clerk)
    assert (c.first_officer, c.responsible_officer, c.state) == (hall.clerk, hall.clerk, ConsultationState.OPEN)
    refer_consultation(c, to_window=hall.w12, to_officer=hall.clerk2, note="转二号窗", at=at("2010-03-01 09:05"),
                       actor=hall.clerk)
    refer_consultation(c, to_window=hall.w21, note="属住建局", at=at("2010-03-01 09:10"), actor=hall.clerk2)
    c.refresh_from_db()
    assert c.responsible_officer == hall.clerk
    assert c.current_window == hall.w21
    chain = [(r.seq, r.from_window.code, r.to_window.code) for r in c.referrals.all()]
    assert chain == [(1, "W11", "W12"), (2, "W12", "W21")]
    c = answer_consultation(c, answer="需施工图审查合格书等", by=hall.head2, at=at("2010-03-01 09:20"))
    assert (c.state, c.answered_by, c.responsible_officer) == (ConsultationState.ANSWERED, hall.head2, None)
    actions = list(AuditEvent.objects.filter(object_type="hall.consultation").values_list("action", flat=True))
    assert actions == ["hall.consultation.opened", "hall.consultation.referred", "hall.consultation.referred",
                       "hall.consultation.answered"]


def test_answered_consultation_is_closed(hall):
    c = open_consultation(window=hall.w11, question="几点下班？", asker_name="王五", answer="17:30，周二周四延时到 19:00",
                          at=at("2010-03-01 09:00"), actor=hall.clerk)
    assert c.state == ConsultationState.ANSWERED and c.answered_at == at("2010-03-01 09:00")
    with pytest.raises(IllegalTransition):
        refer_consultation(c, to_window=hall.w12, at=at("2010-03-01 09:05"))
    with pytest.raises(IllegalTransition):
        answer_consultation(c, answer="再答一次", at=at("2010-03-01 09:05"))


@pytest.mark.parametrize(("field", "kwargs"), [
    ("question", {"question": ""}), ("asker_name", {"asker_name": " "}), ("window", {"window": None}),
])
def test_consultation_input_errors_name_the_field(hall, field, kwargs):
    values = {"window": hall.w11, "question": "问题", "asker_name": "李四", **kwargs}
    with pytest.raises(InvalidInput) as info:
        open_consultation(**values, at=at("2010-03-01 09:00"))
    assert info.value.field == field
    assert not Consultation.objects.exists()


def test_referral_must_go_to_a_window(hall):
    c = open_consultation(window=hall.w11, question="问题", asker_name="李四", at=at("2010-03-01 09:00"))
    with pytest.raises(InvalidInput) as info:
        refer_consultation(c, to_window=hall.d2, at=at("2010-03-01 09:05"))
    assert info.value.field == "to_window"
    assert not c.referrals.exists()
