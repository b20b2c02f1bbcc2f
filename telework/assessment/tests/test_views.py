"""The /assessment/ phase screens: who sees and acts, the wizard's preview and record, refusals in words."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from telework.assessment import services
from telework.assessment.models import PhaseDesign, PhaseReview
from telework.assessment.tests.factories import build_phased_pilot
from telework.assessment.tests.test_phases import RANDOMISED
from telework.policy.models import PilotPhase

KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


@pytest.fixture
def world(db):
    return build_phased_pilot()


def design_post(**changes):
    data = {
        "method": "randomised",
        "seed": "2026",
        "pilot_share": "0.5",
        "waves": "3",
        "wave_weeks": "8",
        "primary_outcomes": ["dossier_on_time_rate"],
        "smallest_effect": "0.03",
        "icc": "0.05",
        "outcome_sd": "0.15",
        "periods_before": "26",
        "periods_after": "26",
    }
    data.update(changes)
    return data


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(("who", "status"), [("home_affairs", 200), ("leadership", 200), ("staff_user", 403)])
def test_phase_pages_are_read_by_home_affairs_and_leadership_only(world, client, who, status):
    client.force_login(getattr(world, who))
    assert client.get(reverse("assessment:phases")).status_code == status
    assert client.get(reverse("assessment:phase_detail", args=[world.first.pk])).status_code == status


def test_leadership_cannot_open_the_wizard_or_launch(world, client):
    client.force_login(world.leadership)
    assert client.get(reverse("assessment:design_wizard", args=[world.first.pk])).status_code == 403
    assert client.post(reverse("assessment:phase_launch", args=[world.first.pk])).status_code == 403
    assert client.get(reverse("assessment:phase_scope", args=[world.first.pk])).status_code == 403


def test_wizard_previews_without_storing_then_records(world, client):
    client.force_login(world.home_affairs)
    url = reverse("assessment:design_wizard", args=[world.first.pk])
    page = client.post(url, design_post(action="preview"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="balance-table"' in html
    assert 'id="mde-value"' in html
    assert not PhaseDesign.objects.exists()
    recorded = client.post(url, design_post(action="record"))
    assert recorded.status_code == 302
    design = PhaseDesign.objects.get(phase=world.first)
    assert design.seed == 2026
    assert design.allocations.count() == 6


def test_pages_show_words_not_codes(world, client):
    services.design_record(actor=world.home_affairs, phase=world.first, inputs=RANDOMISED)
    client.force_login(world.home_affairs)
    for url in (
        reverse("assessment:phases"),
        reverse("assessment:phase_detail", args=[world.first.pk]),
        reverse("assessment:phase_detail", args=[world.second.pk]),
    ):
        text = _visible_text(client.get(url).content.decode())
        assert not KEY.findall(text), (url, KEY.findall(text))
    preview = client.post(reverse("assessment:design_wizard", args=[world.first.pk]), design_post(action="preview"))
    text = _visible_text(preview.content.decode())
    assert not KEY.findall(text)


def test_second_phase_page_explains_why_it_cannot_launch(world, client):
    services.design_record(actor=world.home_affairs, phase=world.first, inputs=RANDOMISED)
    services.phase_launch(actor=world.home_affairs, phase=world.first)
    client.force_login(world.home_affairs)
    page = client.get(reverse("assessment:phase_detail", args=[world.second.pk])).content.decode()
    assert 'id="launch-refusal"' in page
    refused = client.post(reverse("assessment:phase_launch", args=[world.second.pk]), follow=True)
    assert PilotPhase.objects.get(pk=world.second.pk).started_at is None
    assert "Giai đoạn 1" in refused.content.decode()


def test_leadership_records_the_review(world, client):
    services.design_record(actor=world.home_affairs, phase=world.first, inputs=RANDOMISED)
    services.phase_launch(actor=world.home_affairs, phase=world.first)
    client.force_login(world.leadership)
    url = reverse("assessment:phase_review", args=[world.first.pk])
    missing = client.post(url, {"decision": "widen", "reasons": ""})
    assert missing.status_code == 200
    assert not PhaseReview.objects.exists()
    done = client.post(url, {"decision": "widen", "reasons": "Chỉ tiêu đạt", "report_reference": "15/BC-SNV"})
    assert done.status_code == 302
    assert PhaseReview.objects.get().decided_by == world.leadership


def test_design_history_reads_in_words_for_home_affairs_and_is_hidden_from_staff(world, client):
    design = services.design_record(actor=world.home_affairs, phase=world.first, inputs=RANDOMISED)
    url = reverse("portal:audit_object", args=["assessment.phasedesign", str(design.pk)])
    client.force_login(world.home_affairs)
    page = client.get(url)
    assert page.status_code == 200
    assert "Đã ghi nhận thiết kế thí điểm" in page.content.decode()
    client.force_login(world.staff_user)
    assert client.get(url).status_code == 404
