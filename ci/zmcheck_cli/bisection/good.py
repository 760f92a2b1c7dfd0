"""The good end of a bisection when --good is not given: the newest tag that BAD contains
at which the finding does not reproduce, found by stepping back through the tags,
newest first."""
from .verdict import GOOD

MAX_TAGS = 12  # tags tried before asking for --good (each is a build and a few replays)


def first_good_tag(tags, test, limit: int = MAX_TAGS):
    """The first (tag, commit) of TAGS (newest first) whose test(tag, commit) verdict is
    good; a bad or skipped tag is stepped over. None when none of the first LIMIT is."""
    for tag, commit in tags[:limit]:
        if test(tag, commit).code == GOOD:
            return tag, commit
    return None
