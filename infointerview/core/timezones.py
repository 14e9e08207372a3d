"""Reading a time zone as people type it: an IANA name, a common name, an abbreviation or a city.

The stored value is always an IANA name (``America/Chicago``). What we know comes from data
already installed: the names in the time-zone database (``zoneinfo.available_timezones()``), the
city part of those names (``Sao_Paulo`` → "São Paulo"), and the small hand table below.
Abbreviations such as "CST" or "IST" are not in the database and several mean more than one
place; the table says which one we read, and an ambiguous one gets suggestions, not a guess.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

# A hand table, kept small on purpose: common names and abbreviations people type, and big cities
# whose zone is named after another city. Keys are lower case, without accents.
COMMON_NAMES: dict[str, str] = {
    # North America
    "central": "America/Chicago", "us central": "America/Chicago",
    "central time": "America/Chicago", "ct": "America/Chicago", "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "eastern": "America/New_York", "us eastern": "America/New_York",
    "eastern time": "America/New_York", "et": "America/New_York", "est": "America/New_York",
    "edt": "America/New_York",
    "mountain": "America/Denver", "us mountain": "America/Denver", "mt": "America/Denver",
    "mst": "America/Denver", "mdt": "America/Denver",
    "pacific": "America/Los_Angeles", "us pacific": "America/Los_Angeles",
    "pacific time": "America/Los_Angeles", "pt": "America/Los_Angeles",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    # Europe: CET/CEST is read as Germany's zone (Paris, Madrid, Rome... keep the same clock)
    "cet": "Europe/Berlin", "cest": "Europe/Berlin", "central european": "Europe/Berlin",
    "central europe": "Europe/Berlin",
    "bst": "Europe/London", "uk": "Europe/London",
    "eet": "Europe/Athens", "eest": "Europe/Athens", "wet": "Europe/Lisbon",
    # Asia and the Pacific
    "jst": "Asia/Tokyo", "kst": "Asia/Seoul", "sgt": "Asia/Singapore", "hkt": "Asia/Hong_Kong",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland", "new zealand": "Pacific/Auckland",
    "brt": "America/Sao_Paulo",
    # cities whose zone carries another city's name
    "mumbai": "Asia/Kolkata", "bombay": "Asia/Kolkata", "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata", "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata",
    "chennai": "Asia/Kolkata", "hyderabad": "Asia/Kolkata", "india": "Asia/Kolkata",
    "beijing": "Asia/Shanghai", "china": "Asia/Shanghai",
    "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles",
    "boston": "America/New_York", "washington": "America/New_York",
    "washington dc": "America/New_York", "atlanta": "America/New_York",
    "miami": "America/New_York", "houston": "America/Chicago", "dallas": "America/Chicago",
    "austin": "America/Chicago", "munich": "Europe/Berlin", "frankfurt": "Europe/Berlin",
    "hamburg": "Europe/Berlin", "geneva": "Europe/Zurich", "montreal": "America/Toronto",
    "rio de janeiro": "America/Sao_Paulo", "rio": "America/Sao_Paulo",
    "hanoi": "Asia/Ho_Chi_Minh", "ha noi": "Asia/Ho_Chi_Minh", "saigon": "Asia/Ho_Chi_Minh",
    "ho chi minh city": "Asia/Ho_Chi_Minh", "da nang": "Asia/Ho_Chi_Minh",
    "vietnam": "Asia/Ho_Chi_Minh", "viet nam": "Asia/Ho_Chi_Minh",
}

# Abbreviations that name more than one zone: we ask rather than guess.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "ist": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "ast": ("America/Halifax", "Asia/Riyadh"),
}
_WHERE = {"Asia/Kolkata": "India", "Europe/Dublin": "Ireland", "Asia/Jerusalem": "Israel",
          "America/Halifax": "Atlantic Canada", "Asia/Riyadh": "Arabia"}

@dataclass(frozen=True, slots=True)
class ZoneAnswer:
    zone: str | None  # the IANA name, when the text names exactly one
    suggestions: tuple[str, ...] = ()
    note: str = ""  # how we read it, when that is not obvious ("CET is read as Europe/Berlin")


def _plain(text: str) -> str:
    """Lower case, accents off, underscores and runs of spaces as one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    for mark in "_-/,.":
        bare = bare.replace(mark, " ")
    return " ".join(bare.lower().split())


@cache
def _zones() -> frozenset[str]:
    return frozenset(z for z in available_timezones() if z != "localtime")


@cache
def _by_plain_name() -> dict[str, str]:
    return {_plain(z): z for z in _zones()}


