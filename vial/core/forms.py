"""Form fields shared by the public forms and the diary: text cleaned as `vial.core.text` does."""

from django import forms

from .text import clean_name, clean_text


class CleanCharField(forms.CharField):
    """A CharField that removes control and invisible characters before the length and required checks.

    So a value that is empty once cleaned (only spaces and zero-width characters) is refused as missing.
    """

    def __init__(self, *args, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value, multiline=self.multiline) if value else value


class NameField(CleanCharField):
    """A person's name, cleaned by `clean_name` (the API's schema cleans names with it too)."""

    def to_python(self, value):
        value = forms.CharField.to_python(self, value)
        return clean_name(value) if value else value
