"""A center's targets for its KPIs (service level ≥ 80 %, ASA ≤ 20 s …), and whether a
figure met one.

A target is written `name>=value` or `name<=value`; rates are shares (0.8, not 80).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Direction(StrEnum):
    AT_LEAST = ">="
    AT_MOST = "<="


@dataclass(frozen=True)
class Target:
    kpi: str
    direction: Direction
    value: float

    def missed(self, figure: float | None) -> bool | None:
        """Whether the figure missed the target; None when there is no figure."""
        if figure is None:
            return None
        if self.direction is Direction.AT_LEAST:
            return figure < self.value
        return figure > self.value

    @property
    def symbol(self) -> str:
        return "≥" if self.direction is Direction.AT_LEAST else "≤"

    def __str__(self) -> str:
        return f"{self.kpi}{self.direction.value}{self.value:g}"


def parse_target(text: str) -> Target:
    for direction in Direction:
        name, found, value = text.partition(direction.value)
        if found:
            try:
                return Target(name.strip(), direction, float(value))
            except ValueError:
                break
    raise ValueError(f"a target is written KPI>=value or KPI<=value, not {text!r}")


def parse_targets(texts: Iterable[str]) -> dict[str, Target]:
    """The targets by KPI name; a KPI named twice keeps its last target."""
    return {target.kpi: target for target in map(parse_target, texts)}
