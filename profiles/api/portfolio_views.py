"""The portfolio API: the signed-in user's experiences and case studies (CRUD under
``profiles/me/``), and anyone's, read-only, under ``profiles/<username>/`` as far as the
profile's visibility allows (hidden: 404)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.openapi import error_statuses
from config.errors import NotFound
from profiles import portfolio, selectors, services
from profiles.api import portfolio_serializers as s
from profiles.api.serializers import ProfileSerializer
from profiles.models import CaseStudy, Experience, Profile
from profiles.permissions import profile_access
from profiles.services import images as image_services


def _my_profile(request) -> Profile:
    profile = selectors.profile_of(request.user)
    if profile is None:
        raise NotFound("You have no profile yet; create it with POST profiles/me.")
    return profile


def _visible_profile(request, username: str) -> Profile:
    profile = selectors.profile_for_viewer(username=username, viewer=request.user)
    profile_access(request.user, profile).ensure_view()
    return profile


class MyExperienceListView(generics.ListCreateAPIView):
    """Your work history, newest first (current roles first)."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.ExperienceSerializer
    queryset = Experience.objects.none()

    def get_queryset(self):
        return portfolio.experiences_of_user(self.request.user)

    @extend_schema(request=s.ExperienceWriteSerializer, responses={201: s.ExperienceSerializer})
    def post(self, request):
        data = s.ExperienceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        experience = services.experience_create(profile=_my_profile(request), data=data.validated_data)
        experience = portfolio.experience_of_owner(user=request.user, pk=experience.pk)
        return Response(s.ExperienceSerializer(experience).data, status=status.HTTP_201_CREATED)


class MyExperienceDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: s.ExperienceSerializer})
    def get(self, request, pk: int):
        return Response(s.ExperienceSerializer(portfolio.experience_of_owner(user=request.user, pk=pk)).data)

    @extend_schema(request=s.ExperienceWriteSerializer, responses={200: s.ExperienceSerializer})
    def patch(self, request, pk: int):
        experience = portfolio.experience_of_owner(user=request.user, pk=pk)
        data = s.ExperienceWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.experience_update(experience=experience, data=data.validated_data)
        experience = portfolio.experience_of_owner(user=request.user, pk=pk)
        return Response(s.ExperienceSerializer(experience).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.experience_delete(experience=portfolio.experience_of_owner(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyCaseStudyListView(generics.ListCreateAPIView):
    """Your case studies, in the order the profile shows them."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.CaseStudySerializer
    queryset = CaseStudy.objects.none()

    def get_queryset(self):
        return portfolio.case_studies_of_user(self.request.user)

    @extend_schema(request=s.CaseStudyWriteSerializer, responses={201: s.CaseStudySerializer})
    def post(self, request):
        data = s.CaseStudyWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case_study = services.case_study_create(profile=_my_profile(request), data=data.validated_data)
        case_study = portfolio.case_study_of_owner(user=request.user, pk=case_study.pk)
        return Response(s.CaseStudySerializer(case_study).data, status=status.HTTP_201_CREATED)


class MyCaseStudyDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: s.CaseStudySerializer})
    def get(self, request, pk: int):
        return Response(s.CaseStudySerializer(portfolio.case_study_of_owner(user=request.user, pk=pk)).data)

    @extend_schema(request=s.CaseStudyWriteSerializer, responses={200: s.CaseStudySerializer})
    def patch(self, request, pk: int):
        case_study = portfolio.case_study_of_owner(user=request.user, pk=pk)
        data = s.CaseStudyWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.case_study_update(case_study=case_study, data=data.validated_data)
        case_study = portfolio.case_study_of_owner(user=request.user, pk=pk)
        return Response(s.CaseStudySerializer(case_study).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.case_study_delete(case_study=portfolio.case_study_of_owner(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProfileExperienceListView(generics.ListAPIView):
    """Someone's work history, as far as their profile's visibility allows (hidden: 404)."""

    permission_classes = [AllowAny]
    serializer_class = s.ExperienceSerializer
    queryset = Experience.objects.none()

    @error_statuses(404)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return portfolio.experiences_of(_visible_profile(self.request, self.kwargs["username"]))


class ProfileCaseStudyListView(generics.ListAPIView):
    """Someone's case studies, as far as their profile's visibility allows (hidden: 404)."""

    permission_classes = [AllowAny]
    serializer_class = s.CaseStudySerializer
    queryset = CaseStudy.objects.none()

    @error_statuses(404)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return portfolio.case_studies_of(_visible_profile(self.request, self.kwargs["username"]))


class ProfileCaseStudyDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: s.CaseStudySerializer})
    def get(self, request, username: str, pk: int):
        case_study = portfolio.case_study_in(_visible_profile(request, username), pk)
        return Response(s.CaseStudySerializer(case_study).data)


class MyCaseStudyImageListView(APIView):
    """The pictures of one of your case studies (at most 6). POST is multipart/form-data,
    the only kind of body this endpoint reads; the picture is checked by its content,
    resized and re-encoded, its metadata removed."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(responses={200: s.CaseStudyImageSerializer(many=True)})
    def get(self, request, pk: int):
        case_study = portfolio.case_study_of_owner(user=request.user, pk=pk)
        return Response(s.CaseStudyImageSerializer(case_study.images.all(), many=True).data)

    @extend_schema(
        request={"multipart/form-data": s.CaseStudyImageUploadSerializer},
        responses={201: s.CaseStudyImageSerializer},
    )
    @error_statuses(413)
    def post(self, request, pk: int):
        case_study = portfolio.case_study_of_owner(user=request.user, pk=pk)
        data = s.CaseStudyImageUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        image = image_services.case_study_image_add(
            case_study=case_study,
            upload=data.validated_data["image"],
            alt_text=data.validated_data.get("alt_text", ""),
        )
        return Response(s.CaseStudyImageSerializer(image).data, status=status.HTTP_201_CREATED)


class MyCaseStudyImageDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.CaseStudyImageWriteSerializer, responses={200: s.CaseStudyImageSerializer})
    def patch(self, request, case_study_pk: int, pk: int):
        image = portfolio.case_study_image_of_owner(user=request.user, case_study_pk=case_study_pk, pk=pk)
        data = s.CaseStudyImageWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        image = image_services.case_study_image_update(image=image, **data.validated_data)
        return Response(s.CaseStudyImageSerializer(image).data)

    @extend_schema(responses={204: None})
    def delete(self, request, case_study_pk: int, pk: int):
        image = portfolio.case_study_image_of_owner(user=request.user, case_study_pk=case_study_pk, pk=pk)
        image_services.case_study_image_delete(image=image)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyAvatarView(APIView):
    """Your profile picture: POST (multipart/form-data) replaces it with a 256-pixel square
    made from the upload; DELETE goes back to the generated initials."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.AvatarUploadSerializer}, responses={200: ProfileSerializer}
    )
    @error_statuses(404, 413)
    def post(self, request):
        profile = _my_profile(request)
        data = s.AvatarUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        image_services.profile_avatar_set(profile=profile, upload=data.validated_data["image"])
        return Response(ProfileSerializer(selectors.profile_of(request.user)).data)

    @extend_schema(responses={200: ProfileSerializer})
    @error_statuses(404)
    def delete(self, request):
        image_services.profile_avatar_remove(profile=_my_profile(request))
        return Response(ProfileSerializer(selectors.profile_of(request.user)).data)
