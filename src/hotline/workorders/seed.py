"""What a new center starts with: the category tree, calendars, time limits, grading rules
and China's public holidays. Admins edit all of it afterwards; the migration that
calls these functions only creates what is missing."""

import datetime

import chinese_calendar

# Departments that orders are dispatched to.
MAINTENANCE = "网络维护部"
COMPLAINTS = "投诉处理中心"
SALES = "市场营销部"
BILLING = "计费账务中心"
FIRST_LINE = "客户服务中心"

# code, name, parent code, order type ("" any), service type, first line may close, department
CATEGORIES: list[tuple[str, str, str, str, str, bool, str]] = [
    ("mobile", "移动业务", "", "", "mobile", True, ""),
    ("mobile.plan", "套餐资费咨询", "mobile", "inquiry", "mobile", True, ""),
    ("mobile.change", "套餐变更", "mobile", "service_request", "mobile", True, ""),
    ("mobile.suspend", "停机保号/复机", "mobile", "service_request", "mobile", True, ""),
    ("mobile.signal", "信号差/无信号", "mobile", "fault", "mobile", False, MAINTENANCE),
    ("mobile.data", "无法上网（手机）", "mobile", "fault", "mobile", True, MAINTENANCE),
    ("broadband", "宽带业务", "", "", "broadband", True, ""),
    ("broadband.down", "宽带无法上网", "broadband", "fault", "broadband", False, MAINTENANCE),
    ("broadband.slow", "网速慢/掉线", "broadband", "fault", "broadband", False, MAINTENANCE),
    (
        "broadband.new",
        "宽带新装（预受理）",
        "broadband",
        "service_request",
        "broadband",
        False,
        SALES,
    ),
    ("broadband.move", "宽带移机", "broadband", "service_request", "broadband", False, MAINTENANCE),
    ("broadband.inquiry", "宽带资费咨询", "broadband", "inquiry", "broadband", True, ""),
    ("fixed", "固定电话", "", "", "fixed", True, ""),
    ("fixed.dead", "固话无拨号音", "fixed", "fault", "fixed", False, MAINTENANCE),
    ("fixed.noise", "固话杂音/串线", "fixed", "fault", "fixed", False, MAINTENANCE),
    ("iptv", "IPTV", "", "", "iptv", True, ""),
    ("iptv.play", "IPTV无法播放", "iptv", "fault", "iptv", False, MAINTENANCE),
    ("iptv.order", "IPTV点播订购", "iptv", "service_request", "iptv", True, ""),
    ("billing", "账务", "", "", "", True, ""),
    ("billing.query", "话费查询", "billing", "inquiry", "", True, ""),
    ("billing.dispute", "扣费争议", "billing", "complaint", "", False, COMPLAINTS),
    ("billing.refund", "退费申请", "billing", "service_request", "", False, BILLING),
    ("porting", "携号转网", "", "", "mobile", True, ""),
    ("porting.inquiry", "携转资格咨询", "porting", "inquiry", "mobile", True, ""),
    ("porting.out", "携出申请", "porting", "service_request", "mobile", False, BILLING),
    ("service", "服务质量", "", "", "", True, ""),
    ("service.attitude", "服务态度投诉", "service", "complaint", "", False, COMPLAINTS),
    ("service.delay", "处理超时投诉", "service", "complaint", "", False, COMPLAINTS),
    ("suggestion", "意见建议", "", "", "", True, ""),
    ("suggestion.product", "产品建议", "suggestion", "suggestion", "", True, SALES),
    ("suggestion.service", "服务建议", "suggestion", "suggestion", "", True, FIRST_LINE),
]

TWENTY_FOUR_SEVEN = "7×24小时"
OFFICE_HOURS = "工作日 08:30–17:30"
OFFICE_PERIODS = [
    (datetime.time(8, 30), datetime.time(12, 0)),
    (datetime.time(13, 30), datetime.time(17, 30)),
]

