"""会议精神分解: the outline of a speech or minutes, from the numbered levels Chinese official texts use.

一、 / （一） / 1. / 一是 / 一要 / 第一， — whichever family comes first is the top level, the next new one goes
under it, and so on (as a reader would take them). A marker counts only where it continues its list (二 after
一) or starts one (一); anything else is prose that happens to contain 一是. Text copied from the web is
cleaned first: traditional characters, pinyin glosses, page numbers and the site's own lines.
Plain values in and out: no Django here."""

import re
from dataclasses import dataclass, field
from functools import cache

NUMERALS = {c: n for n, c in enumerate("一二三四五六七八九十", start=1)}
CN = "[一二三四五六七八九十]{1,3}"
# family: the marker's pattern, with its number in group "n"
FAMILIES = {
    "cn": rf"(?P<n>{CN})、",
    "paren": rf"[（(](?P<n>{CN})[）)]",
    "arabic": r"(?P<n>\d{1,2})[\.．、](?!\d)",
    "shi": rf"(?P<n>{CN})是(?=[^，,])",
    "yao": rf"(?P<n>{CN})要(?=[^，,求])",
    "di": rf"第(?P<n>{CN})[，,、]",
}
_ALTERNATIVES = "|".join(
    f"(?P<{family}>{pattern.replace('(?P<n>', f'(?P<n_{family}>')})" for family, pattern in FAMILIES.items()
)
# a marker opens a line or follows the end of a sentence
MARKER = re.compile(r"(?:^|(?<=[。！？；：:!?;\n】]))[ \t\u3000]*(?:" + _ALTERNATIVES + ")", re.MULTILINE)
SENTENCE_END = re.compile(r"[。！？；!?;\n]")
SPACE = re.compile(r" (?=\S)|\u3000")
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
DEBRIS = re.compile(
    r"文库|范文网|小编|当前位置|浏览记录|手机版|导航|首页|全文共|未完|阅读下面提示|免费在线阅读|会员上传|^(?:ID|大小|页数|时间|发布时间)[:：]"
)
TRUNCATED = re.compile(r"…*[（(]未完[^）)]*[）)]?.*$")  # "……(未完,全文共2700字,当前仅显示…" at a text's end
PAGE_MARK = re.compile(r"^\d{1,3}、")
DEBRIS_LINE = 80  # longer lines are the text itself, whatever they mention
TITLE_LIMIT = 60


def number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return NUMERALS[text]
    if text[0] == "十":
        return 10 + NUMERALS.get(text[1:], 0)
    tens = NUMERALS[text[0]] * 10
    return tens + (NUMERALS.get(text[2:], 0) if len(text) > 2 else 0)


@cache
def _converter():
    import opencc  # loaded on first use: its dictionaries take a moment

    return opencc.OpenCC("t2s")


def clean(text: str) -> str:
    """Simplified characters; no pinyin glosses, no page numbers splitting words, no lines of the web page."""
    text = _converter().convert(text.replace("\r\n", "\n"))
    text = PINYIN.sub("", text)
    lines = [TRUNCATED.sub("", ln.strip()) for ln in text.split("\n")]
    lines = [ln for ln in lines if ln and not (len(ln) < DEBRIS_LINE and DEBRIS.search(ln))]
    # a document viewer's page numbers ("3、") run through the whole text, cutting sentences: they are no outline
    breaks = [n for n, ln in enumerate(lines) if PAGE_MARK.match(ln)]
    cut = sum(1 for n in breaks if n and not SENTENCE_END.search(lines[n - 1][-1:]))
    if len(breaks) >= 3 and cut * 2 >= len(breaks):
        joined: list[str] = []
        for n, line in enumerate(lines):
            if n in breaks:
                line = PAGE_MARK.sub("", line)
                if joined and not SENTENCE_END.search(joined[-1][-1:]):
                    joined[-1] += line
                    continue
            joined.append(line)
        lines = joined
    return "\n".join(lines)


