from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from vial.booking.api import api as booking_api
from vial.website import views as website_views
from vial.website.feeds import QuestionsAtomFeed, QuestionsFeed

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", website_views.search, name="search"),
    path("book/", include("vial.booking.urls")),
    path("appointment/", include("vial.booking.appointment_urls")),
    path("api/v1/", booking_api.urls),
    path("feeds/questions.rss", QuestionsFeed(), name="feed-rss"),
    path("feeds/questions.atom", QuestionsAtomFeed(), name="feed-atom"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", website_views.robots_txt, name="robots"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
