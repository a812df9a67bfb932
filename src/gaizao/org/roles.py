"""What each role may do. Scope (which units) is decided in access.py; this says what, not where."""

from dataclasses import dataclass

from gaizao.org.models import Role


@dataclass(frozen=True)
class Capabilities:
    read_everywhere: bool = False
    change: bool = False
    import_ledger: bool = False
    read_trail: bool = False


CAPABILITIES: dict[str, Capabilities] = {
    Role.OFFICE: Capabilities(change=True, import_ledger=True),
    Role.LEADER: Capabilities(),
    Role.STREET: Capabilities(change=True, import_ledger=True),
    Role.TASK_FORCE: Capabilities(change=True),
    Role.INSPECTOR: Capabilities(read_everywhere=True, read_trail=True),
    Role.AUDITOR: Capabilities(read_everywhere=True, read_trail=True),
}

NOTHING = Capabilities()


def capabilities(role: str | None) -> Capabilities:
    return CAPABILITIES.get(role or "", NOTHING)
