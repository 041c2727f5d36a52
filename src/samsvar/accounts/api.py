"""Accounts API: tokens, the current user, users, the organisation profile and PRRCs.

Tokens are issued at /api/v1/auth/token/ after the same lockout-protected check as the web
login (Part 11 §11.300) and sent as `Authorization: Token …` (see `authentication.py`).
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from samsvar.accounts import selectors, services
from samsvar.accounts.models import Organisation, Prrc
from samsvar.core import permissions as perms
from samsvar.core.api import PUBLIC, ApiView, StrictModelSerializer, StrictSerializer
from samsvar.core.services import check_totp, user_has_totp

User = get_user_model()


# --- Token -------------------------------------------------------------------------------------


class TokenRequestSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )
    otp_token = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=12,
        help_text="The authenticator code; required when the user has set up two-factor login.",
    )


@extend_schema_view(
    post=extend_schema(
        tags=["auth"],
        summary="Issue an API token",
        request=TokenRequestSerializer,
        responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
    )
)
class TokenView(ApiView):
    """Exchange a username, password and (if set up) authenticator code for an API token."""

    permission_map = {"POST": PUBLIC}
    # No session or token needed to log in; this also keeps CSRF out of a machine login.
    authentication_classes = []
    serializer_class = TokenRequestSerializer

    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            user = services.authenticate_with_lockout(
                username=data["username"], password=data["password"]
            )
        except services.LoginRefused as exc:
            raise exceptions.ValidationError({"non_field_errors": [str(exc)]}) from None
        two_factor = user_has_totp(user)
        if two_factor:
            code = data.get("otp_token", "")
            if not code:
                raise exceptions.ValidationError(
                    {"otp_token": [_("Enter the code from your authenticator app.")]}
                )
            if not check_totp(user, code):
                # A wrong second factor counts towards the lockout like a wrong password.
                locked_until = services.note_login_failure(user, "otp")
                if locked_until:
                    raise exceptions.ValidationError(
                        {"non_field_errors": [services.lock_message(locked_until)]}
                    )
                raise exceptions.ValidationError({"otp_token": [_("The code is not correct.")]})
        services.login_record(user=user, two_factor=two_factor)
        return Response({"token": services.api_token_issue(user=user)})


# --- The current user --------------------------------------------------------------------------


class MeSerializer(serializers.ModelSerializer):
    permissions = serializers.SerializerMethodField(
        help_text="Permission codes the user's role holds (see core/permissions.py)."
    )

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "language", "permissions"]
        read_only_fields = fields

    def get_permissions(self, user) -> list[str]:
        return sorted(perms.perms_for(user))


@extend_schema_view(get=extend_schema(tags=["auth"], summary="The signed-in user"))
class MeView(ApiView):
    """Who the token or session belongs to and what their role may do."""

    permission_map = {"GET": perms.RECORD_VIEW}
    serializer_class = MeSerializer

    def get(self, request):
        return Response(MeSerializer(request.user).data)


# --- Users -------------------------------------------------------------------------------------


USER_OUTPUT_FIELDS = [
    "id",
    "username",
    "full_name",
    "email",
    "role",
    "job_title",
    "language",
    "is_active",
    "last_login",
    "date_joined",
]


class UserSerializer(StrictModelSerializer):
    """A person and their role; never the password hash or lockout counters."""

    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why the account changes (kept in the audit trail).",
    )

    class Meta:
        model = User
        fields = [*USER_OUTPUT_FIELDS, "reason"]
        read_only_fields = ["id", "username", "last_login", "date_joined"]


class UserCreateSerializer(StrictModelSerializer):
    password = serializers.CharField(
        write_only=True, max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )

    class Meta:
        model = User
        fields = ["username", "password", "full_name", "email", "role", "job_title", "language"]
        extra_kwargs = {"role": {"required": True}, "full_name": {"required": True}}

    def validate_username(self, value):
        # Login matches usernames case-insensitively, so "Kari" and "kari" would be ambiguous.
        if User.objects.filter(username__iexact=value).exists():
            # Django's own message, translated in Django's catalogue.
            raise serializers.ValidationError(
                User._meta.get_field("username").error_messages["unique"]
            )
        return value


@extend_schema_view(
    get=extend_schema(tags=["users"], summary="List users", responses=UserSerializer(many=True)),
    post=extend_schema(
        tags=["users"],
        summary="Create a user",
        request=UserCreateSerializer,
        responses={201: UserSerializer},
    ),
)
class UserListView(ApiView):
    """Accounts and roles (ISO 13485 5.5.1: responsibilities and authorities)."""

    permission_map = {"GET": perms.USER_MANAGE, "POST": perms.USER_MANAGE}
    serializer_class = UserSerializer

    def get(self, request):
        return self.paginated(selectors.user_list(user=request.user))

    def post(self, request):
        form = UserCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = services.user_create(actor=request.user, **form.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(tags=["users"], summary="Show a user"),
    patch=extend_schema(tags=["users"], summary="Change a user's name, role or status"),
)
class UserDetailView(ApiView):
    permission_map = {"GET": perms.USER_MANAGE, "PATCH": perms.USER_MANAGE}
    serializer_class = UserSerializer

    def get_object(self):
        return selectors.access_user_by_id(user=self.request.user, user_id=self.kwargs["pk"])

    def get(self, request, pk):
        return Response(UserSerializer(self.get_object()).data)

    def patch(self, request, pk):
        user = self.get_object()
        form = UserSerializer(user, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        user = services.user_update(actor=request.user, user=user, **form.validated_data)
        return Response(UserSerializer(user).data)


# --- Organisation and PRRCs --------------------------------------------------------------------


class OrganisationSerializer(StrictModelSerializer):
    """The manufacturer's profile (MDR Art. 10, Art. 31: name, address, SRN)."""

    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why the profile changes; required once the current version is signed.",
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "version",
            *services.ORGANISATION_FIELDS,
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = ["id", "version", "created_at", "updated_at"]


