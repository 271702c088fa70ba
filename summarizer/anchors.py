"""Anchors: the words a rule cannot match without, found by reading its pattern.

Scanning a whole article with every rule's regex is what made matching slow: a pattern that opens
with optional parts ("early", "last", a demonym) or a look-behind is tried at every character. Yet
most rules hold something that every match must contain: no `dates.month` match without a month
name, no `figures.percent` without a digit. This module reads each rule's pattern (with its
`{lexicon}` references still in place) and finds

- `anchors`: clauses of anchors that every match contains (one anchor of each clause), so the rule
  runs only in the paragraphs that hold them;
- `first`: the anchors one of which every match starts with, so the rule is tried only at the
  positions where they start, rather than at every character.

An anchor is a lexicon (a match holds one of its entries, starting a word), a literal word of three
letters or more (inside a word), a digit, or a mark that most paragraphs lack ("%", ":"); a first
anchor may also be an upper-case letter, any punctuation mark or the start of a line. Anchors are
found word by word (`Scanner`): each of them lies within the words of the match; marks are found
in one pass over the text. Rule authors write nothing for this, and a pattern this reader cannot follow simply has
no anchors: the rule then scans everything, as before. A rule with only first anchors is tried at
them over the whole text, which finds what a full scan finds. A rule that requires anchors runs
paragraph by paragraph, which gives the results of a full scan with one difference: paragraphs are
read apart, so a match, and what its look-aheads see, ends at the blank line that ends its
paragraph, and a look-behind's words count only in the paragraph of the match ("companies" ending
a headline does not make the next paragraph's first word a company).
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, repeat
from operator import is_, is_not
from typing import Any, Iterable, Iterator

from . import patterns
from .lexicon import Lexicon

Clause = frozenset  # of anchors: a match contains at least one of them
CNF = tuple  # of clauses, all required

LEXICON, WORD, START, DIGIT, UPPER = "lexicon:", "word:", "start:", "digit", "upper"
DIGIT_START = "digit-start"  # as a first anchor only: a digit that no digit comes just before
WORD_START = "word-start"  # as a first anchor only: where a run of word characters (a word) starts
# while reading only: a word character not known to start a word (any position in a word, so a
# pattern whose match may open with one has no first anchors)
_WORD_CHAR = "word-char"
TOKEN = "token:"  # a literal that is a whole word: right after \b, and before what only a non-word character matches
LINE = "line"  # the start of a line: (?m)^
MARK = "mark:"  # a punctuation mark written literally, as a first anchor only: "mark:,"
# what a lead word's follower cannot be: a line start (marks are not read word by word) and a word
# character (a word start follows nearly every word: no help, and not worth the lookup)
_ANY_WORD = frozenset([LINE, _WORD_CHAR, WORD_START])
ANY_CASE = "~i"  # after a lexicon anchor: matched ignoring case
# last, after a lexicon anchor: the entry is followed by what no word character (WHOLE) or no letter
# (LETTERS) matches, so a one-word entry is a whole word ("Iran", never the start of "Iranian")
WHOLE, LETTERS = "~w", "~l"
_MAX_CLAUSES = 4
_DIGIT_CLASS = patterns.compile(r"\[(?:0-9|\\d|[0-9]-[0-9]|[0-9])+\]")
# one alternative of a negative look-ahead: no word character (w), or no letter (l), may follow
_NO_WORD_CLASS = patterns.compile(r"\\w|\[(?!\^)(?:\\.|[^\]\[\\])*\\w(?:\\.|[^\]\[\\])*\]")
_NO_LETTER_CLASS = patterns.compile(r"\\p\{L\}|\[(?!\^)(?:\\.|[^\]\[\\])*\\p\{L\}(?:\\.|[^\]\[\\])*\]")
_SPACE_ATOM = patterns.compile(r"\\s|\[\^\\S\\n\]|\[ \\t\]|\[\\t \]| ")  # white space, nothing else
_AT_LEAST_ONCE = patterns.compile(r"(?:\+[?+]?|\{1,\d*\}[?+]?)?")
_ONCE = patterns.compile(r"(?:\?[?+]?|\{0?,?1\}[?+]?|\{1,1\}[?+]?)?")
_UPPER_CLASS = patterns.compile(r"\[(?:A-Z|\\p\{Lu\})+\]|\\p\{Lu\}")
# a class of word characters only (letters, decimal digits): [\p{L}\d], [a-z], \p{Ll}, \w; not \p{N},
# which holds numbers that are no word characters ("½")
_WORD_CLASS = patterns.compile(r"\[(?:a-z|A-Z|0-9|\\p\{(?:L|Lu|Ll)\}|\\[wd]|[a-zA-Z0-9])+\]|\\p\{(?:L|Ll|Lu)\}|\\w")
# a class of punctuation marks only, written literally or escaped: ['‘’], [,:], [\(\[]
_MARK_CLASS = patterns.compile(r"\[((?:[^\]\[\\\w\s\-^]|\\[^\w\s])+)\]")
_UNESCAPE = patterns.compile(r"\\(.)")  # \/ is /, \\ is \
_REGEX_SPECIAL = frozenset(".^$*+?{}[]\\|()")
_QUANTIFIER = patterns.compile(r"\{(\d*)(?:,(\d*))?\}")


@dataclass(frozen=True)
class Quantifier:
    end: int  # just after it (and after a lazy or possessive mark)
    optional: bool  # it allows zero repeats
    repeats: bool  # it allows more than one


def _quantifier(p: str, i: int) -> Quantifier | None:
    """The quantifier at p[i], if there is one."""
    if i >= len(p):
        return None
    c = p[i]
    if c in "?*+":
        end, optional, repeats = i + 1, c != "+", c != "?"
    elif c == "{":
        m = _QUANTIFIER.match(p, i)
        if not m:
            return None
        most = m.group(2) if "," in m.group() else m.group(1)
        end, optional, repeats = m.end(), not m.group(1) or int(m.group(1)) == 0, not most or int(most) > 1
    else:
        return None
    if end < len(p) and p[end] in "?+":  # lazy or possessive
        end += 1
    return Quantifier(end, optional, repeats)
_REFERENCE = patterns.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# what can only match a character that no word holds (or the end of a word): \s, \b, an escaped or
# written mark, [^\S\n], a class of marks and spaces; not when a quantifier lets it match nothing
_NON_WORD_NEXT = patterns.compile(
    r"(?:\\[sWb]|\\[^\w\s]|\[\^\\S(?:\\.|[^\]\\])*\]|\[-?(?:\\s|\\[^\w\s]|[^\w\s\\\]\[\-^])+-?\]|[^\w\\\[\]()|?*+{}^$.])"
    r"(?![?*]|\{0|\{,)")
_GROUP_FLAGS = patterns.compile(r"\?[a-zA-Z\-]*[:>)]|\?#[^)]*\)")
# words too common to tell paragraphs apart: a clause holding one is no help
_COMMON = frozenset("the and for with that this was are from has have not his her its their who".split())


@dataclass(frozen=True)
class Reading:
    """What a piece of pattern tells: required clauses, possible first anchors (None: anything may
    come first), and whether it can match the empty string."""

    cnf: CNF = ()
    first: frozenset[str] | None = frozenset()
    nullable: bool = True
    # first anchors that make the whole match when they open it (a word after \b, a lexicon entry):
    # followed by a non-word character, they become whole-word anchors (see _whole)
    single: frozenset[str] = frozenset()
    # whole words that a match opening with them follows with white space and then one of a set of
    # first anchors: (anchor, that set or None when unknown, whether what follows this reading adds to it)
    leads: tuple[tuple[str, frozenset[str] | None, bool], ...] = ()


_ZERO_WIDTH = Reading()
_UNKNOWN = Reading((), None, False)
_WORD_CHAR_READING = Reading((), frozenset([_WORD_CHAR]), False)
_WORD_START_READING = Reading((), frozenset([WORD_START]), False)


def _word(letters: str, word_start: bool = False, whole: bool = False) -> Reading:
    """A literal word: a clause when it is long and rare enough to tell paragraphs apart, and a
    possible first anchor in any case (right after \\b it starts a word, which is rarer; followed
    by what only a non-word character matches, it is the whole word, rarer still)."""
    word = letters.lower()
    if len(word) < 2 and not word_start:  # a letter anywhere in a word: no help
        return _WORD_CHAR_READING
    anchor = frozenset([(TOKEN if whole else START) + word if word_start else WORD + word])
    single = anchor if word_start else frozenset()
    if len(word) < 3 or word in _COMMON:
        return Reading((), anchor, False, single)
    return Reading((anchor,), anchor, False, single)


def _simplify(clauses: Iterable[Clause]) -> CNF:
    """Drop repeats and clauses implied by a narrower one; keep the narrowest few."""
    unique = sorted(set(clauses), key=lambda c: (len(c), sorted(c)))
    kept: list[Clause] = []
    for c in unique:
        if not any(k <= c for k in kept):
            kept.append(c)
    return tuple(kept[:_MAX_CLAUSES])


Lead = tuple[frozenset[str] | None, bool]  # what follows a lead word's white space, and whether more may


def _first_of(items: list[Reading]) -> tuple[frozenset[str] | None, bool]:
    """The first anchors of a run of items, and whether the run may match nothing."""
    first: set[str] = set()
    for r in items:
        if r.first is None:
            return None, False
        first |= r.first
        if not r.nullable:
            return frozenset(first), False
    return frozenset(first), True


def _join(a: Lead | None, b: Lead) -> Lead:
    if a is None:
        return b
    return (None if a[0] is None or b[0] is None else a[0] | b[0]), a[1] or b[1]


def _add_leads(leads: dict[str, Lead], plain: set[str], first: frozenset[str], own: dict[str, Lead]) -> None:
    """Merge one source of first anchors: an anchor is a lead only if every source says so."""
    for a in first:
        if a in own and a not in plain:
            leads[a] = _join(leads.get(a), own[a])
        else:
            plain.add(a)
            leads.pop(a, None)


def _sequence(items: list[Reading], spaces: list[bool] | None = None) -> Reading:
    r"""`spaces[i]`: item i is white space that must match (\s+): a whole word before it leads."""
    clauses = [c for r in items for c in r.cnf]
    first: set[str] | None = set()
    leads: dict[str, Lead] = {}
    plain: set[str] = set()
    for i, r in enumerate(items):
        if r.first is None:
            first = None
            break
        first |= r.first
        own = {a: (c, o) for a, c, o in r.leads}
        if spaces and i + 1 < len(items) and spaces[i + 1] and not r.nullable and r.first \
                and r.first == r.single and all(a.startswith(TOKEN) for a in r.first):
            after = _first_of(items[i + 2:])
            own = {a: after for a in r.first}
        elif any(o for _, _, o in r.leads):  # what follows this item continues its open leads
            rest, rest_open = _first_of(items[i + 1:])
            own = {a: (None if c is None or rest is None else c | rest, rest_open) if o else (c, o)
                   for a, (c, o) in own.items()}
        _add_leads(leads, plain, r.first, own)
        if not r.nullable:
            break
    nullable = all(r.nullable for r in items)
    consuming = [r for r in items if not (r.nullable and r.first == frozenset())]  # all but look-arounds and \b
    single = consuming[0].single if len(consuming) == 1 and first is not None else frozenset()
    return Reading(_simplify(clauses), None if first is None else frozenset(first), nullable, single,
                   tuple((a, c, o) for a, (c, o) in sorted(leads.items())) if first is not None else ())


def _either(branches: list[Reading]) -> Reading:
    """What every branch requires: one clause, the union of each branch's narrowest clause."""
    if len(branches) == 1:
        return branches[0]
    cnf: CNF = ()
    if all(b.cnf for b in branches):
        cnf = (frozenset().union(*(b.cnf[0] for b in branches)),)
    firsts = [b.first for b in branches]
    first = None if any(f is None for f in firsts) else frozenset().union(*firsts)
    single: frozenset[str] = frozenset()
    leads: dict[str, Lead] = {}
    if first is not None:  # single in every branch that opens with it
        single = frozenset().union(*(b.single for b in branches)).difference(
            *(b.first - b.single for b in branches if b.first is not None))
        plain: set[str] = set()
        for b in branches:
            _add_leads(leads, plain, b.first or frozenset(), {a: (c, o) for a, c, o in b.leads})
    return Reading(cnf, first, any(b.nullable for b in branches), single,
                   tuple((a, c, o) for a, (c, o) in sorted(leads.items())))


