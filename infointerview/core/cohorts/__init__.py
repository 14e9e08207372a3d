"""Cohort channels: members share contacts with consent, find who knows whom, ask for warm
introductions, and get a weekly digest; coaches see progress."""
