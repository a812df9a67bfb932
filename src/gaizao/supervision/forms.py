from django import forms

from gaizao.core.widgets import DATE
from gaizao.org.models import Unit
from gaizao.supervision.models import ItemSource


class ItemForm(forms.Form):
    title = forms.CharField(label="督办事项", max_length=200)
    unit = forms.ModelChoiceField(Unit.objects.none(), label="责任单位")
    deadline = forms.DateField(label="办结时限", widget=DATE)
    source = forms.ChoiceField(label="来源", choices=ItemSource.choices)
    report_every = forms.IntegerField(label="反馈周期（天）", min_value=0, max_value=90, initial=7)
    detail = forms.CharField(label="具体要求", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class NoticeForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    number = forms.CharField(label="文号", max_length=50, required=False)
    published_on = forms.DateField(label="通报日期", widget=DATE)
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(
        label="问题清单",
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "每行一个：单位｜问题｜整改时限（YYYY-MM-DD）"}),
    )


class EvidenceTextForm(forms.Form):
    text = forms.CharField(label="情况", widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label="佐证", required=False)
