"""The few sentences only Discord needs (how to open DMs, whose button this is).

The journey's wording lives in infointerview/core/templates; these are about Discord itself.
"""

NOT_YOURS = ("That button belongs to someone else's coaching session. "
             "Use `/infointerview start` to begin your own.")
FORM_EXPIRED = ("That form is no longer open (it expired or the bot restarted). "
                "Please run the command again; nothing was saved from it.")
FIX_IT = "Fix it"
CONTINUE = "Continue"
FORM_ERRORS_HEAD = "Please check these answers in *{title}*; everything you typed is kept:"
FORM_NEXT = "Next: *{title}*"
DMS_CLOSED = (
    "I could not send you a direct message: your DMs are closed to me. Your drafts, notes and "
    "reminders only ever go there, never into a server channel. To open them: right-click (or "
    "long-press) the server icon \u2192 **Privacy Settings** \u2192 turn on **Direct Messages**, "
    "or in **User Settings \u2192 Content & Social**, allow DMs from server members. Then run "
    "the command again."
)
NOTHING_TO_SAY = "Done."
SORRY = ("Sorry, something went wrong on my side while answering. "
         "Please try again in a moment.")
