"""Value formats the checks know: ISO dates and BCP 47 language tags (RFC 5646)."""
from __future__ import annotations

import datetime as dt
import re

# ISO 639-1: the two-letter primary language subtags of the IANA registry.
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de
dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie
ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg
mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro
ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty
ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())

_ALNUM = "[a-z0-9]"
_LANGTAG = re.compile(
    r"^(?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
    rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"
    rf"(?:-[0-9a-wy-z](?:-{_ALNUM}{{2,8}})+)*"
    rf"(?:-x(?:-{_ALNUM}{{1,8}})+)?$")
_PRIVATE = re.compile(rf"^x(?:-{_ALNUM}{{1,8}})+$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$")


def language_tag_problem(value: str) -> str | None:
    """Why value is not a valid BCP 47 tag, or None when it is ('en', 'pt-BR', 'zh-Hant-TW')."""
    tag = value.strip().lower()
    if "_" in tag:
        return f"use a hyphen, not an underscore ({value.replace('_', '-')!r})"
    if _PRIVATE.match(tag):
        return None
    m = _LANGTAG.match(tag)
    if not m:
        return "it is not a well-formed BCP 47 tag (language[-Script][-REGION], e.g. 'en', 'pt-BR')"
    primary = m.group("language").split("-")[0]
    if len(primary) == 2 and primary not in ISO_639_1:
        return f"{primary!r} is not an ISO 639-1 language code"
    if len(primary) >= 4:
        return f"{primary!r} is not a registered language subtag; use the ISO 639 code (e.g. 'en' for English)"
    return None


def parse_iso_date(value: object) -> dt.date | None:
    """YYYY-MM-DD, optionally followed by an ISO time; None when it is not a real calendar date."""
    if isinstance(value, dt.date):
        return value
    m = _ISO_DATE.match(str(value).strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def iso_date_problem(value: str) -> str | None:
    if parse_iso_date(value) is not None:
        return None
    if _ISO_DATE.match(str(value).strip()):
        return "it is not a real calendar date"
    return "it is not an ISO date (YYYY-MM-DD)"


FORMATS = {"iso-date": iso_date_problem, "bcp47": language_tag_problem}
