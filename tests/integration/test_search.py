"""What the search box finds (the selector behind the page and the API)."""

from hotline.customers.models import Customer, CustomerNumber
from hotline.customers.selectors import search_customers
from hotline.customers.services import create_customer


def names(user, text, **filters):
    return {customer.name for customer in search_customers(user, text, **filters)}


def test_a_short_word_matches_the_start_of_a_name_only(customer, cast, regions):
    create_customer(
        actor=cast["admin"],
        source="web",
        values={
            "name": "李中山",
            "region": regions["玄武区"],
            "address": "南京市玄武区王府大街1号",
        },
    )
    assert names(cast["zhaomgr"], "王") == {"王建国"}
    assert names(cast["zhaomgr"], "王府大街") == {"李中山"}


def test_every_term_must_match(customer, cast):
    assert names(cast["zhaomgr"], "王 月牙湖") == {"王建国"}
    assert names(cast["zhaomgr"], "王 龙蟠路") == set()


def test_four_digits_match_a_number_start_or_an_id_tail(customer, cast):
    assert names(cast["zhaomgr"], "0016") == {"王建国"}
    assert names(cast["zhaomgr"], "1381") == {"王建国"}
    assert names(cast["zhaomgr"], "9999") == set()


def test_filters_narrow_the_text(customer, jiangning_customer, cast, regions):
    assert names(cast["zhaomgr"], "", tier="gold") == {"王建国"}
    assert names(cast["zhaomgr"], "", region_id=regions["江宁区"].pk) == {"刘芳"}
    assert names(cast["zhaomgr"], "", vip=True) == {"王建国"}


def _customers_sharing_a_number_prefix(cast, regions, count):
    rows = [
        Customer(external_key=f"K{i:05d}", name=f"甲{i:05d}", region=regions["玄武区"])
        for i in range(count)
    ]
    Customer.objects.bulk_create(rows)
    CustomerNumber.objects.bulk_create(
        CustomerNumber(customer=row, number=f"1380000{i:04d}", kind="contact")
        for i, row in enumerate(rows)
    )


def test_a_number_prefix_shared_by_thousands_still_finds_the_named_customer(cast, regions):
    _customers_sharing_a_number_prefix(cast, regions, 2500)
    create_customer(
        actor=cast["admin"],
        source="web",
        values={"name": "朱丹", "region": regions["玄武区"], "contact_numbers": ["13800009999"]},
    )
    assert names(cast["zhaomgr"], "朱丹 1380") == {"朱丹"}


def test_results_are_in_code_point_order_of_name_on_every_database(cast, regions):
    for name in ["王五", "王二", "王三"]:
        create_customer(
            actor=cast["admin"], source="web", values={"name": name, "region": regions["玄武区"]}
        )
    found = [customer.name for customer in search_customers(cast["zhaomgr"], "王")]
    assert found == sorted(found)
