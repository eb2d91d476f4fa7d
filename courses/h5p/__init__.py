"""H5P activities: validate uploaded packages, store and serve them, play them isolated from
the site's session, and record the members' xAPI statements."""
