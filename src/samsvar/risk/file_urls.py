"""Part of the risk app URL configuration, included by samsvar.risk.urls: the risk management
file of a device from the plan to the review.

Names: pages about a device's file carry the device's id ("file", "plan", "analysis",
"safety", "overall" and the "file_..." lists and forms); the others carry the id of the record
they are named after ("hazard", "situation", "harm", "risk", "control", "benefit_risk",
"review")."""

from django.urls import path

from samsvar.risk import views

urlpatterns: list = [
    # The file of one device and its completeness check.
    path("devices/<int:pk>/", views.FileView.as_view(), name="file"),
    path("devices/<int:pk>/review/", views.FileReviewView.as_view(), name="file_review"),
    path("devices/<int:pk>/estimate/", views.EstimateView.as_view(), name="file_estimate"),
    # Plan (4.4).
    path("devices/<int:pk>/plan/", views.PlanView.as_view(), name="plan"),
    path("devices/<int:pk>/plan/adopt/", views.PlanAdoptView.as_view(), name="plan_adopt"),
    path("devices/<int:pk>/plan/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("devices/<int:pk>/plan/policy/", views.PlanPolicyView.as_view(), name="plan_policy"),
    path("devices/<int:pk>/plan/sign/", views.PlanSignView.as_view(), name="plan_sign"),
    path(
        "devices/<int:pk>/plan/request-signature/",
        views.PlanSignatureRequestView.as_view(),
        name="plan_request_signature",
    ),
    # Analysis (5.2, 5.3).
    path("devices/<int:pk>/analysis/", views.AnalysisView.as_view(), name="analysis"),
    path("devices/<int:pk>/analysis/edit/", views.AnalysisEditView.as_view(), name="analysis_edit"),
    path("devices/<int:pk>/analysis/sign/", views.AnalysisSignView.as_view(), name="analysis_sign"),
    path("devices/<int:pk>/safety/", views.SafetyView.as_view(), name="safety"),
    # The question's key (with dots) travels as ?topic=.
    path("devices/<int:pk>/safety/answer/", views.SafetyTopicView.as_view(), name="safety_topic"),
    # Hazards and hazardous situations (5.4).
    path("devices/<int:pk>/hazards/", views.HazardListView.as_view(), name="file_hazards"),
    path("devices/<int:pk>/hazards/add/", views.HazardCreateView.as_view(), name="file_hazard_add"),
    path("hazards/<int:pk>/", views.HazardView.as_view(), name="hazard"),
    path("hazards/<int:pk>/edit/", views.HazardEditView.as_view(), name="hazard_edit"),
    path("hazards/<int:pk>/delete/", views.HazardDeleteView.as_view(), name="hazard_delete"),
    path(
        "hazards/<int:pk>/situations/add/",
        views.SituationCreateView.as_view(),
        name="hazard_situation_add",
    ),
    path("situations/<int:pk>/", views.SituationView.as_view(), name="situation"),
    path("situations/<int:pk>/edit/", views.SituationEditView.as_view(), name="situation_edit"),
    path(
        "situations/<int:pk>/delete/",
        views.SituationDeleteView.as_view(),
        name="situation_delete",
    ),
    path(
        "situations/<int:pk>/risks/add/", views.RiskCreateView.as_view(), name="situation_risk_add"
    ),
    # Harms (5.5).
    path("devices/<int:pk>/harms/", views.HarmListView.as_view(), name="file_harms"),
    path("devices/<int:pk>/harms/add/", views.HarmCreateView.as_view(), name="file_harm_add"),
    path("harms/<int:pk>/", views.HarmView.as_view(), name="harm"),
    path("harms/<int:pk>/edit/", views.HarmEditView.as_view(), name="harm_edit"),
    path("harms/<int:pk>/delete/", views.HarmDeleteView.as_view(), name="harm_delete"),
    # Risks: estimate, evaluation, residual risk (5.5, 6, 7.3).
    path("risks/<int:pk>/", views.RiskView.as_view(), name="risk"),
    path("risks/<int:pk>/edit/", views.RiskEditView.as_view(), name="risk_edit"),
    path("risks/<int:pk>/delete/", views.RiskDeleteView.as_view(), name="risk_delete"),
    # Control (7).
    path("devices/<int:pk>/controls/", views.ControlListView.as_view(), name="file_controls"),
    path(
        "devices/<int:pk>/controls/add/",
        views.ControlCreateView.as_view(),
        name="file_control_add",
    ),
    path("controls/<int:pk>/", views.ControlView.as_view(), name="control"),
    path("controls/<int:pk>/edit/", views.ControlEditView.as_view(), name="control_edit"),
    path("controls/<int:pk>/verify/", views.ControlVerifyView.as_view(), name="control_verify"),
    path("controls/<int:pk>/delete/", views.ControlDeleteView.as_view(), name="control_delete"),
    # Benefit-risk (7.4).
    path(
        "devices/<int:pk>/benefit-risk/",
        views.BenefitRiskListView.as_view(),
        name="file_benefit_risks",
    ),
    path(
        "devices/<int:pk>/benefit-risk/add/",
        views.BenefitRiskCreateView.as_view(),
        name="file_benefit_risk_add",
    ),
    path("benefit-risk/<int:pk>/", views.BenefitRiskView.as_view(), name="benefit_risk"),
    path(
        "benefit-risk/<int:pk>/edit/",
        views.BenefitRiskEditView.as_view(),
        name="benefit_risk_edit",
    ),
    path(
        "benefit-risk/<int:pk>/sign/",
        views.BenefitRiskSignView.as_view(),
        name="benefit_risk_sign",
    ),
    path(
        "benefit-risk/<int:pk>/delete/",
        views.BenefitRiskDeleteView.as_view(),
        name="benefit_risk_delete",
    ),
    # Overall residual risk and disclosures (8).
    path("devices/<int:pk>/overall/", views.OverallView.as_view(), name="overall"),
    path("devices/<int:pk>/overall/edit/", views.OverallEditView.as_view(), name="overall_edit"),
    path("devices/<int:pk>/overall/sign/", views.OverallSignView.as_view(), name="overall_sign"),
    # Risk management review (9).
    path("reviews/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("reviews/<int:pk>/sign/", views.ReviewSignView.as_view(), name="review_sign"),
]
