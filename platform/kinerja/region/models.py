"""The region's working week and holidays. The tables keep the names they had when the pay module owned
them (pay_workingday, pay_holiday): moving the models changed no data."""
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class WorkingDay(models.Model):
    """Working hours for one weekday (0 = Monday). A weekday with no row, or not working, is a day off."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), unique=True,
                                               choices=[(n, n) for n in range(7)])
    is_working = models.BooleanField(_("working day"), default=True)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))

    class Meta:
        db_table = "pay_workingday"
        ordering = ["weekday"]
        verbose_name = _("working day")
        verbose_name_plural = _("working days")
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="working_day_ends_after_start"),
                       models.CheckConstraint(condition=models.Q(weekday__lte=6), name="working_day_weekday_0_6")]

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


class Holiday(models.Model):
    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        db_table = "pay_holiday"
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self):
        return f"{self.date} {self.name}"
