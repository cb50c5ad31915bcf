"""Notifications and what each person chose to receive. A region's tables: a notification goes to a
user of that region (or to an e-mail address without a login: applicants)."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    ENGLISH = "en", _("English")


class MailStatus(models.TextChoices):
    NONE = "", _("Not sent by e-mail")
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("recipient"))
    email = models.EmailField(_("e-mail address"), blank=True)  # where the mail goes (applicants: the only address)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.INDONESIAN)
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # Repeated sends of one event (a daily reminder, a redelivered task) carry the same key and are dropped.
    event_key = models.CharField(_("event"), max_length=100, blank=True)
    in_app = models.BooleanField(_("in the inbox"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mail_status = models.CharField(_("e-mail"), max_length=10, choices=MailStatus.choices, blank=True,
                                   default=MailStatus.NONE)
    mailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    mail_error = models.CharField(_("e-mail error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread"),
                   models.Index(fields=["kind", "event_key"], name="notification_event")]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id or self.email}"


class Preference(models.Model):
    """One person's choice for one kind; a kind without a row gets the kind's defaults."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=40)
    in_app = models.BooleanField(_("in the inbox"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]


class LanguageChoice(models.Model):
    """The language a person reads notifications (and their e-mails) in; Indonesian without a row."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_language")
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.INDONESIAN)
