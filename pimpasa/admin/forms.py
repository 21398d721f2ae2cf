from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class PimpasaLoginForm(LoginForm):
    """Wagtail's login form with every label translated (its password field has none of its own)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = self.username_field.verbose_name.capitalize()
        self.fields["password"].label = _("Password")
        self.fields["remember"].label = _("Remember me")
