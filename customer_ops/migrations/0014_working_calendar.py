"""The working calendar founders run (issue #16): the stored week and version, special periods,
and a note on announced holidays. New tables and a blank-default column: existing rows need nothing.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customer_ops', '0013_ticket_messages_whatsapp'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='holidayoverride',
            name='note',
            field=models.CharField(blank=True, max_length=500, verbose_name='ملاحظة'),
        ),
        migrations.CreateModel(
            name='CalendarPeriod',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='الاسم')),
                ('starts_on', models.DateField(verbose_name='من')),
                ('ends_on', models.DateField(verbose_name='إلى')),
                ('weekdays', models.JSONField(verbose_name='الأيام')),
                ('windows', models.JSONField(verbose_name='الفترات')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='ملاحظة')),
                ('created_at', models.DateTimeField(verbose_name='أنشئت في')),
                ('updated_at', models.DateTimeField(verbose_name='حُدّثت في')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='أضافها')),
            ],
            options={
                'verbose_name': 'فترة خاصة',
                'verbose_name_plural': 'الفترات الخاصة',
                'ordering': ['starts_on', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='calendar_period_ends_after_start')],
            },
        ),
        migrations.CreateModel(
            name='WorkingCalendarState',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('week', models.JSONField(blank=True, null=True, verbose_name='أسبوع العمل')),
                ('version', models.PositiveIntegerField(default=0, verbose_name='الإصدار')),
                ('updated_at', models.DateTimeField(blank=True, null=True, verbose_name='حُدّث في')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='حدّثه')),
            ],
            options={
                'verbose_name': 'تقويم العمل',
                'verbose_name_plural': 'تقويم العمل',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='working_calendar_state_singleton')],
            },
        ),
    ]
