from django import forms

from .models import ClaimStatus, HighlightColour, Visibility


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


class HighlightCreateForm(forms.Form):
    paragraph = forms.IntegerField(min_value=1)
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)
    colour = forms.ChoiceField(choices=HighlightColour.choices, initial=HighlightColour.YELLOW, required=False)
    is_claim = forms.BooleanField(required=False)
    tags = forms.CharField(required=False, max_length=1000, help_text="Comma-separated")
    note = forms.CharField(required=False, max_length=10_000, widget=forms.Textarea)
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.TEAM, required=False)


class HighlightEditForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    colour = forms.ChoiceField(choices=HighlightColour.choices)
    is_claim = forms.BooleanField(required=False)
    tags = forms.CharField(required=False, max_length=1000)
    note = forms.CharField(required=False, max_length=10_000, widget=forms.Textarea)
    visibility = forms.ChoiceField(choices=Visibility.choices)


class ClaimReviewForm(forms.Form):
    status = forms.ChoiceField(choices=ClaimStatus.choices)
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class NoteForm(forms.Form):
    body = forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.TEAM)


class NoteEditForm(NoteForm):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class CommentForm(forms.Form):
    body = forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 2}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CommentEditForm(forms.Form):
    body = forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class TagNamesForm(forms.Form):
    names = forms.CharField(max_length=1000)


class TagRenameForm(forms.Form):
    name = forms.CharField(max_length=60)


class TagMergeForm(forms.Form):
    into = forms.CharField(max_length=80, help_text="The slug of the tag to merge into")


class SearchForm(forms.Form):
    """The search page's query and filters (GET); invalid filters are ignored, not fatal."""

    q = forms.CharField(required=False, label="Search")  # long input is cut by query_parse, not refused
    newsletter = forms.CharField(required=False, max_length=200)
    tag = forms.CharField(required=False, max_length=80)
    author = forms.CharField(required=False, max_length=150)
    mine = forms.BooleanField(required=False, label="Has my notes")
    date_from = forms.DateField(required=False, label="Imported from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="to", widget=forms.DateInput(attrs={"type": "date"}))

    def values(self) -> dict:
        """Cleaned values, with any field that failed validation left empty."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) for name in self.fields}


class ClaimSuggestionForm(forms.Form):
    paragraph = forms.IntegerField(min_value=1)
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)
