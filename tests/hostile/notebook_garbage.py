"""A notebook that is not JSON: full marks for the module, a note in the feedback."""

EXPECT = "full"
NOTEBOOK = "garbage"