def _optional(r: Reading) -> Reading:
    return Reading((), r.first, True, r.single, r.leads)


def _repeated(r: Reading) -> Reading:
    r"""r that may match more than once: what follows its open leads may be r again ("the" in
    (?:the\s+){1,2}X is followed by "the" or X)."""
    if r.first is None or not any(o for _, _, o in r.leads):
        return r
    leads = tuple((a, None if c is None else c | r.first, o) if o else (a, c, o) for a, c, o in r.leads)
    return Reading(r.cnf, r.first, r.nullable, r.single, leads)


def _whole(r: Reading, kind: str) -> Reading:
    """r followed by what no word character (kind WHOLE) or no letter (LETTERS) matches: its
    single anchors are whole words, which far fewer words hold ("the", not "there"; "Iran", not
    "Iranian")."""
    renamed: dict[str, str] = {}
    for a in r.single:
        if a.startswith(START) and kind == WHOLE:
            renamed[a] = TOKEN + a[len(START):]
        elif a.startswith(LEXICON) and not a.endswith((WHOLE, LETTERS)):
            renamed[a] = a + kind
    if not renamed or r.first is None:
        return r
    cnf = tuple(frozenset(renamed.get(a, a) for a in clause) for clause in r.cnf)
    first = frozenset(renamed.get(a, a) for a in r.first)
    return Reading(cnf, first, r.nullable, frozenset(renamed.get(a, a) for a in r.single),
                   tuple((renamed.get(a, a), c, o) for a, c, o in r.leads))


