"""How an agent's search box text is read: numbers and accounts, ID tails, words."""

import re
from dataclasses import dataclass
from enum import Enum

_PHONE_LIKE = re.compile(r"\+?\d[\d\-]{2,}")
# Resident IDs end in a digit or X; credit codes (统一社会信用代码) in any digit or letter.
_ID_TAIL = re.compile(r"(?=.*\d)[0-9A-Za-z]{3}[A-Za-z]")
_ACCOUNT = re.compile(r"(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9_.@\-]{3,}")


class TermKind(Enum):
    NUMBER = "number"  # prefix of a phone number or an account (号码 / 账号)
    ID_TAIL = "id_tail"  # last four characters of an ID document (证件后四位)
    NUMBER_OR_ID_TAIL = "number_or_id_tail"  # four digits: either of the above
    WORD = "word"  # start of a name, or a word in the address


@dataclass(frozen=True)
class Term:
    kind: TermKind
    value: str


def parse_search_text(text: str) -> tuple[Term, ...]:
    """Split on white space; every term must match (AND), each in any of its fields (OR)."""
    terms: list[Term] = []
    for token in text.split():
        if _PHONE_LIKE.fullmatch(token):
            digits = token.replace("-", "").lstrip("+")
            if digits.startswith("86") and len(digits) == 13:
                digits = digits[2:]
            kind = TermKind.NUMBER_OR_ID_TAIL if len(digits) == 4 else TermKind.NUMBER
            terms.append(Term(kind, digits))
        elif _ID_TAIL.fullmatch(token):
            terms.append(Term(TermKind.ID_TAIL, token.upper()))
        elif _ACCOUNT.fullmatch(token):
            terms.append(Term(TermKind.NUMBER, token.upper()))
        else:
            terms.append(Term(TermKind.WORD, token))
    return tuple(terms)
