"""The peer project's URLs: helpdesk at the site root, so its staff list is /tickets/ as ours is."""

from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls", namespace="helpdesk"))]
