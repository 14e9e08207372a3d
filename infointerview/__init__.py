"""infointerview: a chat-bot coach for informational interviews on Slack, Discord and the console.

Everything ships under this one import name (``infointerview.core``, ``infointerview.adapters``,
``infointerview.bot``), so installing it never claims a generic top-level name such as ``core``
or ``bot`` in someone's environment.
"""
