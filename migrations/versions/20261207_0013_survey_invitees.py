"""Survey invitees: the people a project served (who raised or supported one of its needs, or
volunteered on it), invited to its satisfaction survey when the evaluation opens; once per
person and survey, found by person for "my surveys".

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 16:05:12.418270

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_invitees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('submitted', 'supported', 'served', name='invite_reason', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_invitees_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_survey_invitees_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invitees')),
    sa.UniqueConstraint('survey_id', 'user_id', name='uq_survey_invitees_once')
    )
    with op.batch_alter_table('survey_invitees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_invitees_survey_id'), ['survey_id'], unique=False)
        batch_op.create_index('ix_survey_invitees_user', ['user_id', 'survey_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_invitees', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_invitees_user')
        batch_op.drop_index(batch_op.f('ix_survey_invitees_survey_id'))

    op.drop_table('survey_invitees')
