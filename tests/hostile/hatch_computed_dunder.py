"""Builds the name of a frame attribute at run time so no string in the source names it: getattr with a computed name is refused in this lesson."""

EXPECT = 0
MESSAGE = "computed attribute name"


def _frame(e):
    return getattr(e, "__trace" + "back__")