class _Parser:
    """A reader for the regex syntax that rules use, with {name} references kept as units."""

    def __init__(self, pattern: str, macros: dict[str, str], lexicons: dict[str, Any], depth: int,
                 ignorecase: bool, multiline: bool = False) -> None:
        self.p, self.i = pattern, 0
        self.macros, self.lexicons, self.depth = macros, lexicons, depth
        # where the pattern goes on after this macro's end, for each macro it is in (None: unknown)
        self.outer: Outer = ()
        self.lookaround = 0  # how many look-arounds the parser is in
        self.ignorecase = ignorecase
        self.multiline = multiline  # ^ is the start of any line, a first anchor
        self.word_start = False  # the next sequence begins right after \b
        self.digit_start = False  # ... or after a look-behind that no digit matches just before
        self.near = False  # read what positive look-arounds require too
        self.repeats = False  # the last quantifier read allows more than one

    def alternation(self) -> Reading:
        word_start, digit_start = self.word_start, self.digit_start
        branches = [self.sequence()]
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            self.word_start, self.digit_start = word_start, digit_start
            branches.append(self.sequence())
        self.word_start = self.digit_start = False
        return _either(branches)

    def sequence(self) -> Reading:
        items: list[Reading] = []
        spaces: list[bool] = []  # item i is white space that must match
        letters = ""  # a run of literal letters: "minister" in "(?:Prime\\s+)?Minister"
        word_start, self.word_start = self.word_start, False
        digit_start, self.digit_start = self.digit_start, False
        while self.i < len(self.p) and self.p[self.i] not in "|)":
            c = self.p[self.i]
            if c.isalpha():
                self.i += 1
                optional = self.quantifier()
                if optional is None:
                    letters += c
                    continue
                if letters:
                    items.append(_word(letters, word_start))
                    spaces.append(False)
                    letters = ""
                letter = _WORD_START_READING if word_start else _WORD_CHAR_READING
                items.append(_optional(letter) if optional else letter)
                spaces.append(False)
                word_start = digit_start = False
                continue
            if letters:
                items.append(_word(letters, word_start, bool(_NON_WORD_NEXT.match(self.p, self.i))))
                spaces.append(False)
                letters, word_start, digit_start = "", False, False
            self.word_start, self.digit_start = word_start, digit_start
            at = self.i
            atom = self.atom()
            quantified = self.i
            optional = self.quantifier()
            if atom.single and _ONCE.fullmatch(self.p, quantified, self.i):
                kind = _word_end(self.p, self.i, self.macros, outer=self.outer, leave_groups=not self.lookaround)
                if kind:
                    atom = _whole(atom, kind)
            if self.repeats:
                atom = _repeated(atom)
            items.append(_optional(atom) if optional else atom)
            spaces.append(_SPACE_ATOM.fullmatch(self.p, at, quantified) is not None
                          and _AT_LEAST_ONCE.fullmatch(self.p, quantified, self.i) is not None)
            self.word_start = self.digit_start = False
            # after \b, (?<!\w) or (?<=...\s), a word character starts a word; an assertion
            # between them and the word changes nothing
            zero_width = atom.nullable and atom.first == frozenset()
            written = self.p[at:quantified]
            # white space or marks (\s+, (?:the\s+)?) end where a word may start: if they may be
            # absent, only when it was one before them
            opening = _GROUP_OPENING.match(written)
            ends_non_word = (_NON_WORD_RUN.fullmatch(written) is not None or (
                opening is not None and opening.end() > 1 and _group_end(written, 0) == len(written)
                and _ends_non_word(written[opening.end():-1])))
            # a digit starts a run where no digit may come before it; past what may match nothing,
            # as far as first anchors go (a digit after it is first only when it matched nothing)
            digit_start = (digit_start and (atom.nullable or bool(optional))) or _after_non_digit(written, self.macros)
            word_start = (self.p.startswith("\\b", at) and self.i == at + 2) or _after_non_word(
                written, self.macros) or (word_start and zero_width) or (ends_non_word and (
                    word_start or _AT_LEAST_ONCE.fullmatch(self.p, quantified, self.i) is not None))
            digit_start = digit_start or word_start
        if letters:
            items.append(_word(letters, word_start))
            spaces.append(False)
        return _sequence(items, spaces)

    def quantifier(self) -> bool | None:
        """None without a quantifier; else whether it allows zero repeats (and in self.repeats,
        whether it allows more than one)."""
        q = _quantifier(self.p, self.i)
        self.repeats = q is not None and q.repeats
        if q is None:
            return None
        self.i = q.end
        return q.optional

    def atom(self) -> Reading:
        p = self.p
        c = p[self.i]
        if c == "(":
            return self.group()
        if c == "[":
            start = self.i
            self.char_class()
            if _DIGIT_CLASS.fullmatch(p, start, self.i):
                return _digit(self.digit_start)
            marks = _MARK_CLASS.fullmatch(p, start, self.i)
            if marks:
                return _marks(_UNESCAPE.sub(r"\1", marks.group(1)))
            if _UPPER_CLASS.fullmatch(p, start, self.i):
                return self._upper()
            return self._word_char() if _WORD_CLASS.fullmatch(p, start, self.i) else _UNKNOWN
        if c.isdigit():
            self.i += 1
            return _digit(self.digit_start)
        if c == "\\":
            self.i += 2
            e = p[self.i - 1]
            if e == "d":
                return _digit(self.digit_start)
            if e in "bBAZ":
                return _ZERO_WIDTH
            if e.isdigit():  # an octal escape or a back-reference: its digits are not literal
                while self.i < len(p) and p[self.i].isdigit():
                    self.i += 1
                return _UNKNOWN
            if e in "pPN" and self.i < len(p) and p[self.i] == "{":
                start, self.i = self.i - 2, p.index("}", self.i) + 1
                if _UPPER_CLASS.fullmatch(p, start, self.i):
                    return self._upper()
                if _WORD_CLASS.fullmatch(p, start, self.i):
                    return self._word_char()
            elif e == "w":
                return self._word_char()
            elif e in "xuU":
                self.i += {"x": 2, "u": 4, "U": 8}[e]
            elif not e.isalnum() and not e.isspace() and e != "_":  # an escaped mark: \+ \. \(
                return _marks(e)
            return _UNKNOWN
        if c in "^$":
            self.i += 1
            return Reading((), frozenset([LINE]), False) if c == "^" and self.multiline else _ZERO_WIDTH
        if c == "{":
            m = _REFERENCE.match(p, self.i)
            if m:
                self.i = m.end()
                return self.reference(m.group(1))
        self.i += 1
        if c not in _REGEX_SPECIAL and not c.isalnum() and not c.isspace() and c != "_":
            return _marks(c)  # a literal mark: , : ' “
        return _UNKNOWN

    def _upper(self) -> Reading:
        """An upper-case letter: a first anchor, unless case is ignored (then any letter matches)."""
        if self.ignorecase:
            return self._word_char()
        return Reading((), frozenset([UPPER]), False)

    def _word_char(self) -> Reading:
        """A word character: where a word starts, when it comes right after \\b or what ends a word;
        else anywhere in a word, which no rule can be tried at alone (see read_leads)."""
        return _WORD_START_READING if self.word_start else _WORD_CHAR_READING

    def reference(self, name: str) -> Reading:
        if name in self.macros:
            if self.depth > 20:
                raise ValueError("macros refer to each other in a loop")
            parser = _Parser(self.macros[name], self.macros, self.lexicons, self.depth + 1, self.ignorecase,
                             self.multiline)
            parser.near = self.near
            parser.outer = self.outer + (None if self.lookaround else self._after_reference(),)
            parser.lookaround = self.lookaround
            parser.word_start = self.word_start  # \b{macro}: the macro's first letters start a word
            parser.digit_start = self.digit_start
            return parser.whole()
        if name in self.lexicons and len(self.lexicons[name]):
            anchor = frozenset([LEXICON + name + (ANY_CASE if self.ignorecase else "")])
            return Reading((anchor,), anchor, False, anchor)
        return _UNKNOWN

    def _after_reference(self) -> tuple[str, int] | None:
        """Where the pattern goes on after the macro just referred to: past a quantifier that lets it
        be absent; unknown when it may repeat (it may be followed by itself)."""
        q = _quantifier(self.p, self.i)
        if q is None:
            return self.p, self.i
        return None if q.repeats else (self.p, q.end)

    def char_class(self) -> None:
        end = _class_end(self.p, self.i)
        if end < 0:
            raise ValueError("unbalanced bracket")
        self.i = end

    def group(self) -> Reading:
        p = self.p
        self.i += 1
        lookaround = False
        if p.startswith("?", self.i):
            rest = p[self.i:self.i + 4]
            if rest.startswith(("?=", "?!", "?<=", "?<!")):
                lookaround = "positive" if rest.startswith(("?=", "?<=")) else "negative"
                self.i += 3 if rest.startswith("?<") else 2
            elif rest.startswith(("?P<", "?<")):
                self.i = p.index(">", self.i) + 1
            elif rest.startswith("?P="):  # a back-reference
                self.i = p.index(")", self.i) + 1
                return _UNKNOWN
            else:  # (?:  (?>  (?i:  (?i)  (?#...)
                m = _GROUP_FLAGS.match(p, self.i)
                if not m:
                    raise ValueError(f"unsupported group at {self.i}")
                self.i = m.end()
                if m.group().endswith(")"):  # global flags (read before parsing) or a comment
                    return _ZERO_WIDTH
                flags = m.group()[1:-1]
                if "i" in flags:
                    case = self.ignorecase
                    self.ignorecase = "i" in flags.split("-")[0]
                    inner = self.alternation()
                    self.ignorecase = case
                    return self._close(inner, False)
        if lookaround:  # what follows a look-around in the pattern does not follow its words in the text
            self.lookaround += 1
            try:
                return self._close(self.alternation(), lookaround)
            finally:
                self.lookaround -= 1
        return self._close(self.alternation(), lookaround)

    def _close(self, inner: Reading, lookaround: bool | str) -> Reading:
        p = self.p
        if self.i >= len(p) or p[self.i] != ")":
            raise ValueError("unbalanced parenthesis")
        self.i += 1
        if lookaround == "positive" and self.near:  # what it looks at is next to the match
            return Reading(inner.cnf, frozenset(), True)
        return _ZERO_WIDTH if lookaround else inner

    def whole(self) -> Reading:
        reading = self.alternation()
        if self.i != len(self.p):
            raise ValueError("unbalanced parenthesis")
        return reading