@cache
def _by_city() -> dict[str, tuple[str, ...]]:
    """City part of each regional name ("Sao_Paulo" → "sao paulo") to its zones."""
    cities: dict[str, list[str]] = {}
    for zone in sorted(_zones()):
        if "/" not in zone or zone.startswith(("Etc/", "SystemV/", "US/", "Canada/", "Brazil/",
                                               "Chile/", "Mexico/")):
            continue
        cities.setdefault(_plain(zone.rsplit("/", 1)[1]), []).append(zone)
    return {city: tuple(zones) for city, zones in cities.items()}


def resolve_timezone(text: str) -> ZoneAnswer:
    """The IANA zone the text names, or suggestions of the closest names."""
    typed = " ".join(text.split())
    if not typed:
        return ZoneAnswer(None)
    key = _plain(typed)
    if key in AMBIGUOUS:
        return ZoneAnswer(None, AMBIGUOUS[key])
    for prefix in ("us ", "usa ", "america "):  # "US Central" as well as "US/Central"
        if key.startswith(prefix) and key[len(prefix):] in COMMON_NAMES:
            key = key[len(prefix):]
    for suffix in (" time", " standard time", " daylight time"):
        if key.endswith(suffix) and key[: -len(suffix)] in COMMON_NAMES:
            key = key[: -len(suffix)]
    # the table before the database: "EST" and "CET" are in the database too, but as fixed
    # offsets or rules people rarely mean, and "US/Central" is an old alias
    if key in COMMON_NAMES:
        zone = COMMON_NAMES[key]
        note = "" if zone == typed else f"\u201c{typed}\u201d is read as {zone}."
        return ZoneAnswer(zone, note=note)
    if typed in _zones():
        return ZoneAnswer(typed)
    plain_names = _by_plain_name()
    if key in plain_names:
        return ZoneAnswer(plain_names[key])
    cities = _by_city()
    if key in cities:
        zones = cities[key]
        return ZoneAnswer(zones[0]) if len(zones) == 1 else ZoneAnswer(None, zones)
    return ZoneAnswer(None, _closest(key))


def _closest(key: str, limit: int = 3) -> tuple[str, ...]:
    names: dict[str, str] = {}
    for city, zones in _by_city().items():
        names.setdefault(city, zones[0])
    for common, zone in COMMON_NAMES.items():
        names.setdefault(common, zone)
    for plain, zone in _by_plain_name().items():
        names.setdefault(plain, zone)
    found: list[str] = []
    for match in difflib.get_close_matches(key, names, n=limit * 3, cutoff=0.6):
        zone = names[match]
        if zone not in found:
            found.append(zone)
    return tuple(found[:limit])


def timezone_problem(text: str) -> str:
    """The sentence a form shows for a zone it cannot read, with suggestions when there are any."""
    answer = resolve_timezone(text)
    typed = " ".join(text.split())
    if answer.suggestions:
        names = ", ".join(answer.suggestions)
        if _plain(typed) in AMBIGUOUS:
            names = ", ".join(f"{zone} ({_WHERE[zone]})" if zone in _WHERE else zone
                              for zone in answer.suggestions)
            return (f"\u201c{typed}\u201d can mean more than one zone. Did you mean one of: "
                    f"{names}? Please type the one you mean.")
        return (f"I don't know the time zone \u201c{typed}\u201d. Did you mean: {names}? Or give "
                "another time zone name such as Europe/Berlin, or a city.")
    return (f"I don't know the time zone \u201c{typed}\u201d. Please give a time zone name such as "
            "Europe/Berlin or America/Chicago, or a city such as Chicago.")


def normalise_timezone(text: str) -> str:
    """The IANA name for a typed zone; ValueError with a helpful sentence when there is none."""
    answer = resolve_timezone(text)
    if answer.zone is None:
        raise ValueError(timezone_problem(text))
    ZoneInfo(answer.zone)  # every name above is in the database; this proves it
    return answer.zone


def zone_label(moment: datetime) -> str:
    """How a time's zone is written after it ("2 PM (CEST)"): the time zone database's
    abbreviation where it has a real one (CEST, EDT, IST), else the zone's city ("Kathmandu
    time"), because the database's stand-in for a missing abbreviation, "+0545", is something
    few readers can place. A zone with no city (Etc/GMT-5, a bare offset) reads "UTC+05:00"."""
    name = moment.tzname() or "UTC"
    if name[0] not in "+-":
        return name
    key = str(getattr(moment.tzinfo, "key", ""))
    if "/" in key and not key.startswith("Etc/"):
        return f"{key.rsplit('/', 1)[1].replace('_', ' ')} time"
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
