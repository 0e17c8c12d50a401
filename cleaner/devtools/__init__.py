"""Tools for the people who build and check cleaner: the benchmark, the residue audit,
fixture folders and the rule example checker. The core never imports them."""
