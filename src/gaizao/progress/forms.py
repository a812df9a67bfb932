from django import forms

from gaizao.core.widgets import DATE
from gaizao.org.models import Unit, UnitKind
from gaizao.progress.models import Indicator, Milestone
from gaizao.projects.models import Project

# Units that answer for a target: a district and its streets, a headquarters, and the lent departments.
TARGET_KINDS = (
    UnitKind.CITY,
    UnitKind.DISTRICT,
    UnitKind.STREET,
    UnitKind.TOWNSHIP,
    UnitKind.HEADQUARTERS,
    UnitKind.SUB_HEADQUARTERS,
    UnitKind.DEPARTMENT,
    UnitKind.TASK_FORCE,
    UnitKind.SUPPORT_UNIT,
)


class TargetForm(forms.Form):
    indicator = forms.ModelChoiceField(Indicator.objects.none(), label="指标")
    unit = forms.ModelChoiceField(Unit.objects.none(), label="责任单位")
    project = forms.ModelChoiceField(Project.objects.none(), label="项目（可不选）", required=False)
    start = forms.DateField(label="开始日期", widget=DATE)
    end = forms.DateField(label="完成时限", widget=DATE)
    value = forms.DecimalField(label="目标值", min_value=0, decimal_places=2, max_digits=16)
    yellow_gap = forms.DecimalField(label="黄灯阈值（百分点）", initial=10, min_value=0, max_value=100)
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, indicators, units, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["unit"].queryset = units.filter(kind__in=TARGET_KINDS)
        self.fields["project"].queryset = projects


class AgreementForm(forms.Form):
    unit = forms.ModelChoiceField(Unit.objects.none(), label="责任单位")
    title = forms.CharField(label="标题", max_length=100)
    leader_name = forms.CharField(label="责任人", max_length=50)
    start = forms.DateField(label="开始日期", widget=DATE)
    end = forms.DateField(label="完成时限", widget=DATE)
    duties = forms.CharField(label="工作职责", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(kind__in=TARGET_KINDS)


class SignForm(forms.Form):
    signed_on = forms.DateField(label="签订日期", widget=DATE)
    evidence = forms.FileField(label="签字盖章件", required=False)


class MilestoneForm(forms.Form):
    name = forms.CharField(label="节点名称", max_length=60)
    duration = forms.IntegerField(label="工期（天）", min_value=0, max_value=3650)
    depends = forms.ModelMultipleChoiceField(Milestone.objects.none(), label="前置节点", required=False)
    deadline = forms.DateField(label="完成时限", required=False, widget=DATE)
    not_before = forms.DateField(label="最早开工", required=False, widget=DATE)
    unit = forms.ModelChoiceField(Unit.objects.none(), label="责任单位", required=False)
    leader_name = forms.CharField(label="责任人", required=False, max_length=50)

    def __init__(self, *args, project, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["depends"].queryset = project.milestones.all()
        self.fields["unit"].queryset = units


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label="完成日期", widget=DATE)
    evidence = forms.FileField(label="佐证材料", required=False)


class MilestoneStartForm(forms.Form):
    started_on = forms.DateField(label="开始日期", widget=DATE)


class DailyReportForm(forms.Form):
    day = forms.DateField(label="日期", widget=DATE)
    problems = forms.CharField(label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    help_needed = forms.CharField(label="需协调事项", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    plan_tomorrow = forms.CharField(label="明日计划", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SummaryForm(forms.Form):
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 18}))


class MeetingForm(forms.Form):
    held_on = forms.DateField(label="会议日期", widget=DATE)
    title = forms.CharField(label="会议名称", required=False, max_length=100)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label="会议纪要", widget=forms.Textarea(attrs={"rows": 6}))


class ActionForm(forms.Form):
    text = forms.CharField(label="事项", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(Unit.objects.none(), label="责任单位")
    owner_name = forms.CharField(label="责任人", required=False, max_length=50)
    deadline = forms.DateField(label="办结时限", widget=DATE)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = units.filter(kind__in=TARGET_KINDS)


class ActionCloseForm(forms.Form):
    outcome = forms.CharField(label="办理结果", widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label="佐证材料", required=False)


class IndicatorForm(forms.Form):
    code = forms.SlugField(label="编号", max_length=40)
    name = forms.CharField(label="名称", max_length=60)
    unit_label = forms.CharField(label="计量单位", max_length=10)
    formula = forms.CharField(label="计算公式", max_length=300, help_text="如 signed + decided、land_area * 0.0015")
    places = forms.TypedChoiceField(label="小数位", choices=[(0, "0"), (1, "1"), (2, "2")], coerce=int)
