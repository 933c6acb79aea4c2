"""A planner's week in a real browser: forecast next week from the history, build the
schedule, publish it; then an agent finds their shifts."""

import pytest
from django.utils import timezone

from hotline.workforce.models import Schedule
from tests.workforce_data import next_monday, small_center

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_planner_forecasts_schedules_and_publishes_and_an_agent_sees_their_shifts(
    cast, log_in, page, screenshot
):
    small_center(cast)
    week = next_monday()
    log_in("wuwfm")
    page.get_by_role("link", name="排班", exact=True).click()
    page.select_option("select[name=group]", "BB")
    page.fill("input[name=week]", str(week))
    page.get_by_role("button", name="查看").click()
    page.get_by_role("button", name="生成预测").click()
    page.locator("#forecast-models").get_by_text("BB 宽带").wait_for()
    page.locator("#forecast-chart svg").wait_for()
    page.locator("#staffing-days").wait_for()
    screenshot("forecast")

    page.get_by_role("button", name="生成排班").click()
    page.locator("#gantt").wait_for()
    screenshot("draft")
    page.get_by_role("button", name="发布排班").click()
    page.locator("#schedule-status", has_text="已发布").wait_for()
    screenshot("published")
    schedule = Schedule.objects.get(status=Schedule.Status.PUBLISHED)
    first = schedule.shifts.exclude(agent=None).order_by("starts_at").first()
    agent = first.agent

    page.context.clear_cookies()
    log_in(agent.username)
    page.get_by_role("link", name="我的班次").click()
    rows = page.locator("#my-shifts tbody tr")
    rows.first.wait_for()
    assert rows.count() == schedule.shifts.filter(agent=agent).count()
    assert str(timezone.localdate(first.starts_at)) in rows.first.inner_text()
    screenshot("agent")
