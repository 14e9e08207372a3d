"""Neutral forms: at most five fields (Discord's modal limit), validated in the core.

A validation failure returns the same form with the user's values kept and an error per field, so
an adapter can show it again without losing anything that was typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from enum import StrEnum
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, available_timezones

from infointerview.core.richtext import clean_user_text

MAX_FIELDS = 5
MAX_TITLE = 45
LONG_TEXT_MAX = 4000  # Discord's TextInput ceiling; Slack's plain_text_input allows 3000 per block


class FieldKind(StrEnum):
    SHORT = "short"
    LONG = "long"
    SELECT = "select"
    DATE = "date"
    TIME = "time"


Validator = Callable[[str], str | None]
Normaliser = Callable[[str], str]  # the stored form of a value; ValueError(sentence) when none


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    kind: FieldKind = FieldKind.SHORT
    required: bool = True
    max_length: int = 200
    options: tuple[Choice, ...] = ()
    placeholder: str = ""
    hint: str = ""
    validators: tuple[Validator, ...] = ()
    normaliser: Normaliser | None = None

    def normalised(self, value: str) -> str:
        """The value as stored (e.g. "Central" → "America/Chicago"); the value when empty."""
        return self.normaliser(value) if self.normaliser is not None and value else value

    def check(self, raw: str) -> str | None:
        """Return an error sentence for this value, or None when it is acceptable."""
        value = raw.strip()
        if not value:
            return f"{self.label} is needed." if self.required else None
        if len(value) > self.max_length:
            return (
                f"{self.label} is {len(value):,} characters long; please keep it to "
                f"{self.max_length:,}."
            )
        if self.kind is FieldKind.SELECT and value not in {c.value for c in self.options}:
            names = ", ".join(c.label for c in self.options)
            return f"Please choose one of: {names}."
        if self.kind is FieldKind.DATE and parse_iso_date(value) is None:
            return "Please give a date like 2026-03-14."
        if self.kind is FieldKind.TIME and parse_clock_time(value) is None:
            return "Please give a time like 14:30 or 2:30pm."
        for validator in self.validators:
            error = validator(value)
            if error:
                return error
        try:
            self.normalised(value)
        except ValueError as exc:
            return str(exc)
        return None


@dataclass(frozen=True, slots=True)
class Form:
    form_id: str
    title: str
    fields: tuple[Field, ...]
    values: Mapping[str, str] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    intro: str = ""
    submit_label: str = "Save"

    def __post_init__(self) -> None:
        if len(self.fields) > MAX_FIELDS:
            raise ValueError(f"form {self.form_id} has {len(self.fields)} fields; at most 5")
        if len(self.title) > MAX_TITLE:
            raise ValueError(f"form title {self.title!r} is longer than {MAX_TITLE} characters")

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def with_values(self, values: Mapping[str, str]) -> Form:
        return replace(self, values=dict(values))

    def with_errors(self, values: Mapping[str, str], errors: Mapping[str, str]) -> Form:
        return replace(self, values=dict(values), errors=dict(errors))

    def validate(self, raw_values: Mapping[str, str]) -> tuple[dict[str, str], Form | None]:
        """Clean and check submitted values.

        Returns the cleaned values and, when something is wrong, the form to show again with the
        values kept and one error per faulty field.
        """
        cleaned: dict[str, str] = {}
        errors: dict[str, str] = {}
        for f in self.fields:
            value = clean_user_text(str(raw_values.get(f.name, "") or "")).strip()
            if f.kind is not FieldKind.LONG:
                value = " ".join(value.split())
            cleaned[f.name] = value
            error = f.check(value)
            if error:
                errors[f.name] = error
        if errors:
            return cleaned, replace(self, values=cleaned, errors=errors)
        return {f.name: f.normalised(cleaned[f.name]) for f in self.fields}, None


# --- reusable validators -------------------------------------------------------------------------

_EMAIL = re.compile(
    r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


def email_error(value: str) -> str | None:
    if len(value) > 254 or not _EMAIL.match(value):
        return "That e-mail address does not look right (something like name@example.org)."
    return None


def url_error(value: str) -> str | None:
    try:
        parsed = urlparse(value if "://" in value else f"https://{value}")
        host = parsed.hostname or ""
    except ValueError:  # e.g. an unbalanced "[" reads as a broken IPv6 address
        host, parsed = "", urlparse("")
    if parsed.scheme not in {"http", "https"} or "." not in host or " " in value:
        return "That link does not look right (something like https://www.linkedin.com/in/name)."
    return None


def normalise_url(value: str) -> str:
    return value if "://" in value else f"https://{value}"


_ALL_ZONES: frozenset[str] | None = None


def timezone_error(value: str) -> str | None:
    global _ALL_ZONES
    if _ALL_ZONES is None:
        _ALL_ZONES = frozenset(available_timezones())
    if value not in _ALL_ZONES:
        return "Please give a time zone name such as Europe/Berlin or America/Chicago."
    try:
        ZoneInfo(value)
    except Exception:  # zoneinfo raises several kinds for a broken name
        return "Please give a time zone name such as Europe/Berlin or America/Chicago."
    return None


def int_range(low: int, high: int, what: str) -> Validator:
    def check(value: str) -> str | None:
        try:
            number = int(value)
        except ValueError:
            return f"{what} should be a whole number from {low} to {high}."
        if not low <= number <= high:
            return f"{what} should be from {low} to {high}."
        return None

    return check


_NUMBER = re.compile(r"^#?([0-9]{1,9})$")


def parse_number(value: str) -> int | None:
    """A small whole number typed as ASCII digits (``2`` or ``#2``); None for anything else."""
    match = _NUMBER.match(value.strip())
    return int(match.group(1)) if match else None


def parse_iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)


def parse_clock_time(value: str) -> time | None:
    match = _CLOCK.match(value.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").lower().replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif match.group(2) is None:
        return None  # a bare "3" is ambiguous
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
