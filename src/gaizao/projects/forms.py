from django import forms

from gaizao.core.widgets import DATE
from gaizao.projects.models import DisbursementUse, FundingSource, PipelineStage, SourceKind


class AdvanceForm(forms.Form):
    stage = forms.ChoiceField(label="进入阶段", choices=PipelineStage.choices)
    on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="说明", required=False, max_length=200)
    evidence = forms.FileField(label="佐证材料", required=False)


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=SourceKind.choices)
    name = forms.CharField(label="名称", max_length=100)
    committed = forms.DecimalField(label="额度（元）", max_digits=16, decimal_places=2)


class PlanForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    planned = forms.DecimalField(label="计划投资（元）", max_digits=16, decimal_places=2)


class DisbursementForm(forms.Form):
    source = forms.ModelChoiceField(FundingSource.objects.none(), label="资金来源")
    use = forms.ChoiceField(label="用途", choices=DisbursementUse.choices)
    on = forms.DateField(label="拨付日期", widget=DATE)
    amount = forms.DecimalField(label="金额（元）", max_digits=16, decimal_places=2)
    note = forms.CharField(label="说明", required=False, max_length=200)
    evidence = forms.FileField(label="凭证", required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = project.sources.all()
