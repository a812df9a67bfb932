"""Writes the default Word template of the agreement (src/gaizao/compensation/docx/agreement.docx).

The office may replace it with its own: same {{ placeholders }}, saved as $GAIZAO_DATA_DIR/templates/agreement.docx.
    .venv/bin/python scripts/make_agreement_template.py
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

OUT = Path(__file__).resolve().parent.parent / "src/gaizao/compensation/docx/agreement.docx"


def main() -> None:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(11)
    title = document.add_paragraph("{{ project.name }}房屋征收补偿协议")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.runs[0].font.size = Pt(18)
    title.runs[0].bold = True
    document.add_paragraph(
        "签约顺序号：{{ sequence }}　方案版本：{{ standard.version }}"
    ).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("房屋征收部门（甲方）：{{ project.district.name }}房屋征收部门")
    document.add_paragraph(
        "被征收人（乙方）：{{ household.owner_name }}　身份证号：{{ id_number }}　"
        "户号：{{ household.number }}　家庭人口：{{ persons }}人"
    )
    document.add_paragraph(
        "根据《国有土地上房屋征收与补偿条例》及《{{ standard.name }}》，甲乙双方就乙方房屋征收补偿事宜达成如下协议："
    )
    document.add_paragraph("一、补偿方式：{{ choice }}。{{ agreement.flat_description }}")
    document.add_paragraph("二、补偿金额：")
    rows = [
        ("补偿项", "金额（元）", "依据"),
        ("{%tr for line in lines %}", "", ""),
        ("{{ line.label }}", "{{ line.amount }}", "{{ line.rule }}"),
        ("{%tr endfor %}", "", ""),
        ("合计", "{{ total }}", "人民币{{ total_capital }}"),
    ]
    table = document.add_table(rows=len(rows), cols=3)
    table.style = "Table Grid"
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.add_paragraph(
        "三、支付期限：甲方于本协议签订之日起{{ agreement.payment_days }}日内支付上述款项。先补偿、后搬迁。"
    )
    document.add_paragraph("四、搬迁期限：乙方于{{ agreement.moving_deadline }}前搬迁完毕并将房屋交付甲方。")
    document.add_paragraph("五、过渡方式和过渡期限：{{ agreement.transition }}")
    document.add_paragraph("六、本协议一式四份，甲乙双方各执两份，自双方签字（盖章）之日起生效。")
    document.add_paragraph("甲方（盖章）：　　　　　　　　　　乙方（签字）：")
    document.add_paragraph("签约日期：{{ agreement.signed_on }}　签约地点：{{ agreement.signed_address }}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    document.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
