"""Special groups (困难群体) recorded on family members; the compensation standards give them subsidies."""

SPECIAL_GROUPS = {"dibao": "低保", "disabled": "残疾", "critical": "重症", "lost_only_child": "失独", "martyr": "烈士"}
