"""Re-importing never changes a figure: a queue_log imported once or twice, or rotated
anywhere into two files imported one after the other (and again), gives the same KPIs, by
queue and by agent."""

import datetime
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from hotline.contacts.models import AgentStateInterval, Contact, OpenAgentState
from hotline.contacts.telephony_import import import_telephony_files
from hotline.core.contact_tables import Grouping
from hotline.core.kpi_periods import Period
from hotline.reports.call_reports import CallReportQuery, call_report

START = 1772413200  # 2026-03-02 09:00 in Shanghai
DAY = datetime.date(2026, 3, 2)
KPIS = (
    "offered",
    "answered",
    "abandoned",
    "timeout",
    "service_level",
    "asa",
    "aht",
    "fcr_calls",
    "occupancy",
    "not_ready_s",
)


@st.composite
def queue_logs(draw) -> list[str]:
    """A morning of calls to two queues taken by three agents, one call at a time each, who
    pause now and then."""
    agents = ["PJSIP/1001", "PJSIP/1002", "PJSIP/1003"]
    busy_until = dict.fromkeys(agents, 0)
    lines = [(START, f"{START}|MANAGER|support|{agent}|ADDMEMBER|") for agent in agents]
    t = START + 10
    for n in range(draw(st.integers(1, 12))):
        t += draw(st.integers(5, 300))
        call, queue = f"{t}.{n}", draw(st.sampled_from(["support", "billing"]))
        caller = draw(st.sampled_from(["13800001111", "13900002222", "13700003333"]))
        lines.append((t, f"{t}|{call}|{queue}|NONE|ENTERQUEUE||{caller}|1|"))
        wait = draw(st.integers(0, 60))
        free = [agent for agent in agents if busy_until[agent] <= t + wait]
        if free and draw(st.booleans()):
            agent, talk = draw(st.sampled_from(free)), draw(st.integers(10, 400))
            busy_until[agent] = t + wait + talk
            lines.append((t + wait, f"{t + wait}|{call}|{queue}|{agent}|CONNECT|{wait}|{call}9|2"))
            end = draw(st.sampled_from(["COMPLETEAGENT", "COMPLETECALLER"]))
            lines.append(
                (t + wait + talk, f"{t + wait + talk}|{call}|{queue}|{agent}|{end}|{wait}|{talk}|1")
            )
        else:
            event = draw(st.sampled_from(["ABANDON", "EXITWITHTIMEOUT"]))
            lines.append((t + wait, f"{t + wait}|{call}|{queue}|NONE|{event}|1|1|{wait}"))
        if draw(st.booleans()):
            agent, pause = draw(st.sampled_from(agents)), draw(st.integers(30, 600))
            lines.append((t, f"{t}|NONE|support|{agent}|PAUSE|meal"))
            lines.append((t + pause, f"{t + pause}|NONE|support|{agent}|UNPAUSE|"))
    return [text + "\n" for _at, text in sorted(lines, key=lambda line: line[0])]


def figures() -> dict:
    rows = []
    for group in (Grouping.QUEUE, Grouping.AGENT):
        query = CallReportQuery(DAY, DAY, Period.INTERVAL30, group, KPIS)
        rows += [
            (group, row.period, row.group_key, tuple(row.values.items()))
            for row in call_report(query)
        ]
    return sorted(rows)


class ReimportProperties(TestCase):
    def _import(self, *parts: list[str]) -> None:
        with tempfile.TemporaryDirectory() as directory:
            paths = []
            for number, lines in enumerate(parts):
                path = Path(directory) / f"queue_log.{number}"
                path.write_text("".join(lines))
                paths.append(path)
            for path in paths:  # each file its own import, as a cron job would run them
                import_telephony_files([path], "queue_log")

    def _forget(self) -> None:
        Contact.objects.all().delete()
        AgentStateInterval.objects.all().delete()
        OpenAgentState.objects.all().delete()

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(queue_logs())
    def test_importing_a_log_again_never_changes_a_figure(self, lines):
        self._import(lines)
        once = figures()
        self._import(lines)
        assert figures() == once

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(queue_logs(), st.data())
    def test_a_log_rotated_anywhere_gives_the_figures_of_the_whole(self, lines, data):
        self._import(lines)
        whole = figures()
        self._forget()
        cut = data.draw(st.integers(0, len(lines)), label="cut")
        self._import(lines[:cut], lines[cut:])
        assert figures() == whole
        self._import(lines[:cut], lines[cut:])  # and both again
        assert figures() == whole
