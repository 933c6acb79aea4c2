"""The telephony system's live event API, and the screen pop an agent's desk polls."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.accounts.models import User
from hotline.accounts.permissions import HasRole
from hotline.contacts import services
from hotline.core.contact_records import AgentState
from hotline.customers.api import HasPermissions
from hotline.customers.import_rows import clean_phone

AGENT_STATE = "agent_state"
_REQUIRED = {
    **{event: ("call_id", "caller_number") for event in services.EVENTS},
    AGENT_STATE: ("agent_id", "state"),
}


class CtiEventSerializer(serializers.Serializer):
    """A call event (queued, ringing, answered, abandoned, ended) with the call's id and
    number, or an agent's state change (agent_state) with the agent ID and the state."""

    event = serializers.ChoiceField(choices=[*services.EVENTS, AGENT_STATE])
    call_id = serializers.CharField(max_length=64, required=False)
    caller_number = serializers.CharField(max_length=40, required=False)
    called_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    queue = serializers.CharField(max_length=40, required=False, allow_blank=True)
    agent_id = serializers.CharField(max_length=20, required=False, allow_blank=True)
    state = serializers.ChoiceField(choices=[state.value for state in AgentState], required=False)
    reason = serializers.CharField(max_length=40, required=False, allow_blank=True)
    at = serializers.DateTimeField(required=False)

    def validate_caller_number(self, value: str) -> str:
        try:
            return clean_phone(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None

    def validate(self, attrs):
        missing = {
            name: [_("此项为必填项。")]
            for name in _REQUIRED.get(attrs["event"], ())
            if not attrs.get(name)
        }
        if missing:
            raise serializers.ValidationError(missing)
        if attrs["event"] == AGENT_STATE:
            agent = User.objects.filter(agent_id=attrs["agent_id"]).first()
            if agent is None:
                raise serializers.ValidationError({"agent_id": [_("没有这个工号的坐席。")]})
            attrs["agent"] = agent
        return attrs


class CtiEventView(APIView):
    """POST one live telephony event: a call's (idempotent by the call and its queue) or an
    agent's state change."""

    permission_classes = [HasPermissions]
    required_permissions = ["contacts.receive_cti_events"]

    @extend_schema(request=CtiEventSerializer, responses={202: dict})
    def post(self, request):
        serializer = CtiEventSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["event"] == AGENT_STATE:
            presence = services.record_agent_state(
                agent=data["agent"],
                state=AgentState(data["state"]),
                reason=data.get("reason", ""),
                at=data.get("at"),
            )
            body = {"agent": presence.agent_id, "state": presence.state, "since": presence.since}
            return Response(body, status=status.HTTP_202_ACCEPTED)
        contact = services.record_cti_event(
            **{
                name: data[name]
                for name in (
                    "event",
                    "call_id",
                    "caller_number",
                    "called_number",
                    "queue",
                    "agent_id",
                    "at",
                )
                if name in data
            }
        )
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
