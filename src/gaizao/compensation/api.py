"""The compensation API beside the pages: the same selectors, the same scoping."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from gaizao.compensation import selectors
from gaizao.compensation.engine.compute import shown
from gaizao.compensation.models import Agreement, Standard
from gaizao.compensation.views import what_if_from
from gaizao.ledger.selectors import household_get


class StandardSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Standard
        fields = ["id", "project", "name", "version", "status", "published_on", "source"]


@extend_schema(summary="补偿方案（按数据范围）")
class StandardListAPI(generics.ListAPIView):
    serializer_class = StandardSerializer

    def get_queryset(self):
        return selectors.standard_list(fetched_by=self.request.user).order_by("project__code", "-id")


class AgreementSerializer(serializers.ModelSerializer):
    standard_version = serializers.CharField(source="standard.version", read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "status",
            "sequence_no",
            "choice",
            "total",
            "lines",
            "standard_version",
            "signed_on",
            "signed_address",
            "moving_deadline",
            "payment_days",
            "document_sha256",
        ]


@extend_schema(summary="一户的补偿协议")
class HouseholdAgreementsAPI(generics.ListAPIView):
    serializer_class = AgreementSerializer
    pagination_class = None

    def get_queryset(self):
        household = household_get(fetched_by=self.request.user, pk=self.kwargs["pk"])
        return selectors.household_agreements(household=household)


def _line(line) -> dict:
    return {
        "name": line.name,
        "label": line.label,
        "amount": str(line.amount),
        "formula": line.formula,
        "inputs": {k: str(shown(v)) for k, v in line.inputs.items()},
        "rule": line.rule,
        "note": line.note,
        "in_total": line.in_total,
    }


@extend_schema(
    summary="一户的补偿测算（现行方案；未签协议时日期与安置房为假设）",
    parameters=[
        OpenApiParameter(name, str) for name in ("choice", "signed_on", "vacated_on", "flat_area", "flat_price")
    ],
    responses={200: dict},
)
class HouseholdCompensationAPI(APIView):
    def get(self, request, pk: int):
        household = household_get(fetched_by=request.user, pk=pk)
        what_if, problems = what_if_from(request)
        card = selectors.household_card(household=household, what_if=what_if)
        result = card.result
        return Response(
            {
                "household": household.number,
                "standard": card.standard.version if card.standard else None,
                "problems": problems,
                "error": card.error,
                "choice": result.choice if result else None,
                "total": str(result.total) if result else None,
                "lines": [_line(line) for line in result.lines] if result else [],
            }
        )
