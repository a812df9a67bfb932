"""The agreement as documents: a PDF (WeasyPrint, CJK font from Debian) and a Word file from a template
the office can replace (docxtpl): put its own agreement.docx in $GAIZAO_DATA_DIR/templates/."""

import base64
import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from gaizao.compensation.engine.facts import CHOICES
from gaizao.compensation.models import Agreement
from gaizao.core.money import to_capital_rmb

DEFAULT_DOCX = Path(__file__).resolve().parent / "docx" / "agreement.docx"


def context(agreement: Agreement) -> dict:
    household = agreement.household
    lines = [
        {**line, "amount_value": Decimal(line["amount"]), "differs": line["amount"] != line["standard_amount"]}
        for line in agreement.lines
        if line["in_total"]
    ]
    signature = ""
    if agreement.signature:
        with agreement.signature.open("rb") as handle:
            signature = "data:image/png;base64," + base64.b64encode(handle.read()).decode()
    pay_by = agreement.signed_on + timedelta(days=agreement.payment_days) if agreement.signed_on else None
    return {
        "agreement": agreement,
        "household": household,
        "project": agreement.project,
        "standard": agreement.standard,
        "choice": CHOICES[agreement.choice],
        "lines": lines,
        "total": agreement.total,
        "total_capital": to_capital_rmb(agreement.total),
        "properties": agreement.facts["properties"],
        "persons": agreement.facts["persons"],
        "pay_by": pay_by,
        "signature": signature,
        "sequence": agreement.sequence_no or "（签约时编号）",
    }


def render_pdf(agreement: Agreement) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only the documents need

    html = render_to_string("compensation/agreement_document.html", context(agreement))
    return HTML(string=html).write_pdf()


def docx_template() -> Path:
    override = settings.DATA_DIR / "templates" / "agreement.docx"
    return override if override.exists() else DEFAULT_DOCX


def render_docx(agreement: Agreement) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(docx_template()))
    values = context(agreement)
    values["lines"] = [{**line, "amount": f"{line['amount_value']:,.2f}"} for line in values["lines"]]
    values["total"] = f"{agreement.total:,.2f}"
    values["id_number"] = agreement.household.id_number
    document.render(values, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
