"""The lesson folder holds 5,000 small files beside a correct module: the module is staged
first, the rest within a file-count and size budget; full marks."""

EXPECT = "full"
LAYOUT = "many_files"
