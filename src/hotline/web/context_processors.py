"""What every page's frame needs: the user's role label and the languages to switch to."""

from hotline.accounts.roles import ROLE_LABELS


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = user.role
    return {"role": role, "role_label": ROLE_LABELS.get(role, "") if role else ""}