@extend_schema_view(
    get=extend_schema(tags=["organisation"], summary="The manufacturer's profile"),
    patch=extend_schema(
        tags=["organisation"], summary="Create or change the manufacturer's profile"
    ),
)
class OrganisationView(ApiView):
    permission_map = {"GET": perms.RECORD_VIEW, "PATCH": perms.ORGANISATION_CHANGE}
    serializer_class = OrganisationSerializer

    def get(self, request):
        organisation = services.organisation_get()
        if organisation is None:
            raise exceptions.NotFound(_("The organisation profile has not been filled in yet."))
        return Response(OrganisationSerializer(organisation).data)

    def patch(self, request):
        form = OrganisationSerializer(services.organisation_get(), data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        organisation = services.organisation_save(actor=request.user, **form.validated_data)
        return Response(OrganisationSerializer(organisation).data)


class PrrcSerializer(StrictModelSerializer):
    """A PRRC with the Art. 15 qualification check of their evidence."""

    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    years_experience = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, coerce_to_string=False
    )
    evidence_file = serializers.FileField(
        required=False, use_url=False, help_text="PDF, PNG or JPEG; send as multipart/form-data."
    )
    qualification_problems = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="What Art. 15(1) still lacks for the chosen route; empty when met.",
    )
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=2000
    )

    class Meta:
        model = Prrc
        fields = [
            "id",
            "organisation",
            *services.PRRC_FIELDS,
            "evidence_sha256",
            "qualification_problems",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = ["id", "organisation", "evidence_sha256", "created_at", "updated_at"]


@extend_schema_view(
    get=extend_schema(
        tags=["organisation"], summary="List PRRCs", responses=PrrcSerializer(many=True)
    ),
    post=extend_schema(
        tags=["organisation"], summary="Record a PRRC", responses={201: PrrcSerializer}
    ),
)
class PrrcListView(ApiView):
    """Persons responsible for regulatory compliance (MDR/IVDR Art. 15)."""

    permission_map = {"GET": perms.RECORD_VIEW, "POST": perms.ORGANISATION_CHANGE}
    serializer_class = PrrcSerializer

    def get(self, request):
        return self.paginated(selectors.prrc_list(user=request.user))

    def post(self, request):
        form = PrrcSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        prrc = services.prrc_save(actor=request.user, **form.validated_data)
        return Response(PrrcSerializer(prrc).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(tags=["organisation"], summary="Show a PRRC"),
    patch=extend_schema(tags=["organisation"], summary="Change a PRRC"),
)
class PrrcDetailView(ApiView):
    permission_map = {"GET": perms.RECORD_VIEW, "PATCH": perms.ORGANISATION_CHANGE}
    serializer_class = PrrcSerializer

    def get_object(self):
        return selectors.access_prrc_by_id(user=self.request.user, prrc_id=self.kwargs["pk"])

    def get(self, request, pk):
        return Response(PrrcSerializer(self.get_object()).data)

    def patch(self, request, pk):
        prrc = self.get_object()
        form = PrrcSerializer(prrc, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        prrc = services.prrc_save(actor=request.user, prrc=prrc, **form.validated_data)
        return Response(PrrcSerializer(prrc).data)
