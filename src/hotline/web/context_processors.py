"""What every page's frame needs: the user's role label, the languages to switch to, the
unread notifications, whether the desk polls for screen pops and shows the reports."""

from hotline.accounts.roles import ROLE_LABELS
from hotline.notifications.selectors import unread_count
from hotline.web.desk_views import SCREEN_POP_ROLES
from hotline.workorders.reports import may_see_order_reports


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = user.role
    return {
        "role": role,
        "role_label": ROLE_LABELS.get(role, "") if role else "",
        "unread_notifications": unread_count(user),
        "screen_pops": role in SCREEN_POP_ROLES,
        "sees_order_reports": may_see_order_reports(user),
    }
