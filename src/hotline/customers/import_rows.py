"""Reading one row of a customer import file into checked values, without the database.

The format (one row per line/account, customer columns repeated) is documented
in docs/customers-import.md; headers may be the Chinese or the English names.
"""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from hotline.core import tiers
from hotline.core.identity import InvalidNumber, normalize_phone, resident_id_is_valid

# English key -> Chinese header, in the order of the template file.
COLUMNS: dict[str, str] = {
    "external_key": "客户编号",
    "name": "客户名称",
    "kind": "客户类型",
    "tier": "客户级别",
    "enterprise_grade": "集团等级",
    "region": "区域",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "address": "联系地址",
    "contact_numbers": "联系电话",
    "service_type": "业务类型",
    "number": "号码/账号",
    "line_status": "号码状态",
    "install_address": "装机地址",
    "opened_on": "开通日期",
    "products": "订购产品",
}
REQUIRED = ("external_key", "name", "region")

KINDS = {
    "个人": tiers.INDIVIDUAL,
    "个人客户": tiers.INDIVIDUAL,
    "集团": tiers.ENTERPRISE,
    "集团客户": tiers.ENTERPRISE,
    "政企": tiers.ENTERPRISE,
}
TIER_NAMES = {
    "普通": tiers.REGULAR,
    "银": tiers.SILVER,
    "银卡": tiers.SILVER,
    "金": tiers.GOLD,
    "金卡": tiers.GOLD,
    "钻石": tiers.DIAMOND,
    "钻石卡": tiers.DIAMOND,
}
ID_TYPES = {
    "居民身份证": "resident_id",
    "身份证": "resident_id",
    "护照": "passport",
    "港澳居民来往内地通行证": "hk_macao_permit",
    "港澳通行证": "hk_macao_permit",
    "统一社会信用代码": "credit_code",
    "营业执照": "credit_code",
}
SERVICE_TYPES = {
    "移动电话": "mobile",
    "手机": "mobile",
    "固定电话": "fixed",
    "固话": "fixed",
    "宽带": "broadband",
    "IPTV": "iptv",
}
LINE_STATUSES = {
    "正常": "active",
    "待装机": "pending",
    "停机": "suspended",
    "欠费停机": "arrears",
    "已拆机": "closed",
    "拆机": "closed",
}
PHONE_SERVICE_TYPES = frozenset({"mobile", "fixed"})

_LIST_SEPARATORS = re.compile(r"[;；,，、/\s]+")
_CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
_ACCOUNT = re.compile(r"[A-Z0-9][A-Z0-9_.@\-]{3,39}")


