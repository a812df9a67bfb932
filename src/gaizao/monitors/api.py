"""Citizen supervisors' reports in the API, beside the pages: the same selectors and scoping; who reported is not
given (the office reads it on the page)."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from gaizao.monitors import selectors
from gaizao.monitors.models import Report, Step


class ReportStepSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name", read_only=True, default=None)
    photos = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Step
        fields = ["kind", "at", "by_monitor", "unit", "note", "photos"]


class ReportSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", read_only=True)
    assigned_to = serializers.CharField(source="assigned_to.name", read_only=True, default=None)

    class Meta:
        model = Report
        fields = [
            "id",
            "code",
            "project",
            "category",
            "place",
            "description",
            "longitude",
            "latitude",
            "status",
            "assigned_to",
            "due_on",
            "returns",
            "outcome",
            "submitted_at",
            "closed_at",
        ]


class ReportDetailSerializer(ReportSerializer):
    steps = ReportStepSerializer(many=True, read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "steps"]


@extend_schema(
    summary="百姓监督问题（按数据范围）",
    parameters=[
        OpenApiParameter("status", str, description="状态，或 late（逾期未整改）"),
        OpenApiParameter("project", int),
    ],
)
class ReportListAPI(generics.ListAPIView):
    serializer_class = ReportSerializer

    def get_queryset(self):
        params = self.request.query_params
        project = params.get("project", "")
        return selectors.report_list(
            fetched_by=self.request.user,
            status=params.get("status", ""),
            project=int(project) if project.isdigit() else 0,
            today=timezone.localdate(),
        )


@extend_schema(summary="一件百姓监督问题及其办理过程")
class ReportDetailAPI(generics.RetrieveAPIView):
    serializer_class = ReportDetailSerializer

    def get_object(self):
        return selectors.report_get(fetched_by=self.request.user, pk=self.kwargs["pk"])
