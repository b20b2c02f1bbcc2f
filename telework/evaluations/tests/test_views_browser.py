"""In a real browser: a head finalises their unit (a change needs a reason, shown next to the field; the quota panel
says who would drop), then a staff member reads their published breakdown and appeals once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from telework.core.tests.browser.pages import login
from telework.evaluations import services
from telework.evaluations.models import Evaluation
from telework.evaluations.tests.helpers import FULL, agency_head, computed_quarter

pytestmark = pytest.mark.browser


def test_head_finalises_a_unit_and_staff_reads_the_breakdown(page, city, browser_problems):
    from playwright.sync_api import expect

    period = computed_quarter(city)
    services.period_start_review(period=period, actor=city.hr)
    # Three officers already scored excellent by the head: over the quota of their peer group.
    for person in city.staff[:3]:
        services.head_confirm_or_change(evaluation=Evaluation.objects.get(period=period, staff=person), actor=city.head_user, level="excellent", general=FULL)
    target = Evaluation.objects.get(period=period, staff=city.staff[4])

    login(page, city.head_user.username)
    page.goto(reverse("evaluations:unit", args=[period.pk, city.unit.pk]))
    expect(page.locator("#quota-panel [data-staff]")).to_have_count(2)

    row = page.locator(f"#evaluation-{target.pk}")
    row.locator("select[name=level]").select_option("completed")
    row.locator("button[type=submit]").click()
    expect(page.locator(f"#evaluation-{target.pk} .invalid-feedback")).to_be_visible()
    expect(page.locator(f"#evaluation-{target.pk} [data-rule=change_reason]")).to_be_visible()

    row = page.locator(f"#evaluation-{target.pk}")
    row.locator("input[name=reason]").fill("Chậm nộp báo cáo tổng hợp tháng 8")
    row.locator("button[type=submit]").click()
    expect(page.locator(f"#evaluation-{target.pk} .final-level")).to_be_visible()
    target.refresh_from_db()
    assert (target.final_level, target.change_reason) == ("completed", "Chậm nộp báo cáo tổng hợp tháng 8")

    page.locator("#confirm-all").click()
    expect(page.locator("#undecided-count")).to_contain_text("1")  # the head's own evaluation is the agency head's

    decider = agency_head(city)
    for evaluation in Evaluation.objects.filter(period=period, final_level=""):
        services.head_confirm_or_change(evaluation=evaluation, actor=decider, level=evaluation.proposed_level or "completed", reason="Không có việc")
    services.quota_enforce(period=period, actor=city.hr)
    services.period_lock(period=period, actor=city.hr)
    services.period_publish(period=period, actor=city.hr)

    page.context.clear_cookies()
    member = city.staff[4]
    login(page, member.user.username)
    page.goto(reverse("evaluations:home"))
    page.locator(f"a[href='{reverse('evaluations:evaluation', args=[target.pk])}']").click()
    breakdown = page.locator("#breakdown")
    expect(breakdown.locator("[data-code='tasks.quantity']")).to_contain_text("Nghị định 335/2025/NĐ-CP, Điều 14, khoản 2")
    expect(breakdown.locator("[data-code='general']")).to_contain_text("Thủ trưởng chưa chấm tiêu chí chung")
    expect(page.locator("#result-level")).to_contain_text("Hoàn thành nhiệm vụ (HT)")
    expect(page.get_by_text("Chậm nộp báo cáo tổng hợp tháng 8")).to_be_visible()

    page.locator("form[action$='/appeal/'] textarea").fill("Tôi đã nộp báo cáo đúng hạn qua hệ thống")
    page.locator("form[action$='/appeal/'] button").click()
    expect(page.locator("#appeal")).to_contain_text("Tôi đã nộp báo cáo đúng hạn qua hệ thống")
    expect(page.locator("form[action$='/appeal/']")).to_have_count(0)


def test_agency_head_judges_a_leader_from_an_empty_level_with_the_quota_groups_explained(page, city, browser_problems):
    from playwright.sync_api import expect

    period = computed_quarter(city)
    decider = agency_head(city)
    leader = Evaluation.objects.get(period=period, staff=city.head)

    login(page, decider.username)
    page.goto(reverse("evaluations:unit", args=[period.pk, city.unit.pk]))
    row = page.locator(f"#evaluation-{leader.pk}")
    expect(row.locator("select[name=level]")).to_have_value("")
    # The one-stop clerk is alone in their job position: the panel says the group is too small to be capped on its own.
    expect(page.locator("#quota-panel .quota-groups [data-capped=no]").first).to_contain_text("Cán bộ một cửa")

    row.locator("select[name=organising]").select_option("50")
    row.locator("select[name=unity]").select_option("50")
    row.locator("select[name=level]").select_option("completed")
    row.locator("input[name=reason]").fill("Tổ chức thực hiện và đoàn kết nội bộ chưa tốt")
    row.locator("button[type=submit]").click()
    expect(page.locator(f"#evaluation-{leader.pk} .final-level")).to_be_visible()
    leader.refresh_from_db()
    assert (leader.final_level, str(leader.score), leader.leader_factors) == ("completed", "58.33", {"organising": False, "unity": False})
    expect(page.locator(f"#evaluation-{leader.pk} select[name=organising]")).to_have_value("50")
