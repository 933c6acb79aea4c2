"""What only the services write, the admin shows and never changes: orders, customers,
history, messages sent."""

from django.test import Client

from tests.orders import open_broadband_fault


def test_the_admin_shows_an_order_but_refuses_to_change_it(cast, customer, django_user_model):
    order = open_broadband_fault(cast["xiaowang"], customer)
    boss = django_user_model.objects.create_superuser("boss", password="x", agent_id="B1")
    admin = Client()
    admin.force_login(boss, backend="hotline.accounts.backends.RoleBackend")
    page = f"/admin/workorders/workorder/{order.pk}/change/"
    assert admin.get(page).status_code == 200
    assert admin.post(page, {"state": "archived"}).status_code == 403
    for listing in ("audit/auditevent", "customers/customer", "notifications/smsmessage"):
        assert admin.get(f"/admin/{listing}/").status_code == 200
        assert admin.get(f"/admin/{listing}/add/").status_code == 403


def test_the_admin_sets_up_queues_and_only_shows_call_records(db, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", password="x", agent_id="B1")
    admin = Client()
    admin.force_login(boss, backend="hotline.accounts.backends.RoleBackend")
    assert admin.get("/admin/contacts/queue/add/").status_code == 200
    for listing in (
        "contacts/contact",
        "contacts/agentstateinterval",
        "contacts/telephonyimport",
        "contacts/unknowntelephonyevent",
    ):
        assert admin.get(f"/admin/{listing}/").status_code == 200
        assert admin.get(f"/admin/{listing}/add/").status_code == 403
