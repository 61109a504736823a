from django import forms
from django.core.files.base import ContentFile

from .images import check_upload, new_image_name
from .models import Image


class ImageForm(forms.ModelForm):
    """The library's upload form: the file is checked by its content and re-encoded."""

    # A plain file field: our checks (pages/images.py) give the reason for each
    # refusal, where the ImageField's own check says only "not a valid image".
    file = forms.FileField(
        label="Picture",
        help_text=Image._meta.get_field("file").help_text,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/avif,image/gif"}
        ),
    )

    class Meta:
        model = Image
        fields = ["file", "alt_text", "is_decorative", "caption", "credit"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None or not hasattr(upload, "content_type"):
            return upload  # the file already stored, unchanged
        checked = check_upload(upload)
        return ContentFile(checked.content, name=new_image_name(checked.extension))
