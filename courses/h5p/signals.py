"""Signals of the H5P app."""

from django.dispatch import Signal

# Sent once per member and package, after the transaction that recorded the completing
# statement has committed: sender=H5PPackage, user=<User>, package=<H5PPackage>,
# statement=<H5PStatement>.
h5p_completed = Signal()
