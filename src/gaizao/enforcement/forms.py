import json

from django import forms
from django.core.exceptions import ValidationError

from gaizao.core.widgets import DATE
from gaizao.enforcement.models import (
    PROCEDURE_STEPS,
    CaseKind,
    CaseSource,
    CaseStatus,
    RemovalMethod,
    ReuseKind,
    StepKind,
)
from gaizao.enforcement.selectors import villages_of
from gaizao.enforcement.services import CASE_FACTS
from gaizao.org.models import LOCAL_KINDS, UnitKind
from gaizao.supervision.models import Checklist

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
AREA = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
SERVED_STEPS = [(k, StepKind(k).label) for k in PROCEDURE_STEPS]


class GeoJSONField(forms.CharField):
    """A pasted GeoJSON geometry (or Feature); blank for none."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": '{"type": "Polygon", "coordinates": [...]}'})

    def prepare_value(self, value):
        return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            parsed = json.loads(text)
        except ValueError:
            raise ValidationError("不是有效的 GeoJSON（JSON 格式错误）") from None
        if not isinstance(parsed, dict):
            raise ValidationError("GeoJSON 应为一个几何对象")
        return parsed


class CaseForm(forms.Form):
    unit = forms.ModelChoiceField(None, label="属地街道（乡镇）")
    village = forms.ModelChoiceField(None, label="村（社区）", required=False)
    source = forms.ChoiceField(label="来源", choices=[c for c in CaseSource.choices if c[0] != CaseSource.SURVEY])
    kind = forms.ChoiceField(label="类别", choices=CaseKind.choices, initial=CaseKind.NEW)
    location = forms.CharField(label="位置", max_length=200)
    owner_name = forms.CharField(label="当事人", max_length=100, required=False)
    footprint_area = forms.DecimalField(label="占地面积（㎡）", **AREA)
    floors = forms.IntegerField(label="层数", min_value=1, max_value=99, initial=1)
    area = forms.DecimalField(label="建筑面积（㎡）", **AREA)
    land_area = forms.DecimalField(label="所在宗地面积（㎡）", required=False, **AREA)
    found_at = forms.DateTimeField(label="发现时间", widget=MOMENT, input_formats=["%Y-%m-%dT%H:%M"])
    longitude = forms.DecimalField(label="经度", max_digits=9, decimal_places=6, required=False)
    latitude = forms.DecimalField(label="纬度", max_digits=9, decimal_places=6, required=False)
    outline = GeoJSONField(label="轮廓（GeoJSON，可空）", required=False)
    description = forms.CharField(label="情况", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.FileField(label="现场照片")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(kind__in=LOCAL_KINDS)
        self.fields["village"].queryset = units.filter(kind__in=(UnitKind.VILLAGE, UnitKind.COMMUNITY))


class CaseEditForm(forms.Form):
    """修改案件信息: the facts registered, corrected; after the removal only the description."""

    location = forms.CharField(label="位置", max_length=200)
    village = forms.ModelChoiceField(None, label="村（社区）", required=False)
    kind = forms.ChoiceField(label="类别", choices=CaseKind.choices)
    owner_name = forms.CharField(label="当事人", max_length=100, required=False)
    footprint_area = forms.DecimalField(label="占地面积（㎡）", **AREA)
    floors = forms.IntegerField(label="层数", min_value=1, max_value=99)
    area = forms.DecimalField(label="建筑面积（㎡）", **AREA)
    land_area = forms.DecimalField(label="所在宗地面积（㎡）", required=False, **AREA)
    longitude = forms.DecimalField(label="经度", max_digits=9, decimal_places=6, required=False)
    latitude = forms.DecimalField(label="纬度", max_digits=9, decimal_places=6, required=False)
    outline = GeoJSONField(label="轮廓（GeoJSON，可空）", required=False)
    description = forms.CharField(label="情况", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("initial", {name: getattr(case, name) for name in CASE_FACTS})
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_of(case)
        if case.status == CaseStatus.DEMOLISHED:  # what came down was measured: only the description changes
            for name in [name for name in self.fields if name != "description"]:
                del self.fields[name]


class StopForm(forms.Form):
    at = forms.DateTimeField(label="制止时间", widget=MOMENT, input_formats=["%Y-%m-%dT%H:%M"])
    document_no = forms.CharField(label="责令停止通知书编号", max_length=60, required=False)
    note = forms.CharField(label="说明", required=False)
    evidence = forms.FileField(label="通知书或现场照片")


class ServeForm(forms.Form):
    step = forms.ChoiceField(label="文书", choices=SERVED_STEPS)
    on = forms.DateField(label="送达（公告）日期", widget=DATE)
    document_no = forms.CharField(label="文书编号", max_length=60)
    deadline = forms.DateField(label="拆除期限（限期拆除决定）", widget=DATE, required=False)
    evidence = forms.FileField(label="送达回证或公告照片")


class DemolishForm(forms.Form):
    on = forms.DateField(label="拆除日期", widget=DATE)
    method = forms.ChoiceField(label="拆除方式", choices=RemovalMethod.choices)
    removed_area = forms.DecimalField(label="拆除面积（㎡）", **AREA)
    before = forms.FileField(label="拆除前照片")
    after = forms.FileField(label="拆除后照片")
    note = forms.CharField(label="说明", required=False)


class ConfirmForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=CaseKind.choices, initial=CaseKind.NEW)
    evidence = forms.FileField(label="现场照片")
    footprint_area = forms.DecimalField(label="实测占地面积（㎡）", required=False, min_value=0, decimal_places=2)
    floors = forms.IntegerField(label="层数", required=False, min_value=1, max_value=200)
    area = forms.DecimalField(label="实测建筑面积（㎡）", required=False, min_value=0, decimal_places=2)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500)


class AccountabilityForm(forms.Form):
    note = forms.CharField(label="问责情况", widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label="佐证", required=False)


class SurveyForm(forms.Form):
    unit = forms.ModelChoiceField(None, label="比对范围（街道、乡镇）")
    before = forms.FileField(label="前期图层（GeoJSON）")
    before_on = forms.DateField(label="前期影像日期", widget=DATE)
    after = forms.FileField(label="后期图层（GeoJSON）")
    after_on = forms.DateField(label="后期影像日期", widget=DATE)
    within = GeoJSONField(label="比对区域（GeoJSON，可空：整个图层）", required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(kind__in=LOCAL_KINDS)


class ReusePlanForm(forms.Form):
    kind = forms.ChoiceField(label="用途", choices=ReuseKind.choices)
    area = forms.DecimalField(label="利用面积（㎡）", **AREA)
    due = forms.DateField(label="计划完成", widget=DATE)
    plan = forms.CharField(label="方案", widget=forms.Textarea(attrs={"rows": 2}))


class ReuseReportForm(forms.Form):
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    note = forms.CharField(label="进展", required=False)
    evidence = forms.FileField(label="现场照片")


class CreationForm(forms.Form):
    unit = forms.ModelChoiceField(None, label="创建单位")
    year = forms.IntegerField(label="创建年度", min_value=2000, max_value=2100)
    checklist = forms.ModelChoiceField(Checklist.objects.all(), label="验收清单")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(
            kind__in=(UnitKind.VILLAGE, UnitKind.COMMUNITY, *LOCAL_KINDS, UnitKind.DISTRICT)
        )
