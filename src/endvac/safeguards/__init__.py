"""Safeguards: every child whose rights in the justice process are breached, against
the country's own legal limits (the country profile)."""
