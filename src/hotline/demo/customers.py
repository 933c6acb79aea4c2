"""Deterministic demo customers, as rows of the import format (one row per line/account)."""

import datetime
import random
from collections.abc import Iterator

from hotline.core.identity import resident_id_check_digit
from hotline.demo import city

_TIERS = [("普通", 0.795), ("银卡", 0.16), ("金卡", 0.035), ("钻石卡", 0.01)]
_GRADES = [("A", 0.12), ("B", 0.28), ("C", 0.35), ("D", 0.25)]
_LINE_STATUSES = [
    ("正常", 0.9),
    ("欠费停机", 0.04),
    ("停机", 0.03),
    ("待装机", 0.01),
    ("已拆机", 0.02),
]
ENTERPRISE_SHARE = 0.05


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


class DemoCity:
    """Makes customers one after another; numbers are unique within one generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used_numbers: set[str] = set()
        self.serial = 0

    def _unique(self, make) -> str:
        while True:
            value = make()
            if value not in self.used_numbers:
                self.used_numbers.add(value)
                return value

    def mobile(self, own: bool = True) -> str:
        prefixes = city.OWN_MOBILE_PREFIXES if own else city.OTHER_MOBILE_PREFIXES
        return self._unique(lambda: self.rng.choice(prefixes) + f"{self.rng.randrange(10**8):08d}")

    def fixed(self) -> str:
        return self._unique(
            lambda: city.AREA_CODE + self.rng.choice("5868") + f"{self.rng.randrange(10**7):07d}"
        )

    def account(self, prefix: str) -> str:
        return self._unique(lambda: f"{prefix}{city.AREA_CODE}{self.rng.randrange(10**8):08d}")

    def person_name(self) -> str:
        given = "".join(
            self.rng.choice(city.GIVEN_CHARACTERS) for _ in range(self.rng.choice((1, 2, 2, 2)))
        )
        return self.rng.choice(city.SURNAMES) + given

    def enterprise_name(self) -> str:
        rng = self.rng
        return (
            city.CITY.removesuffix("市")
            + rng.choice(city.ENTERPRISE_WORDS)
            + rng.choice(city.ENTERPRISE_TRADES)
            + rng.choice(city.ENTERPRISE_FORMS)
        )

    def address(self, district) -> str:
        rng = self.rng
        _code, name, streets, estates = district
        return (
            f"{city.CITY}{name}{rng.choice(streets)}{rng.randint(1, 399)}号"
            f"{rng.choice(estates)}{rng.randint(1, 40)}栋{rng.randint(1, 4)}单元"
            f"{rng.randint(1, 28)}{rng.randint(1, 4):02d}室"
        )

    def office_address(self, district) -> str:
        rng = self.rng
        _code, name, streets, _estates = district
        return (
            f"{city.CITY}{name}{rng.choice(streets)}{rng.randint(1, 399)}号{rng.randint(2, 30)}层"
        )

    def resident_id(self, district_code: str) -> str:
        rng = self.rng
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 55))
        first17 = f"{district_code}{born:%Y%m%d}{rng.randrange(1000):03d}"
        return first17 + resident_id_check_digit(first17)

    def credit_code(self, district_code: str) -> str:
        body = f"{self.rng.randrange(10**9):09d}"
        return f"91{district_code}{body}{self.rng.choice('0123456789ABCDEFGHJKLMNPQRTUWXY')}"

    def opened_on(self) -> str:
        day = datetime.date(2008, 1, 1) + datetime.timedelta(days=self.rng.randrange(365 * 18))
        return day.isoformat()

    def _products(self, service_type: str) -> str:
        main, extras = city.PRODUCTS_BY_SERVICE[service_type]
        chosen = [self.rng.choice(main)]
        chosen += [code for code in extras if self.rng.random() < 0.3]
        return ";".join(chosen)

    def _line(self, service_type: str, number: str, install_address: str) -> dict[str, str]:
        return {
            "service_type": service_type,
            "number": number,
            "line_status": _pick(self.rng, _LINE_STATUSES),
            "install_address": install_address if service_type != "mobile" else "",
            "opened_on": self.opened_on(),
            "products": self._products(service_type),
        }

    def customer_rows(self) -> list[dict[str, str]]:
        """The rows of one customer: its profile repeated on each of its lines."""
        rng = self.rng
        self.serial += 1
        district = rng.choice(city.DISTRICTS)
        enterprise = rng.random() < ENTERPRISE_SHARE
        if enterprise:
            address = self.office_address(district)
            profile = {
                "kind": "集团",
                "name": self.enterprise_name(),
                "enterprise_grade": _pick(rng, _GRADES),
                "tier": _pick(rng, _TIERS[:2]),
                "id_type": "统一社会信用代码",
                "id_number": self.credit_code(district[0]),
            }
            lines = [self._line("fixed", self.fixed(), address) for _ in range(rng.randint(1, 4))]
            lines += [self._line("mobile", self.mobile(), "") for _ in range(rng.randint(2, 6))]
            lines.append(self._line("broadband", self.account("ZX"), address))
            contacts = [self.mobile(own=rng.random() < 0.7)]
        else:
            address = self.address(district)
            profile = {
                "kind": "个人",
                "name": self.person_name(),
                "enterprise_grade": "",
                "tier": _pick(rng, _TIERS),
                "id_type": "居民身份证",
                "id_number": self.resident_id(district[0]),
            }
            lines = [self._line("mobile", self.mobile(), "")]
            if rng.random() < 0.25:
                lines.append(self._line("mobile", self.mobile(), ""))
            if rng.random() < 0.45:
                lines.append(self._line("broadband", self.account("KD"), address))
                if rng.random() < 0.4:
                    lines.append(self._line("iptv", self.account("TV"), address))
            if rng.random() < 0.2:
                lines.append(self._line("fixed", self.fixed(), address))
            contacts = [lines[0]["number"]]
            if rng.random() < 0.3:
                contacts.append(self.mobile(own=False))
        common = {
            "external_key": f"NJ{self.serial:09d}",
            "region": district[1],
            "address": address,
            "contact_numbers": ";".join(contacts),
            **profile,
        }
        return [{**common, **line} for line in lines]


def demo_rows(customers: int, seed: int) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, cells) for `customers` customers, the same for the same seed."""
    generator = DemoCity(seed)
    row_number = 1
    for _ in range(customers):
        for row in generator.customer_rows():
            row_number += 1
            yield row_number, row