def _class_end(p: str, i: int) -> int:
    """Just after the character class that opens at p[i] (a leading ^ or ] and escapes read as the
    regex module reads them, nested sets counted); -1 if it is not closed."""
    j = i + 1
    if j < len(p) and p[j] == "^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1
    depth = 1
    while j < len(p) and depth:
        if p[j] == "\\":
            j += 2
            continue
        if p[j] == "[":
            depth += 1
        elif p[j] == "]":
            depth -= 1
        j += 1
    return -1 if depth else j


def _group_end(p: str, i: int) -> int:
    """Where the group opening at p[i] ends (just after its closing parenthesis); -1 if it does not."""
    return _enclosing_end(p, i + 1)


def _items(p: str, j: int = 0) -> Iterator[tuple[int, int]]:
    """The items of a pattern from p[j] on, at its own level, as (start, end): an escape, a class or
    a group, each whole (without its quantifier), else one character (one that cannot be read: the
    rest of the pattern)."""
    while j < len(p):
        c = p[j]
        end = j + 2 if c == "\\" else _class_end(p, j) if c == "[" else _group_end(p, j) if c == "(" else j + 1
        end = len(p) if end <= j else min(end, len(p))
        yield j, end
        j = end


def _enclosing_end(p: str, i: int) -> int:
    """Just after the parenthesis that closes the group p[i] is in; -1 at the pattern's top level."""
    return next((end for start, end in _items(p, i) if p[start] == ")"), -1)


_NON_WORD_RUN = patterns.compile(r"(?:\\s|\\W|\[(?!\^)(?:\\s|\\W|\\[^\w\s]|[^\w\\\]\[])+\])\+?")
_NON_WORD_RUN_AT_END = patterns.compile(_NON_WORD_RUN.pattern + r"\Z")


def _lookbehind(item: str, macros: dict[str, str]) -> str | None:
    """The look-behind an item is ("(?<!...)" or "(?<=...)", following macros); None if none."""
    for _ in range(20):
        m = _REFERENCE.fullmatch(item)
        if not (m and m.group(1) in macros):
            break
        item = macros[m.group(1)]
    if not item.startswith(("(?<!", "(?<=")) or _group_end(item, 0) != len(item):
        return None
    return item


def _after_non_word(item: str, macros: dict[str, str]) -> bool:
    r"""Whether a look-behind (or a macro that is one) says no word character comes just before:
    (?<!\w), (?<![\w$-]|\d[.,]), (?<=(?:in|at)\s+)."""
    behind = _lookbehind(item, macros)
    if behind is None:
        return False
    body = behind[4:-1]
    if behind[3] == "!":
        return any(_NO_WORD_CLASS.fullmatch(a) for a in _alternatives(body) or ())
    return _ends_non_word(body)


def _ends_non_word(body: str, depth: int = 0) -> bool:
    r"""Whether every match of `body` ends with a character no word holds: its last item, outside any
    alternation still open there, is white space or marks that must match at least once, or a
    group each alternative of which ends so ((?:-|\s+))."""
    alternatives = _split_alternatives(body)
    if len(alternatives) > 1:
        return depth < 20 and all(_ends_non_word(a, depth + 1) for a in alternatives)
    if _ends_with_non_word_run(body) or _ENDS_WITH_MARK.search(body):
        return True
    last = None
    for last in _items(body):
        pass
    if last is None or body[last[0]] != "(" or last[1] != len(body) or depth >= 20:
        return False
    inner = _GROUP_OPENING.match(body, last[0])  # the last item is a group: each alternative of it
    return inner is not None and _ends_non_word(body[inner.end():-1], depth + 1)


# a mark written literally (or escaped) that must match, last: "-", "\\." (not after a backslash)
_ENDS_WITH_MARK = patterns.compile(r"(?<!\\)(?:\\\\)*(?:[^\w\s\\\[\]()|?*+{}^$.]|\\[^\w\s])\+?\Z")
_GROUP_OPENING = patterns.compile(r"\((?:\?:|\?P<\w+>|\?[a-zA-Z]+:|(?!\?))")  # not a look-around


def _ends_with_non_word_run(body: str) -> bool:
    """Whether body's last item is white space or marks that must match (\\s+, [,;]), not escaped."""
    last = _NON_WORD_RUN_AT_END.search(body)
    return last is not None and not (last.start() and body[last.start() - 1] == "\\")


def _alternatives(body: str) -> list[str] | None:
    """The top-level alternatives of a group's body; None if it holds groups of its own."""
    return None if "(" in body.replace("\\(", "") else _split_alternatives(body)


Outer = tuple  # of (pattern, index) or None: where the patterns that refer to a macro go on after it


