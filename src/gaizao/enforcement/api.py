"""The illegal-building cases in the API, beside the pages: the same selectors, the same scoping."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from gaizao.enforcement import selectors
from gaizao.enforcement.models import Case, CaseStep


class CaseSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name", read_only=True)
    village = serializers.CharField(source="village.name", read_only=True, default=None)

    class Meta:
        model = Case
        fields = [
            "id",
            "code",
            "unit",
            "village",
            "source",
            "kind",
            "status",
            "location",
            "longitude",
            "latitude",
            "footprint_area",
            "floors",
            "area",
            "land_area",
            "found_on",
            "deadline",
            "removed_on",
            "removed_area",
            "removal_method",
        ]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseStep
        fields = ["kind", "at", "document_no", "deadline", "note", "evidence", "after_evidence"]


class CaseDetailSerializer(CaseSerializer):
    steps = StepSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "outline", "description", "steps"]


@extend_schema(
    summary="违建案件（按数据范围）",
    parameters=[OpenApiParameter(name, str) for name in ("status", "kind", "q")],
)
class CaseListAPI(generics.ListAPIView):
    serializer_class = CaseSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.case_list(
            fetched_by=self.request.user,
            status=params.get("status", ""),
            kind=params.get("kind", ""),
            q=params.get("q", "").strip(),
        ).order_by("-found_on", "-id")


@extend_schema(summary="一宗违建案件及其处置环节")
class CaseDetailAPI(generics.RetrieveAPIView):
    serializer_class = CaseDetailSerializer

    def get_object(self):
        return selectors.case_get(fetched_by=self.request.user, pk=self.kwargs["pk"])
