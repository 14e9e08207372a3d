"""The journey's declarations in one place, one table per concept.

``actions`` holds the stages and the actions each allows (label, where allowed, where it leads;
the router applies the move); ``reminders`` holds every reminder kind (where it is relevant,
what Done does, its series, its quiet-hours rule, its content, template and key); ``commands``
holds the command grammar that the router, Discord's command group, ``help.j2`` and Slack's
usage hint follow; ``forms`` says who handles each form kind and under which action's rules.
Modules that act on these read the tables rather than repeating the rules; the
``tests/unit/test_catalog_*.py`` tests fail when a rule is spelt out again elsewhere.
"""
