"""The agent desk in a real browser: search as you type, keyboard navigation, masking, import."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from hotline.contacts.call_store import Resolver, store_calls
from hotline.core.contact_records import CallRecord, Outcome

try:
    from playwright.sync_api import expect
except ImportError:  # the `page` fixture then skips these tests, or in CI fails them, saying why
    expect = None

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; the roles are rows made by a data migration,
    # which a flush between tests would otherwise lose.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def search_by_keyboard(page, text: str) -> None:
    """Open customer search from the nav, jump to the box with "/" and type, as an agent does.

    Returns once the results for the whole of `text` are in: htmx pushes the query into the
    address after swapping them in, and answers to earlier keystrokes are never swapped later.
    """
    page.get_by_role("link", name="客户查询").click()
    page.wait_for_url("/customers/")
    box = page.locator("#id_q")
    expect(box).to_be_focused()  # autofocus; "/" only jumps to the box from elsewhere on the page
    page.keyboard.press("Escape")
    expect(box).not_to_be_focused()
    page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.type(text)
    expect(page).to_have_url(re.compile(rf"[?&]q={re.escape(text)}(&|$)"))


def open_first_result_by_keyboard(page, screenshot, customer) -> None:
    page.keyboard.press("ArrowDown")
    expect(page.locator("#results tr[data-href]").first).to_have_class(re.compile(r"\bselected\b"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"/customers/{customer.pk}/")
    screenshot("customer")


def test_an_agent_finds_a_customer_by_part_of_a_number_and_sees_the_360_view_masked(
    customer, log_in, page, screenshot
):
    log_in("xiaowang")
    search_by_keyboard(page, "1381234")
    expect(page.locator("#results tr[data-href]")).to_have_count(1)
    expect(page.locator("#results tr[data-href]")).to_contain_text("王建国")
    screenshot("results")

    open_first_result_by_keyboard(page, screenshot, customer)

    expect(page.locator("h1")).to_contain_text("王建国")
    expect(page.locator('[data-pii="id_number"]')).to_have_text("3201**********0016")
    expect(page.locator('[data-pii="contact_numbers"]')).to_have_text("138****5678")
    assert "13812345678" not in page.content()


def test_the_360_view_lists_the_customers_latest_calls_and_marks_one_calling_again(
    customer, log_in, page, screenshot
):
    now = timezone.now()
    store_calls(
        [
            CallRecord(
                f"c-{days}",
                "Q-宽带",
                now - timedelta(days=days, minutes=5),
                Outcome.ANSWERED,
                12.0,
                now - timedelta(days=days),
                caller="13812345678",
                agent="PJSIP/10001",
                talk_s=288.0,
            )
            for days in (0, 3, 20)
        ],
        "cti",
        Resolver(),
    )
    log_in("xiaowang")
    page.goto(f"/customers/{customer.pk}/")
    card = page.locator("#contacts")
    expect(card.locator("li")).to_have_count(3)
    expect(card).to_contain_text("近 7 天来电 2 次，近 30 天 3 次")
    expect(card.locator(".badge.repeat")).to_have_text("重复来电")
    expect(card.locator("li").first).to_contain_text("138****5678")
    expect(card.locator("li").first).to_contain_text("通话 4:48")
    screenshot("contacts")


def test_a_manager_sees_the_360_view_unmasked_with_its_history(customer, log_in, page, screenshot):
    log_in("zhaomgr")
    search_by_keyboard(page, "1381234")
    expect(page.locator("#results tr[data-href]")).to_contain_text("王建国")
    screenshot("results")

    open_first_result_by_keyboard(page, screenshot, customer)

    expect(page.locator('[data-pii="id_number"]')).to_have_text("320102198001010016")
    expect(page.locator('[data-pii="contact_numbers"]')).to_have_text("13812345678")
    history = page.locator("#history")
    expect(history.locator("tr.event-start").first).to_be_visible()
    expect(history).to_contain_text("新建")
    expect(history).to_contain_text("320102198001010016")


def test_an_agent_does_not_find_a_customer_outside_their_regions_by_number(
    customer, jiangning_customer, log_in, page, screenshot
):
    log_in("xiaowang")
    search_by_keyboard(page, "13900001111")
    screenshot("results")

    expect(page.locator("#results")).to_contain_text("没有找到符合条件的客户")
    expect(page.locator("#results tr[data-href]")).to_have_count(0)
    expect(page.locator("#results")).not_to_contain_text("刘芳")


def test_a_manager_imports_a_csv_and_sees_what_was_created_and_which_row_failed(
    cast, log_in, page, screenshot, tmp_path
):
    upload = tmp_path / "customers.csv"
    upload.write_text(
        "客户编号,客户名称,区域,联系电话\n"
        "NJ100000001,张伟,玄武区,13700001234\n"
        "NJ100000002,李娜,火星区,13700005678\n",
        encoding="utf-8",
    )
    log_in("zhaomgr")
    page.get_by_role("link", name="批量导入").click()
    page.wait_for_url("/customers/import/")
    screenshot("import")

    page.locator("main input[type=file]").set_input_files(upload)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/customers/import/\d+/$"))
    screenshot("batch")

    figures = page.locator("#batch dl.figures")
    expect(figures.locator("div", has_text="新增").locator("dd")).to_have_text("1")
    expect(figures.locator("div", has_text="错误行").locator("dd")).to_have_text("1")
    failed_rows = page.locator("#batch table.errors tbody tr")
    expect(failed_rows).to_have_count(1)
    expect(failed_rows.locator("td").first).to_have_text("3")


def test_switching_to_english_shows_the_interface_in_english(cast, log_in, page, screenshot):
    log_in("xiaowang")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.locator("form.lang button[value=en]").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("header nav").get_by_role("link", name="Customer search")).to_be_visible()
    screenshot("english")
