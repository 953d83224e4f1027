# Stand-in for the rocrate package (not packaged by Debian): the reference
# registry imports it for its RO-Crate downloads, which moving a registry
# does not use. Only the names it imports exist; making a crate fails.
