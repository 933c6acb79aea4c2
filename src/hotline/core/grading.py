"""Fault grades (故障分级), priority, the green channel and the complaint reporting chain.

Grade 1 (一级) is the most severe. The grading table is the admin's: the first
rule whose conditions all hold sets the grade, an empty condition holding for
any value; with no rule matching, a fault is graded 4 (四级).
"""

from collections.abc import Iterable
from dataclasses import dataclass

LOWEST_GRADE = 4
# Priority 1 is the most urgent; an order is never pushed past it.
HIGHEST_PRIORITY = 1
DEFAULT_PRIORITY = 3

COMPLAINT_LEVELS = ("general", "important", "major", "urgent")
# 逐层通报: who hears of a complaint at each level, and one step higher each time it runs out
# of time. 0: no one beyond the desk; 1: the team lead; 2: the manager; 3: the centre head.
_CHAIN_LEVEL = {"general": 0, "important": 1, "major": 2, "urgent": 3}
TOP_OF_CHAIN = 3


@dataclass(frozen=True)
class Fault:
    scope: str  # single_user | building | area
    service_type: str
    vip: bool
    repeat: bool


@dataclass(frozen=True)
class GradingRule:
    grade: int
    scope: str = ""
    service_type: str = ""
    tier: str = ""  # "" any, "vip", "regular"
    repeat: str = ""  # "" any, "repeat", "first"

    def matches(self, fault: Fault) -> bool:
        return (
            self.scope in ("", fault.scope)
            and self.service_type in ("", fault.service_type)
            and self.tier in ("", "vip" if fault.vip else "regular")
            and self.repeat in ("", "repeat" if fault.repeat else "first")
        )


def fault_grade(rules: Iterable[GradingRule], fault: Fault) -> int:
    """The grade of the first rule (in the order given) that matches the fault."""
    return next((rule.grade for rule in rules if rule.matches(fault)), LOWEST_GRADE)


def initial_priority(*, grade: int | None, complaint_level: str, green_channel: bool) -> int:
    """A new order's priority: from its fault grade or complaint level, one up for VIPs."""
    if grade is not None:
        priority = min(grade, LOWEST_GRADE)
    elif complaint_level:
        priority = LOWEST_GRADE - COMPLAINT_LEVELS.index(complaint_level)
    else:
        priority = DEFAULT_PRIORITY
    if green_channel:
        priority -= 1
    return max(priority, HIGHEST_PRIORITY)


def raised_priority(priority: int) -> int:
    """One step more urgent, as a breach escalates an order."""
    return max(priority - 1, HIGHEST_PRIORITY)


def chain_level(complaint_level: str) -> int:
    """How far up the chain a complaint of this level is reported when it is opened."""
    return _CHAIN_LEVEL.get(complaint_level, 0)


def next_chain_level(current: int) -> int:
    """One level further up, as a complaint runs out of time; the centre head is the top."""
    return min(current + 1, TOP_OF_CHAIN)
