from django.db import migrations, models


def first_version(apps, schema_editor):
    # The one row the counter lives in (dieuhanh.dashboard.datacache): written by UPDATE only, never created late.
    apps.get_model("dashboard", "DataVersion").objects.create(pk=1, value=0)


class Migration(migrations.Migration):

    dependencies = [
        ("dashboard", "0003_verbose_names_vi"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "data version"},
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
