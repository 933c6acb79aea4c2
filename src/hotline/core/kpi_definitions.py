"""The built-in contact KPIs, each a `KpiDefinition`; contact_kpis registers them.

docs/kpis.md defines every one: its formula, the records it counts and those it leaves
out, its variants and its edge cases. `BUILT_IN` keeps the order of the report columns.
"""

from collections.abc import Callable

import numpy as np

from hotline.core.contact_tables import BoolArray, FloatArray
from hotline.core.kpi_facts import (
    Facts,
    KpiDefinition,
    KpiInput,
    Mask,
    Source,
    Unit,
    after,
    ratio,
    within,
)
from hotline.core.kpi_periods import covered_before

_CALLS: frozenset[Source] = frozenset({"calls"})
_STATES: frozenset[Source] = frozenset({"states"})


def _one(
    name: str,
    labels: tuple[str, str],
    unit: Unit,
    figure: Callable[[KpiInput], FloatArray],
    behind: Mask | None,
    needs: frozenset[Source] = _CALLS,
    records: Source | None = "calls",
    variants: tuple[str, ...] = (),
) -> KpiDefinition:
    """A one-column KPI."""
    return KpiDefinition(
        name=name,
        label_zh=labels[0],
        label_en=labels[1],
        unit=unit,
        needs=needs,
        compute=lambda k: {name: figure(k)},
        behind=None if behind is None else lambda facts, _column: behind(facts),
        records=None if behind is None else records,
        variants=variants,
    )


def _count(call_set: str) -> Callable[[KpiInput], FloatArray]:
    return lambda k: k.count(call_set)


def _rate(part: str, whole: str) -> Callable[[KpiInput], FloatArray]:
    return lambda k: ratio(k.count(part), k.count(whole))


def _mean(value: str, call_set: str) -> Callable[[KpiInput], FloatArray]:
    return lambda k: k.mean(value, call_set)


def _calls_of(call_set: str) -> Mask:
    return lambda facts: facts.call_set(call_set)


def _state_total(mask: Mask) -> Callable[[KpiInput], FloatArray]:
    return lambda k: k.state_seconds(mask(k.facts))


def _state_rate(part: Mask, whole: Mask) -> Callable[[KpiInput], FloatArray]:
    return lambda k: ratio(k.state_seconds(part(k.facts)), k.state_seconds(whole(k.facts)))


# Named call sets (kpi_facts.CALL_SETS), so that each figure is computed alike from the
# calls and from their summaries.
_COUNTS: list[tuple[str, str, str, str]] = [
    ("offered", "呼入量", "Offered calls", "counted"),
    ("answered", "接通量", "Answered calls", "answered"),
    ("abandoned", "放弃量", "Abandoned calls", "abandoned"),
    ("timeout", "排队超时量", "Queue timeouts", "timeout"),
    ("left_with_key", "按键离队量", "Left the queue by key", "left_with_key"),
    ("no_agents", "无坐席量", "No agents logged in", "no_agents"),
    ("short_abandoned", "短时放弃量", "Short abandons (not offered)", "short_abandoned"),
    ("transfers", "转接量", "Transferred calls", "transferred"),
]

SERVICE_LEVEL_VARIANTS = ("answered_and_abandoned", "offered", "answered_and_abandoned_after_t")


def _service_level(k: KpiInput, threshold: float) -> FloatArray:
    variant = k.variant("service_level")
    if variant == "answered_and_abandoned":
        whole = k.count("answered") + k.count("abandoned")
    elif variant == "offered":
        whole = k.count("counted")
    else:  # a call abandoned within T neither helps nor hurts
        whole = k.count("answered") + k.count(after(threshold))
    return ratio(k.count(within(threshold)), whole)


def _threshold_columns(facts: Facts) -> tuple[str, ...]:
    return tuple(f"service_level_{t:g}s" for t in facts.settings.reported_thresholds_s)


