"""The reference module with the written-answer cell deleted from the notebook: the module
still gets full marks; the written answer is reported missing."""

EXPECT = "full"
NOTEBOOK = "deleted_cell"
