"""API errors as JSON that names the field: {"errors": {field: [messages]}, "detail": ...}."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.views import exception_handler


class Conflict(exceptions.APIException):
    """The resource moved on since the client looked (another user was quicker)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "conflict"
    default_code = "conflict"


def json_exception_handler(exc, context):
    # A service's own ValidationError names its fields the way a serializer's does.
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) != {"detail"}:
        response.data = {"detail": "invalid input", "errors": data}
    elif isinstance(data, list):
        response.data = {"detail": "invalid input", "errors": {"non_field_errors": data}}
    return response
