"""The evaluation's pages, mounted under /<lang>/tenders/ beside the tender pages."""

from django.urls import path

from pregon.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("<int:pk>/evaluation/", views.evaluation_report, name="report"),
    path("<int:pk>/evaluation/committee/", views.evaluation_committee, name="committee"),
    path("<int:pk>/evaluation/mine/", views.evaluation_mine, name="mine"),
]
