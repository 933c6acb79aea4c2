"""The planner's pages (forecast, staffing, schedules, adherence, intraday) and the agent's own
shifts."""

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotline.accounts.models import SkillGroup, Team
from hotline.workforce import selectors, services
from hotline.workforce.adherence_report import day_adherence
from hotline.workforce.charts import DAY_LABELS, week_chart
from hotline.workforce.intraday_plan import clock, today_plan
from hotline.workforce.models import Forecast, Schedule
from hotline.workforce.plans import NoForecast, week_plan

PLAN = "workforce.plan_workforce"
SEE_SCHEDULES = "workforce.view_schedule"


def _week_of(request) -> date:
    raw = request.GET.get("week") or request.POST.get("week")
    today = timezone.localdate()
    if not raw:
        return selectors.monday_of(today) + timedelta(days=7)
    try:
        return selectors.monday_of(date.fromisoformat(raw))
    except ValueError:
        raise Http404(_("周的日期格式应为 YYYY-MM-DD")) from None


def _skill_group(request) -> SkillGroup:
    code = request.GET.get("group") or request.POST.get("group")
    groups = SkillGroup.objects.order_by("code")
    if not code:
        group = selectors.skill_groups_with_queues().first() or groups.first()
        if group is None:
            raise Http404(_("还没有技能组"))
        return group
    return get_object_or_404(SkillGroup, code=code)


@login_required
@permission_required(SEE_SCHEDULES, raise_exception=True)
def plan_page(request):
    """A skill group's week: forecast against actual calls, staffing per interval, schedules."""
    group = _skill_group(request)
    week = _week_of(request)
    context = {
        "groups": selectors.skill_groups_with_queues(),
        "group": group,
        "week": week,
        "previous_week": week - timedelta(days=7),
        "next_week": week + timedelta(days=7),
        "forecasts": Forecast.objects.filter(queue__skill_group=group, week_start=week)
        .select_related("queue")
        .order_by("queue__code"),
        "schedules": Schedule.objects.filter(skill_group=group, week_start=week).select_related(
            "created_by", "published_by"
        ),
        "can_plan": request.user.has_perm(PLAN),
    }
    try:
        plan = week_plan(group, week)
    except NoForecast:
        plan = None
    if plan is not None:
        actual = selectors.offered_so_far(plan.queues, week, plan.interval_minutes, timezone.now())
        context["chart"] = week_chart(
            [
                (_("预测话务量"), list(plan.calls), "#1f6fb2"),
                *([(_("实际话务量"), actual, "#e67e22")] if actual else []),
            ],
            plan.interval_minutes,
        )
        context["staffing_chart"] = week_chart(
            [
                (_("在线需求"), list(plan.on_phones), "#7f8c8d"),
                (_("排班需求"), list(plan.to_schedule), "#c0392b"),
            ],
            plan.interval_minutes,
        )
        context["days"] = _staffing_by_day(plan)
        context["plan"] = plan
    return render(request, "workforce/plan.html", context)


def _staffing_by_day(plan) -> list[dict]:
    """Per day and interval: calls, AHT, agents needed on the phones and to schedule."""
    per_day = 24 * 60 // plan.interval_minutes
    days = []
    for day in range(7):
        window = slice(day * per_day, (day + 1) * per_day)
        rows = [
            {
                "time": clock(n * plan.interval_minutes),
                "calls": plan.calls[window][n],
                "aht": plan.aht_s[window][n],
                "on_phones": plan.on_phones[window][n],
                "to_schedule": plan.to_schedule[window][n],
            }
            for n in range(per_day)
        ]
        days.append(
            {
                "label": DAY_LABELS[day],
                "date": plan.week_start + timedelta(days=day),
                "calls": float(plan.calls[window].sum()),
                "peak": int(plan.to_schedule[window].max()),
                "agent_hours": float(plan.to_schedule[window].sum()) * plan.interval_minutes / 60,
                "rows": rows,
            }
        )
    return days


@require_POST
@login_required
@permission_required(PLAN, raise_exception=True)
def forecast_action(request):
    group = _skill_group(request)
    week = _week_of(request)
    try:
        forecasts = services.forecast_week(group, week, by=request.user, today=timezone.localdate())
    except services.NoHistory:
        messages.error(request, _("该技能组还没有可用于预测的历史话务"))
    else:
        models = "、".join(sorted({forecast.model for forecast in forecasts}))
        messages.success(
            request,
            _("已生成 %(count)d 个队列的预测（模型：%(models)s）")
            % {"count": len(forecasts), "models": models},
        )
    return redirect(f"{_plan_url()}?group={group.code}&week={week}")


@require_POST
@login_required
@permission_required(PLAN, raise_exception=True)
def schedule_action(request):
    group = _skill_group(request)
    week = _week_of(request)
    try:
        schedule = services.build_schedule(group, week, by=request.user)
    except NoForecast:
        messages.error(request, _("请先生成本周预测"))
    except services.NoTemplates:
        messages.error(request, _("还没有启用的班次模板"))
    else:
        return redirect("workforce-schedule", schedule.pk)
    return redirect(f"{_plan_url()}?group={group.code}&week={week}")


