"""Shared storage: the rate counters (see `vial.core.ratelimit`)."""

from django.db import models


class RateCounter(models.Model):
    """How many times one key (a hashed address or e-mail) was counted in one scope, until `expires_at`.

    Only a keyed hash of the address or e-mail is stored. Rows past `expires_at` are reset on the next
    hit and deleted from time to time (`ratelimit.prune`).
    """

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key_hash"], name="core_ratecounter_unique_key")]

    def __str__(self):
        return f"{self.scope}: {self.count} until {self.expires_at:%Y-%m-%d %H:%M}"
