"""Command-line interface: `flask --app wsgi <command>`. Names are contracts."""

from flask import Flask


def register(app: Flask) -> None:
    from survey.cli import (
        backup,
        data,
        evidence,
        followup,
        integrity,
        points,
        posters,
        rollups,
        tokens,
        users,
    )

    commands = (
        data.seed_demo,
        data.import_group,
        users.create_user,
        points.points_group,
        tokens.token_group,
        integrity.seal_command,
        integrity.verify_integrity_command,
        followup.purge_contacts,
        followup.check_alerts,
        posters.posters,
        rollups.rollups_group,
        evidence.evidence_pack_command,
        evidence.verify_pack_command,
        backup.backup_command,
        backup.restore_command,
    )
    for command in commands:
        app.cli.add_command(command)
