"""Acceptance test 4 in a real browser: a CTI ring pops the customer for the right agent; the
agent opens a fault order for a VIP line; a second-line user accepts and replies; the owner
records an unsatisfied callback; the order reopens; then a satisfied callback archives it;
the history shows every step.

Each person has their own browser context (their own session), as at their own desks.
"""

import json
import re
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from hotline.contacts.models import Contact
from hotline.workorders.models import State, WorkOrder
from tests.browser.conftest import CHROMIUM_ARGS, TIMEOUT_MS
from tests.conftest import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium_executable fixture then skips these tests, or in CI fails them
    expect = None

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; the roles are rows made by a data migration,
    # which a flush between tests would otherwise lose.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The desk polls every second; a pop must show within two polls and a little rendering.
POP_WITHIN_MS = 2_500
EVERY_STEP = [
    "create",
    "escalate",
    "dispatch",
    "accept",
    "reply",
    "callback",
    "accept",
    "reply",
    "callback",
]


@pytest.fixture
def browser(chromium_executable, live_server) -> Iterator:
    from playwright.sync_api import sync_playwright

    # As in conftest's `page`: the test's own ORM calls run while Playwright's loop does.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_executable, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()


@pytest.fixture
def desk_of(browser, live_server, cast) -> Iterator[Callable]:
    """A signed-in desk (a page in its own browser context) for one of the cast."""
    contexts = []

    def open_desk(username: str):
        context = browser.new_context(
            base_url=live_server.url,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport={"width": 1366, "height": 768},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login/")
        form = page.locator("section.login form")
        form.locator("#id_username").fill(username)
        form.locator("#id_password").fill(PASSWORD)
        form.locator("button[type=submit]").click()
        page.wait_for_url("/")
        return page

    yield open_desk
    for context in contexts:
        context.close()


@pytest.fixture
def shoot(request) -> Callable:
    """Save a whole page as test-artifacts/screenshots/<test name>-<step>.png."""
    directory = request.config.rootpath / "test-artifacts" / "screenshots"
    directory.mkdir(parents=True, exist_ok=True)

    def take(page, step: str) -> Path:
        path = directory / f"{request.node.name}-{step}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


def post_cti_event(live_server, token: str, **event) -> dict:
    """What the telephony system does: POST one call event to the API with its token."""
    request = urllib.request.Request(
        f"{live_server.url}/api/cti/events",
        data=json.dumps(event).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 202
        return json.loads(response.read())


def take_step(page, step: str, **fields) -> None:
    """Fill the step's form (fields by name without the step prefix) and confirm it."""
    form = page.locator(f'form[data-step="{step}"]')
    for name, value in fields.items():
        field = form.locator(f'[name="{step}-{name}"]')
        if field.first.get_attribute("type") == "radio":
            form.locator(f'[name="{step}-{name}"][value="{value}"]').check()
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()


def expect_state(page, order: WorkOrder, label: str) -> None:
    page.wait_for_url(f"/orders/{order.pk}/")
    expect(page.locator("#order-state")).to_have_text(label)


def test_a_vip_fault_from_a_screen_pop_to_its_archived_history(
    cast, customer, live_server, desk_of, shoot
):
    broadband = customer.lines.get(service_type="broadband")
    token = Token.objects.create(user=cast["admin"]).key
    xiaowang = desk_of("xiaowang")
    laozhang = desk_of("laozhang")
    for desk in (xiaowang, laozhang):
        expect(desk.locator("#desk-pop")).to_be_attached()

    # The telephony system rings 小王's seat (工号 10001) with 王建国's number.
    answer = post_cti_event(
        live_server,
        token,
        event="ringing",
        call_id="1750000000.42",
        caller_number="13812345678",
        queue="vip",
        agent_id="10001",
    )
    assert answer["customer"] == customer.pk
    xiaowang.wait_for_url(
        re.compile(rf"/customers/{customer.pk}/\?contact={answer['contact']}$"),
        timeout=POP_WITHIN_MS,
    )
    expect(xiaowang.locator("h1")).to_contain_text("王建国")
    expect(xiaowang.locator("#workorders .call")).to_contain_text("138****5678")
    shoot(xiaowang, "desk-pop")
    laozhang.wait_for_timeout(1_500)  # more than one poll of the other desk
    assert laozhang.url == f"{live_server.url}/"
    assert Contact.objects.get(pk=answer["contact"]).popped_at is not None

    # 小王 opens a fault order for the VIP broadband line, by keyboard where a desk would.
    xiaowang.keyboard.press("n")
    xiaowang.wait_for_url(
        re.compile(rf"/customers/{customer.pk}/orders/new/\?contact={answer['contact']}$")
    )
    expect(xiaowang.locator("input[name=order_type]:checked")).to_be_focused()
    xiaowang.keyboard.press("ArrowRight")  # 业务受理
    xiaowang.keyboard.press("ArrowRight")  # 故障申告
    expect(xiaowang.locator("input[name=order_type][value=fault]")).to_be_checked()
    expect(xiaowang.locator("#id_fault_scope")).to_be_visible()
    xiaowang.locator("#id_category").select_option(label="宽带无法上网")
    xiaowang.locator("#id_line").select_option(value=str(broadband.pk))
    xiaowang.locator("#id_description").fill("宽带无法上网，光猫LOS灯红色闪烁")
    shoot(xiaowang, "new-order")
    xiaowang.locator("#id_description").press("Enter")
    xiaowang.wait_for_url(re.compile(r"/orders/\d+/$"))
    order = WorkOrder.objects.get()
    assert (order.owner, order.contact_id, order.line) == (
        cast["xiaowang"],
        answer["contact"],
        broadband,
    )
    expect(xiaowang.locator(".view-head")).to_contain_text("绿色通道")
    expect(xiaowang.locator("#order-state")).to_have_text("新建")
    shoot(xiaowang, "opened")

    # Escalated, it goes straight to the category's department, 网络维护部.
    take_step(xiaowang, "escalate")
    expect_state(xiaowang, order, "已派单")

    # 李工 finds it in his group's queue, accepts and replies.
    ligong = desk_of("ligong")
    ligong.get_by_role("link", name="组内队列").click()
    row = ligong.locator("#order-results tr[data-href]", has_text=order.number)
    expect(row).to_contain_text("绿色通道")
    shoot(ligong, "group-queue")
    row.click()
    take_step(ligong, "accept")
    expect_state(ligong, order, "已接单")
    shoot(ligong, "accepted")
    take_step(ligong, "reply", text="远端重启OLT端口，已恢复")
    expect_state(ligong, order, "已回单")

    # The customer is not satisfied: the order goes back to the department (返单).
    xiaowang.reload()
    take_step(xiaowang, "callback", satisfied="no", reason="客户反映仍频繁掉线")
    expect_state(xiaowang, order, "已派单")

    ligong.reload()
    take_step(ligong, "accept")
    expect_state(ligong, order, "已接单")
    take_step(ligong, "reply", text="更换入户光纤，测试正常")
    expect_state(ligong, order, "已回单")

    xiaowang.reload()
    take_step(xiaowang, "callback", satisfied="yes", reason="客户确认已恢复")
    expect_state(xiaowang, order, "已归档")
    order.refresh_from_db()
    assert (order.state, order.reopen_count) == (State.ARCHIVED, 1)

    history = xiaowang.locator("#order-history li")
    expect(history).to_have_count(len(EVERY_STEP))
    assert [item.get_attribute("data-step") for item in history.all()] == EVERY_STEP
    expect(history.locator(".step")).to_have_text(
        ["建单", "转二线", "派单", "接单", "回单", "回访", "接单", "回单", "回访"]
    )
    expect(history.nth(5)).to_contain_text("客户反映仍频繁掉线")
    expect(history.nth(5)).to_contain_text("已回单 → 已派单")
    expect(history.nth(8)).to_contain_text("已回单 → 已归档")
    expect(xiaowang.locator("#order-steps")).to_contain_text("工单已归档")
    shoot(xiaowang, "order-detail")
