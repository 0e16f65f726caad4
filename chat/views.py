"""Chat pages. Everything works without JavaScript: history is rendered on the server and
the forms post here, where the answer is written before the redirect (the non-streaming
path). ``static/js/chat.js`` upgrades the page to stream over the WebSocket."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from chat import selectors, services
from chat.generation import generation_run_blocking, generation_start_blocking, generation_stop_blocking
from config.errors import DomainError, NotFound

SIDEBAR_LIMIT = 30


def _conversation(request, pk: int):
    try:
        return selectors.conversation_for(user=request.user, conversation_id=pk)
    except NotFound:
        raise Http404("Conversation not found.") from None


def _sidebar(request) -> dict:
    q = request.GET.get("q", "").strip()
    active = list(selectors.conversations_for(request.user, archived=False)[: SIDEBAR_LIMIT * 2])
    return {
        "q": q,
        "results": list(selectors.conversations_for(request.user, archived=None, q=q)[:SIDEBAR_LIMIT])
        if q
        else None,
        "pinned": [c for c in active if c.pinned],
        "recent": [c for c in active if not c.pinned][:SIDEBAR_LIMIT],
        "archived": list(selectors.conversations_for(request.user, archived=True)[:SIDEBAR_LIMIT]),
    }


def _pickers(request) -> dict:
    from agents.selectors import agents_available_to
    from projects.models import Project

    return {
        "agents": [a for a in agents_available_to(request.user) if a.is_active],
        "projects": Project.objects.filter(memberships__user=request.user).order_by("name"),
    }


@login_required
def index(request):
    """A new chat: type at once. Nothing is written until the first message is sent
    (``new``); ``?agent=<id>&project=<slug>`` preselects who answers."""
    return _index(request)


def _index(request, *, content: str = "", status: int = 200):
    pickers = _pickers(request)
    source = request.POST if request.method == "POST" else request.GET
    chosen_agent = str(source.get("agent", ""))
    if not any(str(a.pk) == chosen_agent for a in pickers["agents"]):
        chosen_agent = next((str(a.pk) for a in pickers["agents"] if a.slug == "assistant"), "")
    context = {
        **_sidebar(request),
        **pickers,
        "chosen_agent": chosen_agent,
        "chosen_project": source.get("project", ""),
        "content": content,
    }
    return render(request, "chat/index.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    """POST: start a conversation with its first message and open it. With ``stream=1``
    (the page's script, which follows the answer over the socket) the answer is written in
    the background; otherwise it is written before the redirect, as every plain form post.
    GET (old links ``/chat/new/?agent=…``) writes nothing: it opens the new-chat page."""
    if request.method == "GET":
        query = request.GET.urlencode()
        return redirect(reverse("chat:index") + (f"?{query}" if query else ""))
    content = request.POST.get("content", "")
    try:
        exchange = services.conversation_start(
            user=request.user,
            content=content,
            agent_id=request.POST.get("agent") or None,
            project=request.POST.get("project") or None,
        )
    except DomainError as error:
        messages.error(request, error.detail)
        return _index(request, content=content, status=error.status_code)
    conversation_id = exchange.assistant_message.conversation_id
    if request.POST.get("stream") == "1":
        generation_start_blocking(conversation_id=conversation_id, message_id=exchange.assistant_message.pk)
        return redirect(reverse("chat:detail", args=[conversation_id]))
    generation_run_blocking(conversation_id=conversation_id, message_id=exchange.assistant_message.pk)
    return redirect(
        reverse("chat:detail", args=[conversation_id]) + f"#message-{exchange.assistant_message.pk}"
    )


@login_required
def detail(request, pk: int):
    conversation = _conversation(request, pk)
    branch = list(selectors.active_branch(conversation))
    siblings = selectors.sibling_counts(branch)
    rows = []
    for m in branch:
        versions = siblings.get(m.pk, [m.pk])
        index = versions.index(m.pk)
        rows.append(
            {
                "message": m,
                "version": index + 1,
                "versions": len(versions),
                "previous": versions[index - 1] if index > 0 else None,
                "next": versions[index + 1] if index + 1 < len(versions) else None,
            }
        )
    return render(
        request,
        "chat/detail.html",
        {
            "conversation": conversation,
            "rows": rows,
            "streaming": any(m.status == "streaming" for m in branch),
            **_sidebar(request),
            **_pickers(request),
        },
    )


def _answer(request, conversation, start):
    """Run ``start()`` (a service making an exchange), write the answer, back to the page."""
    try:
        exchange = start()
    except DomainError as error:
        messages.error(request, error.detail)
        return redirect(conversation)
    generation_run_blocking(conversation_id=conversation.pk, message_id=exchange.assistant_message.pk)
    return redirect(f"{conversation.get_absolute_url()}#message-{exchange.assistant_message.pk}")


@login_required
@require_POST
def send(request, pk: int):
    conversation = _conversation(request, pk)
    content = request.POST.get("content", "")
    return _answer(
        request,
        conversation,
        lambda: services.message_send(user=request.user, conversation=conversation, content=content),
    )


@login_required
@require_POST
def regenerate(request, pk: int, message_id: int):
    conversation = _conversation(request, pk)
    return _answer(
        request,
        conversation,
        lambda: services.message_regenerate(
            user=request.user, conversation=conversation, message_id=message_id
        ),
    )


@login_required
@require_POST
def edit(request, pk: int, message_id: int):
    conversation = _conversation(request, pk)
    content = request.POST.get("content", "")
    return _answer(
        request,
        conversation,
        lambda: services.message_edit(
            user=request.user, conversation=conversation, message_id=message_id, content=content
        ),
    )


@login_required
@require_POST
def stop(request, pk: int):
    conversation = _conversation(request, pk)
    generation_stop_blocking(conversation_id=conversation.pk)
    return redirect(conversation)


@login_required
@require_POST
def update(request, pk: int):
    """Rename, pin/unpin, archive/unarchive (whichever fields the form posts)."""
    conversation = _conversation(request, pk)
    flags = {}
    for name in ("pinned", "archived"):
        if name in request.POST:
            flags[name] = request.POST[name] in ("1", "true", "on")
    title = request.POST.get("title")
    services.conversation_update(conversation=conversation, title=title, **flags)
    next_url = request.POST.get("next", "")
    if not next_url.startswith(reverse("chat:index")):
        next_url = conversation.get_absolute_url()
    return redirect(next_url)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk: int):
    """GET asks for confirmation (the page a script turns into a dialog); POST deletes."""
    conversation = _conversation(request, pk)
    if request.method == "GET":
        return render(request, "chat/delete.html", {"conversation": conversation, **_sidebar(request)})
    generation_stop_blocking(conversation_id=conversation.pk)
    services.conversation_delete(conversation=conversation)
    messages.success(request, "Conversation deleted.")
    return redirect("chat:index")


@login_required
@require_POST
def show_version(request, pk: int, message_id: int):
    """The previous/next version switcher: show the branch through another version of a message."""
    conversation = _conversation(request, pk)
    try:
        services.conversation_version_show(
            user=request.user, conversation=conversation, message_id=message_id
        )
    except NotFound:
        raise Http404("Message not found.") from None
    except DomainError as error:
        messages.error(request, error.detail)
    return redirect(f"{conversation.get_absolute_url()}#message-{message_id}")
