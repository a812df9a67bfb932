from django.contrib import admin

from gaizao.org.models import Official, Unit
from gaizao.org.services import unit_create


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "district", "jurisdiction"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        return ["path", "district", "parent"] if obj else ["path", "district"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = unit_create(name=obj.name, kind=obj.kind, parent=obj.parent, jurisdiction=obj.jurisdiction)
        obj.pk, obj.path, obj.district_id = created.pk, created.path, created.district_id


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "role", "title", "can_reveal"]
    list_filter = ["role"]
    search_fields = ["name", "user__username"]
    autocomplete_fields = ["unit"]
