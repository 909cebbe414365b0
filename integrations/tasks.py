"""Celery tasks of the integrations: thin, idempotent, called with ids."""
from celery import shared_task


@shared_task(name="integrations.publish_changes", soft_time_limit=120, time_limit=180)
def publish_changes() -> int:
    """Place committed changes in the feed; send the webhooks (``integrations.services.publish_changes``)."""
    from integrations.services import publish_changes as publish

    return publish()


@shared_task(name="integrations.deliver_webhooks", acks_late=True, soft_time_limit=600, time_limit=660)
def deliver_webhooks(subscription_id: int) -> int:
    """Send one subscription's next events (``integrations.services.webhook_deliver``)."""
    from integrations.services import webhook_deliver

    return webhook_deliver(subscription_id)


def changes_recorded() -> None:
    """The change log's hook (``settings.CHANGE_HOOKS``): place and send soon, off the change's path."""
    publish_changes.delay()
