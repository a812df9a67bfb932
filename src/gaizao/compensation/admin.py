from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from gaizao.compensation.models import Standard, StandardStatus
from gaizao.compensation.services import checked


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
