"""RSS and Atom feeds of the Q&A blog (Django's syndication framework)."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from .models import QuestionIndexPage, QuestionPage


class QuestionsFeed(Feed):
    title = "Questions answered by our clinicians"
    description = "Patients' questions about treatments, answered by the clinic's doctors and nurses."

    def link(self):
        index = QuestionIndexPage.objects.live().first()
        return index.url if index else "/"

    def items(self):
        return QuestionPage.objects.live().public().select_related("author").order_by("-date", "-pk")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_author_name(self, item):
        return item.author.byline

    def item_pubdate(self, item):
        # The post date is the date the clinic answered, shown in UK time.
        return datetime.combine(item.date, time(9), tzinfo=ZoneInfo("Europe/London"))

    def item_updateddate(self, item):
        return item.last_published_at


class QuestionsAtomFeed(QuestionsFeed):
    feed_type = Atom1Feed
    subtitle = QuestionsFeed.description
