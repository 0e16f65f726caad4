from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.openapi import error_statuses
from config.errors import NotFound
from config.http_cache import cacheable_response
from profiles import selectors, services
from profiles.api import serializers as s
from profiles.models import Profile

SKILLS_MAX_AGE = 300


class SkillListView(generics.ListAPIView):
    """The skill taxonomy; with ``q``, autocomplete by name or alias prefix (canonical first)."""

    permission_classes = [AllowAny]
    serializer_class = s.SkillSerializer

    @extend_schema(parameters=[s.SkillQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        """The same answer for everyone: cacheable for 5 minutes, 304 on a matching ETag."""
        response = super().finalize_response(request, response, *args, **kwargs)
        return cacheable_response(request, response, max_age=SKILLS_MAX_AGE, anonymous_only=False)

    def get_queryset(self):
        query = s.SkillQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        return selectors.skills_autocomplete(q=params.get("q", "")[:60], category=params.get("category", ""))


class ProfileMeView(APIView):
    """The signed-in user's own profile."""

    permission_classes = [IsAuthenticated]

    def _output(self, profile, status_code=status.HTTP_200_OK):
        profile = selectors.profile_of(profile.user)
        return Response(s.ProfileSerializer(profile).data, status=status_code)

    @extend_schema(responses={200: s.ProfileSerializer})
    @error_statuses(404)  # no profile yet
    def get(self, request):
        profile = selectors.profile_of(request.user)
        if profile is None:
            raise NotFound("You have no profile yet; create it with POST.")
        return Response(s.ProfileSerializer(profile).data)

    @extend_schema(request=s.ProfileWriteSerializer, responses={201: s.ProfileSerializer})
    @error_statuses(409)  # a profile exists
    def post(self, request):
        serializer = s.ProfileWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = services.profile_create(user=request.user, data=serializer.validated_data)
        return self._output(profile, status.HTTP_201_CREATED)

    @extend_schema(request=s.ProfileWriteSerializer, responses={200: s.ProfileSerializer})
    @error_statuses(404)  # no profile yet
    def patch(self, request):
        profile = selectors.profile_of(request.user)
        if profile is None:
            raise NotFound("You have no profile yet; create it with POST.")
        serializer = s.ProfileWriteSerializer(data=request.data, partial=True, context={"profile": profile})
        serializer.is_valid(raise_exception=True)
        profile = services.profile_update(profile=profile, data=serializer.validated_data)
        return self._output(profile)


class ProfileDetailView(APIView):
    """Anyone's profile, as far as its visibility allows (private or hidden: 404)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: s.ProfileSerializer})
    def get(self, request, username: str):
        profile = selectors.profile_for_viewer(username=username, viewer=request.user)
        return Response(s.ProfileSerializer(profile).data)


class ProfileSearchView(generics.GenericAPIView):
    """Talent search over the profiles you may see. Every filter narrows the result;
    ``skill`` may repeat (all of them are required) and accepts aliases."""

    permission_classes = [AllowAny]
    serializer_class = s.ProfileSearchResultSerializer
    queryset = Profile.objects.none()  # for the schema; results come from selectors.profiles_search

    @extend_schema(
        # The query serializer that validates them documents them, so both say the same.
        parameters=[
            s.ProfileSearchQuerySerializer,
            OpenApiParameter("page", {"type": "integer", "minimum": 1}),
            OpenApiParameter("page_size", {"type": "integer", "minimum": 1, "maximum": 100}),
        ],
        responses={200: s.ProfileSearchResultSerializer(many=True)},
    )
    @error_statuses(404)  # a page past the last
    def get(self, request):
        criteria = search_criteria(request.query_params)
        result = selectors.profiles_search(viewer=request.user, criteria=criteria)
        page = self.paginate_queryset(result.ids)
        profiles = result.profiles(page, request.user)
        return self.get_paginated_response(self.get_serializer(profiles, many=True).data)


def search_criteria(params) -> selectors.SearchCriteria:
    """Validate search query parameters (400 with field errors) into ``SearchCriteria``."""
    data = {key: params.get(key) for key in params if key != "skill"}
    data["skill"] = [name for name in params.getlist("skill") if name.strip()]
    query = s.ProfileSearchQuerySerializer(data=data)
    query.is_valid(raise_exception=True)
    values = query.validated_data
    skills, unknown = selectors.skills_lookup(values.get("skill", []))
    criteria = selectors.SearchCriteria(
        skills=skills,
        unknown_skills=unknown,
        level=values.get("level", ""),
        looking_for_team=values.get("looking_for_team"),
        min_availability=values.get("min_availability"),
        overlap_with=values.get("overlap_with", ""),
        min_overlap_hours=values.get("min_overlap_hours"),
        name=values.get("name", ""),
    )
    if "overlap_start" in values:
        criteria.overlap_start = values["overlap_start"]
    if "overlap_end" in values:
        criteria.overlap_end = values["overlap_end"]
    return criteria
