"""Volunteers: the "three shows" profile (亮身份、亮特长、亮意愿), the administrator's list of
skills, and the volunteer teams of the residential communities with their Party-member service
points in office buildings (at most two per team, by the slot's CHECK and unique constraint).

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-07 14:40:56.330283

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('volunteer_skills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('name_en', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_skills')),
    sa.UniqueConstraint('code', name=op.f('uq_volunteer_skills_code')),
    sa.UniqueConstraint('name', name=op.f('uq_volunteer_skills_name'))
    )
    op.create_table('volunteer_teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('hours_total', sa.Numeric(precision=12, scale=1), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.CheckConstraint('hours_total >= 0', name=op.f('ck_volunteer_teams_hours_total_positive')),
    sa.ForeignKeyConstraint(['community_id'], ['places.id'], name=op.f('fk_volunteer_teams_community_id_places')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_teams')),
    sa.UniqueConstraint('community_id', name=op.f('uq_volunteer_teams_community_id')),
    sa.UniqueConstraint('name', name=op.f('uq_volunteer_teams_name'))
    )
    op.create_table('volunteer_service_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('building_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.SmallInteger(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.CheckConstraint('slot IN (1, 2)', name=op.f('ck_volunteer_service_points_at_most_two')),
    sa.ForeignKeyConstraint(['building_id'], ['places.id'], name=op.f('fk_volunteer_service_points_building_id_places')),
    sa.ForeignKeyConstraint(['team_id'], ['volunteer_teams.id'], name=op.f('fk_volunteer_service_points_team_id_volunteer_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_service_points')),
    sa.UniqueConstraint('team_id', 'building_id', name='uq_volunteer_service_points_building'),
    sa.UniqueConstraint('team_id', 'slot', name='uq_volunteer_service_points_slot')
    )
    with op.batch_alter_table('volunteer_service_points', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_service_points_building_id'), ['building_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_service_points_team_id'), ['team_id'], unique=False)

    op.create_table('volunteer_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('party_member', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('party_org', sa.String(length=120), nullable=True),
    sa.Column('other_skills', sa.String(length=200), nullable=True),
    sa.Column('willingness', sa.Text(), nullable=False),
    sa.Column('availability', sa.String(length=200), nullable=True),
    sa.Column('public', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('hours_total', sa.Numeric(precision=10, scale=1), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.CheckConstraint('hours_total >= 0', name=op.f('ck_volunteer_profiles_hours_total_positive')),
    sa.CheckConstraint('party_member OR party_org IS NULL', name=op.f('ck_volunteer_profiles_party_org_of_member')),
    sa.ForeignKeyConstraint(['team_id'], ['volunteer_teams.id'], name=op.f('fk_volunteer_profiles_team_id_volunteer_teams')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_volunteer_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_profiles')),
    sa.UniqueConstraint('user_id', name=op.f('uq_volunteer_profiles_user_id'))
    )
    with op.batch_alter_table('volunteer_profiles', schema=None) as batch_op:
        batch_op.create_index('ix_volunteer_profiles_directory', ['public', 'party_member'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_profiles_team_id'), ['team_id'], unique=False)

    op.create_table('volunteer_profile_skills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['volunteer_profiles.id'], name=op.f('fk_volunteer_profile_skills_profile_id_volunteer_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['volunteer_skills.id'], name=op.f('fk_volunteer_profile_skills_skill_id_volunteer_skills')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_profile_skills')),
    sa.UniqueConstraint('profile_id', 'skill_id', name='uq_volunteer_profile_skills_once')
    )
    with op.batch_alter_table('volunteer_profile_skills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_profile_skills_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_profile_skills_skill_id'), ['skill_id'], unique=False)



def downgrade():
    with op.batch_alter_table('volunteer_profile_skills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_profile_skills_skill_id'))
        batch_op.drop_index(batch_op.f('ix_volunteer_profile_skills_profile_id'))

    op.drop_table('volunteer_profile_skills')
    with op.batch_alter_table('volunteer_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_profiles_team_id'))
        batch_op.drop_index('ix_volunteer_profiles_directory')

    op.drop_table('volunteer_profiles')
    with op.batch_alter_table('volunteer_service_points', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_service_points_team_id'))
        batch_op.drop_index(batch_op.f('ix_volunteer_service_points_building_id'))

    op.drop_table('volunteer_service_points')
    op.drop_table('volunteer_teams')
    op.drop_table('volunteer_skills')
