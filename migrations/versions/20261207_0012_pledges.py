"""Pledges (承诺、践诺、评诺): a Party-member volunteer's public pledges, tied by a CHECK to their
fulfilment (kept ⇔ a note and a time), the fulfilment's photos, the people who follow a pledge
and their ratings (a score of 1 to 5, once each by the unique constraint), with the rating count
and sum kept on the pledge.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 14:51:32.247125

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pledges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('made', 'kept', name='pledge_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('fulfilment_note', sa.Text(), nullable=True),
    sa.Column('fulfilled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rating_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rating_sum', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.CheckConstraint("(status = 'kept') = (fulfilled_at IS NOT NULL AND fulfilment_note IS NOT NULL)", name=op.f('ck_pledges_kept_has_fulfilment')),
    sa.CheckConstraint('rating_count >= 0 AND rating_sum >= rating_count AND rating_sum <= 5 * rating_count', name=op.f('ck_pledges_rating_figures')),
    sa.ForeignKeyConstraint(['community_id'], ['places.id'], name=op.f('fk_pledges_community_id_places')),
    sa.ForeignKeyConstraint(['profile_id'], ['volunteer_profiles.id'], name=op.f('fk_pledges_profile_id_volunteer_profiles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledges'))
    )
    with op.batch_alter_table('pledges', schema=None) as batch_op:
        batch_op.create_index('ix_pledges_community_status', ['community_id', 'status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledges_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledges_status'), ['status'], unique=False)

    op.create_table('pledge_followers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pledge_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pledge_id'], ['pledges.id'], name=op.f('fk_pledge_followers_pledge_id_pledges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pledge_followers_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_followers')),
    sa.UniqueConstraint('pledge_id', 'user_id', name='uq_pledge_followers_pledge_user')
    )
    with op.batch_alter_table('pledge_followers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_followers_pledge_id'), ['pledge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_followers_user_id'), ['user_id'], unique=False)

    op.create_table('pledge_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pledge_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pledge_id'], ['pledges.id'], name=op.f('fk_pledge_photos_pledge_id_pledges'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_photos')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_pledge_photos_stored_name'))
    )
    with op.batch_alter_table('pledge_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_photos_pledge_id'), ['pledge_id'], unique=False)

    op.create_table('pledge_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pledge_id', sa.Integer(), nullable=False),
    sa.Column('rater_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.SmallInteger(), nullable=False),
    sa.Column('comment', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_pledge_ratings_score_range')),
    sa.ForeignKeyConstraint(['pledge_id'], ['pledges.id'], name=op.f('fk_pledge_ratings_pledge_id_pledges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rater_id'], ['users.id'], name=op.f('fk_pledge_ratings_rater_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_ratings')),
    sa.UniqueConstraint('pledge_id', 'rater_id', name='uq_pledge_ratings_pledge_rater')
    )
    with op.batch_alter_table('pledge_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_ratings_pledge_id'), ['pledge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_ratings_rater_id'), ['rater_id'], unique=False)



def downgrade():
    with op.batch_alter_table('pledge_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledge_ratings_rater_id'))
        batch_op.drop_index(batch_op.f('ix_pledge_ratings_pledge_id'))

    op.drop_table('pledge_ratings')
    with op.batch_alter_table('pledge_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledge_photos_pledge_id'))

    op.drop_table('pledge_photos')
    with op.batch_alter_table('pledge_followers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledge_followers_user_id'))
        batch_op.drop_index(batch_op.f('ix_pledge_followers_pledge_id'))

    op.drop_table('pledge_followers')
    with op.batch_alter_table('pledges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledges_status'))
        batch_op.drop_index(batch_op.f('ix_pledges_profile_id'))
        batch_op.drop_index('ix_pledges_community_status')

    op.drop_table('pledges')
