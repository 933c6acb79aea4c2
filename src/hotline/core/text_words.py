"""Chinese text cut into words (jieba), for searching fault descriptions by word.

A description is stored as its words separated by spaces, with a space at each
end, so that a word is found by a plain `LIKE '% word %'` on either database.
"""

import logging
import re
from functools import cache

import jieba  # type: ignore[import-untyped]

# Words of the trade jieba's general dictionary cuts in two.
TELECOM_WORDS = (
    "光猫",
    "机顶盒",
    "携号转网",
    "宽带",
    "掉线",
    "断网",
    "网速慢",
    "停机",
    "复机",
    "销户",
    "过户",
    "套餐",
    "流量包",
    "话费",
    "欠费",
    "扣费",
    "彩铃",
    "来电显示",
    "营业厅",
    "信号差",
    "无信号",
    "装机",
    "移机",
    "拆机",
    "天翼",
    "千兆",
    "路由器",
    "光纤",
    "工单",
    "投诉",
)
_WORD = re.compile(r"\w")


@cache
def _tokenizer() -> jieba.Tokenizer:
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word in TELECOM_WORDS:
        tokenizer.add_word(word)
    return tokenizer


def load_dictionary() -> None:
    """Load jieba's dictionary now. It takes about a second, which a web server's process
    should spend when it starts, not on the first order a caller describes to it."""
    _tokenizer()


def words(text: str) -> list[str]:
    """The distinct words of the text in order, lower-cased, punctuation dropped."""
    seen: dict[str, None] = {}
    for word in _tokenizer().cut_for_search(text):
        word = word.strip().lower()
        if word and _WORD.search(word):
            seen.setdefault(word, None)
    return list(seen)


def searchable_words(text: str) -> str:
    """The text's words as stored for search: ' w1 w2 … '."""
    return f" {' '.join(words(text))} "
