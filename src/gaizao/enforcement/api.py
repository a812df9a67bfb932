"""The illegal-building cases in the API, beside the pages: the same selectors, the same scoping."""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from gaizao.enforcement import selectors, services
from gaizao.enforcement.models import Case, CaseKind, CaseStep
from gaizao.org.models import Unit


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
        fields = ["kind", "at", "document_no", "deadline", "note", "changes", "evidence", "after_evidence"]


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


class CaseEditSerializer(serializers.Serializer):
    """修改案件信息: only the fields sent change (a PATCH); the same checks as the page."""

    location = serializers.CharField(max_length=200, required=False)
    village = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none(), allow_null=True, required=False)
    kind = serializers.ChoiceField(choices=CaseKind.choices, required=False)
    owner_name = serializers.CharField(max_length=100, allow_blank=True, required=False)
    footprint_area = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    floors = serializers.IntegerField(min_value=1, max_value=99, required=False)
    area = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    land_area = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True, required=False)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, required=False)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True, required=False)
    outline = serializers.JSONField(allow_null=True, required=False)
    description = serializers.CharField(allow_blank=True, required=False)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["village"].queryset = selectors.villages_of(case)


@extend_schema(summary="一宗违建案件及其处置环节")
class CaseDetailAPI(generics.RetrieveAPIView):
    serializer_class = CaseDetailSerializer

    def get_object(self):
        return selectors.case_get(fetched_by=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=CaseEditSerializer, responses=CaseDetailSerializer, summary="修改案件信息")
    def patch(self, request, pk: int):
        case = self.get_object()
        data = CaseEditSerializer(data=request.data, case=case)
        data.is_valid(raise_exception=True)
        try:
            services.case_edit(by=request.user, case=case, **data.validated_data)
        except ValidationError as error:
            raise ApiValidationError({"detail": error.messages}) from error
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from error
        return Response(CaseDetailSerializer(self.get_object()).data)
