"""The site's URLs plus media, for the live server the browser tests drive.

The test settings keep uploads in memory (`InMemoryStorage`) and do not serve media (DEBUG is off), so
the demo's artwork would show as broken images. This view serves files straight from the default
storage, in the same process as the live server, so screenshots and axe see the real pages.
"""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.urls import path

from vial.urls import urlpatterns as site_urlpatterns


def media(request, name):
    if not default_storage.exists(name):
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(default_storage.open(name), content_type=content_type)


urlpatterns = [path("media/<path:name>", media), *site_urlpatterns]
