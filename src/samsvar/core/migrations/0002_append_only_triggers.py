from django.db import migrations


def install(apps, schema_editor):
    from samsvar.core import triggers

    triggers.install(schema_editor.connection)
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    if not AuditChainHead.objects.filter(pk=1).exists():
        AuditChainHead.objects.create(pk=1, last_seq=0, last_hash="0" * 64)


def uninstall(apps, schema_editor):
    from samsvar.core import triggers

    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
