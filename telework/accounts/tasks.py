"""Background work for accounts. Tasks take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from telework.accounts.services import activation_emails_send


@shared_task(name="accounts.send_activation_links")
def send_activation_links(user_ids: list[int], base_url: str) -> int:
    """E-mail the activation links HR chose to send (``activation_links_send``); accounts activated meanwhile are
    skipped, so a retry after a partial failure re-sends only to those still waiting (with fresh links)."""
    return activation_emails_send(user_ids, base_url)