def _word_end(p: str, i: int, macros: dict[str, str], depth: int = 0, outer: Outer = (),
              leave_groups: bool = True) -> str | None:
    """WHOLE if what the pattern requires at p[i] is never a word character, LETTERS if it is never
    a letter, else None. Look-aheads are read (one that rules out a word character or a letter in
    one of its alternatives tells; others are stepped over), and so are the start of a macro or a
    group (every alternative of it), what follows a part that may match nothing, and what follows
    the group that p[i] ends (and, past a macro's end, the pattern that refers to it: `outer`)."""
    while depth <= 20:
        if i >= len(p):  # the end of a macro: the pattern that refers to it goes on
            if not outer or outer[-1] is None:
                return None
            (p, i), outer = outer[-1], outer[:-1]
            continue
        if _NON_WORD_NEXT.match(p, i) or p[i] == "$" or p.startswith("\\Z", i) or _WHITE_ESCAPE.match(p, i):
            return WHOLE
        nullable = _NON_WORD_NULLABLE.match(p, i)
        if nullable:  # a run of non-word characters that may be absent: so must what follows be
            return _weakest(WHOLE, _word_end(p, nullable.end(), macros, depth + 1, outer))
        if p[i] in "|)":  # the end of an alternative, or of a group: what follows the group
            if not leave_groups:  # inside a look-around, what follows the group does not follow in the text
                return None
            i = p.index(")", i) + 1 if p[i] == ")" else _enclosing_end(p, i)
            if i < 0 or (i < len(p) and p[i] in "?*+{"):  # the pattern's end, or a group that repeats
                return None
            continue
        if p.startswith(("(?!", "(?="), i):
            end = _group_end(p, i)
            if end < 0:
                return None
            if _quantifier(p, end) is not None:  # a look-ahead that may be skipped tells nothing
                pass
            elif p[i + 2] == "!":
                for alternative in _alternatives(p[i + 3:end - 1]) or ():
                    if _NO_WORD_CLASS.fullmatch(alternative):
                        return WHOLE
                    if _NO_LETTER_CLASS.fullmatch(alternative):
                        return LETTERS
            else:  # what a look-ahead requires there tells, when each of its alternatives does
                kind = _every_alternative(p[i + 3:end - 1], macros, depth)
                if kind is not None:
                    return kind
            i = end  # a look-ahead takes no characters: what follows it comes next as well
            continue
        if p.startswith(("(?:", "(?P<"), i):
            end = _group_end(p, i)
            if end < 0:
                return None
            body = p[p.index(">", i) + 1 if p.startswith("(?P<", i) else i + 3:end - 1]
            kind = _every_alternative(body, macros, depth)
            quantified = _quantifier(p, end)
            if quantified is not None and quantified.optional:  # it may be absent: what follows counts too
                kind = _weakest(kind, _word_end(p, quantified.end, macros, depth + 1, outer))
            return kind
        m = _REFERENCE.match(p, i)
        if m and m.group(1) in macros:
            after = _quantifier(p, m.end())
            end = m.end() if after is None else after.end
            # past the macro's end: the pattern goes on after it, unless the macro may come again
            go_on = outer + ((None if (after is not None and after.repeats) or not leave_groups else (p, end)),)
            kind = _word_end(macros[m.group(1)], 0, macros, depth + 1, go_on)
            if after is not None and after.optional:  # it may be absent: what follows it counts too
                kind = _weakest(kind, _word_end(p, end, macros, depth + 1, outer, leave_groups))
            return kind
        return None
    return None


_WHITE_ESCAPE = patterns.compile(r"\\[ntr](?![?*]|\{0|\{,)")  # a newline, tab or return that must match
# a non-word character class (or escape) that may match nothing: [^\S\n]*, \s?
_NON_WORD_NULLABLE = patterns.compile(
    r"(?:[^\w\\\[\]()|?*+{}^$.]|\\[sWntr]|\[\^\\S(?:\\.|[^\]\\])*\]|\[-?(?:\\s|\\[^\w\s]|[^\w\s\\\]\[\-^])+-?\])(?:[?*]|\{0?,\d*\})[?+]?")
def _every_alternative(body: str, macros: dict[str, str], depth: int) -> str | None:
    """What _word_end says of a group's body: the weakest of what it says at each alternative."""
    kind: str | None = WHOLE
    for alternative in _split_alternatives(body):
        kind = _weakest(kind, _word_end(alternative, 0, macros, depth + 1))
    return kind


def _weakest(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return None
    return LETTERS if LETTERS in (a, b) else WHOLE


def _split_alternatives(body: str) -> list[str]:
    """The top-level alternatives of a group's body, groups inside kept whole."""
    out, start = [], 0
    for at, end in _items(body):
        if body[at] == "|":
            out.append(body[start:at])
            start = end
    out.append(body[start:])
    return out


# marks that most paragraphs lack, so that a rule requiring one is read only where one stands (a
# clause); commas, full stops, quotation marks and hyphens are in nearly every paragraph
_RARE_MARKS = frozenset("%:/;()[]")


def _marks(chars: str) -> Reading:
    """Punctuation marks: possible first anchors; a clause too when every one of them is rare."""
    anchor = frozenset(MARK + c for c in chars)
    if all(c in _RARE_MARKS for c in chars):
        return Reading((anchor,), anchor, False)
    return Reading((), anchor, False)


def _digit(run_start: bool = False) -> Reading:
    """A digit: a clause; as a first anchor, one that starts a run of digits when no digit may
    come just before it (most numbers are several digits, each of them a digit anchor)."""
    anchor = frozenset([DIGIT])
    return Reading((anchor,), frozenset([DIGIT_START]) if run_start else anchor, False)


# a character class (or a class escape) that every digit matches
_ALL_DIGITS = patterns.compile(r"\\[dw]|\[(?!\^)(?:\\.|[^\]\\])*\\[dw](?:\\.|[^\]\\])*\]")  # [0-9]: not the other digits


def _after_non_digit(item: str, macros: dict[str, str]) -> bool:
    r"""Whether a look-behind (or a macro that is one) says no digit comes just before: one of
    its alternatives is a single class that every digit matches, (?<![\p{L}\d.,])."""
    behind = _lookbehind(item, macros)
    return behind is not None and behind[3] == "!" and \
        any(_ALL_DIGITS.fullmatch(a) for a in _alternatives(behind[4:-1]) or ())


def _starts_words(anchor: str, lexicons: dict[str, Any]) -> bool:
    """Whether a lexicon anchor's entries all start with a word character (then each starts a
    word); one that opens with a mark ("'Ndrangheta", "$") is held where no word starts."""
    if not anchor.startswith(LEXICON):
        return False
    name = anchor[len(LEXICON):].split("~")[0]
    lexicon = lexicons.get(name)
    return lexicon is not None and all(_TOKEN.match(surface) for surface in lexicon.surfaces())


def _flags_in(pattern: str, macros: dict[str, str]) -> set[str]:
    """The letters of every inline flag group in the pattern and the macros it uses."""
    letters: set[str] = set()
    seen: set[str] = set()
    todo = [pattern]
    while todo:
        body = todo.pop()
        for m in _ANY_FLAGS.finditer(body):
            letters.update(m.group(1))
        for ref in _REFERENCE.findall(body):
            if ref in macros and ref not in seen:
                seen.add(ref)
                todo.append(macros[ref])
    return letters


_GLOBAL_FLAGS = patterns.compile(r"\(\?([a-zA-Z]+)\)")
_ANY_FLAGS = patterns.compile(r"\(\?([a-zA-Z\-]+)[:)]")


def _read(pattern: str, macros: dict[str, str], lexicons: dict[str, Any], flags: Iterable[str],
          near: bool) -> Reading | None:
    flags = set(flags)
    for m in _GLOBAL_FLAGS.finditer(pattern):
        flags.update({"i": "ignorecase", "x": "verbose", "m": "multiline"}.get(f, f) for f in m.group(1))
    if "verbose" in flags:  # white space and comments would read as literal words
        return None
    inline = _flags_in(pattern, macros)
    if inline & {"a", "w"}:  # ASCII or Unicode-default word boundaries: \b and \w are not the words read
        return None
    # with the `w` flag anywhere, ^ also follows \r and other line breaks: not read as a line start
    lines = "multiline" in flags
    parser = _Parser(pattern, macros, lexicons, 0, "ignorecase" in flags, lines)
    parser.near = near
    try:
        return parser.whole()
    except (ValueError, IndexError):
        return None


def read(pattern: str, macros: dict[str, str], lexicons: dict[str, Any],
         flags: Iterable[str] = ()) -> tuple[CNF, frozenset[str] | None]:
    """(anchors, first) of a rule's pattern; ((), None) when this reader cannot follow it."""
    return read_leads(pattern, macros, lexicons, flags)[:2]


Leads = tuple[tuple[str, frozenset[str]], ...]  # (first anchor, the first anchors one of which follows it)


def read_leads(pattern: str, macros: dict[str, str], lexicons: dict[str, Any],
               flags: Iterable[str] = ()) -> tuple[CNF, frozenset[str] | None, Leads]:
    r"""read(), and the first anchors that are whole words a match follows with white space and then
    one of the given anchors ("the" in (?:the\s+)?{season}): tried only where such a word follows."""
    reading = _read(pattern, macros, lexicons, flags, near=False)
    if reading is None:
        return (), None, ()
    first = None if reading.nullable or not reading.first or _WORD_CHAR in reading.first else reading.first
    if first is not None and all(a.startswith(MARK) for a in first):
        first = None  # a pattern that can only start with a literal mark: regex's own search is as quick
    if first is not None and WORD_START in first:  # what starts a word is among the word starts
        first = frozenset(a for a in first if not (a.startswith((START, TOKEN)) or _starts_words(a, lexicons)))
    leads: Leads = ()
    if first is not None:
        leads = tuple((a, c) for a, c, more in reading.leads
                      if c and not more and a in first and c.isdisjoint(_ANY_WORD))
    return reading.cnf, first, leads


def near(pattern: str, macros: dict[str, str], lexicons: dict[str, Any], flags: Iterable[str] = ()) -> CNF:
    r"""What the paragraph of every match holds: the anchors, and what positive look-arounds
    require ("companies" in (?<=companies\s+)) next to the match."""
    reading = _read(pattern, macros, lexicons, flags, near=True)
    return reading.cnf if reading is not None else ()


# ---------------------------------------------------------------------------------------------
# Finding anchors in an article, word by word

_TOKEN = patterns.compile(r"\w+")
_SPLIT = patterns.compile(r"(\w+)")  # gap, word, gap, word, ..., gap
_DIGIT = patterns.compile(r"\d")
_DIGIT_START = patterns.compile(r"(?<!\d)\d")  # in the words joined by newlines: no digit before it in its word
_WORD_SPACE = patterns.compile(r"\w+\s+")
_SECOND_WORD = patterns.compile(r" (\w+)")  # after an entry's first word: a space and its second word
_ENTRY_GAP = patterns.compile(r"[\s\-]+")  # what lies between two words of one entry (lexicon._SEP)
_UPPER = patterns.compile(r"\p{Lu}")
_NONE: frozenset[str] = frozenset()
# What a word holds: its anchors; each anchor with its start in the word; and the same split in
# two, the anchors that start where the word does and the others (the anchor pass's inner loop)
Held = tuple[frozenset[str], tuple[tuple[str, int], ...], tuple[str, ...], tuple[tuple[str, int], ...]]
_NOTHING: Held = (_NONE, (), (), ())  # what most words hold
Condition = tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]
_MEMO_LIMIT = 200_000  # words remembered across articles; cleared when full, so memory stays flat


