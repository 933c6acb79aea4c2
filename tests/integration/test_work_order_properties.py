"""Random walks through the real services: whatever allowed steps are taken, in whatever
order, the order keeps its one owner, is archived only after a satisfied callback or
a permitted first-contact close, and every step is in the audit history."""

from django.contrib.auth.models import Group
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from hotline.accounts.models import Department, Region, Team, User
from hotline.audit.models import AuditEvent
from hotline.core import lifecycle
from hotline.customers.models import Customer
from hotline.workorders import services
from hotline.workorders.access import parties_of
from hotline.workorders.models import Category, State, WorkOrder

CATEGORIES = ["broadband.down", "billing.query", "service.attitude", "mobile.change"]
TYPES = {
    "broadband.down": "fault",
    "billing.query": "inquiry",
    "service.attitude": "complaint",
    "mobile.change": "service_request",
}


def _person(username, role, region, **placement) -> User:
    user = User.objects.create_user(username=username, password="x", agent_id=username, **placement)
    user.groups.add(Group.objects.get(name=role))
    user.regions.set([region])
    return User.objects.get(pk=user.pk)


class LifecycleProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        region = Region.objects.create(code="320102", name="玄武区")
        first_line = Team.objects.create(
            name="综合服务一班", department=Department.objects.get(name="客户服务中心")
        )
        cls.agent = _person("agent", "agent", region, team=first_line)
        cls.lead = _person("lead", "team_lead", region, team=first_line)
        cls.manager = _person("manager", "manager", region)
        cls.handlers = [
            _person(
                "maint", "second_line", region, department=Department.objects.get(name="网络维护部")
            ),
            _person(
                "desk",
                "complaint_handler",
                region,
                department=Department.objects.get(name="投诉处理中心"),
            ),
            _person(
                "billing",
                "second_line",
                region,
                department=Department.objects.get(name="计费账务中心"),
            ),
        ]
        cls.customer = Customer.objects.create(external_key="NJ1", name="王建国", region=region)

    def _people(self):
        return [self.agent, self.lead, self.manager, *self.handlers]

    def _take(self, order: WorkOrder, step: str, user: User, choice: int) -> WorkOrder:
        common = {"actor": user, "source": "web", "order": order}
        departments = list(Department.objects.order_by("pk"))
        if step == "close_at_first_contact":
            return services.close_at_first_contact(**common, reply="已答复")
        if step == "solve_at_first_contact":
            return services.solve_at_first_contact(**common, reply="已解决")
        if step == "escalate":
            return services.escalate_to_second_line(**common, reason="转二线")
        if step == "dispatch":
            return services.dispatch_to_department(
                **common, department=departments[choice % len(departments)]
            )
        if step == "transfer":
            return services.transfer_to_department(
                **common, department=departments[choice % len(departments)], reason="转派"
            )
        if step in ("send_back", "suspend", "supervise", "urge"):
            return getattr(services, step)(**common, reason="原因")
        if step == "reply":
            return services.reply(**common, text="已处理", root_cause="根因", fix="整改")
        if step == "callback":
            return services.record_callback(
                **common, satisfied=choice % 2 == 0, root_cause="根因", fix="整改"
            )
        simple = {
            "accept": services.accept,
            "start": services.start_work,
            "arrive_on_site": services.arrive_on_site,
            "resume": services.resume,
        }
        return simple[step](**common)

    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        category=st.sampled_from(CATEGORIES),
        choices=st.lists(st.integers(min_value=0, max_value=10_000), max_size=25),
    )
    def test_no_sequence_of_allowed_steps_breaks_an_invariant(self, category, choices):
        order = services.open_order(
            actor=self.agent,
            source="web",
            customer=self.customer,
            order_type=TYPES[category],
            category=Category.objects.get(code=category),
            description="随机路径",
        )
        taken = 1
        for choice in choices:
            order = WorkOrder.objects.select_related("category").get(pk=order.pk)
            if order.state == State.ARCHIVED:
                break
            options = [
                (step, user)
                for user in self._people()
                for step in lifecycle.allowed_steps(
                    lifecycle.OrderType(order.order_type),
                    lifecycle.State(order.state),
                    parties_of(user, order),
                )
            ]
            if not options:
                break
            step, user = options[choice % len(options)]
            before = order.state
            order = self._take(order, step, user, choice)
            taken += 1 + (step == "escalate" and order.state == State.DISPATCHED)
            assert order.owner_id == self.agent.pk
            if order.state == State.ARCHIVED:
                satisfied_callback = step == "callback" and order.satisfied
                first_contact_close = (
                    step == "close_at_first_contact" and order.category.first_line_may_close
                )
                assert satisfied_callback or first_contact_close, (before, step)
        events = AuditEvent.objects.filter(target_type="workorder", target_id=order.pk)
        assert events.count() == taken
