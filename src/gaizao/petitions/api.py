"""Petitions in the API, beside the pages: the same selectors and scoping; the petitioner's name and phone only for
the command office, as on the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from gaizao.petitions import selectors
from gaizao.petitions.models import Petition


class PetitionSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", read_only=True, default=None)
    assigned_to = serializers.CharField(source="assigned_to.name", read_only=True, default=None)
    repeated = serializers.BooleanField(read_only=True)
    reporter_name = serializers.SerializerMethodField()
    reporter_phone = serializers.SerializerMethodField()

    class Meta:
        model = Petition
        fields = [
            "id",
            "code",
            "project",
            "channel",
            "theme",
            "content",
            "status",
            "received_on",
            "due_on",
            "extended",
            "assigned_to",
            "answer",
            "answered_on",
            "satisfaction",
            "repeated",
            "reporter_name",
            "reporter_phone",
        ]

    def _petitioner(self, petition: Petition) -> tuple[str, str]:
        return selectors.petitioner(self.context["request"].user, petition)

    def get_reporter_name(self, petition: Petition) -> str:
        return self._petitioner(petition)[0]

    def get_reporter_phone(self, petition: Petition) -> str:
        return self._petitioner(petition)[1]


@extend_schema(summary="信访件（按数据范围）", parameters=[OpenApiParameter(n, str) for n in ("status", "q")])
class PetitionListAPI(generics.ListAPIView):
    serializer_class = PetitionSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.petition_list(
            fetched_by=self.request.user, status=params.get("status", ""), q=params.get("q", "")
        )


@extend_schema(summary="一件信访")
class PetitionDetailAPI(generics.RetrieveAPIView):
    serializer_class = PetitionSerializer

    def get_object(self):
        return selectors.petition_get(fetched_by=self.request.user, pk=self.kwargs["pk"])
