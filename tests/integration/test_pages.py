"""The desk's pages: who may open them and what they show."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hotline.audit.models import AuditEvent
from hotline.customers.models import Customer, ImportBatch
from tests.conftest import CAST


def desk(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("username", list(CAST))
def test_every_role_has_a_home_page(cast, customer, username):
    page = desk(cast[username]).get("/")
    assert page.status_code == 200
    assert cast[username].agent_id in page.content.decode()


def test_the_managers_home_counts_customers_by_region(cast, customer, jiangning_customer):
    page = desk(cast["zhaomgr"]).get("/").content.decode()
    assert "分区域客户" in page and "江宁区" in page


@pytest.mark.parametrize(
    ("username", "status"), [("xiaowang", 200), ("zhouqa", 200), ("wuwfm", 403), ("outsider", 403)]
)
def test_customer_search_is_for_roles_that_see_customers(cast, username, status):
    assert desk(cast[username]).get("/customers/?q=王").status_code == status


def test_a_partial_number_finds_the_customer_with_numbers_masked(cast, customer):
    page = desk(cast["xiaowang"]).get("/customers/?q=1381234").content.decode()
    assert "王建国" in page
    assert "138****5678" in page and "13812345678" not in page


def test_htmx_asks_for_the_results_alone(cast, customer):
    page = desk(cast["xiaowang"]).get("/customers/?q=王", HTTP_HX_REQUEST="true")
    assert "<html" not in page.content.decode()
    assert "王建国" in page.content.decode()


def test_a_callers_number_opens_the_customer_at_once(cast, customer):
    response = desk(cast["xiaowang"]).get("/customers/?number=+86 138 1234 5678")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/customers/{customer.pk}/"


def test_a_customer_outside_the_agents_regions_is_not_found(cast, jiangning_customer):
    assert desk(cast["xiaowang"]).get(f"/customers/{jiangning_customer.pk}/").status_code == 404
    page = desk(cast["xiaowang"]).get("/customers/?q=13900001111").content.decode()
    assert "刘芳" not in page


def test_the_360_view_is_masked_for_an_agent_and_whole_for_a_manager(cast, customer):
    masked = desk(cast["xiaowang"]).get(f"/customers/{customer.pk}/").content.decode()
    whole = desk(cast["zhaomgr"]).get(f"/customers/{customer.pk}/").content.decode()
    assert "3201**********0016" in masked and "320102198001010016" not in masked
    assert "320102198001010016" in whole and "KD02500000001" in whole
    for section in ("profile", "lines", "contacts", "workorders", "surveys", "history"):
        assert f'id="{section}"' in whole


def test_an_unmasked_view_is_itself_recorded(cast, customer):
    desk(cast["zhaomgr"]).get(f"/customers/{customer.pk}/")
    desk(cast["xiaowang"]).get(f"/customers/{customer.pk}/")
    reveals = customer_reveals(customer)
    assert [event.actor for event in reveals] == [cast["zhaomgr"]]


def customer_reveals(customer: Customer):
    return list(AuditEvent.objects.filter(customer_id=customer.pk, action="reveal"))


@pytest.mark.parametrize(
    ("username", "status"), [("zhaomgr", 200), ("admin", 200), ("xiaowang", 403), ("laozhang", 403)]
)
def test_the_import_page_is_for_managers_and_admins(cast, username, status):
    assert desk(cast[username]).get("/customers/import/").status_code == status


def test_an_uploaded_file_is_imported_and_its_bad_rows_listed(
    cast, products, django_capture_on_commit_callbacks
):
    content = "客户编号,客户名称,区域\nNJ1,王建国,玄武区\nNJ2,张三,火星区\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = desk(cast["zhaomgr"]).post(
            "/customers/import/", {"file": SimpleUploadedFile("customers.csv", content)}
        )
    batch = ImportBatch.objects.get()
    assert response.headers["Location"] == f"/customers/import/{batch.pk}/"
    assert (batch.status, batch.created_count, batch.error_count) == ("done", 1, 1)
    page = desk(cast["zhaomgr"]).get(response.headers["Location"]).content.decode()
    assert "火星区" in page and ">3<" in page


def test_a_file_of_the_wrong_type_is_refused_on_the_form(cast):
    response = desk(cast["zhaomgr"]).post(
        "/customers/import/", {"file": SimpleUploadedFile("customers.txt", b"x")}
    )
    assert response.status_code == 200
    assert ".xlsx" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_interface_switches_to_english(cast):
    client = desk(cast["xiaowang"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Customer search" in page
