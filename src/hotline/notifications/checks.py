"""System checks: a notification setting that names nothing registered stops the start."""

from django.conf import settings
from django.core.checks import Error, register

from hotline.notifications.channels import registered_channels, unknown_channel_names
from hotline.notifications.sms import registered_sms_backends


@register()
def check_notification_settings(app_configs, **kwargs) -> list[Error]:
    errors = []
    unknown = unknown_channel_names()
    if unknown:
        errors.append(
            Error(
                f"HOTLINE_NOTIFICATION_CHANNELS names unknown channels: {', '.join(unknown)}",
                hint=f"Registered channels: {', '.join(registered_channels())}",
                id="notifications.E001",
            )
        )
    if settings.HOTLINE_SMS_BACKEND not in registered_sms_backends():
        errors.append(
            Error(
                f"HOTLINE_SMS_BACKEND names an unknown SMS backend: {settings.HOTLINE_SMS_BACKEND}",
                hint=f"Registered backends: {', '.join(registered_sms_backends())}",
                id="notifications.E002",
            )
        )
    return errors
