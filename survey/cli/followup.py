"""`purge-contacts` and `check-alerts`: run by systemd timers (deploy/)."""

import click

from survey.followup import alerts, purge


@click.command("purge-contacts")
def purge_contacts() -> None:
    """Purge contact details of closed cases (after the agency's delay) and
    of contacts past CONTACT_MAX_AGE_DAYS; cases and answers stay."""
    done = purge.purge_due()
    for item in done:
        click.echo(f"contact {item.contact_id}\tcase {item.case_id or '-'}\t{item.reason}")
    click.echo(f"Đã xóa thông tin liên hệ của {len(done)} người dân.", err=True)


@click.command("check-alerts")
def check_alerts() -> None:
    """Look for dissatisfaction spikes now and email alerts not yet sent."""
    found = alerts.check_all()
    sent = alerts.send_pending()
    click.echo(f"Cảnh báo mới: {len(found)}; email đã gửi: {sent}.")
