from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportsHomeView.as_view(), name="home"),
    # Before the "<target_type>/<pk>/request/" pattern, which would take "badges" too.
    path("badges/<int:pk>/request/", views.BadgeRequestView.as_view(), name="badge_request"),
    path(
        "<str:target_type>/<int:pk>/request/",
        views.ReportRequestView.as_view(),
        name="request",
    ),
    path("jobs/<int:pk>/", views.JobView.as_view(), name="job"),
    path("jobs/<int:pk>/status.json", views.JobStatusView.as_view(), name="job_status"),
    path("jobs/<int:pk>/download/", views.JobDownloadView.as_view(), name="download"),
    path("jobs/<int:pk>/retry/", views.JobRetryView.as_view(), name="retry"),
    path("<str:target_type>/<int:pk>/texts/", views.ReportTextEditView.as_view(), name="texts"),
    path(
        "<str:target_type>/<int:pk>/survey/",
        views.SurveyResultsView.as_view(),
        name="survey_results",
    ),
    path(
        "<str:target_type>/<int:pk>/survey/questions/",
        views.SurveyQuestionAddView.as_view(),
        name="survey_question_add",
    ),
    path("surveys/<int:pk>/answer/", views.SurveyAnswerView.as_view(), name="survey_answer_mine"),
    path("surveys/answer/<str:token>/", views.SurveyAnswerView.as_view(), name="survey_answer"),
]
