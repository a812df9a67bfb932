import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaizao.settings")
application = get_wsgi_application()

from gaizao.supervision import daily  # noqa: E402  (after Django is set up)

daily.start()
