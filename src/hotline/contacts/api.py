"""The telephony system's live event API, and the screen pop an agent's desk polls."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.accounts.permissions import HasRole
from hotline.contacts import services
from hotline.customers.api import HasPermissions
from hotline.customers.import_rows import clean_phone


class CtiEventSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=services.EVENTS)
    call_id = serializers.CharField(max_length=64)
    caller_number = serializers.CharField(max_length=40)
    called_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    queue = serializers.CharField(max_length=40, required=False, allow_blank=True)
    agent_id = serializers.CharField(max_length=20, required=False, allow_blank=True)
    at = serializers.DateTimeField(required=False)

    def validate_caller_number(self, value: str) -> str:
        try:
            return clean_phone(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None


class CtiEventView(APIView):
    """POST one event of a call: ringing, answered or ended (idempotent by call_id)."""

    permission_classes = [HasPermissions]
    required_permissions = ["contacts.receive_cti_events"]

    @extend_schema(request=CtiEventSerializer, responses={202: dict})
    def post(self, request):
        serializer = CtiEventSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = services.record_cti_event(**serializer.validated_data)
        return Response(
            {"contact": contact.pk, "status": contact.status, "customer": contact.customer_id},
            status=status.HTTP_202_ACCEPTED,
        )


class ScreenPopView(APIView):
    """The call that should pop on the caller's desk now, once; 204 when there is none."""

    permission_classes = [HasRole]

    @extend_schema(responses={200: dict, 204: None})
    def get(self, request):
        contact = services.take_screen_pop(request.user)
        if contact is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(
            {
                "contact": contact.pk,
                "caller_number": contact.caller_number,
                "customer": contact.customer_id,
                "status": contact.status,
            }
        )
