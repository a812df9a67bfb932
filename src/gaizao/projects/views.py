from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gaizao.ledger.stages import Stage
from gaizao.projects import selectors


def project_list(request: HttpRequest) -> HttpResponse:
    projects = list(selectors.project_list(fetched_by=request.user))
    counts = selectors.stage_counts(fetched_by=request.user, projects=projects)
    rows = [(p, [(s, counts[p.id][s]) for s in Stage.values], sum(counts[p.id].values())) for p in projects]
    return render(request, "projects/project_list.html", {"rows": rows, "stages": Stage.choices})
