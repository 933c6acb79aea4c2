"""The roles of the center and what each may do: the one place that says so.

A role is a Django group; a migration creates the groups with these
permissions, and `sync_roles` brings existing groups back in line with this table.
"""

from django.utils.translation import gettext_lazy as _

_SEE_CUSTOMERS = ("customers.view_customer", "customers.view_line", "customers.view_product")
_AUDIT = ("audit.view_auditevent",)
_SEE_ORDERS = ("workorders.view_workorder", "workorders.view_category")
_OPEN_ORDERS = (*_SEE_ORDERS, "workorders.add_workorder")
# A customer's calls on the 360 view (numbers masked unless the role sees PII); with
# view_contact_reports, the call figures and the calls behind them.
_SEE_CONTACTS = ("contacts.view_contact",)
_CALL_REPORTS = ("reports.view_contact_reports", *_SEE_CONTACTS)
# Forecasts, staffing, schedules: build and publish them; see every team's adherence.
_PLAN_WORKFORCE = (
    "workforce.plan_workforce",
    "workforce.view_forecast",
    "workforce.view_schedule",
    *(
        f"workforce.{verb}_{model}"
        for model in ("shifttemplate", "workcontract")
        for verb in ("view", "add", "change")
    ),
)
_SEE_SCHEDULES = ("workforce.view_schedule", "workforce.view_forecast")
_SLA_SETUP = tuple(
    f"workorders.{verb}_{model}"
    for model in (
        "category",
        "slapolicy",
        "slalimit",
        "businesscalendar",
        "openingperiod",
        "publicholiday",
        "faultgradingrule",
    )
    for verb in ("view", "add", "change", "delete")
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "agent": (
        *_SEE_CUSTOMERS,
        *_SEE_CONTACTS,
        *_AUDIT,
        *_OPEN_ORDERS,
        "customers.add_customer",
        "customers.change_customer",
    ),
    "team_lead": (
        *_SEE_CUSTOMERS,
        *_AUDIT,
        *_OPEN_ORDERS,
        "workorders.view_order_reports",
        *_CALL_REPORTS,
        *_SEE_SCHEDULES,
        "customers.add_customer",
        "customers.change_customer",
    ),
    # Field repair and sales must reach and visit the customer: they see contact data whole.
    "second_line": (*_SEE_CUSTOMERS, *_AUDIT, *_SEE_ORDERS, "customers.view_unmasked_pii"),
    "complaint_handler": (
        *_SEE_CUSTOMERS,
        *_SEE_CONTACTS,
        *_AUDIT,
        *_OPEN_ORDERS,
        "customers.change_customer",
        "customers.view_unmasked_pii",
    ),
    "qa_inspector": (*_SEE_CUSTOMERS, *_SEE_CONTACTS, *_SEE_ORDERS),
    "wfm_planner": (*_CALL_REPORTS, *_PLAN_WORKFORCE),
    "manager": (
        *_SEE_CUSTOMERS,
        *_AUDIT,
        *_OPEN_ORDERS,
        "workorders.view_all_orders",
        "workorders.view_order_reports",
        *_CALL_REPORTS,
        *_SEE_SCHEDULES,
        "customers.view_unmasked_pii",
        "customers.view_all_regions",
        "customers.import_customers",
        "customers.view_importbatch",
    ),
    "admin": (
        *_SEE_CUSTOMERS,
        *_AUDIT,
        *_OPEN_ORDERS,
        *_SLA_SETUP,
        "workorders.view_all_orders",
        "workorders.view_order_reports",
        *_CALL_REPORTS,
        *_PLAN_WORKFORCE,
        *(f"reports.{verb}_outage" for verb in ("view", "add", "change", "delete")),
        "contacts.receive_cti_events",
        *(f"contacts.{verb}_queue" for verb in ("view", "add", "change")),
        "contacts.view_agentstateinterval",
        "contacts.view_telephonyimport",
        "contacts.view_badtelephonyline",
        "contacts.view_unknowntelephonyevent",
        *(f"notifications.{verb}_webhookendpoint" for verb in ("view", "add", "change", "delete")),
        "notifications.view_webhookdelivery",
        "notifications.view_smsmessage",
        "customers.add_customer",
        "customers.change_customer",
        "customers.add_line",
        "customers.change_line",
        "customers.add_product",
        "customers.change_product",
        "customers.view_unmasked_pii",
        "customers.view_all_regions",
        "customers.import_customers",
        "customers.view_importbatch",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
    ),
}

ROLE_NAMES: tuple[str, ...] = tuple(ROLE_PERMISSIONS)

ROLE_LABELS = {
    "agent": _("客服代表"),
    "team_lead": _("班长"),
    "second_line": _("二线处理员"),
    "complaint_handler": _("投诉专席"),
    "qa_inspector": _("质检员"),
    "wfm_planner": _("排班专员"),
    "manager": _("中心经理"),
    "admin": _("系统管理员"),
}


def sync_roles(group_model, permission_model) -> None:
    """Create each role's group and give it exactly the permissions listed above."""
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=role)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
