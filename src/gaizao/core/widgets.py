"""Form widgets shared by every app's forms."""

from django import forms

# A browser's date input shows a value only in ISO form; without the format Django writes the locale's 2026/11/25
# and the field shows blank.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
