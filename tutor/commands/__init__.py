"""One module per command family: the glue between parsed arguments and the layers."""
