"""``{% document_link document %}``: an approval document's number (文号), linked to the document's page.

Every page that cites a document shows its number through this one tag, so that a reader goes from the number to
the document itself (``portal.documents``: what it is, its file, what was done under it). The link is shown to
those the page lets in (a role, or a superuser); without a request (an e-mail, a file) and on printouts
(``plain=True``) the number is plain text.
"""
from django import template
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from institutions.models import ApprovalDocument
from portal.nav import RoleGuard

register = template.Library()


def may_view_documents(request) -> bool:
    """Whether ``request``'s user may open a document's admin page (the admin's own answer, no rule of ours)."""
    if request is None or not admin.site.is_registered(ApprovalDocument):
        return False
    return admin.site.has_permission(request) and admin.site.get_model_admin(ApprovalDocument).has_view_permission(
        request)


@register.simple_tag(takes_context=True)
def document_link(context, document: ApprovalDocument | None, plain: bool = False) -> str:
    """The document's number, as a link to its page for a user who may open it; nothing for no document."""
    if document is None:
        return ""
    request = context.get("request")
    if plain or request is None or not RoleGuard().allows(request):
        return document.number
    url = reverse("portal:document", args=[document.pk])
    return format_html('<a class="document-link" href="{}" title="{}">{}</a>', url, document.title, document.number)
