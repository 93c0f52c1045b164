"""Every hall screen opens on the demo city (a 1 % replay of the seed) for the demo accounts."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from yizhan.hall.models import Case, QueueGroup


@pytest.mark.slow
@pytest.mark.once_on_postgresql
def test_the_screens_work_on_the_demo_city(client, settings, tmp_path, db):
    settings.DATA_DIR = tmp_path
    call_command("demo", "--no-serve", "--scale", "0.01", stdout=io.StringIO())
    users = get_user_model().objects
    assert QueueGroup.objects.exists()

    kiosk = client.get("/queue/ticket/")
    group = kiosk.context["groups"][0]
    assert client.post("/queue/ticket/", {"group": group.pk}).context["issued"].label == f"{group.letter}001"
    assert client.get("/board/").status_code == 200

    client.force_login(users.get(username="clerk"))
    bench = client.get("/workbench/")
    assert bench.status_code == 200 and bench.context["window"].code.endswith("-W1")
    rows = bench.context["rows"]
    if rows:
        assert client.get(f"/workbench/cases/{rows[0].case.pk}/").status_code == 200

    for name in ("head", "supervisor"):
        client.force_login(users.get(username=name))
        page = client.get("/supervisor/", {"first": "2010-03-01", "last": "2010-10-31"})
        assert page.status_code == 200
        figures = dict(page.context["tables"]["figures"]["table"].rows)
        assert int(figures["受理事项"]) > 0
    assert Case.objects.exists()
