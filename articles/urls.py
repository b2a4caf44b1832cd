from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.issue_list, name="issue-list"),
    path("issues/<slug:slug>/", views.issue_detail, name="issue-detail"),
    path("issues/<slug:slug>/<slug:anchor>/", views.section_detail, name="section-detail"),
]
