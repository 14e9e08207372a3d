"""Read-only views over the journey for the web window: what a coach sees of a cohort, and what a
person sees of their own pipeline and network. Computed from rows the store reads; never a note,
and never a contact's name a coach was not shown as a shared card."""