@dataclass
class Heading:
    level: int  # 1 is the top
    family: str
    number: int
    marker: str
    title: str
    start: int  # offset in the cleaned text
    end: int = 0  # where its section ends
    children: list["Heading"] = field(default_factory=list)

    @property
    def body_start(self) -> int:
        return self.start + len(self.marker)


@dataclass(frozen=True)
class Candidate:
    start: int
    family: str
    number: int
    marker: str


def candidates(text: str) -> list[Candidate]:
    found = []
    for match in MARKER.finditer(text):
        family = next(k for k in FAMILIES if match.group(k))
        start = match.start(family)
        marker = match.group(family)
        found.append(Candidate(start, family, number(match.group(f"n_{family}")), marker))
    return found


def _title(text: str, start: int) -> str:
    """To the end of the sentence, or to a space once a few characters are in (headings run into the text)."""
    stops = [len(text), start + TITLE_LIMIT]
    for pattern, offset in ((SENTENCE_END, 0), (SPACE, 4)):
        found = pattern.search(text, start + offset)
        if found:
            stops.append(found.start())
    return text[start : min(stops)].strip(" ，,：:")


@dataclass
class Outline:
    text: str  # cleaned
    headings: list[Heading]  # the top level, each with its children
    body_start: int = 0  # after a table of contents, if there is one


def outline(text: str) -> Outline:
    """A table of contents (目录、提纲) before the text restarts the top level: both are read, and the text's
    headings are completed by the contents' (pages copied from the web often stop half-way)."""
    text = clean(text)
    found = candidates(text)
    if not found:
        return Outline(text, [])
    top = found[0].family
    restarts = [c.start for c in found if c.family == top and c.number == 1]
    if len(restarts) < 2:
        return Outline(text, build(text, found))
    body = build(text, [c for c in found if c.start >= restarts[-1]])
    contents = build(text, [c for c in found if c.start < restarts[-1]])
    return Outline(text, merge(body, contents), restarts[-1])


def parse(text: str) -> tuple[str, list[Heading]]:
    """The cleaned text and its outline; [] when none is recognised."""
    found = outline(text)
    return found.text, found.headings


def build(text: str, found: list[Candidate]) -> list[Heading]:
    stack: list[tuple[str, int, Heading]] = []  # family, last number, heading
    roots: list[Heading] = []
    flat: list[Heading] = []
    for n, c in enumerate(found):
        families = [f for f, _, _ in stack]
        if c.family in families:
            depth = families.index(c.family)
            last = stack[depth][1]
            restart = c.number == 1 and depth == len(stack) - 1 and last > 1
            if c.number != last + 1 and not restart:
                continue
            del stack[depth:]
        elif c.number != 1 and not _continued(found[n + 1 :], c):
            continue
        heading = Heading(len(stack) + 1, c.family, c.number, c.marker, "", c.start)
        heading.title = _title(text, heading.body_start)
        (stack[-1][2].children if stack else roots).append(heading)
        stack.append((c.family, c.number, heading))
        flat.append(heading)
    for n, heading in enumerate(flat):
        heading.end = flat[n + 1].start if n + 1 < len(flat) else len(text)
    return roots


def _continued(rest: list[Candidate], c: Candidate) -> bool:
    """A list whose first item was lost (a page copied from the web): 2. counts when 3. follows."""
    following = next((r for r in rest if r.family == c.family), None)
    return following is not None and following.number == c.number + 1


def merge(primary: list[Heading], extra: list[Heading]) -> list[Heading]:
    """The primary headings, with the extra ones (and their children) they lack, by family and number."""
    by_key = {(h.family, h.number): h for h in primary}
    merged = list(primary)
    for heading in extra:
        mine = by_key.get((heading.family, heading.number))
        if mine is None:
            if not primary or heading.family == primary[0].family:
                merged.append(heading)
        elif not mine.children:
            mine.children = heading.children
        elif heading.children and heading.children[0].family == mine.children[0].family:
            mine.children = merge(mine.children, heading.children)
    return sorted(merged, key=lambda h: h.number)


def walk(headings: list[Heading]):
    for heading in headings:
        yield heading
        yield from walk(heading.children)
