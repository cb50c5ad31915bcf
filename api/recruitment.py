"""Recruitment endpoints of the region API: openings and their pipelines, stages (compute, publish, score
entry and import, exports, assessors' own sheets), applications (document checks) and objections.
Reads go through the recruitment selectors and writes through its services, so the API obeys the same
rules as the pages. Applicants use the job portal, never this API: it admits staff only."""
from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from kinerja.people.models import Position, Unit
from kinerja.recruitment import exports, imports, selectors
from kinerja.recruitment.models import (
    Application,
    ApplicationDocument,
    Objection,
    Opening,
    OpeningStage,
)
from kinerja.recruitment.services import (
    applications,
    corrections,
    hiring,
    objections,
    openings,
    publication,
    ranking,
    scoring,
    selection,
    stages,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from api.params import integer_param
from api.parsers import FormParser, JSONObjectParser, MultiPartParser
from api.permissions import ActionCapabilities, capability_permission
from api.schema import CSV, XLSX, download

RecruitmentAccess = capability_permission("recruitment.read", write="recruitment.manage")
SCORE_ACTIONS = ("scores", "correct", "sheet")


def scores_grouped(errors: dict) -> dict:
    """A score service names each component as a field; the request sends them under "scores", and the
    answer names them there too: {"scores": {"TWK": ["must be between 0 and 150"]}}."""
    body: dict = {}
    components: dict = {}
    for key, messages in errors.items():
        if key in ("stage", "application", "reason", "scores", "non_field_errors"):
            body[key] = messages
        else:
            components[key] = messages
    if components:
        body["scores"] = {**components, **({"detail": body["scores"]} if "scores" in body else {})}
    return body


def _application_by_number(stage: OpeningStage, number) -> Application:
    application = Application.objects.filter(opening_id=stage.opening_id, number=str(number or "")).first()
    if application is None:
        raise serializers.ValidationError({"number": [_("no application of this opening has this registration number")]})
    return application


def _scores_of(data) -> dict:
    scores = data.get("scores")
    if scores is None:
        return {}
    if not isinstance(scores, dict):
        raise serializers.ValidationError({"scores": [_("give the scores as an object: {component: score}")]})
    return scores


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpeningStage
        fields = ["id", "sequence", "included", "name", "plugin_name", "plugin_order", "scored_by", "kind",
                  "components", "pass_rule", "ranking_rule", "announced", "objection_window_days", "optional",
                  "applies_to", "threshold", "advance_per_post", "ranks", "tie_breaks", "ranking_mix",
                  "publish_fields", "status", "published_at", "objection_deadline"]
        read_only_fields = fields


class OpeningSerializer(serializers.ModelSerializer):
    position = serializers.SlugRelatedField(slug_field="code", queryset=Position.objects.all())
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())
    stages = StageSerializer(many=True, read_only=True)
    application_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Opening
        fields = ["id", "code", "title", "kind", "position", "unit", "posts", "managerial", "employee_type", "rank",
                  "requirements", "documents_required", "registration_opens", "registration_closes", "schedule",
                  "onboarding_courses", "status", "published_at", "application_count", "stages"]
        read_only_fields = ["status", "published_at"]
        extra_kwargs = {"code": {"validators": []}}


class OpeningViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    serializer_class = OpeningSerializer
    permission_classes = [RecruitmentAccess]

    def get_queryset(self):
        return selectors.openings(self.request.user).prefetch_related("stages").order_by("-registration_opens", "code")

    def perform_create(self, serializer):
        opening = openings.create_opening(actor=self.request.user, **serializer.validated_data)
        serializer.instance = selectors.opening(self.request.user, opening.pk)

    def _act(self, function, **kwargs):
        opening = self.get_object()
        function(opening, actor=self.request.user, **kwargs)
        return Response(OpeningSerializer(selectors.opening(self.request.user, opening.pk)).data)

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._act(openings.publish_opening)

    @action(detail=True, methods=["post"], url_path="close-registration")
    def close_registration(self, request, pk=None):
        return self._act(selection.close_registration)

    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        return self._act(selection.advance)

    @action(detail=True, methods=["post"])
    def hire(self, request, pk=None):
        opening = self.get_object()
        hires = hiring.hire(opening, actor=request.user)
        return Response([{"number": h.application.number, "nip": h.employee.nip, "employee": h.employee_id,
                          "onboarding": h.onboarding} for h in hires])


class ResultSerializer(serializers.Serializer):
    number = serializers.CharField(source="application.number")
    name = serializers.CharField(source="application.applicant.full_name")
    scores = serializers.JSONField()
    score = serializers.DecimalField(max_digits=9, decimal_places=3)
    ranking_score = serializers.DecimalField(max_digits=9, decimal_places=3)
    rank = serializers.IntegerField()
    outcome = serializers.CharField()
    reason = serializers.SerializerMethodField()

    def get_reason(self, result):
        return selectors.reason_text(result)


class StageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Stages of the openings; ?opening=<id> narrows the list. Assessors may use the `sheet` action of
    the stages they assess."""

    serializer_class = StageSerializer
    parser_classes = [JSONObjectParser, MultiPartParser, FormParser]

    def get_permissions(self):
        if self.action == "sheet":
            return [ActionCapabilities()]
        return [RecruitmentAccess()]

    capabilities = {"default": "recruitment.assess"}  # the sheet's; the other actions are RecruitmentAccess's

    def shape_service_errors(self, errors: dict) -> dict:
        return scores_grouped(errors) if self.action in SCORE_ACTIONS else errors

    def get_queryset(self):
        stages = selectors.readable_stages(self.request.user).order_by("opening", "sequence")
        if (opening := integer_param(self.request.query_params, "opening")) is not None:
            stages = stages.filter(opening_id=opening)
        return stages

    def _stage(self):
        return self.get_object()

    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        return Response(ResultSerializer(selectors.stage_results(self._stage()), many=True).data)

    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        stage = stages.move_stage(self._stage(), actor=request.user, up=request.data.get("direction") == "up")
        return Response(StageSerializer(stage).data)

    @action(detail=True, methods=["post"])
    def include(self, request, pk=None):
        stage = stages.set_stage_included(self._stage(), actor=request.user,
                     included=bool(request.data.get("included")))
        return Response(StageSerializer(stage).data)

    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        stage = ranking.compute_stage(self._stage(), actor=request.user)
        return Response(StageSerializer(stage).data)

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        stage = publication.publish_stage(self._stage(), actor=request.user)
        return Response(StageSerializer(stage).data)

    @action(detail=True, methods=["post", "patch"])
    def rules(self, request, pk=None):
        """Adjust a draft opening's stage: {threshold, advance_per_post, objection_window_days,
        publish_fields}. A key left out keeps its rule; null (or "") removes a minimum or a quota."""
        stage = self._stage()
        values = {}
        for key in ("threshold", "advance_per_post", "objection_window_days", "publish_fields"):
            if key in request.data:
                value = request.data[key]
                values[key] = "" if value is None and key in ("threshold", "advance_per_post") else value
        if hasattr(request.data, "getlist") and "publish_fields" in request.data:
            values["publish_fields"] = request.data.getlist("publish_fields")
        if values.get("objection_window_days", "") is None:
            raise serializers.ValidationError({"objection_window_days": [_("the objection window is a number of days")]})
        stage = stages.update_stage_rules(stage, actor=request.user, **values)
        return Response(StageSerializer(stage).data)

    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        """HR's scores of one candidate in a stage scored by the test centre: {number, scores}."""
        stage = self._stage()
        application = _application_by_number(stage, request.data.get("number"))
        sheet = scoring.enter_scores(stage, application, actor=request.user, scores=_scores_of(request.data))
        return Response({"number": application.number, "scores": sheet.scores})

    @action(detail=True, methods=["get"])
    def panel(self, request, pk=None):
        """The assessor panel: who has submitted, and each candidate's average once every assessor has."""
        stage = self._stage()
        if not stage.uses_assessors:
            raise NotFound(_("This stage is not scored by assessors."))
        panel = selectors.panel_summary(stage)
        names = stage.component_names()
        return Response({
            "assessors": [user.get_username() for user in panel["assessors"]],
            "complete": panel["complete"],
            "candidates": [{
                "number": row["result"].application.number,
                "name": row["result"].application.applicant.full_name,
                "submitted": {entry["assessor"].get_username(): entry["status"] for entry in row["statuses"]},
                "complete": row["complete"],
                "average": dict(zip(names, map(str, row["average"]))) if row["complete"] else None,
                "score": str(row["score"]) if row["complete"] else None,
            } for row in panel["rows"]]})

    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """HR corrects a candidate's scores in a computed stage: {number, scores, reason}. The stage and the
        later ones are re-ranked; the answer holds the candidate's result after it."""
        stage = self._stage()
        application = _application_by_number(stage, request.data.get("number"))
        result = corrections.correct_scores(stage, application, actor=request.user, scores=_scores_of(request.data),
                                         reason=str(request.data.get("reason") or ""))
        return Response(ResultSerializer(result).data)

    @action(detail=True, methods=["post"], url_path="import")
    def import_scores(self, request, pk=None):
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": [_("upload a CSV or XLSX file")]})
        record = imports.import_scores(self._stage(), actor=request.user, content=upload.read(),
                                       filename=upload.name)
        body = {"applied": record.applied, "rows": record.rows, "errors": record.errors}
        return Response(body, status=200 if record.applied else 400)

    @download(CSV, XLSX, parameters=[OpenApiParameter("format_type", str, enum=["csv", "xlsx"], default="csv")])
    @action(detail=True, methods=["get"], url_path="export")
    def export(self, request, pk=None):
        stage = self._stage()
        if request.query_params.get("format_type", "csv") == "xlsx":
            response = HttpResponse(exports.as_xlsx(stage), content_type=exports.XLSX_CONTENT_TYPE)
            extension = "xlsx"
        else:
            response = HttpResponse(exports.as_csv(stage), content_type="text/csv; charset=utf-8")
            extension = "csv"
        response["Content-Disposition"] = f'attachment; filename="{stage.opening.code}-{stage.sequence}.{extension}"'
        return response

    @action(detail=True, methods=["get", "post"])
    def sheet(self, request, pk=None):
        """An assessor's own sheet for ?number= (GET) or {number, scores, submit} (POST)."""
        stage = selectors.stage_for_staff(request.user, pk)
        if stage is None:
            raise NotFound
        if not selectors.assesses(request.user, stage):
            raise PermissionDenied(_("You do not assess this stage."))
        number = request.query_params.get("number") if request.method == "GET" else request.data.get("number")
        application = Application.objects.filter(opening_id=stage.opening_id, number=number or "",
                                                 results__stage=stage).first()
        if application is None:
            raise NotFound
        if request.method == "POST":
            scoring.save_score_sheet(stage, application, assessor=request.user, scores=_scores_of(request.data),
                                      submit=request.data.get("submit") is True
                                      or request.data.get("submit") in ("1", "true"))
        view = selectors.assessor_view(request.user, stage, application)
        own = view["own"]
        return Response({
            "number": application.number,
            "own": {"scores": own.scores, "submitted": own.submitted_at is not None} if own else None,
            "others": [{"assessor": s.assessor.get_username(), "scores": s.scores} for s in view["others"]],
            "others_hidden": view["others_hidden"]})


