from dataclasses import dataclass
from typing import cast

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.tests.factories import UserFactory
from projects.models import Membership, Project, ShareLink
from projects.tests.factories import MembershipFactory, ProjectFactory, ShareLinkFactory


@dataclass
class Team:
    """One project and a person in every relation to it."""

    project: Project
    owner: object
    maintainer: object
    member: object
    stranger: object
    share_link: ShareLink

    def user(self, who: str):
        return AnonymousUser() if who in ("anonymous", "link_holder") else getattr(self, who)


def team_make(visibility: str = Project.Visibility.PUBLIC) -> Team:
    project = cast(
        Project, ProjectFactory(visibility=visibility, owner=UserFactory(username=f"owner-{visibility}"))
    )
    maintainer = MembershipFactory(project=project, role=Membership.Role.MAINTAINER).user
    member = MembershipFactory(project=project, role=Membership.Role.MEMBER).user
    return Team(
        project=project,
        owner=project.owner,
        maintainer=maintainer,
        member=member,
        stranger=UserFactory(),
        share_link=cast(ShareLink, ShareLinkFactory(project=project)),
    )


@pytest.fixture
def team(db):
    return team_make()


@pytest.fixture
def private_team(db):
    return team_make(Project.Visibility.PRIVATE)
