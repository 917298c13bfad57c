"""The evaluation's pages, mounted under /<lang>/tenders/ beside the tender pages."""

from django.urls import path

from pregon.evaluation import views, views_award

app_name = "evaluation"
urlpatterns = [
    path("<int:pk>/evaluation/", views.evaluation_report, name="report"),
    path("<int:pk>/evaluation/committee/", views.evaluation_committee, name="committee"),
    path("<int:pk>/evaluation/mine/", views.evaluation_mine, name="mine"),
    path("<int:pk>/awards/", views_award.awards_page, name="awards"),
    path("<int:pk>/awards/decide/", views_award.award_manage, name="award_manage"),
    path(
        "<int:pk>/awards/complaints/<int:complaint>/",
        views_award.complaint_page,
        name="complaint",
    ),
    path(
        "<int:pk>/awards/complaints/<int:complaint>/documents/<int:document>/",
        views_award.complaint_document,
        name="complaint_document",
    ),
    path("<int:pk>/awards/notices/<int:notice>/", views_award.award_notice, name="notice"),
]
