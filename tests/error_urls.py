"""The site's URLs plus one view that fails, for the server-error logging test."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from digest_site.urls import urlpatterns as site_urlpatterns


@login_not_required
def boom(request):
    raise RuntimeError("boom for the logging test")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
