"""``python -m infointerview``: the same as the ``infointerview`` command."""

from infointerview.bot.cli import main

main()
