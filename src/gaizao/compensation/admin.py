from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone

from gaizao.compensation.models import AppraisalAgency, Flat, ListedHousing, Standard, StandardStatus
from gaizao.compensation.services import checked, standard_publish


class StandardForm(forms.ModelForm):
    class Meta:
        model = Standard
        fields = ["project", "source"]
        widgets = {"source": forms.Textarea(attrs={"rows": 40, "cols": 120, "style": "font-family: monospace"})}

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.instance.status == StandardStatus.PUBLISHED:
            raise ValidationError("已公布的版本不能修改；请以新版本号起草")
        if data.get("project") and data.get("source"):
            parsed = checked(data["source"], data["project"])
            self.instance.version, self.instance.name = parsed.version, parsed.name
        return data


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    form = StandardForm
    list_display = ["name", "project", "version", "status", "published_on"]
    list_filter = ["status", "project"]
    readonly_fields = ["status", "published_on", "published_by"]


@admin.action(description="公布所选方案（今天）")
def publish(modeladmin, request, queryset):
    for standard in queryset:
        try:
            standard_publish(by=request.user, standard=standard, on=timezone.localdate())
        except ValidationError as error:
            modeladmin.message_user(request, f"{standard}：{'；'.join(error.messages)}", level="error")


StandardAdmin.actions = [publish]


@admin.register(Flat)
class FlatAdmin(admin.ModelAdmin):
    list_display = ["project", "building", "unit", "floor", "number", "area", "price", "state", "agreement"]
    list_filter = ["project", "state"]
    readonly_fields = ["state", "agreement", "chosen_at"]


@admin.register(ListedHousing)
class ListedHousingAdmin(admin.ModelAdmin):
    list_display = ["name", "developer", "project"]


@admin.register(AppraisalAgency)
class AppraisalAgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "qualification"]