# name, order type, grade, complaint level, tier, calendar, {stage: (amount, unit)}
_M, _H, _D = "minutes", "hours", "days"
POLICIES: list[tuple[str, str, int | None, str, str, str, dict[str, tuple[int, str]]]] = [
    *(
        (
            f"故障{label}（{'VIP' if tier == 'vip' else '普通'}）",
            "fault",
            grade,
            "",
            tier,
            TWENTY_FOUR_SEVEN,
            limits,
        )
        for grade, label, tier, limits in [
            (
                1,
                "一级",
                "vip",
                {"respond": (10, _M), "on_site": (1, _H), "solve": (2, _H), "callback": (4, _H)},
            ),
            (
                1,
                "一级",
                "regular",
                {"respond": (15, _M), "on_site": (2, _H), "solve": (4, _H), "callback": (8, _H)},
            ),
            (
                2,
                "二级",
                "vip",
                {"respond": (15, _M), "on_site": (2, _H), "solve": (4, _H), "callback": (8, _H)},
            ),
            (
                2,
                "二级",
                "regular",
                {"respond": (30, _M), "on_site": (4, _H), "solve": (8, _H), "callback": (24, _H)},
            ),
            (
                3,
                "三级",
                "vip",
                {"respond": (30, _M), "on_site": (4, _H), "solve": (12, _H), "callback": (24, _H)},
            ),
            (
                3,
                "三级",
                "regular",
                {"respond": (1, _H), "on_site": (24, _H), "solve": (24, _H), "callback": (24, _H)},
            ),
            (
                4,
                "四级",
                "vip",
                {"respond": (1, _H), "on_site": (12, _H), "solve": (24, _H), "callback": (24, _H)},
            ),
            (
                4,
                "四级",
                "regular",
                {"respond": (2, _H), "on_site": (48, _H), "solve": (48, _H), "callback": (48, _H)},
            ),
        ]
    ),
    (
        "一般投诉",
        "complaint",
        None,
        "general",
        "",
        OFFICE_HOURS,
        {"respond": (2, _H), "solve": (3, _D), "callback": (1, _D)},
    ),
    (
        "重要投诉",
        "complaint",
        None,
        "important",
        "",
        OFFICE_HOURS,
        {"respond": (1, _H), "solve": (2, _D), "callback": (1, _D)},
    ),
    (
        "重大投诉",
        "complaint",
        None,
        "major",
        "",
        TWENTY_FOUR_SEVEN,
        {"respond": (30, _M), "solve": (24, _H), "callback": (12, _H)},
    ),
    (
        "紧急投诉",
        "complaint",
        None,
        "urgent",
        "",
        TWENTY_FOUR_SEVEN,
        {"respond": (15, _M), "solve": (4, _H), "callback": (4, _H)},
    ),
    (
        "咨询",
        "inquiry",
        None,
        "",
        "",
        OFFICE_HOURS,
        {"respond": (4, _H), "solve": (1, _D), "callback": (1, _D)},
    ),
    (
        "业务受理",
        "service_request",
        None,
        "",
        "",
        OFFICE_HOURS,
        {"respond": (4, _H), "solve": (2, _D), "callback": (1, _D)},
    ),
    (
        "业务受理（VIP）",
        "service_request",
        None,
        "",
        "vip",
        OFFICE_HOURS,
        {"respond": (1, _H), "solve": (1, _D), "callback": (1, _D)},
    ),
    (
        "建议",
        "suggestion",
        None,
        "",
        "",
        OFFICE_HOURS,
        {"respond": (1, _D), "solve": (5, _D), "callback": (2, _D)},
    ),
]

# position, scope, service type, tier, repeat, grade
GRADING_RULES = [
    (10, "area", "", "", "", 1),
    (20, "building", "", "", "", 2),
    (30, "single_user", "", "vip", "repeat", 2),
    (40, "single_user", "", "vip", "", 3),
    (50, "single_user", "", "", "repeat", 3),
    (60, "", "", "", "", 4),
]


def seed_public_holidays(holiday_model, years) -> int:
    """Write China's days off and make-up working days (调休) for the years that
    chinesecalendar knows; returns how many days were added."""
    added = 0
    for year in years:
        days = chinese_calendar.get_dates(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        try:
            details = [(day, *chinese_calendar.get_holiday_detail(day)) for day in days]
        except NotImplementedError:
            continue  # the State Council has not published that year's arrangement yet
        for day, on_holiday, name in details:
            if name is None:
                continue  # an ordinary working day or weekend
            _row, created = holiday_model.objects.get_or_create(
                date=day, defaults={"is_workday": not on_holiday, "name": _holiday_name(name)}
            )
            added += created
    return added


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
}


def _holiday_name(name: str | None) -> str:
    return _HOLIDAY_NAMES.get(name or "", name or "调休")


def seed(apps, today: datetime.date) -> None:
    """Create the starting set of everything above that is not there yet."""
    department = apps.get_model("accounts", "Department")
    category = apps.get_model("workorders", "Category")
    calendar = apps.get_model("workorders", "BusinessCalendar")
    period = apps.get_model("workorders", "OpeningPeriod")
    policy = apps.get_model("workorders", "SlaPolicy")
    limit = apps.get_model("workorders", "SlaLimit")
    rule = apps.get_model("workorders", "FaultGradingRule")
    holiday = apps.get_model("workorders", "PublicHoliday")

    for position, (code, name, parent, order_type, service, may_close, dept) in enumerate(
        CATEGORIES
    ):
        category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "parent": category.objects.get(code=parent) if parent else None,
                "order_type": order_type,
                "service_type": service,
                "first_line_may_close": may_close,
                "default_department": department.objects.get_or_create(name=dept)[0]
                if dept
                else None,
                "position": position,
            },
        )
    always, _created = calendar.objects.get_or_create(
        name=TWENTY_FOUR_SEVEN, defaults={"always_open": True, "observe_public_holidays": False}
    )
    office, created = calendar.objects.get_or_create(name=OFFICE_HOURS)
    if created:
        for weekday in range(5):
            for starts, ends in OFFICE_PERIODS:
                period.objects.create(calendar=office, weekday=weekday, starts=starts, ends=ends)
    calendars = {TWENTY_FOUR_SEVEN: always, OFFICE_HOURS: office}
    for name, order_type, grade, level, tier, calendar_name, limits in POLICIES:
        row, created = policy.objects.get_or_create(
            name=name,
            defaults={
                "order_type": order_type,
                "grade": grade,
                "complaint_level": level,
                "tier": tier,
                "calendar": calendars[calendar_name],
            },
        )
        if created:
            for stage, (amount, unit) in limits.items():
                limit.objects.create(policy=row, stage=stage, amount=amount, unit=unit)
    if not rule.objects.exists():
        for position, scope, service, tier, repeat, grade in GRADING_RULES:
            rule.objects.create(
                position=position,
                fault_scope=scope,
                service_type=service,
                tier=tier,
                repeat=repeat,
                grade=grade,
            )
    seed_public_holidays(holiday, [today.year, today.year + 1])
