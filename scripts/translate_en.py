"""Fills locale/en/LC_MESSAGES/django.po from the English wording kept here, then compiles it.

    .venv/bin/gaizao makemessages -l en --no-obsolete   (in src/gaizao), then
    .venv/bin/python scripts/translate_en.py
Strings without an English wording are listed, so a new template string is noticed.
"""

import re
import subprocess
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "src/gaizao/locale/en/LC_MESSAGES/django.po"

ENGLISH = {
    "共 %(n)s 户": "%(n)s household",
    "上一页": "Previous",
    "第 %(n)s / %(total)s 页": "Page %(n)s of %(total)s",
    "下一页": "Next",
    "导出 Excel": "Export to Excel",
    "户号": "Household no.",
    "户主姓名": "Owner",
    "项目": "Project",
    "所属街道": "Street",
    "阶段": "Stage",
    "意愿": "Wish",
    "包户责任人": "Official in charge",
    "更新时间": "Updated",
    "没有符合条件的被征收户": "No household matches",
    "新增户": "New households",
    "更新户": "Updated households",
    "未变户": "Unchanged households",
    "新增房屋": "New properties",
    "更新房屋": "Updated properties",
    "拒绝": "Rejected",
    "提示": "Warnings",
    "模板以外的列（已保留）": "Columns outside the template (kept)",
    "被拒绝的行": "Rejected rows",
    "工作表": "Sheet",
    "行": "Row",
    "列": "Column",
    "原因": "Reason",
    "说明": "Note",
    "已锁定": "Locked",
    "已复核": "Reviewed",
    "四清": "Four clears",
    "房产状况": "Property status",
    "证载": "Certified",
    "未登记": "Unregistered",
    "动迁面积": "Relocation area",
    "证载＋认定合法": "certified + recognised legal",
    "未认定": "not recognised",
    "补偿数量": "Compensation",
    "待评估": "Awaiting appraisal",
    "评估金额（签订协议后以协议为准）": "Appraised amount (the agreement's figure once signed)",
    "群众意愿": "Wish",
    "户主信息": "Owner",
    "身份证号": "ID number",
    "联系电话": "Phone",
    "家庭人口": "Persons",
    "查看完整信息（留痕）": "Show in full (logged)",
    "包户单位": "Holding unit",
    "攻坚方案": "Plan for the hard case",
    "房屋": "Properties",
    "坐落": "Location",
    "产权证号": "Certificate no.",
    "用途": "Use",
    "结构": "Structure",
    "层数": "Floors",
    "证载面积": "Certified area",
    "认定合法": "Recognised",
    "土地面积": "Land area",
    "建成": "Built",
    "评估单价": "Appraised price",
    "装修": "Decoration",
    "附属物": "Attachments",
    "尚无房屋记录": "No property recorded yet",
    "办理": "Actions",
    "推进阶段": "Next stage",
    "佐证材料": "Evidence",
    "确认变更": "Change stage",
    "已是最后阶段": "This is the last stage",
    "复核与锁定": "Review and lock",
    "%(who)s 于 %(at)s 锁定": "Locked by %(who)s at %(at)s",
    "解锁理由（须由第二人办理）": "Reason to unlock (by a second official)",
    "解锁": "Unlock",
    "锁定调查数据": "Lock the surveyed facts",
    "复核通过": "Mark as reviewed",
    "上传佐证（照片保留拍摄时间与位置）": "Upload evidence (a photo keeps its time and position)",
    "上传": "Upload",
    "修改": "Edit",
    "保存": "Save",
    "事件记录": "History",
    "拍摄": "taken",
    "暂无记录": "Nothing yet",
    "台账": "Ledger",
    "被征收户台账": "Household ledger",
    "全部": "All",
    "街道": "Street",
    "难点户": "Hard case",
    "排序": "Sort",
    "最近更新": "Recently updated",
    "搜索": "Search",
    "户号 / 姓名 / 身份证尾号": "No. / name / ID tail",
    "查询": "Search",
    "导入预览": "Import preview",
    "将要发生的变化": "What will change",
    "前200户": "first 200 households",
    "操作": "Action",
    "内容": "Content",
    "新增": "New",
    "更新": "Update",
    "不勾选时，有被拒绝的行则整个文件不写入。": "Unticked, a file with rejected rows writes nothing.",
    "确认导入": "Import",
    "重新上传": "Upload again",
    "导入结果": "Import result",
    "已导入": "Imported",
    "未写入": "Nothing written",
    "文件中有被拒绝的行，数据库没有任何改动。可修改文件后重新上传，或勾选“只导入有效行”。": (
        "The file has rejected rows and nothing was changed. Correct the file and upload it again, "
        "or tick “import the valid rows only”."
    ),
    "文件与台账一致，没有需要写入的内容。": "The file matches the ledger: nothing to write.",
    "查看台账": "Open the ledger",
    "导入台账": "Import ledger",
    "导入入户调查台账": "Import a survey ledger",
    "上传后先预览：将新增、更新哪些户，哪些行被拒绝及原因；确认后才写入。同一文件导入两次不会重复。": (
        "You see a preview first: which households are added or updated, which rows are rejected and why; "
        "nothing is written until you confirm. Importing the same file twice changes nothing."
    ),
    "上传并预览": "Upload and preview",
    "改造": "Renewal",
    "退出": "Log out",
    "登录": "Log in",
    "用户名或密码不正确": "Wrong username or password",
    "用户名": "Username",
    "家庭成员": "Family members",
    "类型": "Kind",
    "项目阶段": "Project stage",
    "冻结日": "Freeze date",
    "签约期": "Signing period",
    "合计": "Total",
    "暂无项目": "No project yet",
    "安置方式": "Choice",
    "按台账": "As in the ledger",
    "签约日期": "Signing date",
    "腾空日期": "Vacating date",
    "安置房面积（㎡）": "Flat area (㎡)",
    "安置房单价（元/㎡）": "Flat price (yuan/㎡)",
    "测算": "Compute",
    "依据": "Basis",
    "公布": "published",
    "未签协议时，日期与安置房为假设。": "Until an agreement is signed, the dates and the flat are assumptions.",
    "补偿项": "Item",
    "金额（元）": "Amount (yuan)",
    "计算": "Computation",
    "不计入合计": "not in the total",
    "参数": "Parameters",
    "适用": "Applies to",
    "按": "by",
    "分档": "in tiers",
    "最低": "at least",
    "最高": "at most",
    "条件": "when",
    "方案原文（TOML）": "Text of the standard (TOML)",
    "补偿方案": "Compensation standards",
    "方案": "Standard",
    "版本": "Version",
    "状态": "Status",
    "公布日期": "Published on",
    "尚无补偿方案": "No standard yet",
    "补偿测算": "Compensation",
    "计算中…": "Computing…",
    "签约顺序号": "Signing no.",
    "补偿方式": "Choice",
    "补偿总额（元）": "Total (yuan)",
    "方案版本": "Standard version",
    "尚无补偿协议": "No agreement yet",
    "起草补偿协议": "Draft an agreement",
    "拟签约日期": "Planned signing date",
    "搬迁期限": "Moving deadline",
    "安置房（坐落、面积）": "Flat (location, area)",
    "过渡期月数": "Transition months",
    "过渡方式": "Transition",
    "自行过渡": "own arrangement",
    "按现行方案起草": "Draft under the standard in force",
    "补偿协议": "Compensation agreement",
    "补偿总额": "Total",
    "已付": "Paid",
    "产权调换房屋": "Swap flat",
    "付款期限": "Payment term",
    "签约后 %(n)s 日内": "within %(n)s days of signing",
    "补偿明细": "Lines",
    "按方案（元）": "Standard (yuan)",
    "协议（元）": "Agreed (yuan)",
    "例外（与方案不同的金额）": "Exceptions (amounts differing from the standard)",
    "按方案": "Standard",
    "协议": "Agreed",
    "理由": "Reason",
    "提出人": "Proposed by",
    "批准": "Approve",
    "驳回": "Reject",
    "提出例外（须由他人审批）": "Propose an exception (approved by someone else)",
    "协议金额": "Agreed amount",
    "提交": "Submit",
    "签约": "Sign",
    "签约地点": "Place of signing",
    "被征收人签名": "Owner's signature",
    "重写": "Clear",
    "确认签约并生成协议文本": "Sign and print the agreement",
    "记录支付": "Record a payment",
    "金额": "Amount",
    "收款账号": "Account",
    "支付日期": "Paid on",
    "支付凭证": "Voucher",
    "记账": "Post",
    "作废协议": "Void the agreement",
    "作废理由": "Reason for voiding",
    "作废": "Void",
    "支付记录": "Payments",
    "日期": "Date",
    "款项": "Kind",
    "收款人": "Payee",
    "账号": "Account",
    "经办人": "Posted by",
    "冲销": "Reverse",
    "冲销理由": "Reason to reverse",
    "协议文本": "Documents",
    "签订文本 SHA-256": "SHA-256 of the signed document",
    "核对一份 PDF 是否就是签订的协议": "Check whether a PDF is the signed agreement",
    "核对": "Check",
    "已作废": "Voided",
    "加载中…": "Loading…",
    "补偿决定": "Compensation decisions",
    "签约期已满、未签约：作出补偿决定": "Signing period over and no agreement: make a compensation decision",
    "决定日期": "Decided on",
    "作出补偿决定": "Make the decision",
    "算例": "Worked example",
    "困难群体": "Special groups",
    "尚无家庭成员记录": "No family member recorded",
    "增加家庭成员": "Add a family member",
    "示例户：%(persons)s 人，住宅 %(area)s㎡（评估单价 %(price)s 元/㎡，装修 %(decoration)s 元），签约期第一天签约、10 天后腾空；产权调换选 %(flat)s㎡、%(flat_price)s 元/㎡ 的安置房，过渡 %(months)s 个月。": (
        "Example household: %(persons)s persons, a home of %(area)s ㎡ (appraised at %(price)s yuan/㎡, decoration "
        "%(decoration)s yuan), signing on the first day and vacating 10 days later; a swap for a %(flat)s ㎡ flat at "
        "%(flat_price)s yuan/㎡, %(months)s months' transition."
    ),
    "选房": "Flats",
    "安置房选房": "Choosing resettlement flats",
    "选房顺序": "Order",
    "公布的摇号种子": "Published lottery seed",
    "每户的序号 = SHA-256(种子 + “:” + 户号)，按序号从小到大排列，任何人可以复算": (
        "each household's key = SHA-256(seed + “:” + household no.), in ascending order; anyone can recompute it"
    ),
    "现在轮到": "Now choosing",
    "全部户已选房": "Every household has chosen",
    "选定房源": "Flat chosen",
    "选定": "Choose",
    "开始选房（%(n)s 户已签产权调换协议）": "Start choosing (%(n)s households signed a property swap)",
    "摇号种子（公证后公布）": "Lottery seed (published after notarisation)",
    "开始": "Start",
    "选房尚未开始": "Choosing has not started",
    "房源": "Flats",
    "楼层": "Floor",
    "面积（㎡）": "Area (㎡)",
    "单价（元/㎡）": "Price (yuan/㎡)",
    "尚未登记房源（在管理后台录入）": "No flat registered yet (enter them in the admin)",
    "姓名": "Name",
    "与户主关系": "Relation to the owner",
    "密码": "Password",
}
PLURALS = {"共 %(n)s 户": ("%(n)s household", "%(n)s households")}

ENTRY = re.compile(
    r'(msgid ((?:"(?:[^"\\]|\\.)*"\n)+))(msgid_plural (?:"(?:[^"\\]|\\.)*"\n)+)?((?:msgstr(?:\[\d\])? "[^\n]*"\n)+)'
)


def unquote(block: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))


def fill(match: re.Match) -> str:
    head, msgid_block, plural, _ = match.groups()
    msgid = unquote(msgid_block)
    if not msgid:
        return match.group(0)
    if plural:
        one, many = PLURALS[msgid]
        return f'{head}{plural}msgstr[0] "{one}"\nmsgstr[1] "{many}"\n'
    if msgid not in ENGLISH:
        print(f"no English for: {msgid}", file=sys.stderr)
        return match.group(0)
    english = ENGLISH[msgid].replace("\\", "\\\\").replace('"', '\\"')
    return f'{head}msgstr "{english}"\n'


def main() -> None:
    text = (
        PO.read_text(encoding="utf-8")
        .replace('"Language: \\n"', '"Language: en\\n"')
        .replace(
            '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"', '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"'
        )
    )
    PO.write_text(ENTRY.sub(fill, text), encoding="utf-8")
    subprocess.run(["msgfmt", "--check", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)


if __name__ == "__main__":
    main()