class ApplicationSerializer(serializers.ModelSerializer):
    applicant = serializers.CharField(source="applicant.full_name")
    email = serializers.CharField(source="applicant.email")
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["id", "number", "opening", "applicant", "email", "status", "final_rank", "submitted_at", "documents"]

    def get_documents(self, application) -> list[dict]:
        return [{"id": d.pk, "name": d.name, "review_status": d.review_status, "review_reason": d.review_reason}
                for d in application.documents.all()]


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ApplicationSerializer
    permission_classes = [RecruitmentAccess]

    def get_queryset(self):
        if not selectors.can_read(self.request.user):
            return Application.objects.none()
        applications = Application.objects.select_related("applicant").prefetch_related("documents").order_by("number")
        if (opening := integer_param(self.request.query_params, "opening")) is not None:
            applications = applications.filter(opening_id=opening)
        return applications

    @action(detail=True, methods=["post"], url_path="review-document")
    def review_document(self, request, pk=None):
        application = self.get_object()
        document = ApplicationDocument.objects.filter(application=application, pk=request.data.get("document")).first()
        if document is None:
            raise serializers.ValidationError({"document": [_("no such document in this application")]})
        applications.review_document(document, actor=request.user, accepted=bool(request.data.get("accepted")),
                                 reason=request.data.get("reason", ""))
        return Response(ApplicationSerializer(Application.objects.prefetch_related("documents")
                                              .select_related("applicant").get(pk=application.pk)).data)


class SanggahSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="application.number", read_only=True)
    stage_name = serializers.CharField(source="stage.name", read_only=True)

    class Meta:
        model = Objection
        fields = ["id", "stage", "stage_name", "number", "reason", "filed_at", "status", "decision_reason",
                  "corrections", "decided_at"]
        read_only_fields = fields


class ObjectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SanggahSerializer
    permission_classes = [RecruitmentAccess]

    def get_queryset(self):
        if not selectors.can_read(self.request.user):
            return Objection.objects.none()
        return Objection.objects.select_related("stage", "application").order_by("-filed_at", "-id")

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        objection = objections.decide_objection(self.get_object(), actor=request.user,
                                              accept=bool(request.data.get("accept")),
                                              reason=request.data.get("reason", ""),
                                              corrections=request.data.get("corrections") or None)
        return Response(SanggahSerializer(objection).data)


def register(router) -> None:
    """Register this module's viewsets on the region router."""
    router.register("recruitment/openings", OpeningViewSet, basename="recruitment-opening")
    router.register("recruitment/stages", StageViewSet, basename="recruitment-stage")
    router.register("recruitment/applications", ApplicationViewSet, basename="recruitment-application")
    router.register("recruitment/objections", ObjectionViewSet, basename="recruitment-objection")
