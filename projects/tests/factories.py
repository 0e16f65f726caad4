from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from projects.models import (
    INVITATION_LIFETIME,
    Invitation,
    JoinRequest,
    Membership,
    Milestone,
    Project,
    ShareLink,
    Task,
)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project whose owner is also its owner-member (as ``project_create`` makes it)."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    summary = "A project to build things together."
    description = "## Goal\n\nShip it."
    status = Project.Status.RECRUITING
    visibility = Project.Visibility.PUBLIC

    @factory.post_generation
    def owner_membership(self, create, extracted, **kwargs):
        if create:
            Membership.objects.create(project=self, user=self.owner, role=Membership.Role.OWNER)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    project = factory.SubFactory(ProjectFactory)
    invited_by = factory.LazyAttribute(lambda o: o.project.owner)
    user = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + INVITATION_LIFETIME)


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    message = "I would love to help."


class ShareLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShareLink

    project = factory.SubFactory(ProjectFactory, visibility=Project.Visibility.PRIVATE)
    token = factory.Sequence(lambda n: f"token-{n:04d}-abcdefghijklmnop")
    created_by = factory.LazyAttribute(lambda o: o.project.owner)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    order = factory.Sequence(lambda n: n)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    created_by = factory.LazyAttribute(lambda o: o.project.owner)
