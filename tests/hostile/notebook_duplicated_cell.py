"""The written-answer cell duplicated in the notebook: full marks, a note in the feedback."""

EXPECT = "full"
NOTEBOOK = "duplicated_cell"
