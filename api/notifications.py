"""Notification endpoints of the region API: one's own inbox (read, mark read) and one's choices per kind.
A user reaches only their own notifications; another's id answers 404."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from kinerja.notifications import selectors, services
from kinerja.notifications.models import Language, Notification
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.permissions import capability_permission
from api.representation import QuickRepresentation

Reader = capability_permission("notifications.read")


class NotificationSerializer(QuickRepresentation, serializers.ModelSerializer):
    subject = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "message", "params", "link", "created_at", "read", "read_at"]

    def _rendered(self, notification) -> tuple[str, str]:
        cache = self.context.setdefault("rendered", {})
        if notification.pk not in cache:
            cache[notification.pk] = services.render(notification.kind, notification.params)
        return cache[notification.pk]

    def get_subject(self, notification) -> str:
        return self._rendered(notification)[0]

    def get_message(self, notification) -> str:
        return self._rendered(notification)[1]

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField(read_only=True)
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()


class PreferencesSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    kinds = PreferenceSerializer(many=True, required=False)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's inbox, newest first; `?unread=1` for the unread ones."""

    serializer_class = NotificationSerializer
    permission_classes = [Reader]

    def get_queryset(self):
        unread = self.request.query_params.get("unread") in ("1", "true")
        return selectors.inbox_for(self.request.user, unread_only=unread)

    def get_object(self):
        if self.lookup_field not in self.kwargs:  # OPTIONS on preferences: the caller's own, no id to look up
            raise Http404
        return super().get_object()

    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = get_object_or_404(selectors.inbox_for(request.user), pk=pk)
        services.mark_read(request.user, [notification.pk])
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_all_read(request.user)})

    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": selectors.unread_count(request.user)})

    @action(detail=False, methods=["get", "put"], serializer_class=PreferencesSerializer)
    def preferences(self, request):
        """Each kind's choice (in the inbox, by e-mail) and the language notifications are written in.
        PUT changes the kinds and the language it names and leaves the rest."""
        if request.method == "PUT":
            body = PreferencesSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            for row in body.validated_data.get("kinds", []):
                services.set_preference(request.user, row["kind"], in_app=row["in_app"], email=row["email"])
            if "language" in body.validated_data:
                services.set_language(request.user, body.validated_data["language"])
        return Response({"language": selectors.language_of(request.user),
                         "kinds": selectors.preferences_for(request.user)})


def register(router) -> None:
    """Register this module's viewsets on the region router."""
    router.register("notifications", NotificationViewSet, basename="notification")
