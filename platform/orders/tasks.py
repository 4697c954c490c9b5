import logging

from django_tenants.utils import get_tenant_model, tenant_context

from ketnoi.celery import app

logger = logging.getLogger(__name__)


@app.task(name="orders.consolidate_round")
def consolidate_round_task(round_id: int) -> None:
    # Runs in the schema of the province that queued it (tenant-schemas-celery).
    from . import services
    from .models import SalesRound

    sales_round = SalesRound.objects.filter(pk=round_id).first()
    if sales_round is None or sales_round.status != SalesRound.Status.CLOSED:
        return
    services.consolidate_round(sales_round=sales_round)


@app.task(name="orders.send_order_message")
def send_order_message_task(order_id: int, kind: str) -> None:
    from .notify import send_order_message

    send_order_message(order_id, kind)


@app.task(name="orders.close_due_rounds")
def close_due_rounds_task() -> None:
    """Beat: close every province's rounds past their closing time."""
    from . import services

    provinces = get_tenant_model().objects.filter(kind="province")
    for province in provinces:
        with tenant_context(province):
            closed = services.close_due_rounds()
        if closed:
            logger.info("Closed rounds %s in %s", closed, province.schema_name)
