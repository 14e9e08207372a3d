"""All bot wording comes from jinja2 templates, overridable from a folder.

Every ``{{ value }}`` is bracketed with markers by ``finalize`` so the renderer knows it is data and
escapes it for its platform. Values that are bot wording themselves (already rendered pieces) are
passed as :class:`Trusted` and are left unmarked.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from infointerview.core.model import Block, DividerBlock, DraftBlock, TextBlock
from infointerview.core.richtext import USER_END, USER_START, RichText, clean_user_text


class Trusted(str):
    """A string of bot wording (not user input) that may be interpolated without markers."""

    __slots__ = ()


def _finalize(value: Any) -> Any:
    if isinstance(value, Trusted):
        return str(value)
    if value is None:
        return ""
    return f"{USER_START}{clean_user_text(str(value))}{USER_END}"


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return Trusted(f"{count} {singular if count == 1 else (plural or singular + 's')}")


class Templates:
    """Load and render the wording templates (``*.j2``)."""

    def __init__(self, override_dir: Path | None = None) -> None:
        loaders: list[jinja2.BaseLoader] = []
        if override_dir is not None:
            loaders.append(jinja2.FileSystemLoader(str(override_dir)))
        loaders.append(jinja2.PackageLoader("infointerview.core", "templates"))
        self._env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            finalize=_finalize,
            autoescape=False,
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters["plural"] = _plural
        self._env.globals["trusted"] = Trusted

    @lru_cache(maxsize=512)  # noqa: B019 - one Templates per process; templates never change
    def _template(self, name: str) -> jinja2.Template:
        return self._env.get_template(name)

    def render_raw(self, name: str, context: Mapping[str, Any]) -> str:
        return self._template(name).render(context)

    def blocks(self, name: str, context: Mapping[str, Any]) -> list[Block]:
        """Render a message template; a line holding only ``---`` becomes a divider."""
        rendered = self.render_raw(name, context).strip()
        blocks: list[Block] = []
        for index, part in enumerate(rendered.split("\n---\n")):
            if index:
                blocks.append(DividerBlock())
            text = part.strip("\n")
            if text:
                blocks.append(TextBlock(RichText.parse(text)))
        return blocks

    def text(self, name: str, context: Mapping[str, Any]) -> str:
        """Render a template to plain text (drafts the user copies): markers removed."""
        rendered = self.render_raw(name, context).strip()
        return rendered.replace(USER_START, "").replace(USER_END, "")

    def draft(self, title: str, name: str, context: Mapping[str, Any]) -> DraftBlock:
        """A draft template may start with ``Subject: …`` on its first line."""
        body = self.text(name, context)
        subject = None
        if body.startswith("Subject:"):
            first, _, rest = body.partition("\n")
            subject = first.removeprefix("Subject:").strip()
            body = rest.strip()
        return DraftBlock(title=title, body=body, subject=subject)