def _plan_url() -> str:
    return reverse("workforce-plan")


@login_required
@permission_required(SEE_SCHEDULES, raise_exception=True)
def schedule_page(request, pk: int):
    schedule = get_object_or_404(Schedule.objects.select_related("skill_group"), pk=pk)
    shifts = list(
        schedule.shifts.select_related("agent__team", "template").order_by(
            "agent__team__name", "agent__agent_id", "starts_at"
        )
    )
    on_phones = selectors.agents_on_phones(schedule, timezone.now())
    context = {
        "schedule": schedule,
        "teams": _gantt(schedule, shifts),
        "shift_count": len(shifts),
        "unfilled": [shift for shift in shifts if shift.agent_id is None],
        "chart": week_chart(
            [
                (_("需求人数"), schedule.required, "#c0392b"),
                (_("排班人数"), schedule.scheduled, "#1f6fb2"),
                *([(_("实际在线"), on_phones, "#27ae60")] if on_phones else []),
            ],
            schedule.interval_minutes,
        ),
        "under": sum(
            max(r - s, 0) for r, s in zip(schedule.required, schedule.scheduled, strict=True)
        ),
        "can_plan": request.user.has_perm(PLAN),
        "days": [(DAY_LABELS[day], schedule.week_start + timedelta(days=day)) for day in range(7)],
    }
    return render(request, "workforce/schedule.html", context)


def _gantt(schedule: Schedule, shifts) -> list[dict]:
    """Per team, per agent: each day's shift as offsets in percent of the day, for the grid."""
    week_begins = selectors.local_midnight(schedule.week_start)
    teams: dict[str, dict[str, dict]] = {}
    for shift in shifts:
        if shift.agent is None:
            continue
        team = shift.agent.team.name if shift.agent.team else _("未分班组")
        row = teams.setdefault(team, {}).setdefault(
            shift.agent.agent_id, {"agent": shift.agent, "days": [[] for _day in range(7)]}
        )
        start_minute = (shift.starts_at - week_begins).total_seconds() / 60
        day = int(start_minute // (24 * 60))
        offset = start_minute - day * 24 * 60
        length = (shift.ends_at - shift.starts_at).total_seconds() / 60
        row["days"][day].append(
            {
                "shift": shift,
                "left": round(offset / 14.4, 2),
                "width": round(min(length, 24 * 60 - offset) / 14.4, 2),
                "label": f"{timezone.localtime(shift.starts_at):%H:%M}–"
                f"{timezone.localtime(shift.ends_at):%H:%M}",
            }
        )
    return [
        {"name": name, "agents": list(agents.values())} for name, agents in sorted(teams.items())
    ]


@require_POST
@login_required
@permission_required(PLAN, raise_exception=True)
def publish_action(request, pk: int):
    schedule = get_object_or_404(Schedule, pk=pk)
    try:
        services.publish_schedule(schedule, by=request.user, now=timezone.now())
    except services.NotADraft:
        messages.error(request, _("只有草稿可以发布"))
    else:
        messages.success(request, _("排班已发布，坐席可以看到自己的班次"))
    return redirect("workforce-schedule", pk)


@login_required
def my_shifts_page(request):
    """The signed-in agent's published shifts from this week on."""
    start = selectors.local_midnight(selectors.monday_of(timezone.localdate()))
    shifts = selectors.published_shifts_of(request.user, start, start + timedelta(weeks=5))
    rows = [
        {
            "shift": shift,
            "breaks": [
                {
                    "kind": item["kind"],
                    "start": timezone.localtime(datetime.fromisoformat(item["start"])),
                    "end": timezone.localtime(datetime.fromisoformat(item["end"])),
                    "paid": item["paid"],
                }
                for item in shift.activities
            ],
        }
        for shift in shifts
    ]
    return render(request, "workforce/my_shifts.html", {"rows": rows})


@login_required
@permission_required(SEE_SCHEDULES, raise_exception=True)
def adherence_page(request):
    raw = request.GET.get("day")
    try:
        day = date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        raise Http404(_("日期格式应为 YYYY-MM-DD")) from None
    team = None
    if request.GET.get("team"):
        team = get_object_or_404(Team, pk=request.GET["team"])
    result = day_adherence(day, now=timezone.now(), team=team)
    agents = [
        {
            "agent_id": agent,
            "name": result.names.get(agent, ""),
            "team": result.team_of.get(agent, ""),
            "figures": figures,
        }
        for agent, figures in sorted(result.report.agents.items())
    ]
    return render(
        request,
        "workforce/adherence.html",
        {
            "day": day,
            "team": team,
            "all_teams": Team.objects.order_by("name"),
            "agents": agents,
            "teams": sorted(result.teams.items()),
            "deviations": result.report.deviations,
            "names": result.names,
        },
    )


@login_required
@permission_required(SEE_SCHEDULES, raise_exception=True)
def intraday_page(request):
    group = _skill_group(request)
    plan = today_plan(group, now=timezone.now())
    return render(
        request,
        "workforce/intraday.html",
        {
            "groups": selectors.skill_groups_with_queues(),
            "group": group,
            "plan": plan,
        },
    )
