"""API errors as JSON that names the field: {"errors": {field: [messages]}, "detail": ...}."""

from rest_framework.views import exception_handler


def json_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) != {"detail"}:
        response.data = {"detail": "invalid input", "errors": data}
    elif isinstance(data, list):
        response.data = {"detail": "invalid input", "errors": {"non_field_errors": data}}
    return response
