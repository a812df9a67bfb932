"""The `gaizao` console script: Django's management commands, with dashes allowed in names."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaizao.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from gaizao.audit.context import acting

    with acting(name=f"gaizao {argv[1]}" if len(argv) > 1 else "gaizao"):
        execute_from_command_line(argv)


if __name__ == "__main__":
    main()
