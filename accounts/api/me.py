"""``GET /api/v1/me/``: the requesting user, roles and region (what a client may do)."""
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import user_roles
from accounts.scoping import visible_region_ids


class MeView(APIView):
    basename = "me"  # its row of the permission table (accounts.permission_table)

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "roles": serializers.ListField(child=serializers.CharField()),
                "is_superuser": serializers.BooleanField(),
                "region_ids": serializers.ListField(child=serializers.IntegerField(), allow_null=True),
            },
        )
    )
    def get(self, request):
        region_ids = visible_region_ids(request.user)
        return Response(
            {
                "username": request.user.get_username(),
                "roles": sorted(user_roles(request.user)),
                "is_superuser": request.user.is_superuser,
                "region_ids": None if region_ids is None else sorted(region_ids),
            }
        )