class RowError(ValueError):
    """What is wrong with a row, naming the column."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(f"{column}: {message}")
        self.column = column  # the header as the file format names it
        self.message = message


@dataclass(frozen=True)
class CustomerValues:
    external_key: str
    name: str
    kind: str
    tier: str
    enterprise_grade: str
    region_id: int
    id_type: str
    id_number: str
    address: str
    contact_numbers: tuple[str, ...]


@dataclass(frozen=True)
class LineValues:
    service_type: str
    number: str
    status: str
    install_address: str
    opened_on: datetime.date | None
    product_ids: tuple[int, ...]


@dataclass(frozen=True)
class ParsedRow:
    customer: CustomerValues
    line: LineValues | None


def canonical_headers(headers: list[str]) -> list[str | None]:
    """Each header as its English key, or None for a column Hotline does not read."""
    by_label = {label: key for key, label in COLUMNS.items()}
    keys: list[str | None] = []
    for header in headers:
        text = (header or "").strip()
        keys.append(text if text in COLUMNS else by_label.get(text))
    return keys


def missing_columns(keys: list[str | None]) -> list[str]:
    return [COLUMNS[key] for key in REQUIRED if key not in keys]


def _choice(raw: str, column: str, names: Mapping[str, str], default: str) -> str:
    """A Chinese name from `names`, or the code it stands for written as it is."""
    if not raw:
        return default
    if raw in names:
        return names[raw]
    if raw.lower() in names.values():
        return raw.lower()
    allowed = "、".join(names)
    raise RowError(
        column, _("“%(value)s”不是有效值，可填：%(allowed)s") % {"value": raw, "allowed": allowed}
    )


def clean_phone(raw: str) -> str:
    """A contact number in the stored form, or ValueError with a message for the user."""
    try:
        return normalize_phone(raw)
    except InvalidNumber:
        raise ValueError(_("“%(value)s”不是有效的电话号码") % {"value": raw}) from None


def clean_phone_list(raw: str) -> tuple[str, ...]:
    """Numbers separated by ; , 、 / or spaces, normalised, without repeats, sorted."""
    return tuple(sorted({clean_phone(part) for part in _LIST_SEPARATORS.split(raw) if part}))


def clean_id_number(id_type: str, raw: str) -> str:
    """An ID document number checked for its type (the resident ID by its check digit)."""
    value = raw.replace(" ", "").upper()
    if not value:
        return ""
    if id_type == "resident_id" and not resident_id_is_valid(value):
        raise ValueError(_("居民身份证号码应为18位且校验位正确"))
    if id_type == "credit_code" and not _CREDIT_CODE.fullmatch(value):
        raise ValueError(_("统一社会信用代码应为18位"))
    if len(value) > 30:
        raise ValueError(_("证件号码过长"))
    return value


def _checked(column: str, clean, *args):
    try:
        return clean(*args)
    except ValueError as error:
        raise RowError(column, str(error)) from None


def _date(raw: str) -> datetime.date | None:
    if not raw:
        return None
    text = raw.strip().split(" ")[0].replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise RowError(
            COLUMNS["opened_on"], _("“%(value)s”不是日期，应为 2024-03-15 的格式") % {"value": raw}
        ) from None


def _line(cells: Mapping[str, str], products: Mapping[str, int]) -> LineValues | None:
    raw_number = cells.get("number", "")
    if not raw_number:
        return None
    service_type = _choice(
        cells.get("service_type", ""),
        COLUMNS["service_type"],
        SERVICE_TYPES,
        "",
    )
    if not service_type:
        raise RowError(COLUMNS["service_type"], _("填写了号码/账号时必须填写业务类型"))
    if service_type in PHONE_SERVICE_TYPES:
        number = _checked(COLUMNS["number"], clean_phone, raw_number)
    else:
        number = raw_number.strip().upper()
        if not _ACCOUNT.fullmatch(number):
            raise RowError(
                COLUMNS["number"], _("“%(value)s”不是有效的账号") % {"value": raw_number}
            )
    product_ids: list[int] = []
    for code in _LIST_SEPARATORS.split(cells.get("products", "")):
        if not code:
            continue
        if code not in products:
            raise RowError(COLUMNS["products"], _("没有编码为“%(value)s”的产品") % {"value": code})
        if products[code] not in product_ids:
            product_ids.append(products[code])
    return LineValues(
        service_type=service_type,
        number=number,
        status=_choice(
            cells.get("line_status", ""),
            COLUMNS["line_status"],
            LINE_STATUSES,
            "active",
        ),
        install_address=cells.get("install_address", "")[:200],
        opened_on=_date(cells.get("opened_on", "")),
        product_ids=tuple(sorted(product_ids)),
    )


def parse_row(
    cells: Mapping[str, str], regions: Mapping[str, int], products: Mapping[str, int]
) -> ParsedRow:
    """Check one row; `regions` maps region names and codes to ids, `products` codes to ids."""
    for key in REQUIRED:
        if not cells.get(key):
            raise RowError(COLUMNS[key], _("不能为空"))
    external_key = cells["external_key"]
    if len(external_key) > 40:
        raise RowError(COLUMNS["external_key"], _("客户编号最长40个字符"))
    name = cells["name"]
    if len(name) > 100:
        raise RowError(COLUMNS["name"], _("客户名称最长100个字符"))
    region = cells["region"]
    if region not in regions:
        raise RowError(COLUMNS["region"], _("没有名为“%(value)s”的区域") % {"value": region})
    kind = _choice(
        cells.get("kind", ""),
        COLUMNS["kind"],
        KINDS,
        tiers.INDIVIDUAL,
    )
    grade = cells.get("enterprise_grade", "").upper().removesuffix("类")
    if grade and kind != tiers.ENTERPRISE:
        raise RowError(COLUMNS["enterprise_grade"], _("只有集团客户有集团等级"))
    if grade and grade not in tiers.ENTERPRISE_GRADES:
        raise RowError(COLUMNS["enterprise_grade"], _("集团等级应为 A、B、C 或 D"))
    id_type = _choice(
        cells.get("id_type", ""),
        COLUMNS["id_type"],
        ID_TYPES,
        "resident_id",
    )
    return ParsedRow(
        customer=CustomerValues(
            external_key=external_key,
            name=name,
            kind=kind,
            tier=_choice(cells.get("tier", ""), COLUMNS["tier"], TIER_NAMES, tiers.REGULAR),
            enterprise_grade=grade,
            region_id=regions[region],
            id_type=id_type,
            id_number=_checked(
                COLUMNS["id_number"], clean_id_number, id_type, cells.get("id_number", "")
            ),
            address=cells.get("address", "")[:200],
            contact_numbers=_checked(
                COLUMNS["contact_numbers"], clean_phone_list, cells.get("contact_numbers", "")
            ),
        ),
        line=_line(cells, products),
    )
