from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [
        ("dialogue", "0008_survivor_specialist"),
    ]

    operations = [
        migrations.CreateModel(
            name="EarlierKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("box_public_key", models.BinaryField(max_length=32)),
                ("signing_public_key", models.BinaryField(max_length=32)),
                (
                    "participant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="earlier_keys",
                        to="dialogue.participant",
                    ),
                ),
            ],
        ),
    ]