def _threshold_of(column: str) -> float:
    return float(column.removeprefix("service_level_").removesuffix("s"))


_RATES: list[tuple[str, str, str, str, str]] = [
    ("answer_rate", "接通率", "Answer rate", "answered", "counted"),
    ("abandon_rate", "放弃率（呼损率）", "Abandon rate", "abandoned", "counted"),
    ("transfer_rate", "转接率", "Transfer rate", "transferred", "answered"),
    (
        "fcr_calls",
        "一次解决率（来电）",
        "First-contact resolution (calls)",
        "resolved_first",
        "known_caller",
    ),
]

_MEANS: list[tuple[str, str, str, str, str]] = [
    ("asa", "平均应答速度", "Average speed of answer", "wait_s", "answered"),
    ("average_abandon_time", "平均放弃时长", "Average time to abandon", "wait_s", "abandoned"),
    ("aht", "平均处理时长", "Average handle time", "handle_s", "answered"),
    ("average_talk_time", "平均通话时长", "Average talk time", "talk_s", "answered"),
    ("average_hold_time", "平均保持时长", "Average hold time", "hold_s", "answered"),
    (
        "average_acw_time",
        "平均话后处理时长",
        "Average after-call work time",
        "after_call_work_s",
        "answered",
    ),
]

_STATE_SECONDS: list[tuple[str, str, str, Mask]] = [
    ("logged_in_s", "签入时长", "Logged-in time", lambda f: f.logged_in),
    ("not_ready_s", "置忙时长", "Not-ready time", lambda f: f.not_ready),
]

_STATE_RATIOS: list[tuple[str, str, str, Mask, Mask]] = [
    ("occupancy", "占用率", "Occupancy", lambda f: f.working, lambda f: f.staffed),
    ("utilization", "利用率", "Utilization", lambda f: f.working, lambda f: f.logged_in),
    ("not_ready_ratio", "置忙率", "Not-ready ratio", lambda f: f.not_ready, lambda f: f.logged_in),
]


def _cost_per_contact(k: KpiInput) -> FloatArray:
    cost, states = k.facts.extras.staff_cost, k.facts.states
    assert cost is not None and states is not None
    by_team = [cost.per_team.get(team, cost.per_hour) / 3600 for team in states.team.names]
    per_second = np.array(by_team, dtype=np.float64)[states.team.codes]
    return ratio(k.state_seconds(k.facts.logged_in, per_second), k.count("answered"))


def _every_survey(facts: Facts) -> BoolArray:
    return np.ones(len(facts.surveys), dtype=np.bool_)


def _availability(k: KpiInput) -> FloatArray:
    outages = k.facts.extras.outages
    assert outages is not None
    down = covered_before(outages.start, outages.end, k.row_end) - covered_before(
        outages.start, outages.end, k.row_start
    )
    length = (k.row_end - k.row_start).astype(np.float64)
    return 1 - ratio(down.astype(np.float64), length)


