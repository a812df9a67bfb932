"""What each role may do. Scope (which units) is decided in access.py; this says what, not where."""

from dataclasses import dataclass

from gaizao.org.models import Role


@dataclass(frozen=True)
class Capabilities:
    read_everywhere: bool = False
    change: bool = False
    import_ledger: bool = False
    read_trail: bool = False
    sees_records: bool = True  # the three administrators see no ledger, money or supervision records
    manage_accounts: bool = False
    grant_roles: bool = False


CAPABILITIES: dict[str, Capabilities] = {
    Role.OFFICE: Capabilities(change=True, import_ledger=True),
    Role.LEADER: Capabilities(),
    Role.STREET: Capabilities(change=True, import_ledger=True),
    Role.TASK_FORCE: Capabilities(change=True),
    Role.INSPECTOR: Capabilities(read_everywhere=True, read_trail=True),
    Role.AUDITOR: Capabilities(read_everywhere=True, read_trail=True),
    Role.SYSTEM_ADMIN: Capabilities(sees_records=False, manage_accounts=True),
    Role.SECURITY_ADMIN: Capabilities(sees_records=False, grant_roles=True),
    Role.AUDIT_ADMIN: Capabilities(sees_records=False, read_trail=True),
}

NOTHING = Capabilities(sees_records=False)


def capabilities(role: str | None) -> Capabilities:
    return CAPABILITIES.get(role or "", NOTHING)
