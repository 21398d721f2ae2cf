"""The one field include of the public pages (templates/includes/field.html), for each kind of field."""

from django import forms
from django.template.loader import render_to_string
from django.utils import translation


class SampleForm(forms.Form):
    name = forms.CharField(label="Nama", help_text="Seperti di KTP.")
    rw = forms.CharField(label="RW", required=False)
    gender = forms.ChoiceField(
        label="Jenis kelamin", choices=[("f", "Perempuan"), ("m", "Laki-laki")], widget=forms.RadioSelect
    )
    consent = forms.BooleanField(label="Saya setuju")


def render(field, **extra):
    with translation.override("id"):
        return render_to_string("includes/field.html", {"field": field, **extra})


def test_a_text_field_has_its_label_hint_described_by_the_input_and_keeps_what_was_typed():
    form = SampleForm(data={"name": "Siti <b>"})
    html = render(form["name"])
    assert '<label for="id_name">Nama</label>' in html
    assert '<p class="help" id="id_name_helptext">Seperti di KTP.</p>' in html
    assert 'aria-describedby="id_name_helptext"' in html
    assert 'value="Siti &lt;b&gt;"' in html
    assert "field-error" not in html


def test_an_optional_field_says_so_except_inside_a_group_that_explains_itself():
    form = SampleForm()
    assert "(tidak wajib)" in render(form["rw"])
    assert "(tidak wajib)" not in render(form["rw"], in_group=True)
    assert "(tidak wajib)" not in render(form["name"])


def test_errors_come_before_the_input_in_the_users_language():
    form = SampleForm(data={})
    with translation.override("id"):
        form.is_valid()
    html = render(form["name"])
    assert 'class="form-field field-error"' in html
    assert html.index("errorlist") < html.index("<input")


def test_choices_are_a_fieldset_with_a_legend():
    html = render(SampleForm(data={"gender": "m"})["gender"])
    assert "<legend>Jenis kelamin</legend>" in html
    assert html.count('<label class="choice">') == 2
    assert 'value="m" id="id_gender_1" required checked' in html


def test_a_checkbox_sits_inside_its_label_whose_text_may_be_replaced():
    form = SampleForm()
    html = render(form["consent"])
    assert '<label class="choice"><input type="checkbox" name="consent"' in html
    assert "<span>Saya setuju</span>" in html
    replaced = render(form["consent"], label="Setuju dengan <a href='/privasi/'>pemberitahuan</a>")
    assert "&lt;a href=" in replaced  # a plain string stays text; templates pass a translated safe string
