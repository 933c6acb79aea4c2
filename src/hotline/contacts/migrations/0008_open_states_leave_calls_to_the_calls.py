"""An open state no longer says whether its agent is on a call (the calls say that): an
agent left on a call by an earlier import is ready, or not ready for the reason they
paused with during the call, from the time the call began."""

from django.db import migrations


def _state_beside_the_call(apps, schema_editor):
    OpenAgentState = apps.get_model("contacts", "OpenAgentState")
    on_call = OpenAgentState.objects.filter(state="on_contact")
    on_call.filter(paused_on_call=True).update(state="not_ready")
    on_call.filter(paused_on_call=False).update(state="ready", reason="")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0007_agent_states_indexed_by_their_end")]

    operations = [
        migrations.RunPython(_state_beside_the_call, migrations.RunPython.noop),
        migrations.RemoveField(model_name="openagentstate", name="paused_on_call"),
    ]
