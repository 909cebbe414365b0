"""The city/district workflow, moved here from positions: its tables keep their ``positions_`` names."""

import core.constraints
import core.dates
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ['hiringplan', 'hiringplanline', 'loancase', 'loanreturn', 'loanreturnoffer', 'quotausenotice', 'requestevent', 'staffmovement', 'turnoverloan', 'workflowpolicy']


def rename_content_types(apps, schema_editor):
    """The moved models keep their rows, permissions and grants: their content types change app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label='positions', model__in=MOVED).update(app_label='workflow')


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label='workflow', model__in=MOVED).update(app_label='positions')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('institutions', '0003_date_bounds'),
        ('positions', '0007_workflow_and_notices_moved_out'),
        ('quotas', '0006_allocation_moved_to_its_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are: only Django's picture of which app holds them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LoanCase',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=40, unique=True, verbose_name='code')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('is_active', models.BooleanField(default=True, verbose_name='allowed')),
                        ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                    ],
                    options={
                        'verbose_name': 'loan case',
                        'verbose_name_plural': 'loan cases',
                        'db_table': 'positions_loancase',
                        'ordering': ('sort_order', 'code'),
                    },
                ),
                migrations.CreateModel(
                    name='WorkflowPolicy',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('notice_office_code', models.CharField(default='哈编核', help_text='机关代字 of quota-use notices, numbered like 哈编核〔2026〕12号.', max_length=20, verbose_name='notice office code')),
                        ('notice_validity_days', models.PositiveIntegerField(default=180, help_text='How long an issued quota-use notice reserves its quotas.', validators=[django.core.validators.MinValueValidator(1)], verbose_name='notice validity (days)')),
                        ('notice_checks_posts', models.BooleanField(default=True, help_text='When the unit has a position plan and a staff count, a notice may not exceed the posts of its category that lack staff.', verbose_name='notices check posts by category')),
                        ('loan_max_term_months', models.PositiveIntegerField(default=36, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)], verbose_name='longest loan term (months)')),
                        ('loan_refused_with_vacancy', models.BooleanField(default=True, verbose_name='a unit with usable vacancies may not borrow')),
                        ('loan_within_expected_leavers', models.BooleanField(default=True, verbose_name='borrow no more than the leavers expected within the term')),
                        ('due_soon_days', models.PositiveIntegerField(default=90, help_text='The inbox lists loans due within this many days.', verbose_name='loans due soon (days)')),
                        ('expiring_soon_days', models.PositiveIntegerField(default=30, help_text='The inbox lists notices whose validity ends within this many days.', verbose_name='notices expiring soon (days)')),
                    ],
                    options={
                        'verbose_name': 'workflow policy',
                        'verbose_name_plural': 'workflow policy',
                        'db_table': 'positions_workflowpolicy',
                    },
                ),
                migrations.CreateModel(
                    name='HiringPlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('executed', 'Executed'), ('withdrawn', 'Withdrawn'), ('expired', 'Expired')], db_index=True, default='draft', editable=False, max_length=20, verbose_name='state')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('submitted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='submitted at')),
                        ('decided_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='decided at')),
                        ('decision_note', models.TextField(blank=True, editable=False, help_text="The city office's review with its decision; the reason of a rejection.", verbose_name="office's review")),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), core.dates.validate_year], verbose_name='year')),
                        ('expected_leavers', models.PositiveIntegerField(default=0, help_text='Staff expected to leave quota during the year (retirement, transfer out, …): what a unit at quota may replace one for one (出一进一).', verbose_name='expected leavers')),
                        ('supervisor_opinion', models.TextField(blank=True, verbose_name="supervising agency's opinion")),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('decided_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('document', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='institutions.approvaldocument', verbose_name='approval document')),
                        ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='hiring_plans', to='institutions.institution', verbose_name='institution')),
                    ],
                    options={
                        'verbose_name': 'hiring plan',
                        'verbose_name_plural': 'hiring plans',
                        'db_table': 'positions_hiringplan',
                        'ordering': ('-year', 'institution'),
                    },
                ),
                migrations.CreateModel(
                    name='HiringPlanLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('category', models.CharField(choices=[('professional', 'professional-technical'), ('management', 'management'), ('worker', 'worker-skill')], max_length=20, verbose_name='post category')),
                        ('count', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='planned entrants')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='workflow.hiringplan', verbose_name='plan')),
                        ('quota_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='quotas.quotatype', verbose_name='quota type')),
                    ],
                    options={
                        'verbose_name': 'hiring plan line',
                        'verbose_name_plural': 'hiring plan lines',
                        'db_table': 'positions_hiringplanline',
                        'ordering': ('plan', 'quota_type__sort_order', 'category'),
                    },
                ),
                migrations.CreateModel(
                    name='LoanReturn',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('early', 'Early or partial return'), ('one_for_one', 'One for one as a person leaves (人走编收)'), ('settlement', 'Settlement of the rest')], max_length=20, verbose_name='kind')),
                        ('count', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='quotas returned')),
                        ('date', models.DateField(verbose_name='date')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                        ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('transfer', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='quotas.quotatransfer', verbose_name='return transfer')),
                    ],
                    options={
                        'verbose_name': 'loan return',
                        'verbose_name_plural': 'loan returns',
                        'db_table': 'positions_loanreturn',
                        'ordering': ('date', 'pk'),
                    },
                ),
                migrations.CreateModel(
                    name='QuotaUseNotice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('executed', 'Executed'), ('withdrawn', 'Withdrawn'), ('expired', 'Expired')], db_index=True, default='draft', editable=False, max_length=20, verbose_name='state')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('submitted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='submitted at')),
                        ('decided_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='decided at')),
                        ('decision_note', models.TextField(blank=True, editable=False, help_text="The city office's review with its decision; the reason of a rejection.", verbose_name="office's review")),
                        ('category', models.CharField(choices=[('professional', 'professional-technical'), ('management', 'management'), ('worker', 'worker-skill')], max_length=20, verbose_name='post category')),
                        ('count', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='quotas requested')),
                        ('taken_up', models.PositiveIntegerField(default=0, editable=False, verbose_name='taken up')),
                        ('supervisor_opinion', models.TextField(blank=True, verbose_name="supervising agency's opinion")),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('office_code', models.CharField(blank=True, editable=False, max_length=20, verbose_name='office code')),
                        ('serial_year', models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name='year')),
                        ('serial', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='serial')),
                        ('number', models.CharField(blank=True, editable=False, max_length=60, null=True, unique=True, verbose_name='notice number')),
                        ('issued_on', models.DateField(blank=True, editable=False, null=True, verbose_name='issued on')),
                        ('valid_until', models.DateField(blank=True, editable=False, null=True, verbose_name='valid until')),
                        ('closed_on', models.DateField(blank=True, editable=False, help_text='The first day the notice no longer reserves quotas (taken up in full, closed or expired).', null=True, verbose_name='closed on')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('decided_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('document', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='institutions.approvaldocument', verbose_name='approval document')),
                        ('hiring_plan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notices', to='workflow.hiringplan', verbose_name='hiring plan')),
                        ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='quota_use_notices', to='institutions.institution', verbose_name='institution')),
                        ('quota_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='quotas.quotatype', verbose_name='quota type')),
                    ],
                    options={
                        'verbose_name': 'quota-use notice',
                        'verbose_name_plural': 'quota-use notices',
                        'db_table': 'positions_quotausenotice',
                        'ordering': ('-created_at', '-pk'),
                    },
                ),
                migrations.CreateModel(
                    name='RequestEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('object_id', models.PositiveBigIntegerField(verbose_name='request id')),
                        ('action', models.CharField(choices=[('create', 'Create'), ('submit', 'Submit'), ('withdraw', 'Withdraw'), ('approve', 'Approve'), ('reject', 'Reject'), ('execute', 'Execute'), ('expire', 'Expire')], max_length=20, verbose_name='action')),
                        ('from_state', models.CharField(blank=True, choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('executed', 'Executed'), ('withdrawn', 'Withdrawn'), ('expired', 'Expired')], max_length=20, verbose_name='from state')),
                        ('to_state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('executed', 'Executed'), ('withdrawn', 'Withdrawn'), ('expired', 'Expired')], max_length=20, verbose_name='to state')),
                        ('at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                        ('reason', models.TextField(blank=True, verbose_name='reason')),
                        ('by', models.ForeignKey(blank=True, help_text='Empty: done by the system (a periodic task).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype', verbose_name='request kind')),
                        ('document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='institutions.approvaldocument', verbose_name='document')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='institutions.region', verbose_name='region')),
                    ],
                    options={
                        'verbose_name': 'request event',
                        'verbose_name_plural': 'request events',
                        'db_table': 'positions_requestevent',
                        'ordering': ('at', 'pk'),
                    },
                ),
                migrations.CreateModel(
                    name='StaffMovement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('entry', 'Entry onto the quota (入编)'), ('exit', 'Exit from the quota (出编)')], max_length=10, verbose_name='kind')),
                        ('reason', models.CharField(choices=[('recruitment', 'Open recruitment'), ('transfer_in', 'Transfer in'), ('placement', 'Placement'), ('retirement', 'Retirement'), ('transfer_out', 'Transfer out'), ('resignation', 'Resignation'), ('dismissal', 'Dismissal'), ('death', 'Death')], max_length=20, verbose_name='reason')),
                        ('category', models.CharField(choices=[('professional', 'professional-technical'), ('management', 'management'), ('worker', 'worker-skill')], max_length=20, verbose_name='post category')),
                        ('band', models.CharField(blank=True, choices=[('senior_full', 'senior (full)'), ('senior_deputy', 'senior (deputy)'), ('intermediate', 'intermediate'), ('junior', 'junior')], help_text='For professional-technical staff: the band the person is counted in.', max_length=20, verbose_name='professional band')),
                        ('count', models.PositiveIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1)], verbose_name='people')),
                        ('date', models.DateField(validators=[core.dates.DateBounds(ahead_days=0)], verbose_name='date')),
                        ('person_name', models.CharField(blank=True, max_length=100, verbose_name='name')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='staff_movements', to='institutions.institution', verbose_name='institution')),
                        ('notice', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='workflow.quotausenotice', verbose_name='quota-use notice')),
                        ('staff_count', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='positions.staffcount', verbose_name='staff count written')),
                    ],
                    options={
                        'verbose_name': 'staff movement',
                        'verbose_name_plural': 'staff movements',
                        'db_table': 'positions_staffmovement',
                        'ordering': ('-date', '-pk'),
                    },
                ),
                migrations.CreateModel(
                    name='TurnoverLoan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('executed', 'Executed'), ('withdrawn', 'Withdrawn'), ('expired', 'Expired')], db_index=True, default='draft', editable=False, max_length=20, verbose_name='state')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('submitted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='submitted at')),
                        ('decided_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='decided at')),
                        ('decision_note', models.TextField(blank=True, editable=False, help_text="The city office's review with its decision; the reason of a rejection.", verbose_name="office's review")),
                        ('count', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='quotas borrowed')),
                        ('talent_category', models.CharField(choices=[('high_level', 'High-level talent'), ('scarce_professional', 'Scarce professional-technical talent'), ('graduate', 'Selected graduates'), ('skilled', 'Highly skilled talent'), ('other', 'Other')], max_length=30, verbose_name='talent category')),
                        ('term_months', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='term (months)')),
                        ('return_plan', models.JSONField(blank=True, default=list, help_text='Expected leavers by date: a list of {"date": "YYYY-MM-DD", "count": n}.', verbose_name='return plan')),
                        ('justification', models.TextField(blank=True, verbose_name='justification')),
                        ('start_date', models.DateField(blank=True, editable=False, null=True, verbose_name='lent on')),
                        ('due_date', models.DateField(blank=True, editable=False, null=True, verbose_name='due on')),
                        ('returned', models.PositiveIntegerField(default=0, editable=False, verbose_name='returned')),
                        ('is_overdue', models.BooleanField(default=False, editable=False, verbose_name='overdue')),
                        ('overdue_flagged_on', models.DateField(blank=True, editable=False, null=True, verbose_name='flagged overdue on')),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='loans', to='workflow.loancase', verbose_name='case')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('decided_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('document', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='institutions.approvaldocument', verbose_name='approval document')),
                        ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='turnover_loans', to='institutions.institution', verbose_name='borrowing unit')),
                        ('loan_transfer', models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='quotas.quotatransfer', verbose_name='loan transfer')),
                        ('pool', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='turnover_loans', to='quotas.quotaaccount', verbose_name='turnover pool')),
                    ],
                    options={
                        'verbose_name': 'turnover-pool loan',
                        'verbose_name_plural': 'turnover-pool loans',
                        'db_table': 'positions_turnoverloan',
                        'ordering': ('-created_at', '-pk'),
                    },
                ),
                migrations.CreateModel(
                    name='LoanReturnOffer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('count', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='quotas offered')),
                        ('state', models.CharField(choices=[('pending', 'Pending'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('lapsed', 'Lapsed')], default='pending', max_length=20, verbose_name='state')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('reason', models.TextField(blank=True, verbose_name='reason')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='offered at')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('loan_return', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='offer', to='workflow.loanreturn', verbose_name='return')),
                        ('movement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='return_offers', to='workflow.staffmovement', verbose_name='exit')),
                        ('loan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='offers', to='workflow.turnoverloan', verbose_name='loan')),
                    ],
                    options={
                        'verbose_name': 'return offer (人走编收)',
                        'verbose_name_plural': 'return offers (人走编收)',
                        'db_table': 'positions_loanreturnoffer',
                        'ordering': ('-created_at', '-pk'),
                    },
                ),
                migrations.AddField(
                    model_name='loanreturn',
                    name='loan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='returns', to='workflow.turnoverloan', verbose_name='loan'),
                ),
                migrations.AddConstraint(
                    model_name='hiringplan',
                    constraint=core.constraints.FieldUniqueConstraint(condition=models.Q(('status__in', ['draft', 'submitted', 'approved', 'executed'])), error_field='year', fields=('institution', 'year'), name='hiring_plan_one_per_unit_and_year', violation_error_message='This unit already has a hiring plan for this year.'),
                ),
                migrations.AddConstraint(
                    model_name='hiringplanline',
                    constraint=core.constraints.FieldUniqueConstraint(error_field='category', fields=('plan', 'quota_type', 'category'), name='hiring_line_unique', violation_error_message='The plan has a line for this quota type and category already.'),
                ),
                migrations.AddConstraint(
                    model_name='hiringplanline',
                    constraint=core.constraints.FieldCheckConstraint(condition=models.Q(('count__gte', 1)), error_field='count', name='hiring_line_count_positive', violation_error_message='A line plans at least one entrant.'),
                ),
                migrations.AddIndex(
                    model_name='quotausenotice',
                    index=models.Index(fields=['institution', 'quota_type', 'status'], name='notice_unit_type_state'),
                ),
                migrations.AddConstraint(
                    model_name='quotausenotice',
                    constraint=core.constraints.FieldCheckConstraint(condition=models.Q(('count__gte', 1)), error_field='count', name='quota_notice_count_positive', violation_error_message='A notice covers at least one quota.'),
                ),
                migrations.AddConstraint(
                    model_name='quotausenotice',
                    constraint=core.constraints.FieldCheckConstraint(condition=models.Q(('taken_up__lte', models.F('count'))), error_field='count', name='quota_notice_taken_within_count', violation_error_message='A notice cannot be taken up beyond its count.'),
                ),
                migrations.AddConstraint(
                    model_name='quotausenotice',
                    constraint=core.constraints.FieldUniqueConstraint(condition=models.Q(('serial__isnull', False)), error_field='serial', fields=('office_code', 'serial_year', 'serial'), name='quota_notice_number_unique', violation_error_message='A notice with this number already exists.'),
                ),
                migrations.AddIndex(
                    model_name='requestevent',
                    index=models.Index(fields=['content_type', 'object_id'], name='request_event_request'),
                ),
                migrations.AddIndex(
                    model_name='staffmovement',
                    index=models.Index(fields=['date', 'institution'], name='movement_date_unit'),
                ),
                migrations.AddConstraint(
                    model_name='staffmovement',
                    constraint=core.constraints.FieldCheckConstraint(condition=models.Q(('count__gte', 1)), error_field='count', name='movement_count_positive', violation_error_message='A movement concerns at least one person.'),
                ),
                migrations.AddConstraint(
                    model_name='staffmovement',
                    constraint=core.constraints.FieldCheckConstraint(condition=models.Q(('kind', 'exit'), ('notice__isnull', False), _connector='OR'), error_field='notice', name='entry_has_notice', violation_error_message='An entry onto the quota needs its quota-use notice.'),
                ),
                migrations.AddConstraint(
                    model_name='staffmovement',
                    constraint=core.constraints.FieldCheckConstraint(condition=models.Q(models.Q(('kind', 'entry'), ('reason__in', ('recruitment', 'transfer_in', 'placement'))), models.Q(('kind', 'exit'), ('reason__in', ('retirement', 'transfer_out', 'resignation', 'dismissal', 'death'))), _connector='OR'), error_field='reason', name='movement_reason_fits_kind', violation_error_message='This reason does not fit the kind of movement.'),
                ),
                migrations.AddConstraint(
                    model_name='staffmovement',
                    constraint=core.constraints.FieldCheckConstraint(condition=models.Q(models.Q(('band__gt', ''), ('category', 'professional')), models.Q(models.Q(('category', 'professional'), _negated=True), ('band', '')), _connector='OR'), error_field='band', name='movement_band_iff_professional', violation_error_message='Professional-technical staff are counted in a band; other staff are not.'),
                ),
                migrations.AddIndex(
                    model_name='turnoverloan',
                    index=models.Index(fields=['status', 'due_date'], name='loan_state_due'),
                ),
                migrations.AddConstraint(
                    model_name='turnoverloan',
                    constraint=core.constraints.FieldCheckConstraint(condition=models.Q(('count__gte', 1)), error_field='count', name='loan_count_positive', violation_error_message='A loan is of at least one quota.'),
                ),
                migrations.AddConstraint(
                    model_name='turnoverloan',
                    constraint=core.constraints.FieldCheckConstraint(condition=models.Q(('returned__lte', models.F('count'))), error_field='count', name='loan_returned_within_count', violation_error_message='More cannot come back than was lent.'),
                ),
                migrations.AddConstraint(
                    model_name='turnoverloan',
                    constraint=core.constraints.FieldCheckConstraint(condition=models.Q(('term_months__gte', 1)), error_field='term_months', name='loan_term_positive', violation_error_message='The term is at least one month.'),
                ),
                migrations.AddConstraint(
                    model_name='loanreturnoffer',
                    constraint=core.constraints.FieldCheckConstraint(condition=models.Q(('count__gte', 1)), error_field='count', name='offer_count_positive', violation_error_message='An offer is of at least one quota.'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
