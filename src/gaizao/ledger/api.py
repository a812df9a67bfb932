"""The REST API beside the pages: same selectors, same services, same scoping."""

import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from gaizao.core.evidence import evidence_create
from gaizao.core.masking import mask_id_number, mask_phone
from gaizao.ledger import selectors, services
from gaizao.ledger.models import Household, Property
from gaizao.ledger.stages import BY_DOCUMENT, Stage
from gaizao.ledger.views import filters_from
from gaizao.ledger.workbook.importer import import_ledger
from gaizao.ledger.workbook.reader import check_workbook_upload
from gaizao.org.access import can_change, can_import, scope_projects
from gaizao.projects.models import Project


class PropertySerializer(serializers.ModelSerializer):
    class Meta:
        model = Property
        exclude = ["household", "district"]


class HouseholdSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    street = serializers.StringRelatedField()
    holder_unit = serializers.StringRelatedField()
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = [
            "id",
            "project",
            "number",
            "owner_name",
            "id_number",
            "phone",
            "persons",
            "street",
            "stage",
            "stage_label",
            "wish",
            "choice",
            "hard_case",
            "holder_unit",
            "holder_name",
            "locked_at",
            "updated_at",
        ]

    def get_id_number(self, obj: Household) -> str:
        return mask_id_number(obj.id_number)

    def get_phone(self, obj: Household) -> str:
        return mask_phone(obj.phone)


class HouseholdDetailSerializer(HouseholdSerializer):
    properties = PropertySerializer(many=True, read_only=True)

    class Meta(HouseholdSerializer.Meta):
        fields = [*HouseholdSerializer.Meta.fields, "hard_case_plan", "remark", "extra", "reviewed_at", "properties"]


FILTER_PARAMETERS = [
    OpenApiParameter("project", int),
    OpenApiParameter("street", int),
    OpenApiParameter("stage", str, enum=Stage.values),
    OpenApiParameter("wish", str),
    OpenApiParameter("hard_case", str),
    OpenApiParameter("holder", int),
    OpenApiParameter("q", str, description="户号、户主姓名开头、身份证号末四位或完整身份证号"),
    OpenApiParameter("sort", str, enum=list(selectors.SORTS)),
]


@extend_schema(parameters=FILTER_PARAMETERS, summary="台账列表（按数据范围）")
class HouseholdListAPI(generics.ListAPIView):
    serializer_class = HouseholdSerializer

    def get_queryset(self):
        qs = selectors.household_list(fetched_by=self.request.user, filters=filters_from(self.request))
        return qs.select_related("project", "street", "holder_unit")


@extend_schema(summary="被征收户详情")
class HouseholdDetailAPI(generics.RetrieveAPIView):
    serializer_class = HouseholdDetailSerializer

    def get_object(self):
        return selectors.household_get(fetched_by=self.request.user, pk=self.kwargs["pk"])


class StageChangeSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.FileField(required=False)


@extend_schema(request=StageChangeSerializer, responses=HouseholdDetailSerializer, summary="变更阶段（逐级推进）")
class HouseholdStageAPI(APIView):
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request, pk: int):
        household = selectors.household_get(fetched_by=request.user, pk=pk)
        data = StageChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["stage"] in BY_DOCUMENT:
            raise ApiValidationError({"stage": [BY_DOCUMENT[data.validated_data["stage"]]]})
        if not can_change(request.user):
            raise ApiPermissionDenied("您无权修改该户")
        try:
            upload = data.validated_data.get("evidence")
            evidence = evidence_create(by=request.user, upload=upload) if upload else None
            services.household_transition(
                by=request.user,
                household=household,
                stage=data.validated_data["stage"],
                evidence=evidence,
                note=data.validated_data["note"],
            )
        except ValidationError as error:
            raise ApiValidationError({"stage": error.messages}) from error
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from error
        household.refresh_from_db()
        return Response(HouseholdDetailSerializer(household).data)


class ImportSerializer(serializers.Serializer):
    project = serializers.CharField(help_text="项目编号")
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False)
    valid_only = serializers.BooleanField(default=False)

    def validate_file(self, upload):
        check_workbook_upload(upload)
        return upload


@extend_schema(
    request=ImportSerializer, responses={200: dict, 422: dict}, summary="导入台账（与命令行的 JSON 结果相同）"
)
class LedgerImportAPI(APIView):
    parser_classes = [MultiPartParser]

    def post(self, request):
        if not can_import(request.user):
            raise ApiPermissionDenied("您无权导入台账")
        data = ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = (
            scope_projects(Project.objects.all(), request.user).filter(code=data.validated_data["project"]).first()
        )
        if project is None:
            raise NotFound("没有找到该项目，或您无权导入")
        upload = data.validated_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{Path(upload.name).suffix.lower()[:6]}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            report = import_ledger(
                path=path,
                original_name=upload.name,
                project=project,
                by=request.user,
                dry_run=data.validated_data["dry_run"],
                valid_only=data.validated_data["valid_only"],
            )
        code = status.HTTP_422_UNPROCESSABLE_ENTITY if report.failed else status.HTTP_200_OK
        return Response(report.as_json(), status=code)
