from coordination.pledges.models.pledges import Pledge
from coordination.pledges.models.pledges import PledgeFollower
from coordination.pledges.models.pledges import PledgePhoto
from coordination.pledges.models.pledges import PledgeRating

__all__ = ["Pledge", "PledgeFollower", "PledgePhoto", "PledgeRating"]
