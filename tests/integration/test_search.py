"""What the search box finds (the selector behind the page and the API)."""

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
