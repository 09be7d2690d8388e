from django.urls import path

from customer_ops.views import home

urlpatterns = [
    path("", home.home, name="home"),
]
