"""Volunteers sign up on projects: one sign-up per person and project (signed up, checked in by the
lead unit or by scanning its code of the day, withdrawn), and the hours each served, once a day per
sign-up, recorded by the lead unit (0 < hours <= 24) for the unit's and the team's figures.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 14:48:46.151417

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('volunteer_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('signed_up', 'checked_in', 'withdrawn', name='signup_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
    sa.Column('check_in_method', sa.Enum('tick', 'scan', name='check_in_method', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hours_total', sa.Numeric(precision=8, scale=1), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.CheckConstraint("(status = 'checked_in') = (checked_in_at IS NOT NULL)", name=op.f('ck_volunteer_signups_checked_in_when_checked_in')),
    sa.CheckConstraint("(status = 'withdrawn') = (withdrawn_at IS NOT NULL)", name=op.f('ck_volunteer_signups_withdrawn_when_withdrawn')),
    sa.CheckConstraint('hours_total >= 0', name=op.f('ck_volunteer_signups_hours_total_positive')),
    sa.ForeignKeyConstraint(['checked_in_by_id'], ['users.id'], name=op.f('fk_volunteer_signups_checked_in_by_id_users')),
    sa.ForeignKeyConstraint(['profile_id'], ['volunteer_profiles.id'], name=op.f('fk_volunteer_signups_profile_id_volunteer_profiles')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_volunteer_signups_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_signups')),
    sa.UniqueConstraint('project_id', 'profile_id', name='uq_volunteer_signups_once')
    )
    with op.batch_alter_table('volunteer_signups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_signups_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_signups_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_volunteer_signups_project_status', ['project_id', 'status'], unique=False)

    op.create_table('volunteer_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signup_id', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=4, scale=1), nullable=False),
    sa.Column('served_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.CheckConstraint('hours > 0 AND hours <= 24', name=op.f('ck_volunteer_hours_hours_of_a_day')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_volunteer_hours_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['signup_id'], ['volunteer_signups.id'], name=op.f('fk_volunteer_hours_signup_id_volunteer_signups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['volunteer_teams.id'], name=op.f('fk_volunteer_hours_team_id_volunteer_teams')),
    sa.ForeignKeyConstraint(['unit_id'], ['member_units.id'], name=op.f('fk_volunteer_hours_unit_id_member_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_hours')),
    sa.UniqueConstraint('signup_id', 'served_on', name='uq_volunteer_hours_once_a_day')
    )
    with op.batch_alter_table('volunteer_hours', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_hours_signup_id'), ['signup_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_hours_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_hours_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('volunteer_hours', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_hours_unit_id'))
        batch_op.drop_index(batch_op.f('ix_volunteer_hours_team_id'))
        batch_op.drop_index(batch_op.f('ix_volunteer_hours_signup_id'))

    op.drop_table('volunteer_hours')
    with op.batch_alter_table('volunteer_signups', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteer_signups_project_status')
        batch_op.drop_index(batch_op.f('ix_volunteer_signups_project_id'))
        batch_op.drop_index(batch_op.f('ix_volunteer_signups_profile_id'))

    op.drop_table('volunteer_signups')
