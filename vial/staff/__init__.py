"""Staff: one record per person who works at the clinic, their roles, and their two-factor sign-in."""
