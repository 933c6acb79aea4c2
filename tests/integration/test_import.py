"""Batch import: upsert by customer key, bad rows reported by row number, idempotent, large."""

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from hotline.audit.models import AuditEvent
from hotline.customers.import_files import FileFormatError, read_customer_rows
from hotline.customers.importing import import_customer_rows
from hotline.customers.models import Customer, CustomerNumber, Line, Subscription

HEADER = [
    "客户编号",
    "客户名称",
    "客户类型",
    "客户级别",
    "集团等级",
    "区域",
    "证件类型",
    "证件号码",
    "联系地址",
    "联系电话",
    "业务类型",
    "号码/账号",
    "号码状态",
    "装机地址",
    "开通日期",
    "订购产品",
]
GOOD_ROWS = [
    [
        "NJ1",
        "王建国",
        "个人",
        "金卡",
        "",
        "玄武区",
        "居民身份证",
        "320102198001010016",
        "南京市玄武区中山路1号",
        "13812345678",
        "移动电话",
        "13812345678",
        "正常",
        "",
        "2019-03-01",
        "M5G129;MCLIP",
    ],
    [
        "NJ1",
        "王建国",
        "个人",
        "金卡",
        "",
        "玄武区",
        "居民身份证",
        "320102198001010016",
        "南京市玄武区中山路1号",
        "13812345678",
        "宽带",
        "KD02500000001",
        "正常",
        "南京市玄武区中山路1号",
        "2020-05-01",
        "BB300",
    ],
    [
        "NJ2",
        "南京紫金科技有限公司",
        "集团",
        "普通",
        "A",
        "江宁区",
        "统一社会信用代码",
        "91320115MA1X2Y3N4K",
        "南京市江宁区双龙大道1号",
        "02584561234;13900001111",
        "固定电话",
        "025-84561234",
        "正常",
        "南京市江宁区双龙大道1号",
        "",
        "",
    ],
]


def write_csv(path: Path, rows: list[list[str]], header=HEADER, encoding="utf-8-sig") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_import(path: Path, actor):
    return import_customer_rows(read_customer_rows(path), actor=actor, source="import")


@pytest.fixture
def manager(cast, products):
    return cast["zhaomgr"]


def test_a_good_file_creates_customers_lines_products_and_numbers(tmp_path, manager):
    report = run_import(write_csv(tmp_path / "good.csv", GOOD_ROWS), manager)

    assert (report.total_rows, report.created, report.errors) == (3, 3, [])
    wang = Customer.objects.get(external_key="NJ1")
    assert (wang.name, wang.tier, wang.is_vip, wang.id_tail) == ("王建国", "gold", True, "0016")
    assert sorted(wang.lines.values_list("number", flat=True)) == ["13812345678", "KD02500000001"]
    mobile = Line.objects.get(number="13812345678")
    assert sorted(mobile.products.values_list("code", flat=True)) == ["M5G129", "MCLIP"]
    company = Customer.objects.get(external_key="NJ2")
    assert (company.kind, company.enterprise_grade, company.is_vip) == ("enterprise", "A", True)
    assert sorted(company.numbers.filter(kind="contact").values_list("number", flat=True)) == [
        "02584561234",
        "13900001111",
    ]
    assert CustomerNumber.objects.filter(number="02584561234", kind="line").exists()


