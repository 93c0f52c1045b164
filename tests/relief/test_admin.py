"""The admin: every model listed, the rules edited as data (audited, their materials joining the
matter's checklist), and contributions and applications left to the services."""

import json

from django.urls import reverse

from tests.factories import form_data
from yizhan.audit.models import AuditEvent
from yizhan.relief.models import Rules


def test_every_model_has_an_admin_list(bh, admin_client):
    bh.apply(1)
    for model in ("fund", "rules", "member", "contribution", "application"):
        page = admin_client.get(reverse(f"admin:relief_{model}_changelist"))
        assert page.status_code == 200, model
    assert admin_client.get(reverse("admin:relief_contribution_add")).status_code == 403


def test_rules_edited_in_the_admin_are_audited_and_extend_the_checklist(bh, admin_client):
    url = reverse("admin:relief_rules_change", args=[bh.rules.pk])
    page = admin_client.get(url)
    data = form_data(page, materials=json.dumps(["救助申请表", "医保重大疾病认定证明", "医疗费用票据", "户口簿"],
                                                ensure_ascii=False), ceiling_per_person_fen="2500000")
    assert admin_client.post(url, data).status_code == 302
    assert Rules.objects.get().ceiling_per_person_fen == 2_500_000
    assert "户口簿" in set(bh.matter.materials.values_list("name", flat=True))
    assert AuditEvent.objects.filter(action="relief.rules.changed").exists()
    bad = form_data(admin_client.get(url), ceiling_per_person_fen="99999999999")
    assert admin_client.post(url, bad).status_code == 200  # shown again with the error
    assert Rules.objects.get().ceiling_per_person_fen == 2_500_000
