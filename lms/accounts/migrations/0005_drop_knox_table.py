"""Drop the table knox's own migrations made for the AuthToken model our `ApiToken` replaces
(settings: MIGRATION_MODULES = {"knox": None}). It never held a token of ours."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_api_tokens_and_initial_password_sheets")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS knox_authtoken", migrations.RunSQL.noop),
    ]
