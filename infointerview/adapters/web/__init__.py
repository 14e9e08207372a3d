"""The web front end: a person's own pages and a coach's cohort pages, signed in from the chat.

Mount ``web_app(access, insights)`` under ``/web/``; see ``app.py``.
"""

from infointerview.adapters.web.app import web_app
from infointerview.adapters.web.ports import AccessPort, InsightsPort, WebObserver
from infointerview.adapters.web.rendering import SIGNIN_PER_MINUTE

__all__ = ["SIGNIN_PER_MINUTE", "AccessPort", "InsightsPort", "WebObserver", "web_app"]
