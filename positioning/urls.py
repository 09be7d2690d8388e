from django.urls import path

from positioning import api, views

urlpatterns = [
    path("api/v1/positioning/check-claims", api.check_claims_view, name="check-claims"),
    # The pages' relative links (../landing/landing.css, ../static/fonts/…) resolve the same from
    # the file on disk and from /landing/<name>.html, so /landing/<name>/ redirects there.
    path("landing/<slug:name>/", views.landing_page_canonical, name="landing-page"),
    path("landing/<slug:name>.html", views.landing_page, name="landing-page-file"),
    path("landing/<str:name>", views.landing_asset, name="landing-asset"),
]