def _split_words(text: str, a: int, b: int) -> tuple[list[str], list[int]]:
    """The words of text[a:b] (runs of \\w), and where each starts."""
    parts = patterns.split(_SPLIT, text[a:b])
    return parts[1::2], list(accumulate(map(len, parts), initial=a))[1:-1:2]


def _find_all(text: str, needle: str) -> list[int]:
    """Where needle starts in text, every place (overlapping too): str.find, far quicker than a
    regex tried at every character for a fixed string."""
    found, i = [], text.find(needle)
    while i >= 0:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


@dataclass
class Scanner:
    """Says which anchors a word holds, and where in it they start.

    Every anchor lies inside the words of a match. A lexicon entry starts a word: an entry of
    several words (or with a mark such as "St.") starts with exactly its first word, a one-word
    entry with that word or a longer one (entries are not anchored at their end). A literal word is
    part of one word, a digit is in one word. What each distinct word holds is remembered across
    articles, so a paragraph costs one dictionary lookup per word.
    """

    exact: dict[str, frozenset[str]]  # first word -> lexicon anchors (case-sensitive anchors: as written)
    prefix: dict[str, frozenset[str]]  # one-word entries -> lexicon anchors
    everywhere: frozenset[str]  # lexicons with an entry that does not start with a word character
    words: tuple[str, ...]
    digits: bool
    upper: bool = False
    lines: bool = False
    marks: str = ""  # the punctuation marks some rule starts with
    letters: dict[str, frozenset[str]] = field(default_factory=dict)  # one-word entries a non-letter follows
    digit_starts: bool = False  # digits that no digit comes just before (DIGIT_START)
    # the first word of an entry of words and spaces ("a dozen", "The Hague") -> anchor -> the
    # entry's second words, in lower case: the first word holds the anchor only where one of them
    # comes next ("a" is no number, "The" no city, on their own)
    followed: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    _stems: dict[str, frozenset[str]] | None = None  # made on first use
    _memo: dict[str, Held] = field(default_factory=dict, repr=False)
    # the words of _memo that hold an anchor only if the right word follows: every second word
    # (to rule most out at once), and each anchor with its own
    _conditions: dict[str, Condition] = field(default_factory=dict, repr=False)
    generation: int = 0  # how many times the memory was cleared: a Windows being read then asks for each word

    @classmethod
    def build(cls, anchors: Iterable[str], lexicons: dict[str, Lexicon]) -> "Scanner":
        anchors = set(anchors)
        exact: dict[str, set[str]] = {}
        prefix: dict[str, set[str]] = {}
        everywhere: set[str] = set()
        letters: dict[str, set[str]] = {}
        followed: dict[str, dict[str, set[str]]] = {}
        for anchor in sorted(a for a in anchors if a.startswith(LEXICON)):
            name = anchor[len(LEXICON):]
            end = name[-2:] if name.endswith((WHOLE, LETTERS)) else ""
            name = name[:len(name) - len(end)]
            any_case = name.endswith(ANY_CASE)
            # a one-word entry starts a word, or is the whole word (WHOLE), or the word's letters (LETTERS)
            one_word = {WHOLE: exact, LETTERS: letters}.get(end, prefix)
            for surface in lexicons[name.removesuffix(ANY_CASE)].surfaces():
                surface = " ".join(surface.split())
                # ignoring case, "İstanbul" is also "istanbul" (a pattern matches İ as i), which
                # casefold() alone does not give
                for key in {surface.casefold(), lower(surface).casefold()} if any_case else (surface,):
                    m = _TOKEN.match(key)
                    if m is None:
                        everywhere.add(anchor)
                    elif m.end() == len(key):
                        one_word.setdefault(m.group(), set()).add(anchor)
                    else:
                        second = _SECOND_WORD.match(key, m.end())
                        if second is not None and second.group(1).isascii():
                            followed.setdefault(m.group(), {}).setdefault(anchor, set()).add(second.group(1).lower())
                        else:  # a mark after the first word ("St. Petersburg"): the first word alone
                            exact.setdefault(m.group(), set()).add(anchor)
        for anchor in anchors:
            if anchor.startswith(START):  # a literal word right after \b: a prefix of the word, any case
                prefix.setdefault(anchor[len(START):].casefold(), set()).add(anchor)
            elif anchor.startswith(TOKEN):  # a whole word, any case
                exact.setdefault(anchor[len(TOKEN):].casefold(), set()).add(anchor)
        words = tuple(sorted(a[len(WORD):] for a in anchors if a.startswith(WORD)))
        return cls({k: frozenset(v) for k, v in exact.items()}, {k: frozenset(v) for k, v in prefix.items()},
                   frozenset(everywhere), words, DIGIT in anchors, UPPER in anchors, LINE in anchors,
                   "".join(sorted(a[len(MARK):] for a in anchors if a.startswith(MARK))),
                   letters={k: frozenset(v) for k, v in letters.items()}, digit_starts=DIGIT_START in anchors,
                   followed={k: {a: tuple(sorted(v)) for a, v in sorted(by.items())} for k, by in followed.items()})

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_memo"] = {}
        state["_conditions"] = {}
        state["_stems"] = None
        return state

    def of_word(self, word: str) -> tuple[frozenset[str], tuple[tuple[str, int], ...]]:
        """The anchors in a word (as written), and each anchor's start offsets within it."""
        return self.held(word)[:2]

    def held(self, word: str) -> Held:
        found = self._memo.get(word)
        if found is None:
            found = self.learn([word])[0]
        return found

    def learn(self, words: list[str]) -> list[Held]:
        """Read words not yet remembered, and remember them. The digit and capital patterns run
        once over all the words joined by newlines (no anchor holds one), and each literal word is
        looked for once in them, rather than once a word: most of a new word's cost was those calls."""
        lows = [lower(word) for word in words]
        hits: dict[int, list[tuple[str, int]]] = {}  # word index -> (anchor, offset): few words have any
        # where each word starts, joined (a word and its lower case have the same offsets)
        begins = list(accumulate((len(word) + 1 for word in words), initial=0))
        if self.words:  # every place each literal word occurs
            joined_low = "\n".join(lows)
            for literal in self.words:
                for at in _find_all(joined_low, literal):
                    i = bisect.bisect_right(begins, at) - 1
                    hits.setdefault(i, []).append((WORD + literal, at - begins[i]))
        joined = "\n".join(words)
        for kind, pattern in ((DIGIT, _DIGIT if self.digits else None), (UPPER, _UPPER if self.upper else None),
                              (DIGIT_START, _DIGIT_START if self.digit_starts else None)):
            if pattern is not None:
                for m in patterns.finditer(pattern, joined):
                    at = m.start()
                    i = bisect.bisect_right(begins, at) - 1
                    hits.setdefault(i, []).append((kind, at - begins[i]))
        prefix, stems, letters = self.prefix, self._stems, self.letters
        if stems is None:  # every beginning of a prefix entry, with the anchors of the entry it is
            stems = self._stems = {key[:end]: prefix.get(key[:end], _NONE)
                                   for key in prefix for end in range(1, len(key) + 1)}
        memo, conditions = self._memo, self._conditions
        exact_of, followed_of, letters_of, stem_of = self.exact.get, self.followed.get, letters.get, stems.get
        out = []
        for index, (word, low) in enumerate(zip(words, lows)):
            names: set[str] = set()
            seconds: dict[str, set[str]] | None = None
            # case-sensitive anchors are keyed as written, the others case-folded; a pattern that
            # ignores case matches the Turkish İ and ı as i, which casefold() alone does not give
            # (an ASCII word's case folds are its lower case)
            if word.isascii():
                keys: Iterable[str] = (word,) if word == low else (word, low)
            else:
                keys = {word, word.casefold(), low.casefold()}
            for key in keys:
                held = exact_of(key)
                if held:
                    names |= held
                going_on = followed_of(key)
                if going_on:
                    if seconds is None:
                        seconds = {}
                    for anchor, then in going_on.items():
                        seconds.setdefault(anchor, set()).update(then)
                if letters:  # the word, or its part before a character that is no letter ("G20" in "G20s")
                    held = letters_of(key)
                    if held:
                        names |= held
                    if not key.isalpha():
                        for end in range(1, len(key)):
                            if not key[end].isalpha():
                                held = letters_of(key[:end])
                                if held:
                                    names |= held
                for end in range(1, len(key) + 1):  # the walk stops at the first that begins no entry
                    held = stem_of(key[:end])
                    if held is None:
                        break
                    if held:
                        names |= held
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
                conditions.clear()
                self.generation += 1
            if seconds and seconds.keys() - names:  # every second word, and each anchor's own
                each = tuple((a, tuple(sorted(then))) for a, then in sorted(seconds.items()) if a not in names)
                conditions[word] = (tuple(sorted({t for _, then in each for t in then})), each)
            starts = hits.get(index)
            if names or starts:
                starts = starts or []
                starts.extend((name, 0) for name in names)
                where = tuple(sorted(set(starts)))
                found = (frozenset(name for name, _ in starts), where,
                         tuple(name for name, k in where if k == 0), tuple((name, k) for name, k in where if k))
            else:  # most words hold nothing: one shared entry
                found = _NOTHING
            memo[word] = found
            out.append(found)
        return out

    def anchors_in(self, text: str, pos: int, endpos: int) -> set[str]:
        """The anchors that text[pos:endpos] holds."""
        out = set(self.everywhere)
        out.update(MARK + c for c in set(self.marks).intersection(text[pos:endpos]))
        for word in set(_TOKEN.findall(text, pos, endpos)):
            names = self.of_word(word)[0]
            if names:
                out |= names
            if word in self._conditions:  # whatever follows
                out.update(name for name, _ in self._conditions[word][1])
        return out


