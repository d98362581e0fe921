from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("content_app", "0005_safety_model_review_backfill")]

    operations = [
        migrations.AddConstraint(
            model_name='anatomystructure',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('reviewed_at__isnull', False), ('reviewer_role__in', ['clinical', 'editorial']), models.Q(('reviewer_name', ''), _negated=True)), models.Q(('reviewed_at__isnull', True), ('reviewer_name', ''), ('reviewer_role', '')), _connector='OR'), name='anatomy_review_whole'),
        ),
        migrations.AddConstraint(
            model_name='cause',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('reviewed_at__isnull', False), ('reviewer_role__in', ['clinical', 'editorial']), models.Q(('reviewer_name', ''), _negated=True)), models.Q(('reviewed_at__isnull', True), ('reviewer_name', ''), ('reviewer_role', '')), _connector='OR'), name='cause_review_whole'),
        ),
        migrations.AddConstraint(
            model_name='exercise',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('reviewed_at__isnull', False), ('reviewer_role__in', ['clinical', 'editorial']), models.Q(('reviewer_name', ''), _negated=True)), models.Q(('reviewed_at__isnull', True), ('reviewer_name', ''), ('reviewer_role', '')), _connector='OR'), name='exercise_review_whole'),
        ),
        migrations.AddConstraint(
            model_name='redflag',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('reviewed_at__isnull', False), ('reviewer_role__in', ['clinical', 'editorial']), models.Q(('reviewer_name', ''), _negated=True)), models.Q(('reviewed_at__isnull', True), ('reviewer_name', ''), ('reviewer_role', '')), _connector='OR'), name='redflag_review_whole'),
        ),
        migrations.AddConstraint(
            model_name='riskfactor',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('reviewed_at__isnull', False), ('reviewer_role__in', ['clinical', 'editorial']), models.Q(('reviewer_name', ''), _negated=True)), models.Q(('reviewed_at__isnull', True), ('reviewer_name', ''), ('reviewer_role', '')), _connector='OR'), name='riskfactor_review_whole'),
        ),
        migrations.AddConstraint(
            model_name='treatment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('reviewed_at__isnull', False), ('reviewer_role__in', ['clinical', 'editorial']), models.Q(('reviewer_name', ''), _negated=True)), models.Q(('reviewed_at__isnull', True), ('reviewer_name', ''), ('reviewer_role', '')), _connector='OR'), name='treatment_review_whole'),
        ),
        migrations.AddConstraint(
            model_name='symptom',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('reviewed_at__isnull', False), ('reviewer_role__in', ['clinical', 'editorial']), models.Q(('reviewer_name', ''), _negated=True)), models.Q(('reviewed_at__isnull', True), ('reviewer_name', ''), ('reviewer_role', '')), _connector='OR'), name='symptom_review_whole'),
        ),
    ]
