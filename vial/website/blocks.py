"""StreamField blocks for the public site. Each block renders through its own template."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class FAQBlock(blocks.StructBlock):
    """One question a patient asks, with the clinic's answer. Also feeds FAQPage JSON-LD."""

    question = blocks.CharBlock(max_length=255)
    answer = blocks.TextBlock(help_text="Plain words; two or three sentences.")

    class Meta:
        icon = "help"
        template = "website/blocks/faq.html"


class CalloutBlock(blocks.StructBlock):
    """A highlighted note, e.g. 'This use is off-label: we explain what that means'."""

    title = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock()

    class Meta:
        icon = "warning"
        template = "website/blocks/callout.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=200)
    alt_text = blocks.CharBlock(max_length=200, help_text="Describe the image for people who cannot see it.")

    class Meta:
        icon = "image"
        template = "website/blocks/figure.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", template="website/blocks/heading.html", icon="title")
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])
    callout = CalloutBlock()
    figure = FigureBlock()


class FAQStreamBlock(blocks.StreamBlock):
    faq = FAQBlock()
