from django import forms

from gaizao.ledger.models import Choice, HardCase, Wish
from gaizao.ledger.stages import Stage
from gaizao.ledger.workbook.reader import check_workbook_upload


class StageForm(forms.Form):
    stage = forms.ChoiceField(label="变更为", choices=Stage.choices)
    evidence = forms.FileField(label="佐证材料", required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceForm(forms.Form):
    evidence = forms.FileField(label="佐证材料")
    note = forms.CharField(label="说明", required=False)


class UnlockForm(forms.Form):
    reason = forms.CharField(label="解锁理由", widget=forms.Textarea(attrs={"rows": 2}))


class HouseholdEditForm(forms.Form):
    phone = forms.CharField(label="联系电话", required=False, max_length=20)
    wish = forms.ChoiceField(label="意愿", choices=[("", "未填报"), *Wish.choices], required=False)
    choice = forms.ChoiceField(label="安置方式", choices=[("", "未选择"), *Choice.choices], required=False)
    hard_case = forms.ChoiceField(label="难点户", choices=[("", "否"), *HardCase.choices], required=False)
    hard_case_plan = forms.CharField(label="攻坚方案", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    holder_name = forms.CharField(label="包户责任人", required=False, max_length=50)
    remark = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, reveal: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not reveal:
            del self.fields["phone"]  # the phone is shown only to whoever may see it in full


class ImportUploadForm(forms.Form):
    project = forms.ModelChoiceField(label="项目", queryset=None, empty_label=None)
    file = forms.FileField(label="台账文件（.xlsx / .xls / .csv）")

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects

    def clean_file(self):
        check_workbook_upload(self.cleaned_data["file"])
        return self.cleaned_data["file"]


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    valid_only = forms.BooleanField(label="只导入有效行（有错误的户不导入）", required=False)
