"""The one StreamBlock every material and standard page is written with.

Each block is shaped for what this programme teaches (red flags, procedures, questions residents ask)
rather than for layout, so an editor picks what a passage *is* and the template decides how it looks.
Every block has its own template in templates/blocks/ and a preview value for the admin's block picker.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Site

from . import office_contact
from .site_settings import ContactSettings

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=150)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"
        preview_value = {"text": "Kenali tanda bahayanya", "level": "h2"}
        description = _("A section title; it also becomes a link target within the page.")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it. Empty: the image's own title."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)
    credit = blocks.CharBlock(label=_("credit"), required=False, max_length=150)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/captioned_image_block.html"
        preview_value = {
            "caption": "Warga RW 17 berdiskusi bersama petugas PIMPASA.",
            "credit": "Kantor Imigrasi",
        }
        description = _("A picture with its caption and credit.")

    def get_preview_value(self):
        # Previews show the newest image of the library, when there is one.
        value = super().get_preview_value()
        value["image"] = get_image_model().objects.order_by("-created_at").first()
        return value


class WarningSignsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=150)
    intro = blocks.TextBlock(label=_("introduction"), required=False)
    signs = blocks.ListBlock(blocks.CharBlock(label=_("sign"), max_length=300), label=_("warning signs"))

    class Meta:
        icon = "warning"
        label = _("Warning signs")
        template = "blocks/warning_signs_block.html"
        preview_value = {
            "title": "Waspadai tawaran kerja seperti ini",
            "intro": "Satu tanda saja sudah cukup untuk berhenti dan bertanya.",
            "signs": [
                "Gaji sangat tinggi untuk pekerjaan tanpa keahlian.",
                "Diminta membayar biaya di muka.",
                "Berangkat memakai visa turis atau visa kunjungan.",
            ],
        }
        description = _("A checklist of red flags.")


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"), max_length=150)
    text = blocks.TextBlock(label=_("explanation"), required=False)


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=150, required=False)
    steps = blocks.ListBlock(StepBlock(), label=_("steps"))

    class Meta:
        icon = "list-ol"
        label = _("Numbered steps")
        template = "blocks/steps_block.html"
        preview_value = {
            "title": "Langkah berangkat secara prosedural",
            "steps": [
                {"title": "Daftar di Disnaker", "text": "Bawa KTP dan surat izin keluarga."},
                {"title": "Ikuti orientasi pra-pemberangkatan", "text": "Wajib sebelum berangkat."},
            ],
        }
        description = _("A procedure, in order.")


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=250)
    answer = blocks.RichTextBlock(label=_("answer"), features=RICH_TEXT_FEATURES)


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=150, required=False)
    questions = blocks.ListBlock(QuestionBlock(), label=_("questions"))

    class Meta:
        icon = "help"
        label = _("Questions and answers")
        template = "blocks/faq_block.html"
        preview_value = {
            "title": "Pertanyaan yang sering diajukan",
            "questions": [
                {
                    "question": "Apakah melapor dikenai biaya?",
                    "answer": "<p>Tidak. Melapor tidak dipungut biaya apa pun.</p>",
                }
            ],
        }
        description = _("Questions that open to show their answer; works without JavaScript.")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("info", _("Information")), ("warning", _("Warning")), ("danger", _("Danger"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("title"), max_length=150, required=False)
    text = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "pick"
        label = _("Callout")
        template = "blocks/callout_block.html"
        preview_value = {
            "kind": "warning",
            "title": "Paspor adalah milik Anda",
            "text": "<p>Tidak ada agen yang berhak menahan paspor Anda.</p>",
        }
        description = _("A highlighted note: information, a warning or a danger.")


class LeafletBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("title"), required=False, max_length=150, help_text=_("Empty: the document's own title.")
    )
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Leaflet download")
        template = "blocks/leaflet_block.html"
        preview_value = {"title": "Leaflet migrasi aman", "description": "Cetak dan bagikan di RW Anda."}
        description = _("A downloadable document, shown with its file type and size.")

    def get_preview_value(self):
        value = super().get_preview_value()
        value["document"] = get_document_model().objects.order_by("-created_at").first()
        return value


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video URL"), help_text=_("A YouTube or Vimeo address."))
    title = blocks.CharBlock(label=_("title"), max_length=150)
    transcript = blocks.TextBlock(
        label=_("summary or transcript"),
        required=False,
        help_text=_("For people who cannot play the video or have little mobile data."),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video_block.html"
        preview_value = {
            "title": "Video edukasi migrasi aman",
            "transcript": "Ringkasan: berangkat kerja ke luar negeri harus lewat jalur resmi.",
        }
        description = _("An embedded video with a link and a summary for low-data phones.")


class ContactBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=150, required=False)
    text = blocks.TextBlock(label=_("text"), required=False)

    class Meta:
        icon = "mobile-alt"
        label = _("Hotline and contact")
        template = "blocks/contact_block.html"
        preview_value = {
            "title": "Butuh bantuan atau ingin melapor?",
            "text": "Hubungi salah satu saluran resmi di bawah ini.",
        }
        description = _(
            "The contact details of the visitor's immigration office (chosen on the page), and the "
            "hotlines of the site settings."
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        if request is not None:
            context["contact"] = ContactSettings.for_request(request)
        else:  # rendered outside a request (admin block preview, tests): the default site's settings
            site = Site.objects.filter(is_default_site=True).first()
            context["contact"] = ContactSettings.for_site(site) if site else None
        # The office of the page's context (the chooser's ?kantor=), else the site's contact and the
        # chooser: the page cache keys pages by their address, query string included.
        context["office"] = office_contact.context_office(parent_context or {})
        if context["office"] is None:
            context["offices"] = office_contact.chooser_offices()
        return context


class TestimonyBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    name = blocks.CharBlock(
        label=_("who said it"),
        max_length=100,
        help_text=_("Protect people: initials or a role is enough, e.g. 'Ibu S., former migrant worker'."),
    )
    place = blocks.CharBlock(label=_("place"), max_length=100, required=False)

    class Meta:
        icon = "openquote"
        label = _("Testimony")
        template = "blocks/testimony_block.html"
        preview_value = {
            "quote": "Saya dijanjikan kerja di restoran, ternyata paspor saya ditahan.",
            "name": "Ibu S., mantan pekerja migran",
            "place": "Jakarta Barat",
        }
        description = _("A resident's or survivor's words.")


class MaterialStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        preview_value="<p>Bekerja ke luar negeri adalah hak setiap warga, asal melalui jalur resmi.</p>",
        description=_("Running text."),
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    warning_signs = WarningSignsBlock()
    steps = StepsBlock()
    faq = FaqBlock()
    callout = CalloutBlock()
    leaflet = LeafletBlock()
    video = VideoBlock()
    contact = ContactBlock()
    testimony = TestimonyBlock()
