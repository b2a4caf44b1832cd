"""What the demo set-up (`manage.py setup_demo`, run by `make run`) has done once."""

from django.db import models


class DemoStep(models.Model):
    """A step of the demo set-up that is done once and never again (``key="samples"``: the sample
    newsletters were imported), so a sample the user deleted does not come back on the next
    `make run`. ``detail``: what the step did (the imported issues' slugs)."""

    key = models.CharField(max_length=50, unique=True)
    done_at = models.DateTimeField(auto_now_add=True)
    detail = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.key} ({self.done_at:%Y-%m-%d %H:%M})"