def test_bad_rows_are_reported_with_their_row_numbers_and_the_good_rows_kept(tmp_path, manager):
    rows = [
        GOOD_ROWS[0],
        ["NJ3", "", "个人", "普通", "", "玄武区", "", "", "", "", "", "", "", "", "", ""],
        ["NJ4", "李四", "个人", "白金", "", "玄武区", "", "", "", "", "", "", "", "", "", ""],
        ["NJ5", "张三", "个人", "普通", "", "火星区", "", "", "", "", "", "", "", "", "", ""],
        [
            "NJ6",
            "赵六",
            "个人",
            "普通",
            "",
            "玄武区",
            "居民身份证",
            "320102198001010017",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["NJ7", "钱七", "个人", "普通", "", "玄武区", "", "", "", "1234", "", "", "", "", "", ""],
        [
            "NJ8",
            "孙八",
            "个人",
            "普通",
            "",
            "玄武区",
            "",
            "",
            "",
            "",
            "移动电话",
            "13812345678",
            "",
            "",
            "",
            "",
        ],
        [
            "NJ9",
            "周九",
            "个人",
            "普通",
            "",
            "玄武区",
            "",
            "",
            "",
            "",
            "宽带",
            "KD0250009",
            "",
            "",
            "",
            "NOSUCH",
        ],
        ["NJ10", "吴十", "个人", "普通", "", "玄武区", "", "", "", "", "", "", "", "", "", ""],
    ]
    report = run_import(write_csv(tmp_path / "bad.csv", rows), manager)

    assert {(error["row"], error["column"]) for error in report.errors} == {
        (3, "客户名称"),
        (4, "客户级别"),
        (5, "区域"),
        (6, "证件号码"),
        (7, "联系电话"),
        (8, "号码/账号"),
        (9, "订购产品"),
    }
    assert all(error["message"] for error in report.errors)
    assert sorted(Customer.objects.values_list("external_key", flat=True)) == ["NJ1", "NJ10"]
    assert report.created == 2


def test_the_same_file_twice_changes_nothing_the_second_time(tmp_path, manager):
    path = write_csv(tmp_path / "good.csv", GOOD_ROWS)
    run_import(path, manager)
    counts = (
        Customer.objects.count(),
        Line.objects.count(),
        CustomerNumber.objects.count(),
        Subscription.objects.count(),
        AuditEvent.objects.count(),
    )

    again = run_import(path, manager)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert counts == (
        Customer.objects.count(),
        Line.objects.count(),
        CustomerNumber.objects.count(),
        Subscription.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_changed_row_updates_the_customer_and_records_only_what_changed(tmp_path, manager):
    run_import(write_csv(tmp_path / "v1.csv", GOOD_ROWS), manager)
    changed = [list(row) for row in GOOD_ROWS]
    changed[0][3] = changed[1][3] = "钻石卡"
    changed[0][15] = "M5G129"

    report = run_import(write_csv(tmp_path / "v2.csv", changed), manager)

    # Row 2 repeats the new tier that row 1 already applied: it changes nothing itself.
    assert (report.updated, report.unchanged) == (1, 2)
    customer_event = AuditEvent.objects.filter(target_type="customer", action="update").get()
    assert customer_event.changes == {"tier": ["gold", "diamond"]}
    assert customer_event.actor == manager
    line_event = AuditEvent.objects.filter(target_type="line", action="update").get()
    assert line_event.changes == {"products": [["M5G129", "MCLIP"], ["M5G129"]]}
    assert list(Line.objects.get(number="13812345678").products.values_list("code", flat=True)) == [
        "M5G129"
    ]


def test_english_headers_and_an_xlsx_file_with_numbers_as_numbers_are_read(tmp_path, manager):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["external_key", "name", "region", "contact_numbers", "service_type", "number"])
    sheet.append(["NJ20", "陈静", "鼓楼区", 13912345678, "mobile", 13912345678])
    workbook.save(tmp_path / "customers.xlsx")

    report = run_import(tmp_path / "customers.xlsx", manager)

    assert (report.created, report.errors) == (1, [])
    assert Line.objects.get(number="13912345678").customer.name == "陈静"


def test_a_csv_saved_by_chinese_excel_in_gbk_is_read(tmp_path, manager):
    path = write_csv(tmp_path / "gbk.csv", GOOD_ROWS[2:], encoding="gbk")
    assert run_import(path, manager).created == 1
    assert Customer.objects.get(external_key="NJ2").name == "南京紫金科技有限公司"


def test_a_file_without_the_required_columns_is_refused_whole(tmp_path, manager):
    path = write_csv(tmp_path / "wrong.csv", [["x", "y"]], header=["姓名", "电话"])
    with pytest.raises(FileFormatError, match="客户编号"):
        list(read_customer_rows(path))


def test_a_number_held_by_another_customer_is_not_moved(tmp_path, manager):
    run_import(write_csv(tmp_path / "good.csv", GOOD_ROWS), manager)
    thief = [
        [
            "NJ99",
            "冒名",
            "个人",
            "普通",
            "",
            "玄武区",
            "",
            "",
            "",
            "",
            "移动电话",
            "13812345678",
            "",
            "",
            "",
            "",
        ]
    ]
    report = run_import(write_csv(tmp_path / "thief.csv", thief), manager)
    assert report.errors[0]["row"] == 2
    assert Line.objects.get(number="13812345678").customer.external_key == "NJ1"


def test_an_import_is_audited_in_the_name_of_the_importer(tmp_path, manager):
    run_import(write_csv(tmp_path / "good.csv", GOOD_ROWS), manager)
    events = AuditEvent.objects.filter(customer_id=Customer.objects.get(external_key="NJ1").pk)
    assert {(event.action, event.target_type) for event in events} == {
        ("create", "customer"),
        ("create", "line"),
    }
    assert {event.actor_label for event in events} == {"60001 赵经理"}


def test_a_hundred_thousand_row_file_imports_completely(tmp_path, manager):
    districts = ["玄武区", "江宁区", "鼓楼区"]
    rows = [
        [
            f"BIG{index:06d}",
            f"客户{index}",
            "个人",
            "普通",
            "",
            districts[index % 3],
            "",
            "",
            f"南京市{districts[index % 3]}某路{index}号",
            f"139{index:08d}",
            "移动电话",
            f"139{index:08d}",
            "正常",
            "",
            "2021-01-01",
            "M5G129",
        ]
        for index in range(100_000)
    ]
    report = run_import(write_csv(tmp_path / "big.csv", rows), manager)

    assert (report.total_rows, report.created, report.errors) == (100_000, 100_000, [])
    assert Customer.objects.count() == 100_000
    assert Line.objects.count() == 100_000
    assert CustomerNumber.objects.filter(number="13900099999").count() == 2


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
@pytest.mark.parametrize("shift", [0, 1, 2])
def test_a_large_file_is_read_whatever_character_the_sample_cuts(tmp_path, encoding, shift):
    path = tmp_path / "large.csv"
    filler = ["x" * shift] + ["南京市玄武区中山路"] * 8000
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(["客户编号", "客户名称", "区域"])
        writer.writerows([["NJ1", name, "玄武区"] for name in filler])
    assert sum(1 for _row in read_customer_rows(path)) == len(filler)
