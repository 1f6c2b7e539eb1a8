"""The lesson folder holds 1,200 nested folders beside a correct module: staging copies the
module and the folder's own files, never walks the tree; full marks, the class goes on."""

EXPECT = "full"
LAYOUT = "deep_nesting"
