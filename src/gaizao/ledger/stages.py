"""The household's stage: a transitions table and one check that refuses an illegal move."""

from django.db import models


class Stage(models.TextChoices):
    UNSURVEYED = "unsurveyed", "未调查"
    SURVEYED = "surveyed", "已调查"
    APPRAISED = "appraised", "已评估"
    SIGNED = "signed", "已签约"
    DECIDED = "decided", "已裁决"
    VACATED = "vacated", "已腾空"
    DEMOLISHED = "demolished", "已拆除"


TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.UNSURVEYED: (Stage.SURVEYED,),
    Stage.SURVEYED: (Stage.APPRAISED,),
    Stage.APPRAISED: (Stage.SIGNED, Stage.DECIDED),
    Stage.SIGNED: (Stage.VACATED,),
    Stage.DECIDED: (Stage.VACATED,),
    Stage.VACATED: (Stage.DEMOLISHED,),
    Stage.DEMOLISHED: (),
}

# What the next step must show: the signed agreement, the published decision, photos of the empty
# house and of the cleared site. Counting demolished area relies on the last.
EVIDENCE_REQUIRED = frozenset({Stage.SIGNED, Stage.DECIDED, Stage.VACATED, Stage.DEMOLISHED})
# Facts must be reviewed (复核) before they are appraised on.
REVIEW_REQUIRED = frozenset({Stage.APPRAISED})

ORDER = [s.value for s in Stage]
# Reached only through their documents: signing an agreement, publishing a compensation decision.
BY_DOCUMENT = {Stage.SIGNED: "签约须通过“补偿协议”办理", Stage.DECIDED: "裁决须通过“补偿决定”办理"}


class TransitionRefused(Exception):
    pass


def label(stage: str) -> str:
    return Stage(stage).label


def check_transition(current: str, target: str, *, has_evidence: bool, reviewed: bool) -> None:
    if target not in Stage.values:
        raise TransitionRefused(f"阶段“{target}”无效")
    allowed = TRANSITIONS[current]
    if target not in allowed:
        nexts = "、".join(label(s) for s in allowed) or "无（已是最后阶段）"
        raise TransitionRefused(f"不能从“{label(current)}”直接变为“{label(target)}”，下一步只能是：{nexts}")
    if target in REVIEW_REQUIRED and not reviewed:
        raise TransitionRefused(f"变为“{label(target)}”前，调查数据须先复核")
    if target in EVIDENCE_REQUIRED and not has_evidence:
        raise TransitionRefused(f"变为“{label(target)}”须上传佐证材料")