BUILT_IN: tuple[KpiDefinition, ...] = (
    *(
        _one(name, (zh, en), "count", _count(call_set), _calls_of(call_set))
        for name, zh, en, call_set in _COUNTS
    ),
    _one(
        "service_level",
        ("服务水平（T 秒接通率）", "Service level within T"),
        "ratio",
        lambda k: _service_level(k, k.settings.service_level_s),
        lambda f: f.call_set(within(f.settings.service_level_s)),
        variants=SERVICE_LEVEL_VARIANTS,
    ),
    KpiDefinition(
        name="service_level_at",
        label_zh="各门限服务水平（15 秒、20 秒接通率）",
        label_en="Service level at each reported threshold",
        unit="ratio",
        needs=_CALLS,
        compute=lambda k: {
            column: _service_level(k, _threshold_of(column))
            for column in _threshold_columns(k.facts)
        },
        behind=lambda facts, column: facts.call_set(within(_threshold_of(column))),
        columns=_threshold_columns,
        column_prefix="service_level_",
    ),
    *(
        _one(name, (zh, en), "ratio", _rate(part, whole), _calls_of(part))
        for name, zh, en, part, whole in _RATES
    ),
    *(
        _one(name, (zh, en), "seconds", _mean(value, call_set), _calls_of(call_set))
        for name, zh, en, value, call_set in _MEANS
    ),
    _one(
        "longest_wait",
        ("最长等待时长", "Longest wait"),
        "seconds",
        lambda k: k.longest("wait_s", "counted"),
        _calls_of("counted"),
    ),
    _one(
        "repeat_caller_rate",
        ("重复来电率", "Repeat-caller rate"),
        "ratio",
        lambda k: ratio(
            k.distinct_callers(k.facts.repeat_contact), k.distinct_callers(k.facts.known_caller)
        ),
        lambda f: f.repeat_contact,
    ),
    *(
        _one(name, (zh, en), "seconds", _state_total(mask), mask, needs=_STATES, records="states")
        for name, zh, en, mask in _STATE_SECONDS
    ),
    *(
        _one(
            name,
            (zh, en),
            "ratio",
            _state_rate(part, whole),
            part,
            needs=_STATES,
            records="states",
        )
        for name, zh, en, part, whole in _STATE_RATIOS
    ),
    KpiDefinition(
        name="not_ready_by_reason",
        label_zh="分原因置忙时长",
        label_en="Not-ready time by reason",
        unit="seconds",
        needs=_STATES,
        compute=lambda k: {
            f"not_ready_s:{suffix}": k.state_seconds(k.facts.not_ready_for(suffix))
            for suffix in k.facts.reasons
        },
        behind=lambda facts, column: facts.not_ready_for(column.removeprefix("not_ready_s:")),
        records="states",
        columns=lambda facts: tuple(f"not_ready_s:{suffix}" for suffix in facts.reasons),
        column_prefix="not_ready_s:",
    ),
    _one(
        "cost_per_contact",
        ("单次接触成本", "Cost per contact"),
        "currency",
        _cost_per_contact,
        lambda f: f.answered,
        needs=frozenset({"calls", "states", "staff_cost"}),
    ),
    _one(
        "fcr_orders",
        ("一次解决率（工单）", "First-contact resolution (orders)"),
        "ratio",
        lambda k: ratio(
            k.orders(k.facts.orders.resolved_first == 1),
            k.orders(k.facts.orders.resolved_first >= 0),
        ),
        lambda f: f.orders.resolved_first == 1,
        needs=frozenset({"orders"}),
        records="orders",
    ),
    _one(
        "complaint_rate",
        ("投诉率（每万次接通）", "Complaints per 10,000 answered calls"),
        "per_10k",
        lambda k: ratio(k.orders(k.facts.orders.complaint) * 10_000, k.count("answered")),
        lambda f: f.orders.complaint,
        needs=frozenset({"calls", "orders"}),
        records="orders",
    ),
    _one(
        "satisfaction",
        ("满意度平均分", "Mean satisfaction score"),
        "score",
        lambda k: ratio(
            k.surveys(_every_survey(k.facts), k.facts.surveys.score),
            k.surveys(_every_survey(k.facts)),
        ),
        _every_survey,
        needs=frozenset({"surveys"}),
        records="surveys",
    ),
    _one(
        "satisfaction_rate",
        ("满意率（4–5 分占比）", "Satisfied share (scores 4–5)"),
        "ratio",
        lambda k: ratio(k.surveys(k.facts.surveys.score >= 4), k.surveys(_every_survey(k.facts))),
        lambda f: f.surveys.score >= 4,
        needs=frozenset({"surveys"}),
        records="surveys",
    ),
    _one(
        "availability",
        ("系统无障碍率", "System availability"),
        "ratio",
        _availability,
        None,
        needs=frozenset({"outages"}),
    ),
)
