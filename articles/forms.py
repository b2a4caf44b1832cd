from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field accepting several files (the pattern from Django's file-upload docs)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)  # the importer reports empty files per file
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, (list, tuple)) and data:
            return [single_clean(d, initial) for d in data]
        return [single_clean(data, initial)]


class ImportNewslettersForm(forms.Form):
    files = MultipleFileField(
        label="Newsletter files",
        help_text="Import AI text or Substack HTML, or Forward Future posts; up to 5 MB each.",
    )