def lower(text: str) -> str:
    """Lower case with the same offsets (the one letter whose lower case is two characters stays
    one); the Turkish dotted and dotless i become i, as a pattern ignoring case matches them."""
    return text.replace("\u0130", "I").replace("\u0131", "i").lower()


@dataclass
class Windows:
    """Per article: which anchors each paragraph (span) holds, and where each anchor starts.

    One pass over the words of the paragraphs; each word's anchors come from the scanner's memory."""

    text: str
    spans: list[tuple[int, int]]
    scanner: Scanner
    _masks: dict[str, int] = field(default_factory=dict)  # anchor -> bit i set if span i holds it
    _starts: dict[str, list[int]] = field(default_factory=dict)  # anchor -> where it starts in the words
    _at_cache: dict[str, list[int]] | None = None
    _cache: dict[Any, Any] = field(default_factory=dict)
    _word_starts: list[int] = field(default_factory=list)  # where each word of the paragraphs starts
    _inside: dict[str, list[int]] = field(default_factory=dict)  # anchor -> its starts that are no word's start

    def __post_init__(self) -> None:
        spans, starts = self.spans, defaultdict(list)
        self._starts = starts
        if not spans:
            return
        # the words of all the paragraphs at once (one split, one lookup a word, one learning of
        # the new ones), each paragraph then taking its own run of them
        words, offsets = _split_words(self.text, spans[0][0], spans[-1][1])
        self._word_starts = offsets
        held_by, conditions = self._held_by(words)
        cut_starts: list[int] = []
        i = 0
        for bit, (a, b) in enumerate(spans):
            i = bisect.bisect_left(offsets, a, i)
            j = bisect.bisect_left(offsets, b, i)
            if (i and offsets[i - 1] + len(words[i - 1]) > a) or (j > i and offsets[j - 1] + len(words[j - 1]) > b):
                # a paragraph that cuts a word: its words are its own
                apart, apart_at = _split_words(self.text, a, b)
                self._read_paragraph(bit, apart, apart_at, *self._held_by(apart), 0, len(apart))
                if apart_at:  # its first word may be the end of one cut: a start of its own
                    cut_starts.append(apart_at[0])
            else:
                self._read_paragraph(bit, words, offsets, held_by, conditions, i, j)
            i = j
        if cut_starts:
            self._word_starts = sorted(set(offsets).union(cut_starts))
        everything = (1 << len(spans)) - 1
        for name in self.scanner.everywhere:
            self._masks[name] = everything

    def _read_paragraph(self, bit: int, words: list[str], offsets: list[int],
              held_by: list[Held], conditions: dict[str, Condition], i: int, j: int) -> None:
        """Paragraph `bit`, made of words[i:j]: the anchors it holds, and where each starts."""
        starts, inside_starts, names = self._starts, self._inside, set()
        # only the words that hold an anchor, picked out without a Python loop
        for (held, _, at_start, inside), p in compress(zip(held_by[i:j], offsets[i:j]),
                                                       map(is_not, held_by[i:j], repeat(_NOTHING))):
            names |= held
            for name in at_start:
                starts[name].append(p)
            if inside:
                for name, k in inside:
                    starts[name].append(p + k)
                    inside_starts.setdefault(name, []).append(p + k)
        if conditions:  # the first words of entries of several words, where their entries go on
            last = len(words) - 1
            for k in compress(range(i, j), map(conditions.__contains__, words[i:j])):
                condition = conditions[words[k]]
                if k < last:  # the common case, ruled out here: no entry's second word comes next
                    following = words[k + 1]
                    if following.isascii() and not following.lower().startswith(condition[0]):
                        continue
                for name in self._going_on(condition, words, offsets, k):
                    names.add(name)
                    starts[name].append(offsets[k])
        flag, masks = 1 << bit, self._masks
        for name in names:
            masks[name] = masks.get(name, 0) | flag

    def _going_on(self, condition: Condition, words: list[str], offsets: list[int], k: int) -> Iterable[str]:
        """The anchors word k holds as the first word of entries of several words: those whose
        second word comes next, after white space or hyphens. Past the last word, or before one
        that is not ASCII (whose case folds this does not follow), every one of them. (The caller
        has ruled out a next word that starts none of the entries' second words.)"""
        _, each = condition
        if k + 1 < len(words) and words[k + 1].isascii():
            following = words[k + 1].lower()
            gap = offsets[k] + len(words[k])
            if not (offsets[k + 1] == gap + 1 and self.text[gap] == " ") and \
                    not _ENTRY_GAP.fullmatch(self.text, gap, offsets[k + 1]):
                return ()
            each = tuple((name, then) for name, then in each if following.startswith(then))
        return [name for name, _ in each]

    def _held_by(self, words: list[str]) -> tuple[list[Held], dict[str, Condition]]:
        """What each word holds, from the scanner's memory (which learns the new words first), and
        the conditions of the words that hold an anchor only if the right word follows."""
        scanner = self.scanner
        memo = scanner._memo
        held_by = list(map(memo.get, words))  # None: not read yet
        if not all(held_by):  # a word not read yet (what a word holds is never empty, so all() says so)
            generation = scanner.generation
            missing = list(compress(range(len(words)), map(is_, held_by, repeat(None))))
            scanner.learn(list(dict.fromkeys(words[k] for k in missing)))
            if scanner.generation != generation:  # the memory was cleared meanwhile: ask for each word
                held_by, conditions = [], {}
                for word in words:
                    held_by.append(scanner.held(word))
                    if word in scanner._conditions:  # read now: the next word's learning may clear it
                        conditions[word] = scanner._conditions[word]
                return held_by, conditions
            for k in missing:
                held_by[k] = memo[words[k]]
        return held_by, scanner._conditions

    @property
    def _at(self) -> dict[str, list[int]]:
        """Anchor -> where it starts, in order; line starts and marks added when first asked."""
        at = self._at_cache
        if at is None:
            at = dict(self._starts)
            at[WORD_START] = self._word_starts
            if self.scanner.lines:  # where every line starts, blank ones between paragraphs too
                at[LINE] = [0, *(i + 1 for i in _find_all(self.text, "\n"))]
            for mark in self.scanner.marks:  # the punctuation marks some rule starts with
                positions = _find_all(self.text, mark)
                if positions:
                    at[MARK + mark] = positions
            for positions in at.values():
                positions.sort()
            self._at_cache = at
        return at

    def spans_for(self, cnf: CNF) -> list[tuple[int, int]]:
        """The spans where every clause has an anchor, in order (the same list for every rule that
        gets the same spans: rules share them, and no one changes them)."""
        found = self._cache.get(cnf)
        if found is None:
            masks = self._masks
            bits = (1 << len(self.spans)) - 1
            for clause in cnf:
                either = 0
                for name in clause:
                    mask = masks.get(name)
                    if mask is None:
                        mask = masks[name] = self._mark_mask(name) if name.startswith(MARK) else 0
                    either |= mask
                bits &= either
            key = ("bits", bits)
            found = self._cache.get(key)
            if found is None:
                spans = self.spans
                found = self._cache[key] = [spans[i] for i in range(len(spans)) if bits >> i & 1]
            self._cache[cnf] = found
        return found

    def _mark_mask(self, name: str) -> int:
        """The spans that hold a punctuation mark (marks are found in one pass over the text, not
        word by word)."""
        spans, mask = self.spans, 0
        begins = [a for a, _ in spans]
        for p in self._at.get(name, ()):
            i = bisect.bisect_right(begins, p) - 1
            if i >= 0 and p < spans[i][1]:
                mask |= 1 << i
        return mask

    def any_in(self, cnf: CNF, pos: int, endpos: int) -> bool:
        """Whether text[pos:endpos] holds the start of an anchor of every clause."""
        return self.last_start(cnf, pos, endpos) >= pos

    def last_start(self, cnf: CNF, pos: int, endpos: int) -> int:
        """The last position in [pos, endpos) where a match holding an anchor of every clause can
        start: a match contains each clause's anchor, so it starts at or before the last one in
        the stretch (pos - 1 when a clause has none; endpos when no clause tells)."""
        everywhere, at = self.scanner.everywhere, self._at
        last = endpos
        for clause in cnf:
            if not clause.isdisjoint(everywhere):
                continue  # an entry that starts with a mark: where it stands is not listed
            latest = pos - 1
            for name in clause:
                positions = at.get(name)
                if positions:
                    i = bisect.bisect_left(positions, endpos) - 1
                    if i >= 0 and positions[i] > latest:
                        latest = positions[i]
            if latest < last:
                last = latest
        return last

    def starts(self, first: frozenset[str], leads: Leads = ()) -> list[int] | None:
        """Every position where one of `first` starts, in order (None if one can start anywhere); a
        lead word only where white space and one of its followers come next. A position where two
        of them start is listed twice: the engine skips a repeat at no cost, and merging sorted
        lists without a set is twice as fast."""
        everywhere = self.scanner.everywhere
        if not first.isdisjoint(everywhere):
            return None
        key = ("first", first, leads)
        found = self._cache.get(key)
        if found is None and WORD_START in first:
            # every word start is tried: of the other anchors, only their starts inside a word (a
            # capital in "McCain") and those of the anchors read outside words (lines, marks) add any
            at = self._at
            extra = [p for name in first if name != WORD_START
                     for p in (self._inside.get(name, ()) if name in self._starts else at.get(name, ()))]
            found = self._cache[key] = sorted(chain(at[WORD_START], extra)) if extra else at[WORD_START]
        elif found is None:
            at = self._at
            followed = {a: c for a, c in leads if c.isdisjoint(everywhere)}
            lists = [self._followed(name, followed[name]) if name in followed else at[name]
                     for name in first if name in at]
            found = lists[0] if len(lists) == 1 else sorted(chain.from_iterable(lists))
            self._cache[key] = found
        return found

    def _followed(self, name: str, then: frozenset[str]) -> list[int]:
        """Where the whole word `name` starts with white space after it and one of `then` next."""
        key = ("next", name)
        found = self._cache.get(key)
        if found is None:  # each start, and where the next word starts
            text, match = self.text, _WORD_SPACE.match
            pairs = [(p, m.end()) for p in self._at[name] if (m := match(text, p))]
            start_of = {q: p for p, q in pairs}
            found = self._cache[key] = (pairs, start_of if len(start_of) == len(pairs) else None)
        pairs, start_of = found
        key = ("allowed", then)
        allowed = self._cache.get(key)
        if allowed is None:  # rules that share a lead word mostly share its followers
            allowed = self._cache[key] = set(chain.from_iterable(self._at.get(a, ()) for a in then))
        if start_of is None:  # two starts in one word
            return [p for p, q in pairs if q in allowed]
        # fewer followers than places of `name` ("the"): each looked up, in order
        return [start_of[q] for q in sorted(allowed.intersection(start_of))]


def between(positions: list[int], pos: int, endpos: int) -> list[int]:
    """The positions in [pos, endpos), from a sorted list."""
    return positions[bisect.bisect_left(positions, pos):bisect.bisect_left(positions, endpos)]
